"""The booking form shows, before one books, the cancellation terms the booking will have:
the space's deadline and the place's grace period, from `checks.free_cancellation_until`,
in the page as rendered and in the quote the form's script asks for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.bookings import checks, previews, services
from tierslieux.bookings.models import BookingSettings
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at

NOW = at("2026-11-23", 10)  # a Monday
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture
def place(place):
    return bf.open_every_day(place)


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaune", slug="salle-jaune")
    bf.rules(space, cancellation_deadline_hours=24)
    return space


def slot(room, day="2026-12-02", start="09:00", end="10:00"):
    return {"space": room.slug, "date": day, "start_time": start, "end_time": end}


def quote(client, place, params):
    return client.get(reverse("bookings:quote", args=[place.slug]), params)


def test_the_form_shows_the_deadline_and_the_grace_period_in_french(client, place, room, member):
    client.force_login(member)
    url = reverse("bookings:book", args=[place.slug])
    page = client.get(url, {"space": room.slug, "start": "2026-12-02T09:00"})
    html = page.content.decode()
    expected = (
        f"Annulation gratuite jusqu’au mardi 1er décembre à 9{NBSP}h, "
        "ou dans les 15 minutes après votre réservation."
    )
    assert page.status_code == 200 and expected in html
    assert f"Conditions d’annulation{NBSP}:" in html
    assert quote(client, place, slot(room)).json()["terms"] == expected


def test_the_terms_are_those_the_booking_then_has(client, place, room, member, english):
    start = at("2026-12-02", 9, 30)
    text = previews.terms(room, start)
    assert text == (
        "Free cancellation until Tuesday 1 December at 9:30, or within 15 minutes of booking."
    )
    booking = services.create_booking(
        actor=member, space=room, start=start, end=start + timedelta(hours=1)
    )
    assert checks.free_cancellation_until(booking) == at("2026-12-01", 9, 30)


def test_a_slot_past_the_deadline_is_free_to_cancel_only_in_the_grace_period(
    client, place, room, member
):
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = quote(client, place, slot(room, day="2026-11-23", start="18:00", end="19:00")).json()
    assert body["terms"] == (
        "Free cancellation only within 15 minutes of booking; after that, only the place's "
        "team can cancel it, and it stays due."
    )
    BookingSettings.objects.create(place=place, grace_minutes=0)
    body = quote(client, place, slot(room, day="2026-11-23", start="18:00", end="19:00")).json()
    assert body["terms"].startswith("No free cancellation")
    body = quote(client, place, slot(room)).json()
    assert body["terms"] == "Free cancellation until Tuesday 1 December at 9:00."


def test_a_deadline_in_another_year_names_the_year(place, room, english):
    assert "Friday 1 January 2027 at 9:00" in previews.terms(room, at("2027-01-02", 9))


def test_no_terms_for_whom_may_not_book(client, place, room, member):
    bf.rules(room, audience="staff")
    client.force_login(member)
    assert "terms" not in quote(client, place, slot(room)).json()
    url = reverse("bookings:book", args=[place.slug])
    page = client.get(url, {"space": room.slug, "start": "2026-12-02T09:00"})
    html = page.content.decode()
    assert 'id="terms"' in html and "Annulation gratuite" not in html
    client.logout()
    assert quote(client, place, slot(room)).status_code == 401


def test_a_posted_form_with_errors_still_shows_the_terms_of_its_slot(client, place, room, member):
    client.force_login(member)
    url = reverse("bookings:book", args=[place.slug])
    response = client.post(url, {**slot(room), "title": "x" * 300})
    assert response.status_code == 422
    assert "Annulation gratuite jusqu’au mardi 1er décembre" in response.content.decode()
