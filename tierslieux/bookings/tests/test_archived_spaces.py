"""An archived space leaves every booking page (calendar, booking form, free slots, price
quote) and the API's availability, and keeps its bookings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.places import services as place_services
from tierslieux.places.models import Space

DAY = "2027-01-13"  # a Wednesday, in the future, no public holiday
API = "/api/v1/bookings"


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(at("2026-12-01", 9))


@pytest.fixture
def place(place):
    return open_every_day(place)


@pytest.fixture
def kept(place):
    s = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(s)
    return s


@pytest.fixture
def archived(place, kept, coordinator, member):
    """Salle Rouge had a booking, then was removed from the back office: archived."""
    s = room(place, name="Salle Rouge", slug="salle-rouge")
    rules(s)
    Booking.objects.create(
        place=place,
        space=s,
        person=member.person,
        start=at(DAY, 10),
        end=at(DAY, 11),
        status=Booking.Status.CONFIRMED,
        exclusive=True,
    )
    done = place_services.delete_space(actor=coordinator, space=s)
    assert done is place_services.Removal.ARCHIVED
    return Space.objects.get(pk=s.pk)


def test_the_booking_form_no_longer_offers_it(client, place, archived, member):
    client.force_login(member)
    page = client.get(reverse("bookings:book", args=[place.slug]))
    choices = [slug for slug, _ in page.context["form"].fields["space"].choices if slug]
    assert [str(c) for c in choices] == ["salle-jaune"]
    refused = client.post(
        reverse("bookings:book", args=[place.slug]),
        {"space": archived.slug, "date": DAY, "start_time": "14:00", "end_time": "15:00"},
    )
    assert refused.status_code == 422
    assert "space" in refused.context["form"].errors
    assert Booking.objects.filter(space=archived).count() == 1


def test_the_calendar_no_longer_shows_it(client, place, archived, member):
    client.force_login(member)
    page = client.get(reverse("bookings:calendar", args=[place.slug]), {"date": DAY})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Salle Jaune" in text and "Salle Rouge" not in text


def test_free_slots_and_the_quote_ignore_it(client, place, archived, member):
    client.force_login(member)
    slots = client.get(
        reverse("bookings:slots", args=[place.slug]), {"space": archived.slug, "date": DAY}
    )
    assert slots.status_code == 200
    assert slots.context["slot_space"] is None
    quote = client.get(
        reverse("bookings:quote", args=[place.slug]),
        {"space": archived.slug, "date": DAY, "start_time": "14:00", "end_time": "15:00"},
    )
    assert quote.status_code == 400


def test_the_api_availability_and_free_spaces_leave_it_out(place, kept, archived):
    client = Client()
    slots = client.get(
        f"{API}/availability",
        {"place": place.slug, "space": archived.slug, "date": DAY, "duration": 60},
    )
    assert slots.status_code == 200
    assert slots.json()["slots"] == []
    open_slots = client.get(
        f"{API}/availability",
        {"place": place.slug, "space": kept.slug, "date": DAY, "duration": 60},
    )
    assert open_slots.json()["slots"]
    free = client.get(
        f"{API}/free-spaces", {"place": place.slug, "date": DAY, "start": "14:00", "end": "15:00"}
    )
    assert [s["slug"] for s in free.json()] == ["salle-jaune"]


def test_its_bookings_stay_in_my_bookings(client, archived, member):
    client.force_login(member)
    page = client.get(reverse("bookings:mine"))
    assert page.status_code == 200
    assert "Salle Rouge" in page.content.decode()


def test_restored_it_is_offered_again(client, place, archived, coordinator, member):
    place_services.restore_space(actor=coordinator, space=archived)
    client.force_login(member)
    page = client.get(reverse("bookings:calendar", args=[place.slug]), {"date": DAY})
    assert "Salle Rouge" in page.content.decode()


def test_the_service_refuses_a_booking_in_an_archived_space_and_writes_nothing(
    archived, coordinator, member
):
    from django.core.exceptions import ValidationError

    from tierslieux.bookings import services

    before = Booking.objects.count()
    for actor, person in [(member, None), (coordinator, member.person)]:
        with pytest.raises(ValidationError) as refused:
            services.create_booking(
                actor=actor, space=archived, person=person, start=at(DAY, 14), end=at(DAY, 15)
            )
        assert refused.value.code == "archived"
    assert Booking.objects.count() == before


def test_an_archived_space_is_never_proposed_as_an_alternative(place, kept, archived, member):
    from tierslieux.bookings import checks, services

    services.create_booking(actor=member, space=kept, start=at(DAY, 14), end=at(DAY, 15))
    ctx = checks.context_for(member, kept)
    assert archived not in checks.similar_free_spaces(ctx, at(DAY, 14), at(DAY, 15), 1)
