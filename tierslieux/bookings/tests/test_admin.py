"""The Django admin shows bookings and series but never adds, changes nor deletes them: only
the bookings services write them (conflicts, prices, credits, the audit log)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tierslieux.bookings.models import Booking, Series
from tierslieux.bookings.tests.factories import at, room, rules
from tierslieux.places.tests import factories as pf


@pytest.fixture
def superuser():
    user = pf.user()
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def booking(place, member):
    space = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(space)
    return Booking.objects.create(
        place=place,
        space=space,
        person=member.person,
        start=at("2027-01-13", 10),
        end=at("2027-01-13", 11),
        status=Booking.Status.CONFIRMED,
        title="Atelier",
    )


@pytest.mark.parametrize("model", [Booking, Series])
def test_bookings_and_series_are_shown_but_never_added_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    name = f"admin:bookings_{model._meta.model_name}"
    assert client.get(reverse(f"{name}_changelist")).status_code == 200
    assert client.get(reverse(f"{name}_add")).status_code == 403


def test_a_booking_is_read_only_and_not_deletable_in_the_admin(client, superuser, booking):
    client.force_login(superuser)
    change = reverse("admin:bookings_booking_change", args=[booking.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, {"title": "Changé", "status": "cancelled"}).status_code == 403
    delete = reverse("admin:bookings_booking_delete", args=[booking.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:bookings_booking_changelist"),
        {"action": "delete_selected", "_selected_action": [booking.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    booking.refresh_from_db()
    assert (booking.title, booking.status) == ("Atelier", Booking.Status.CONFIRMED)
