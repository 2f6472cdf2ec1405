"""The grace period after booking (a place setting, 15 minutes unless the place says
otherwise): within it the booker may always cancel free of charge, credits given back, even
past the space's deadline; one second later, only the team may. `free_cancellation_until`
is the one deadline the service, the pages and the booking form use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.bookings import checks, services
from tierslieux.bookings.models import Booking, BookingSettings
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.members.models import CreditEntry
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as mf

BOOKED_AT = at("2026-12-01", 19, 27)  # the evening before
TOMORROW_9 = at("2026-12-02", 9)


@pytest.fixture
def place(place):
    return bf.open_every_day(place)


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaune", slug="salle-jaune")
    bf.rules(space, cancellation_deadline_hours=24)  # passed already when booked the evening before
    mf.room_rate(space, "non_member", "hour", "40.00")
    mf.room_rate(space, "member", "hour", "30.00")
    return space


@pytest.fixture
def member(member, place):
    credits.add_purchase(person=member.person, place=place, wallet="room_hours", quantity="2")
    return member


def book(clock, member, room):
    clock.set(BOOKED_AT)
    return services.create_booking(
        actor=member, space=room, start=TOMORROW_9, end=TOMORROW_9 + timedelta(hours=1)
    )


def test_within_the_grace_period_the_booker_cancels_and_gets_the_credits_back(clock, member, room):
    booking = book(clock, member, room)
    assert booking.credits_used == Decimal("1")
    assert checks.free_cancellation_until(booking) == BOOKED_AT + timedelta(minutes=15)
    clock.advance(timedelta(minutes=15))  # the last instant of the grace period
    services.cancel_booking(actor=member, booking=booking)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert CreditEntry.objects.filter(reason=CreditEntry.Reason.REFUND).count() == 1


def test_one_second_after_the_grace_period_only_the_team_may(clock, member, coordinator, room):
    booking = book(clock, member, room)
    clock.advance(timedelta(minutes=15, seconds=1))
    with pytest.raises(ValidationError) as refused:
        services.cancel_booking(actor=member, booking=booking)
    assert refused.value.code == "deadline"
    # Late: the team decides whether the credits come back (kept here).
    services.cancel_booking(actor=coordinator, booking=booking, refund=False)
    assert not CreditEntry.objects.filter(reason=CreditEntry.Reason.REFUND).exists()


def test_the_place_sets_its_grace_period(clock, place, member, coordinator, room):
    services.save_booking_settings(actor=coordinator, place=place, grace_minutes=0)
    booking = book(clock, member, room)
    assert checks.free_cancellation_until(booking) == BOOKED_AT  # no grace: the booking's instant
    clock.advance(timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.cancel_booking(actor=member, booking=booking)
    services.save_booking_settings(actor=coordinator, place=place, grace_minutes=30)
    fresh = Booking.objects.select_related("place", "space").get(pk=booking.pk)
    assert checks.free_cancellation_until(fresh) == BOOKED_AT + timedelta(minutes=30)
    clock.advance(timedelta(minutes=29))
    services.cancel_booking(actor=member, booking=booking)


def test_a_deadline_later_than_the_grace_period_stays_the_deadline(clock, member, room):
    clock.set(BOOKED_AT)
    start = TOMORROW_9 + timedelta(days=3)
    booking = services.create_booking(
        actor=member, space=room, start=start, end=start + timedelta(hours=1)
    )
    booking = Booking.objects.select_related("place", "space__booking_rules").get(pk=booking.pk)
    with CaptureQueriesContext(connection) as queries:  # no grace can reach past it: not read
        until = checks.free_cancellation_until(booking)
    assert until == start - timedelta(hours=24) and len(queries) == 0
    clock.set(until)
    services.cancel_booking(actor=member, booking=booking)


def test_the_grace_period_ends_at_the_start_at_the_latest(clock, member, room):
    clock.set(TOMORROW_9 - timedelta(minutes=5))  # booked five minutes before it starts
    booking = services.create_booking(
        actor=member, space=room, start=TOMORROW_9, end=TOMORROW_9 + timedelta(hours=1)
    )
    assert checks.free_cancellation_until(booking) == TOMORROW_9
    clock.set(TOMORROW_9 + timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        services.cancel_booking(actor=member, booking=booking)
    assert refused.value.code == "deadline"


def test_the_grace_period_is_bounded(place, coordinator):
    for minutes in (-1, 121):
        with pytest.raises(ValidationError) as refused:
            services.save_booking_settings(actor=coordinator, place=place, grace_minutes=minutes)
        assert "grace_minutes" in refused.value.message_dict
    assert not BookingSettings.objects.exists()


def test_only_the_coordinators_set_it(place, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_booking_settings(actor=staff, place=place, grace_minutes=5)
