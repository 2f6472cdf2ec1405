"""iCalendar feeds, parsed back with the icalendar package: public per space, private per
person behind a secret token. The feeds cover a window around today: the clock stands on
15 November 2026, so that the fixed dates below fall inside or outside it whatever the day."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tierslieux.bookings import ical, services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.tests import factories as pf

DAY = "2027-03-02"


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(at("2026-11-15", 12))


@pytest.fixture
def place(place):
    return bf.open_every_day(place)


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaurès", slug="jaures")
    bf.rules(space)
    return space


def book(actor, space, day=DAY, start=10, end=12, **kw) -> Booking:
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), **kw
    )


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def space_feed_url(place, room) -> str:
    return reverse("bookings:space-feed", args=[place.slug, room.slug])


def person_feed_url(token: str) -> str:
    return reverse("bookings:person-feed", args=[token])


def test_the_builder_writes_utc_times_uids_status_and_the_calendar_name():
    start = datetime(2027, 3, 28, 10, tzinfo=bf.PARIS)  # the first summer-time day
    item = ical.FeedEvent(
        uid="booking-7@tierslieux",
        start=start,
        end=start + timedelta(hours=1),
        summary="Booked",
        location="La Halle, Salle Jaurès",
        status="TENTATIVE",
        last_modified=datetime(2027, 1, 1, tzinfo=UTC),
    )
    stamp = datetime(2027, 2, 1, 12, tzinfo=UTC)

    raw = ical.calendar("La Halle — Salle Jaurès", [item], stamp=stamp)

    assert b"DTSTART:20270328T080000Z" in raw
    cal = Calendar.from_ical(raw)
    assert str(cal["X-WR-CALNAME"]) == "La Halle — Salle Jaurès"
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == "booking-7@tierslieux"
    assert event.decoded("DTSTART") == datetime(2027, 3, 28, 8, tzinfo=UTC)
    assert event.decoded("DTEND").utcoffset() == timedelta(0)
    assert event.decoded("DTSTAMP") == stamp
    assert (str(event["STATUS"]), str(event["LOCATION"])) == ("TENTATIVE", item.location)


def test_the_public_feed_shows_busy_times_without_titles_or_people(
    place, room, member, coordinator, staff
):
    taken = book(member, room, start=10, end=12, title="Entretien confidentiel")
    done = book(coordinator, room, day="2026-12-01", start=9, end=10)
    cancelled = book(pf.user(), room, day="2027-03-03")
    services.cancel_booking(actor=staff, booking=cancelled)
    other = bf.room(place, name="Salle Zola")
    bf.rules(other)
    book(pf.user(), other)

    response = Client().get(space_feed_url(place, room), headers={"accept-language": "en"})
    found = events(response)

    assert {str(e["UID"]) for e in found} == {
        f"booking-{taken.pk}@tierslieux",
        f"booking-{done.pk}@tierslieux",
    }
    first = next(e for e in found if str(e["UID"]) == f"booking-{taken.pk}@tierslieux")
    assert first.decoded("DTSTART") == datetime(2027, 3, 2, 9, tzinfo=UTC)
    assert first.decoded("DTEND") == datetime(2027, 3, 2, 11, tzinfo=UTC)
    assert {str(e["SUMMARY"]) for e in found} == {"Booked"}
    assert {str(e["STATUS"]) for e in found} == {"CONFIRMED"}
    assert str(first["LOCATION"]) == "La Fabrique, Salle Jaurès"
    text = response.content.decode()
    assert member.person.last_name not in text and "confidentiel" not in text
    assert "DESCRIPTION" not in text
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "La Fabrique — Salle Jaurès"


def test_the_public_feed_covers_three_months_back_to_twelve_ahead(place, room, coordinator):
    team = coordinator
    old = book(team, room, day="2026-08-01")  # the team may book outside notice and horizon
    recent = book(team, room, day="2026-09-01")
    far = book(team, room, day="2027-11-02")
    too_far = book(team, room, day="2027-12-01")
    uids = {str(e["UID"]) for e in events(Client().get(space_feed_url(place, room)))}
    assert uids == {f"booking-{recent.pk}@tierslieux", f"booking-{far.pk}@tierslieux"}
    assert f"booking-{old.pk}@tierslieux" not in uids
    assert f"booking-{too_far.pk}@tierslieux" not in uids


def test_an_unknown_space_has_no_feed(place):
    assert Client().get(f"/bookings/feeds/space/{place.slug}/nowhere.ics").status_code == 404


def test_the_private_feed_lists_the_persons_bookings_with_their_state(place, room, member):
    bf.rules(room, approval_required=True)
    requested = book(member, room, start=10, end=11, title="Atelier vélo")
    cancelled = book(member, room, start=14, end=15)
    services.cancel_booking(actor=member, booking=cancelled)
    someone_else = book(pf.user(), room, start=16, end=17)
    feed = services.calendar_feed_for(member.person)

    found = {str(e["UID"]): e for e in events(Client().get(person_feed_url(feed.token)))}

    assert set(found) == {
        f"booking-{requested.pk}@tierslieux",
        f"booking-{cancelled.pk}@tierslieux",
    }
    assert f"booking-{someone_else.pk}@tierslieux" not in found
    first = found[f"booking-{requested.pk}@tierslieux"]
    assert (str(first["SUMMARY"]), str(first["STATUS"])) == ("Atelier vélo", "TENTATIVE")
    assert first.decoded("DTSTART") == datetime(2027, 3, 2, 9, tzinfo=UTC)
    assert str(found[f"booking-{cancelled.pk}@tierslieux"]["STATUS"]) == "CANCELLED"
    assert str(found[f"booking-{cancelled.pk}@tierslieux"]["SUMMARY"]) == "Salle Jaurès"


def test_the_feed_token_is_stable_until_reset_and_the_old_address_then_fails(room, member):
    book(member, room)
    feed = services.calendar_feed_for(member.person)
    assert services.calendar_feed_for(member.person).token == feed.token
    old_url = person_feed_url(feed.token)
    assert len(events(Client().get(old_url))) == 1

    new = services.reset_calendar_feed(member.person, actor=member)

    assert new.token != feed.token
    assert Client().get(old_url).status_code == 404
    assert len(events(Client().get(person_feed_url(new.token)))) == 1


def test_an_unknown_token_answers_404():
    assert Client().get(person_feed_url("not-a-real-token")).status_code == 404


def test_a_deactivated_login_loses_its_feed(room, member):
    feed = services.calendar_feed_for(member.person)
    member.is_active = False
    member.save()
    assert Client().get(person_feed_url(feed.token)).status_code == 404


def test_the_api_gives_the_callers_feed_address_and_resets_it(room, member):
    book(member, room)
    client = Client()
    client.force_login(member)

    url = client.get("/api/v1/bookings/mine/feed").json()["url"]
    assert url == client.get("/api/v1/bookings/mine/feed").json()["url"]
    assert len(events(Client().get(url))) == 1

    reset = client.post("/api/v1/bookings/mine/feed/reset").json()["url"]
    assert reset != url
    assert Client().get(url).status_code == 404
    assert len(events(Client().get(reset))) == 1
