"""Renaming an event renames the bookings of its sessions still to come: the calendar says
what happens in the room; the past keeps the name it had."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.events import services
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


def test_renaming_an_event_renames_its_sessions_to_come_not_the_past(clock, place, coordinator):
    room = bf.room(place, name="Salle Jaune", capacity=30)
    event = ef.event(place, title="Atelier couture")
    past = ef.session(coordinator, event, room, at("2027-03-01", 9), at("2027-03-01", 10))
    ahead = ef.session(coordinator, event, room, at("2027-03-03", 14), at("2027-03-03", 16))
    clock.advance(timedelta(hours=4))  # the first session is over
    services.update_event(actor=coordinator, event=event, title="Atelier couture et réparation")
    past.booking.refresh_from_db()
    ahead.booking.refresh_from_db()
    assert past.booking.title == "Atelier couture"
    assert ahead.booking.title == "Atelier couture et réparation"
    assert AuditEntry.objects.filter(action="booking.retitle", object_id=ahead.booking.pk).exists()


def test_a_member_cannot_rename_a_booking(place, coordinator, member):
    from django.core.exceptions import PermissionDenied

    from tierslieux.bookings import services as bookings

    room = bf.room(place, name="Salle Verte", capacity=30)
    event = ef.event(place, title="Ciné-club")
    session = ef.session(coordinator, event, room, at("2027-03-04", 18), at("2027-03-04", 20))
    with pytest.raises(PermissionDenied):
        bookings.retitle_booking(actor=member, booking=session.booking, title="Piraté")
    session.booking.refresh_from_db()
    assert session.booking.title == "Ciné-club"
