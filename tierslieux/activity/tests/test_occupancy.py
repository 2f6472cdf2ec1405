"""Occupancy on a fixture computed by hand (March 2026, Paris).

Opening: Monday to Friday 09:00–17:00 (8 h), Sunday 00:00–06:00 (6 h), Saturday closed;
closed on Monday 2 and Tuesday 3 March (an exception). March 2026 starts on a Sunday:
20 weekdays open × 8 h = 160 h; 5 Sundays × 6 h = 30 h, but Sunday 29 March loses an hour
to summer time (02:00 → 03:00): 29 h. Open in March: 189 h.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.activity import queries
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import OpeningException, OpeningHours, Space
from tierslieux.places.tests import factories as pf

OPEN_MARCH = 189 * 3600


@pytest.fixture
def fixture(db):
    place = pf.place(name="Le Hangar")
    hours = [(d, time(9), time(17)) for d in range(5)] + [(6, time(0), time(6))]
    OpeningHours.objects.bulk_create(
        OpeningHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in hours
    )
    OpeningException.objects.create(
        place=place, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3), closed=True
    )
    room = pf.space(place, name="Salle", slug="salle")
    machine = pf.space(place, name="Laser", slug="laser", kind=Space.Kind.MACHINE, inside=room)
    desks = pf.space(place, name="Plateau", slug="plateau", kind=Space.Kind.COWORKING, units=4)

    def book(space, start, end, status="confirmed", units=1, **fields):
        return Booking.objects.create(
            place=place, space=space, start=start, end=end, units=units, status=status, **fields
        )

    held = book(room, at("2026-03-09", 10), at("2026-03-09", 12))  # 2 h
    book(machine, held.start, held.end, blocked_by=held)  # the machine, blocked: 2 h
    book(room, at("2026-03-29", 1), at("2026-03-29", 4), "done")  # DST night: 2 h elapsed
    book(room, at("2026-03-10", 10), at("2026-03-10", 12), "cancelled")  # not counted
    book(room, at("2026-03-12", 10), at("2026-03-12", 12), "requested")  # not counted
    book(room, at("2026-03-13", 10), at("2026-03-13", 12), "no_show")  # not counted
    book(room, at("2026-03-02", 10), at("2026-03-02", 12))  # a closed day: 0 h
    book(room, at("2026-03-11", 7), at("2026-03-11", 10))  # before opening: 1 h
    book(room, at("2026-03-31", 16), at("2026-04-01", 10))  # 1 h in March, 1 h in April
    book(desks, at("2026-03-09", 9), at("2026-03-09", 17), units=3)  # 24 unit-hours
    book(desks, at("2026-03-16", 9), at("2026-03-16", 13))  # 4 unit-hours
    book(desks, at("2026-02-28", 10), at("2026-02-28", 12))  # February, a Saturday
    return place, room, machine, desks


def test_occupancy_by_hand(fixture):
    place = fixture[0]
    figures = queries.occupancy([place], date(2026, 4, 1), 2)[place.pk]
    assert [m.first for m in figures.months] == [date(2026, 3, 1), date(2026, 4, 1)]
    assert figures.open_seconds[0] == OPEN_MARCH
    by_space = {s.space.slug: s for s in figures.spaces}
    assert by_space["salle"].booked[0] == 6 * 3600
    assert by_space["salle"].booked[1] == 1 * 3600
    assert by_space["laser"].booked[0] == 2 * 3600
    assert by_space["plateau"].booked[0] == 28 * 3600
    assert by_space["plateau"].available[0] == 4 * OPEN_MARCH
    # 6/189, 2/189, 28/756; the place 36/1134.
    assert [by_space[s].shares[0] for s in ("salle", "laser", "plateau")] == [
        Decimal("3.2"),
        Decimal("1.1"),
        Decimal("3.7"),
    ]
    assert figures.shares[0] == Decimal("3.2")


def test_several_places_in_one_statement(fixture):
    """The statements do not grow with places, spaces or months (no query per space)."""
    place = fixture[0]
    other = pf.place(name="Fermé")  # no opening hours: nothing available, no share
    for n in range(5):
        pf.space(other, name=f"Salle {n}", slug=f"salle-{n}")
    with CaptureQueriesContext(connection) as one:
        queries.occupancy([place], date(2026, 4, 1), 2)
    with CaptureQueriesContext(connection) as both:
        figures = queries.occupancy([place, other], date(2026, 4, 1), 12)
    assert len(both) == len(one) <= 10
    assert figures[other.pk].shares == [None] * 12
    assert figures[place.pk].shares[-2] == Decimal("3.2")


def test_archived_space_counts_only_when_booked(fixture):
    place = fixture[0]
    pf.space(place, name="Ancienne", slug="ancienne", archived_at=at("2026-01-01", 9))
    figures = queries.occupancy([place], date(2026, 3, 1), 1)[place.pk]
    assert {s.space.slug for s in figures.spaces} == {"salle", "laser", "plateau"}
