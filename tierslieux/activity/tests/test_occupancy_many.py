"""Occupancy of many places at once, where places opening alike share their windows and the
statement reads each group's pieces once: every place's figures must equal those computed
for it alone, in plain Python, from `availability.opening_windows` and the bookings clipped
piece by piece (February to May 2026: summer time on 29 March, Easter Monday 6 April, an
exception, Belgium, La Réunion, bookings across the period's edges and a month end).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierslieux.activity import periods, queries
from tierslieux.bookings import availability
from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import Booking
from tierslieux.places.models import OpeningException, OpeningHours, Place, Space
from tierslieux.places.tests import factories as pf

LAST, COUNT = date(2026, 5, 1), 4
WEEK = [(d, time(9), time(17)) for d in range(5)] + [(6, time(0), time(6))]
# (day, hour, day, hour, units, status) in the place's own time zone.
BOOKINGS = [
    ("2026-03-09", 10, "2026-03-09", 12, 1, "confirmed"),  # inside a window
    ("2026-03-10", 16, "2026-03-10", 18, 1, "done"),  # across the closing time
    ("2026-03-29", 1, "2026-03-29", 4, 1, "confirmed"),  # the summer-time night
    ("2026-04-06", 10, "2026-04-06", 12, 1, "confirmed"),  # Easter Monday
    ("2026-03-31", 10, "2026-03-31", 12, 1, "confirmed"),  # in the exception's closure
    ("2026-01-31", 16, "2026-02-02", 10, 1, "confirmed"),  # from before the period
    ("2026-05-29", 16, "2026-06-01", 10, 1, "confirmed"),  # past the period's end
    ("2026-03-31", 16, "2026-04-01", 10, 1, "confirmed"),  # across a month end
    ("2026-04-14", 10, "2026-04-14", 12, 1, "cancelled"),  # not counted
]


def _place(name: str, hours=WEEK, **fields) -> Place:
    place = pf.place(name=name, **fields)
    OpeningHours.objects.bulk_create(
        OpeningHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in hours
    )
    room = pf.space(place, name="Salle", slug="salle")
    desks = pf.space(place, name="Plateau", slug="plateau", kind=Space.Kind.COWORKING, units=4)
    tz = ZoneInfo(place.timezone)
    for n, (day, hour, end_day, end_hour, units, status) in enumerate(BOOKINGS):
        start = datetime.combine(date.fromisoformat(day), time(hour), tz)
        end = datetime.combine(date.fromisoformat(end_day), time(end_hour), tz)
        space = desks if n % 3 == 2 else room
        Booking.objects.create(
            place=place, space=space, start=start, end=end, units=units + n % 2, status=status
        )
    return place


@pytest.fixture
def places(db):
    found = [
        _place("Paris"),
        _place("Jumeau", hours=list(reversed(WEEK))),
        _place("Fermeture"),
        _place("Bruxelles", country="BE", postcode="1000", commune="Bruxelles"),
        _place("Saint-Denis", timezone="Indian/Reunion", postcode="97400"),
        _place("Sans horaires", hours=[]),
    ]
    OpeningException.objects.create(
        place=found[2], start_date=date(2026, 3, 30), end_date=date(2026, 4, 3), closed=True
    )
    return found


def _by_hand(place: Place) -> tuple[list[float], dict[str, list[float]]]:
    """Open seconds per month, and booked unit-seconds per space and month, for this place
    alone: its windows, cut at its month ends, each blocking booking clipped to each piece."""
    tz = ZoneInfo(place.timezone)
    months = periods.months_ending(LAST, COUNT, tz)
    first, last = months[0].first - timedelta(days=2), LAST + timedelta(days=40)
    windows = availability.opening_windows(
        first,
        last,
        tz,
        OpeningHours.objects.filter(place=place).values_list("weekday", "opens", "closes"),
        OpeningException.objects.filter(place=place).values_list(
            "start_date", "end_date", "closed", "opens", "closes"
        ),
        set(holidays_between(first, last)) if place.country == "FR" else set(),
    )
    pieces = periods.cut_by_month(((w.start, w.end) for w in windows), months)
    booked: dict[str, list[float]] = {}
    for space in Space.objects.filter(place=place):
        totals = [0.0] * COUNT
        for booking in Booking.objects.filter(space=space, status__in=Booking.BLOCKING):
            for n, start, end in pieces:
                overlap = min(booking.end, end) - max(booking.start, start)
                if overlap > timedelta(0):
                    totals[n] += overlap.total_seconds() * booking.units
        booked[space.slug] = totals
    return periods.open_seconds(pieces, COUNT), booked


def test_many_places_as_each_alone(places):
    together = queries.occupancy(places, LAST, COUNT)
    for place in places:
        alone = queries.occupancy([place], LAST, COUNT)[place.pk]
        open_seconds, booked = _by_hand(place)
        figures = together[place.pk]
        assert figures.open_seconds == alone.open_seconds == open_seconds, place.name
        for space in figures.spaces:
            assert space.booked == booked[space.space.slug], (place.name, space.space.slug)
            assert space.available == [s * space.space.units for s in open_seconds]
        assert [s.booked for s in figures.spaces] == [s.booked for s in alone.spaces]
        assert figures.shares == alone.shares


def test_the_tricky_bookings_count_as_by_hand(places):
    """A few figures written out, so that the reference itself is held (Paris, Brussels)."""
    paris, belgian = places[0], places[3]
    figures = queries.occupancy([paris, belgian], LAST, COUNT)

    def booked(place: Place, slug: str) -> list[float]:
        return next(s.booked for s in figures[place.pk].spaces if s.space.slug == slug)

    h = 3600.0
    # Room, March: 2 h (9th) + 1 h × 2 units (10th, closing at 17:00) + 2 h (31st, 10–12)
    # + 1 h × 2 units (31st from 16:00); April: 1 h × 2 units on the 1st, Easter Monday
    # closed; May: 1 h on Friday 29th + 6 h on Sunday 31st (1 June is past the period).
    assert booked(paris, "salle") == [0.0, 8 * h, 2 * h, 7 * h]
    assert booked(belgian, "salle")[2] == 2 * h + 2 * 2 * h  # Easter Monday open there
    # Desks: 6 h on Sunday 1 February + 1 h on Monday 2nd, 2 units (from 31 January); the
    # summer-time night, 01:00–04:00 on 29 March, is 2 h.
    assert booked(paris, "plateau")[:2] == [14 * h, 2 * h]
    assert figures[paris.pk].open_seconds[1] == (22 * 8 + 5 * 6 - 1) * h
