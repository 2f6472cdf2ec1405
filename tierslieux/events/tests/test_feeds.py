"""The agendas' iCal feeds: one VEVENT per session of the public published events, stable
UIDs, the event's address, cancellations marked, times right across a clock change, and
never a members-only event nor a draft."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import ical, services
from tierslieux.events.models import Event
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as pf

NOW = at("2027-03-20", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune", slug="salle-jaune")


def published(coordinator, room, title, *starts, **fields):
    event = ef.event(room.place, title=title, **fields)
    for start in starts:
        ef.session(coordinator, event, room, start, start.replace(hour=start.hour + 2))
    return services.publish_event(actor=coordinator, event=event)


def vevents(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def feed(client, place):
    return vevents(client.get(reverse("events:feed", args=[place.slug])))


def test_one_vevent_per_session_with_its_uid_url_and_address(client, place, coordinator, room):
    event = published(
        coordinator,
        room,
        "Repair café",
        at("2027-03-24", 10),
        at("2027-03-31", 10),
        description="Apportez vos objets.",
    )
    found = feed(client, place)
    sessions = list(event.sessions.order_by("start"))
    assert [str(v["UID"]) for v in found] == [ical.uid(s.pk) for s in sessions]
    first = found[0]
    assert str(first["SUMMARY"]) == "Repair café"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["DESCRIPTION"]) == "Apportez vos objets."
    assert str(first["URL"]) == "http://testserver" + reverse(
        "events:event", args=[place.slug, event.pk]
    )
    assert str(first["LOCATION"]) == (
        "La Fabrique, Salle Jaune, 2 rue de l'Ancien Courrier, 11100 Narbonne"
    )
    # The UID does not change when the session moves.
    services.move_session(
        actor=coordinator, session=sessions[0], start=at("2027-03-25", 10), end=at("2027-03-25", 12)
    )
    assert [str(v["UID"]) for v in feed(client, place)] == [ical.uid(s.pk) for s in sessions]


def test_times_are_utc_on_both_sides_of_the_clock_change(client, place, coordinator, room):
    # Paris moves its clocks forward on 28 March 2027: 10:00 is 09:00 UTC before, 08:00 after.
    published(coordinator, room, "Atelier", at("2027-03-26", 10), at("2027-03-30", 10))
    before, after = feed(client, place)
    assert before["DTSTART"].dt == datetime(2027, 3, 26, 9, tzinfo=UTC)
    assert after["DTSTART"].dt == datetime(2027, 3, 30, 8, tzinfo=UTC)
    assert after["DTEND"].dt == datetime(2027, 3, 30, 10, tzinfo=UTC)
    assert (
        b"DTSTART:20270330T080000Z" in client.get(reverse("events:feed", args=[place.slug])).content
    )


def test_cancelled_sessions_and_events_are_marked_cancelled(client, place, coordinator, room):
    kept = published(coordinator, room, "Projection", at("2027-03-24", 18), at("2027-03-25", 18))
    first = kept.sessions.order_by("start").first()
    services.cancel_session(actor=coordinator, session=first)
    whole = published(coordinator, room, "Fête", at("2027-03-26", 18))
    services.cancel_event(actor=coordinator, event=whole)
    status = {
        (str(v["SUMMARY"]), v["DTSTART"].dt.day): str(v["STATUS"]) for v in feed(client, place)
    }
    assert status == {
        ("Projection", 24): "CANCELLED",
        ("Projection", 25): "CONFIRMED",
        ("Fête", 26): "CANCELLED",
    }


def test_members_only_and_draft_events_never_appear(client, place, coordinator, member, room):
    published(coordinator, room, "Assemblée", at("2027-03-24", 18), access="members")
    draft = ef.event(place, title="Brouillon")
    ef.session(coordinator, draft, room, at("2027-03-25", 10), at("2027-03-25", 12))
    never = ef.event(place, title="Brouillon annulé")
    ef.session(coordinator, never, room, at("2027-03-26", 10), at("2027-03-26", 12))
    services.cancel_event(actor=coordinator, event=never)
    client.force_login(member)  # even for a member: a feed is read without a login
    assert feed(client, place) == []


def test_the_feed_covers_recent_and_coming_sessions_only(client, clock, place, coordinator, room):
    clock.set(at("2026-11-02", 8))
    published(coordinator, room, "Il y a longtemps", at("2026-11-10", 10))
    published(coordinator, room, "Récemment", at("2027-02-10", 10))
    published(coordinator, room, "Bientôt", at("2027-04-10", 10))
    published(coordinator, room, "Dans deux ans", at("2028-06-10", 10))
    clock.set(NOW)
    assert [str(v["SUMMARY"]) for v in feed(client, place)] == ["Récemment", "Bientôt"]


def test_the_network_feed_holds_its_places_only(client, place, coordinator, room):
    sister = bf.open_every_day(pf.place(network=place.network, name="La Grange"))
    published(coordinator, room, "Fabrique", at("2027-03-24", 10))
    published(pf.coordinator(sister), bf.room(sister), "Grange", at("2027-03-23", 10))
    elsewhere = bf.open_place(name="Ailleurs")
    published(pf.coordinator(elsewhere), bf.room(elsewhere), "Ailleurs", at("2027-03-22", 10))
    response = client.get(reverse("events:network_feed", args=[place.network.slug]))
    assert [str(v["SUMMARY"]) for v in vevents(response)] == ["Grange", "Fabrique"]
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == f"Agenda de {place.network.name}"
    assert set(response["Cache-Control"].split(", ")) == {"max-age=300", "public"}


def test_unknown_places_and_writes_are_refused(client, place):
    assert client.get(reverse("events:feed", args=["nowhere"])).status_code == 404
    assert client.get(reverse("events:network_feed", args=["nowhere"])).status_code == 404
    assert client.post(reverse("events:feed", args=[place.slug])).status_code == 405


def test_the_feed_reads_in_a_fixed_number_of_queries(
    client, place, coordinator, room, django_assert_max_num_queries
):
    url = reverse("events:network_feed", args=[place.network.slug])
    for day in range(5, 15):
        published(coordinator, room, f"Atelier {day}", at(f"2027-04-{day:02d}", 10))
        if day == 6:
            with django_assert_max_num_queries(5) as few:
                client.get(url)
    with django_assert_max_num_queries(len(few)):
        assert len(vevents(client.get(url))) == 10


def test_a_session_shows_on_the_place_calendars(client, place, coordinator, member, room):
    """The team's calendar and desk show the event's title on its session's booking; the
    members' calendar names a public event and links to its page (`bookings.labels`), and
    still shows only "Réservé" for a members-only one."""
    published(coordinator, room, "Atelier couture", at("2027-03-24", 10))
    day = {"date": "2027-03-24"}
    calendar_url = reverse("bookings:calendar", args=[place.slug])
    client.force_login(coordinator)
    assert "Atelier couture" in client.get(calendar_url, day).content.decode()
    desk = client.get(reverse("bookings_manage:board", args=[place.slug]), day)
    assert "Atelier couture" in desk.content.decode()
    client.force_login(member)
    text = client.get(calendar_url, day).content.decode()
    event = Event.objects.get(title="Atelier couture")
    assert "Atelier couture" in text
    assert reverse("events:event", args=[place.slug, event.pk]) in text
    event.access = Event.Access.MEMBERS
    event.save()
    text = client.get(calendar_url, day).content.decode()
    assert "Atelier couture" not in text and "Réservé" in text
