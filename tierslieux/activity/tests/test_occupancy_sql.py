"""Occupancy's two ways of counting a booking, pinned on a place open every day 08:00–20:00
(Paris, October and November 2026; 1 November is a public holiday, closed).

The statement counts a booking that lies inside one window piece whole; the others (across
a month end, from before the period, across an opening time, over several days, or in
closed hours) come back apart and are clipped to the pieces they meet. Both must give the
hours computed by hand, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.activity import queries
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import OpeningHours
from tierslieux.places.tests import factories as pf

HOUR = 3600


@pytest.fixture
def quai(db):
    place = pf.place(name="Le Quai")
    OpeningHours.objects.bulk_create(
        OpeningHours(place=place, weekday=d, opens=time(8), closes=time(20)) for d in range(7)
    )
    mixed = pf.space(place, name="Salle", slug="salle")
    settled = pf.space(place, name="Cave", slug="cave")

    def book(space, start, end):
        Booking.objects.create(
            place=place, space=space, start=start, end=end, units=1, status="confirmed"
        )

    return place, mixed, settled, book


def _booked(place):
    figures = queries.occupancy([place], date(2026, 11, 1), 2)[place.pk]
    return {s.space.slug: s.booked for s in figures.spaces}


def test_settled_and_clipped_bookings_by_hand(quai):
    place, mixed, settled, book = quai
    book(mixed, at("2026-10-31", 19), at("2026-11-02", 9))  # across the month end: 1 h + 1 h
    book(mixed, at("2026-10-10", 10), at("2026-10-10", 12))  # inside a window: 2 h
    book(mixed, at("2026-10-12", 7), at("2026-10-12", 9))  # before opening: 1 h
    book(mixed, at("2026-10-14", 21), at("2026-10-14", 23))  # closed hours: 0 h
    book(mixed, at("2026-10-20", 19), at("2026-10-22", 9))  # three days: 1 h + 12 h + 1 h
    book(mixed, at("2026-09-30", 19), at("2026-10-01", 9))  # from September: 1 h in October
    book(settled, at("2026-10-05", 10), at("2026-10-05", 12))  # 2 h
    book(settled, at("2026-11-03", 10, 30), at("2026-11-03", 11, 30))  # 1 h
    booked = _booked(place)
    assert booked["salle"] == [19 * HOUR, 1 * HOUR]
    assert booked["cave"] == [2 * HOUR, 1 * HOUR]


def test_fractions_of_a_second_count(quai):
    """Exact to the millisecond, whichever way a booking is counted."""
    place, mixed, settled, book = quai
    book(settled, at("2026-10-05", 10).replace(microsecond=250_000), at("2026-10-05", 11))
    book(mixed, at("2026-10-06", 7), at("2026-10-06", 9).replace(microsecond=500_000))
    booked = _booked(place)
    assert booked["cave"][0] == HOUR - 0.25
    assert booked["salle"][0] == HOUR + 0.5


def test_statements_do_not_depend_on_clipping(quai):
    """The bookings that need clipping cost no statement per space or per booking."""
    place, mixed, settled, book = quai
    book(settled, at("2026-10-05", 10), at("2026-10-05", 12))
    with CaptureQueriesContext(connection) as settled_only:
        _booked(place)
    for day in range(1, 20):
        book(mixed, at(f"2026-10-{day:02}", 7), at(f"2026-10-{day:02}", 9))  # 1 h each
    with CaptureQueriesContext(connection) as clipped:
        booked = _booked(place)
    assert booked["salle"][0] == 19 * HOUR
    assert len(settled_only) <= len(clipped) <= len(settled_only) + 1 <= 10
