"""An event's seats fit its rooms, and the slot a session holds changes only from the event:
the desk and the API refuse to move or cancel it, pointing to the event."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tierslieux.bookings import services as bookings
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)
    with translation.override("en"):
        yield


def test_a_session_in_a_room_too_small_for_the_seats_is_refused(coordinator, place):
    small = bf.room(place, name="Bureau", capacity=4)
    event = ef.event(place, capacity=10)
    with pytest.raises(ValidationError) as caught:
        services.add_session(
            actor=coordinator,
            event=event,
            space=small,
            start=at("2027-03-03", 14),
            end=at("2027-03-03", 16),
        )
    assert caught.value.code == "space_capacity"
    assert "Bureau holds 4 people" in caught.value.messages[0]
    assert not event.sessions.exists()


def test_more_seats_than_the_rooms_to_come_hold_is_refused(coordinator, place):
    room = bf.room(place, name="Salle", capacity=8)
    event = ef.event(place, capacity=8)
    services.add_session(
        actor=coordinator,
        event=event,
        space=room,
        start=at("2027-03-03", 14),
        end=at("2027-03-03", 16),
    )
    with pytest.raises(ValidationError) as caught:
        services.update_event(actor=coordinator, event=event, capacity=9)
    assert caught.value.code == "capacity"
    event.refresh_from_db()
    assert event.capacity == 8


def test_the_desk_cannot_move_or_cancel_a_sessions_slot(coordinator, place, client):
    room = bf.room(place, name="Salle", capacity=12)
    event = ef.event(place, capacity=12)
    session = ef.session(coordinator, event, room, at("2027-03-03", 14), at("2027-03-03", 16))
    booking = session.booking
    with pytest.raises(ValidationError) as caught:
        bookings.cancel_booking(actor=coordinator, booking=booking)
    assert caught.value.code == "held"
    with pytest.raises(ValidationError) as caught:
        bookings.move_booking(
            actor=coordinator, booking=booking, start=at("2027-03-04", 14), end=at("2027-03-04", 16)
        )
    assert caught.value.code == "held"
    client.force_login(coordinator)
    page = client.get(f"/manage/{place.slug}/bookings/{booking.pk}/").content.decode()
    assert f"/manage/{place.slug}/events/{event.pk}/" in page
    assert f"/manage/{place.slug}/bookings/{booking.pk}/cancel/" not in page
    # The event itself still moves it.
    services.move_session(
        actor=coordinator, session=session, start=at("2027-03-04", 14), end=at("2027-03-04", 16)
    )
    booking.refresh_from_db()
    assert booking.start == at("2027-03-04", 14)


def test_the_periodic_job_never_releases_a_sessions_slot(coordinator, place, clock):
    room = bf.room(place, name="Salle", capacity=12)
    bf.rules(room, auto_release_minutes=20)
    event = ef.event(place, capacity=12)
    session = ef.session(coordinator, event, room, at("2027-03-03", 14), at("2027-03-03", 16))
    clock.set(at("2027-03-03", 15))  # nobody checked the session's booking in
    bookings.tick()
    session.booking.refresh_from_db()
    assert session.booking.status == session.booking.Status.CONFIRMED
