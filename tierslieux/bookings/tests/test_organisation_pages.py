"""The team's pages name the organisation a booking is for (the form's price, the board, the
booking's page, the team's calendar); a member sees only "Booked"."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

DAY = "2026-12-03"


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(at("2026-12-01", 9))


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def yellow(place):
    open_every_day(place)
    space = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(space)
    mf.room_rate(space, "non_member", "hour", "25.00")
    return space


@pytest.fixture
def org(place):
    found = af.organisation(name="Atelier Vélo", email="contact@atelier-velo.example")
    PlaceRole.objects.create(place=place, organisation=found, role="resident_organisation")
    return found


def url(place, name, *args):
    return reverse(f"bookings_manage:{name}", args=[place.slug, *args])


def slot(space, who, **more):
    return {
        "booked_for": who,
        "space": space.slug,
        "date": DAY,
        "start_time": "10:00",
        "end_time": "12:00",
        **more,
    }


def test_the_form_prices_the_booking_at_the_organisations_rates(
    client, place, yellow, coordinator, org
):
    client.force_login(coordinator)
    data = slot(yellow, f"organisation:{org.pk}", action="check")
    html = client.post(url(place, "new"), data).content.decode()
    assert "Not priced" not in html and "50.00" in html
    assert not Booking.objects.exists()


def test_the_board_and_the_bookings_page_name_the_organisation(
    client, place, yellow, coordinator, org
):
    client.force_login(coordinator)
    made = client.post(
        url(place, "new"), slot(yellow, f"organisation:{org.pk}", title="AG annuelle")
    )
    assert made.status_code == 302
    booking = Booking.objects.get()
    assert booking.organisation == org and booking.title == "AG annuelle"
    board = client.get(url(place, "board"), {"date": DAY}).content.decode()
    assert "Atelier Vélo" in board and "AG annuelle" in board
    page = client.get(url(place, "detail", booking.pk)).content.decode()
    assert "Atelier Vélo" in page and "mailto:contact@atelier-velo.example" in page
    assert "50.00" in page


def test_the_teams_calendar_names_it_and_a_member_sees_only_booked(
    client, place, yellow, coordinator, org
):
    client.force_login(coordinator)
    client.post(url(place, "new"), slot(yellow, f"organisation:{org.pk}"))
    calendar = reverse("bookings:calendar", args=[place.slug])
    assert "Atelier Vélo" in client.get(calendar, {"date": DAY}).content.decode()
    member = pf.member(place)
    org.people.add(member.person)
    client.force_login(member)
    html = client.get(calendar, {"date": DAY}).content.decode()
    assert "Atelier Vélo" not in html and "Booked" in html
