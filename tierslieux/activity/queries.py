"""The "Activité" figures from the database: booked time per (space, month) in one SQL
statement for any number of places, check-ins and footfall per month.

Booked time is clipped in SQL to the opening windows cut at month ends (computed in Python
once per place, `periods.cut_by_month`): the windows reach the statement as one parameter
(a JSON array on SQLite, arrays on PostgreSQL), so no query runs per space or per month.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q

from tierslieux.activity import periods
from tierslieux.activity.models import DailyCount
from tierslieux.bookings.models import Booking
from tierslieux.bookings.queries import windows_by_place
from tierslieux.places.models import Place, Space

BLOCKING = [str(status) for status in Booking.BLOCKING]


@dataclass
class SpaceMonths:
    """One space's booked and available unit-seconds per month, and their share."""

    space: Space
    booked: list[float]
    available: list[float]

    @property
    def shares(self) -> list[Decimal | None]:
        return [periods.share(b, a) for b, a in zip(self.booked, self.available, strict=True)]


@dataclass
class PlaceMonths:
    """A place's figures over consecutive months (oldest first)."""

    place: Place
    months: list[periods.Month]
    open_seconds: list[float]
    spaces: list[SpaceMonths] = field(default_factory=list)

    @property
    def shares(self) -> list[Decimal | None]:
        """The place's occupancy: all its booked unit-hours over all its available ones."""
        return [
            periods.share(
                sum(s.booked[n] for s in self.spaces), sum(s.available[n] for s in self.spaces)
            )
            for n in range(len(self.months))
        ]


def _windows(places: Sequence[Place], last: date, count: int) -> dict[int, tuple]:
    """Per place: its months, and its opening windows cut at month ends."""
    months = {p.pk: periods.months_ending(last, count, ZoneInfo(p.timezone)) for p in places}
    start = min(m[0].start for m in months.values())
    end = max(m[-1].end for m in months.values())
    windows = windows_by_place(Place.objects.filter(pk__in=months), start, end)
    return {
        pk: (m, periods.cut_by_month(((w.start, w.end) for w in windows[pk]), m))
        for pk, m in months.items()
    }


def occupancy(places: Sequence[Place], last: date, count: int = 12) -> dict[int, PlaceMonths]:
    """Occupancy of every space of `places` for `count` months up to `last`'s month.

    Booked: unit-seconds of blocking bookings (a machine blocked by its room's booking has
    its own blocking row, so it counts), clipped to the opening windows and to the month.
    Available: open seconds × the space's units. Spaces: the bookable ones not archived,
    and any other space booked in the period.
    """
    if not places:
        return {}
    cut = _windows(places, last, count)
    booked = _booked_seconds({pk: pieces for pk, (_m, pieces) in cut.items()})
    ids = {space_id for space_id, _n in booked}
    spaces = (
        Space.objects.filter(place__in=[p.pk for p in places])
        .filter(Q(bookable=True, archived_at__isnull=True) | Q(pk__in=ids))
        .order_by("place", "name")
    )
    result = {
        p.pk: PlaceMonths(p, cut[p.pk][0], periods.open_seconds(cut[p.pk][1], count))
        for p in places
    }
    for space in spaces:
        figures = result[space.place_id]
        figures.spaces.append(
            SpaceMonths(
                space,
                [booked.get((space.pk, n), 0.0) for n in range(count)],
                [seconds * space.units for seconds in figures.open_seconds],
            )
        )
    return result


