"""The team's pages on any booking: book for someone (price and conflicts shown, a double
booking refused with the member's message), a booking's page, move and cancel after a
confirmation; 403 for members, 422 for bad input, 409 for a taken slot. The team's calendar
names who booked; a member never sees another's name nor title."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.core.models import AuditEntry
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

Status = Booking.Status
NOW = at("2026-12-01", 9)
DAY = "2026-12-03"


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def yellow(place):
    open_every_day(place)
    space = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(space, cancellation_deadline_hours=24)
    mf.room_rate(space, "non_member", "hour", "25.00")
    return space


@pytest.fixture
def green(place, yellow):
    space = room(place, name="Salle Verte", slug="salle-verte")
    rules(space)
    return space


def url(place, name, *args):
    return reverse(f"bookings_manage:{name}", args=[place.slug, *args])


def a_booking(space, person, start, hours=1, **fields):
    return Booking.objects.create(
        place=space.place,
        space=space,
        person=person,
        start=start,
        end=start + timedelta(hours=hours),
        status=Status.CONFIRMED,
        exclusive=True,
        **fields,
    )


def slot(space, who, start="10:00", end="11:00", **more):
    return {
        "booked_for": who,
        "space": space.slug,
        "date": DAY,
        "start_time": start,
        "end_time": end,
        **more,
    }


# --- Book for someone ---------------------------------------------------------------------------


def test_the_form_lists_the_places_people_and_organisations(client, place, yellow, coordinator):
    member = pf.member(place)
    org = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    stranger = pf.member(pf.place())
    client.force_login(coordinator)
    response = client.get(url(place, "new"), {"date": DAY})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="person:{member.person.pk}"' in html
    assert f'value="organisation:{org.pk}"' in html
    assert f'value="person:{stranger.person.pk}"' not in html


def test_the_team_books_for_a_member_and_returns_to_the_days_board(
    client, place, yellow, coordinator
):
    member = pf.member(place)
    client.force_login(coordinator)
    response = client.post(url(place, "new"), slot(yellow, f"person:{member.person.pk}"))
    assert response.status_code == 302
    assert response["Location"] == url(place, "board") + f"?date={DAY}"
    booking = Booking.objects.get()
    assert (booking.person, booking.booked_by) == (member.person, coordinator)
    assert booking.price_net is not None


def test_checking_shows_the_price_and_writes_nothing(client, place, yellow, staff):
    member = pf.member(place)
    client.force_login(staff)
    data = slot(yellow, f"person:{member.person.pk}", action="check")
    response = client.post(url(place, "new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This slot is free." in html and "25.00" in html.replace(",", ".")
    assert not Booking.objects.exists()


def test_a_double_booking_is_refused_with_the_members_message_and_alternatives(
    client, place, yellow, coordinator
):
    member = pf.member(place)
    a_booking(yellow, member.person, at(DAY, 10))
    client.force_login(coordinator)
    for action in ("check", ""):
        data = slot(yellow, f"person:{member.person.pk}", "10:30", "11:30", action=action)
        response = client.post(url(place, "new"), data)
        assert response.status_code == 409
        html = response.content.decode()
        assert "This slot is taken: Salle Jaune is booked from" in html
        assert url(place, "new") + "?space=salle-jaune" in html  # the free slots nearby
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"end_time": "09:00"},
        {"booked_for": "person:999999"},
        {"booked_for": "nobody"},
        {"date": "0001-01-01"},
        {"units": "1e309"},
        {"space": "nowhere"},
    ],
)
def test_bad_input_answers_422_and_writes_nothing(client, place, yellow, coordinator, changes):
    member = pf.member(place)
    client.force_login(coordinator)
    data = {**slot(yellow, f"person:{member.person.pk}"), **changes}
    assert client.post(url(place, "new"), data).status_code == 422
    assert not Booking.objects.exists()


def test_a_person_of_the_place_chosen_then_removed_is_a_form_error(
    client, place, yellow, coordinator
):
    member = pf.member(place)
    data = slot(yellow, f"person:{member.person.pk}")
    PlaceRole.objects.filter(person=member.person).delete()
    client.force_login(coordinator)
    assert client.post(url(place, "new"), data).status_code == 422


def test_the_team_books_for_an_organisation(client, place, yellow, coordinator):
    org = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    client.force_login(coordinator)
    response = client.post(url(place, "new"), slot(yellow, f"organisation:{org.pk}"))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.person, booking.title, booking.booked_by) == (None, "Atelier Vélo", coordinator)


# --- A booking's page, move and cancel ------------------------------------------------------


def test_the_bookings_page_says_for_whom_by_whom_and_its_history(
    client, place, yellow, coordinator
):
    member = pf.member(place)
    client.force_login(coordinator)
    client.post(url(place, "new"), slot(yellow, f"person:{member.person.pk}"))
    booking = Booking.objects.get()
    response = client.get(url(place, "detail", booking.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(member.person) in html and str(coordinator.person) in html
    assert "booking.create" in html and "by the team" in html
    assert url(place, "move", booking.pk) in html and url(place, "cancel", booking.pk) in html


def test_cancelling_asks_first_then_cancels_with_the_reason(client, place, yellow, coordinator):
    member = pf.member(place)
    booking = a_booking(yellow, member.person, at(DAY, 10))
    client.force_login(coordinator)
    page = client.get(url(place, "cancel", booking.pk))
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    assert 'name="credits"' not in page.content.decode()  # in time: everything comes back
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    response = client.post(url(place, "cancel", booking.pk), {"reason": "Travaux"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (Status.CANCELLED, "Travaux")
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert entry.actor == coordinator and entry.changes["by_team"] is True
    again = client.post(url(place, "cancel", booking.pk), {"reason": "x" * 201})
    assert again.status_code == 422


def test_a_late_cancellation_offers_to_keep_it_billed(client, place, yellow, coordinator):
    member = pf.member(place)
    # Booked yesterday: the grace period after booking is long over too.
    booking = a_booking(
        yellow, member.person, NOW + timedelta(hours=3), created_at=NOW - timedelta(days=1)
    )
    client.force_login(coordinator)
    page = client.get(url(place, "cancel", booking.pk)).content.decode()
    assert "Free cancellation ended on" in page and 'name="credits"' in page
    client.post(url(place, "cancel", booking.pk), {"credits": "keep"})
    entry = AuditEntry.objects.get(action="booking.cancel")
    assert entry.changes["given_back"] is False


def test_the_team_moves_a_booking_to_another_space_and_time(
    client, place, yellow, green, coordinator
):
    booking = a_booking(yellow, pf.member(place).person, at(DAY, 10))
    client.force_login(coordinator)
    assert client.get(url(place, "move", booking.pk)).status_code == 200
    data = {"space": "salle-verte", "date": DAY, "start_time": "14:00", "end_time": "15:30"}
    response = client.post(url(place, "move", booking.pk), data)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.space, booking.start, booking.end) == (green, at(DAY, 14), at(DAY, 15, 30))


def test_a_move_onto_a_taken_slot_answers_409_and_a_bad_one_422(client, place, yellow, coordinator):
    booking = a_booking(yellow, pf.member(place).person, at(DAY, 10))
    a_booking(yellow, pf.member(place).person, at(DAY, 14))
    client.force_login(coordinator)
    data = {"space": "salle-jaune", "date": DAY, "start_time": "14:00", "end_time": "15:00"}
    response = client.post(url(place, "move", booking.pk), data)
    assert response.status_code == 409
    assert url(place, "move", booking.pk) + "?space=salle-jaune" in response.content.decode()
    data["end_time"] = "13:00"
    assert client.post(url(place, "move", booking.pk), data).status_code == 422
    booking.refresh_from_db()
    assert booking.start == at(DAY, 10)


@pytest.mark.parametrize("name", ["detail", "move", "cancel"])
def test_members_get_403_and_another_places_team_404(
    client, place, yellow, other_place, other_coordinator, name
):
    member = pf.member(place)
    booking = a_booking(yellow, member.person, at(DAY, 10))
    client.force_login(member)
    assert client.get(url(place, name, booking.pk)).status_code == 403
    assert client.post(url(place, name, booking.pk), {}).status_code == 403
    assert client.get(url(place, "new")).status_code == 403
    client.force_login(other_coordinator)
    elsewhere = reverse(f"bookings_manage:{name}", args=[other_place.slug, booking.pk])
    assert client.get(elsewhere).status_code == 404
    booking.refresh_from_db()
    assert (booking.status, booking.start) == (Status.CONFIRMED, at(DAY, 10))


def test_the_board_offers_to_book_for_someone_move_and_cancel(client, place, yellow, coordinator):
    booking = a_booking(yellow, pf.member(place).person, at(DAY, 10))
    client.force_login(coordinator)
    html = client.get(url(place, "board"), {"date": DAY}).content.decode()
    assert url(place, "new") in html
    assert url(place, "move", booking.pk) in html and url(place, "cancel", booking.pk) in html


# --- Who sees whose name on the calendar -------------------------------------------------------


def test_the_team_sees_who_booked_and_members_only_booked(client, place, yellow, coordinator):
    alice = pf.member(place)
    alice.person.first_name, alice.person.last_name = "Alice", "Martin"
    alice.person.save()
    booking = a_booking(yellow, alice.person, at(DAY, 10), title="Réunion secrète")
    org = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    a_booking(yellow, None, at(DAY, 14), title="Atelier Vélo")
    calendar = reverse("bookings:calendar", args=[place.slug])

    client.force_login(coordinator)
    for view in ("day", "week"):
        html = client.get(calendar, {"date": DAY, "view": view}).content.decode()
        assert "Alice Martin — Réunion secrète" in html and "Atelier Vélo" in html
        assert url(place, "detail", booking.pk) in html

    bob = pf.member(place)
    a_booking(yellow, bob.person, at(DAY, 16), title="Mon rendez-vous")
    client.force_login(bob)
    for view in ("day", "week"):
        html = client.get(calendar, {"date": DAY, "view": view}).content.decode()
        assert "Alice" not in html and "Martin" not in html and "secrète" not in html
        assert "Atelier Vélo" not in html
        assert "Mon rendez-vous" in html and "Booked" in html
        assert reverse("bookings_manage:board", args=[place.slug]) not in html


def test_the_teams_free_slots_open_the_book_for_someone_form_prefilled(
    client, place, yellow, coordinator, member
):
    calendar = reverse("bookings:calendar", args=[place.slug])
    client.force_login(coordinator)
    html = client.get(calendar, {"date": DAY}).content.decode()
    prefilled = url(place, "new") + "?space=salle-jaune&amp;start=2026-12-03T08%3A00"
    assert prefilled in html
    form = client.get(
        url(place, "new"), {"space": "salle-jaune", "start": f"{DAY}T08:00", "end": f"{DAY}T09:30"}
    ).context["form"]
    assert (form["space"].value(), str(form["date"].value())) == ("salle-jaune", DAY)
    assert str(form["end_time"].value()) == "09:30:00"
    client.force_login(member)
    html = client.get(calendar, {"date": DAY}).content.decode()
    assert url(place, "new") not in html
    assert reverse("bookings:book", args=[place.slug]) + "?space=salle-jaune" in html