def _max_duration(place_ids: list[int], start: datetime, end: datetime) -> timedelta:
    """The longest blocking booking touching the period: how far before a window a booking
    overlapping it may start (bounds the index range the main statement reads)."""
    quote = connection.ops.quote_name
    table = quote(Booking._meta.db_table)
    where = f"place_id IN ({','.join(['%s'] * len(place_ids))}) AND status IN (%s, %s)"
    if connection.vendor == "postgresql":
        sql = f'SELECT MAX(EXTRACT(EPOCH FROM ("end" - start))) FROM {table} WHERE {where}'
    else:
        sql = f'SELECT MAX(julianday("end") - julianday(start)) * 86400 FROM {table} WHERE {where}'
    sql += ' AND start < %s AND "end" > %s'
    params = [*place_ids, *BLOCKING, *_dt([end, start])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        seconds = cursor.fetchone()[0]
    return timedelta(seconds=math.ceil(seconds or 0))


def _dt(values: list[datetime]) -> list[object]:
    """Datetimes as the backend stores them (SQLite: naive UTC text)."""
    return [connection.ops.adapt_datetimefield_value(v) for v in values]


def _booked_seconds(
    pieces: dict[int, list[tuple[int, datetime, datetime]]],
) -> dict[tuple[int, int], float]:
    """{(space id, month index): booked unit-seconds} in one statement over all places."""
    rows = [(pk, n, s, e) for pk, items in pieces.items() for n, s, e in items]
    if not rows:
        return {}
    start = min(r[2] for r in rows)
    end = max(r[3] for r in rows)
    reach = _max_duration(sorted(pieces), start, end)
    quote = connection.ops.quote_name
    table = quote(Booking._meta.db_table)
    if connection.vendor == "postgresql":
        source = (
            "SELECT * FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[], "
            "%s::timestamptz[], %s::timestamptz[]) AS w(place_id, month, lo, ws, we)"
        )
        params: list[object] = [
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] - reach for r in rows],
            [r[2] for r in rows],
            [r[3] for r in rows],
        ]
        overlap = 'EXTRACT(EPOCH FROM (LEAST(b."end", w.we) - GREATEST(b.start, w.ws)))'
    else:
        source = (
            "SELECT json_extract(value, '$[0]') AS place_id, json_extract(value, '$[1]') AS month,"
            " json_extract(value, '$[2]') AS lo, json_extract(value, '$[3]') AS ws,"
            " json_extract(value, '$[4]') AS we FROM json_each(%s)"
        )
        params = [
            json.dumps([[r[0], r[1], *_dt([r[2] - reach, r[2], r[3]])] for r in rows], default=str)
        ]
        # julianday() is a float of days: rounded to the millisecond, an hour is 3600 again.
        overlap = (
            'ROUND((julianday(MIN(b."end", w.we)) - julianday(MAX(b.start, w.ws))) * 86400, 3)'
        )
    sql = (
        f"WITH w AS ({source}) "
        f"SELECT b.space_id, w.month, SUM({overlap} * b.units) FROM w "
        f"JOIN {table} b ON b.place_id = w.place_id AND b.start >= w.lo AND b.start < w.we "
        f'AND b."end" > w.ws WHERE b.status IN (%s, %s) GROUP BY b.space_id, w.month'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *BLOCKING])
        rows_out = cursor.fetchall()
    return {(space, int(month)): round(float(total), 3) for space, month, total in rows_out}


def checkins(place: Place, months: Sequence[periods.Month]) -> list[int]:
    """Visits by booking: bookings checked in, per month of the check-in (the blocking rows
    a room's booking adds to its machines are not visits)."""
    counts = [0] * len(months)
    stamps = Booking.objects.filter(
        place=place,
        blocked_by__isnull=True,
        checked_in_at__gte=months[0].start,
        checked_in_at__lt=months[-1].end,
    ).values_list("checked_in_at", flat=True)
    for stamp in stamps:
        for n, month in enumerate(months):
            if month.start <= stamp.astimezone(UTC) < month.end:
                counts[n] += 1
                break
    return counts


def footfall(place: Place, months: Sequence[periods.Month]) -> tuple[list[int], list[int]]:
    """Per month: the people counted (sum of the daily counts) and the days counted."""
    firsts = [m.first for m in months]
    totals, days = [0] * len(months), [0] * len(months)
    rows = (
        DailyCount.objects.filter(
            place=place, day__gte=firsts[0], day__lt=periods.add_months(firsts[-1], 1)
        )
        .values_list("day", "count")
        .order_by()
    )
    index = {(d.year, d.month): n for n, d in enumerate(firsts)}
    for day, count in rows:
        n = index[(day.year, day.month)]
        totals[n] += count
        days[n] += 1
    return totals, days
