"""The "Activité" figures from the database: booked time per (space, month) in one SQL
statement for any number of places, check-ins and footfall per month.

Booked time is clipped in SQL to the opening windows cut at month ends and at UTC
midnights (computed in Python once per place, `periods.cut_by_month`), so no query runs per
space or per month. The pieces reach PostgreSQL as arrays (one statement); SQLite, whose
planner cannot index a table-valued parameter, gets them in a connection-private temporary
table. Each booking meets only the pieces of its own UTC days: an equality join.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
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


def _dt(values: list[datetime]) -> list[Any]:
    """Datetimes as the backend stores them (SQLite: naive UTC text)."""
    return [connection.ops.adapt_datetimefield_value(v) for v in values]


def _by_utc_day(
    pieces: dict[int, list[tuple[int, datetime, datetime]]],
) -> list[tuple[int, date, int, datetime, datetime]]:
    """The window pieces cut again at UTC midnights: (place, UTC day, month, start, end), so
    that a booking finds its windows by equality on (place, day) instead of a range."""
    rows = []
    for place_id, items in pieces.items():
        for month, start, end in items:
            start, end = start.astimezone(UTC), end.astimezone(UTC)
            while start < end:
                midnight = datetime.combine(start.date() + timedelta(days=1), time(), UTC)
                rows.append((place_id, start.date(), month, start, min(end, midnight)))
                start = midnight
    return rows


def _booked_seconds(
    pieces: dict[int, list[tuple[int, datetime, datetime]]],
) -> dict[tuple[int, int], float]:
    """{(space id, month index): booked unit-seconds} in one statement over all places.

    One pass over the blocking bookings that touch the period (the partial index on
    (space, end) of blocking bookings bounds it); each joins the window pieces of its own
    UTC days, and only the overlap counts."""
    rows = _by_utc_day(pieces)
    if not rows:
        return {}
    first, last = min(r[3] for r in rows), max(r[4] for r in rows)
    quote = connection.ops.quote_name
    table = quote(Booking._meta.db_table)
    spaces = quote(Space._meta.db_table)
    places = ",".join(str(int(pk)) for pk in sorted(pieces))  # ids: integers, never text
    # Written out, not as parameters: SQLite uses the partial index on blocking bookings
    # only when the query's own terms match its condition (Booking.BLOCKING, constants).
    statuses = ", ".join(f"'{status}'" for status in BLOCKING)
    if connection.vendor != "postgresql":
        return _booked_seconds_sqlite(rows, table, spaces, places, statuses, first, last)
    # Each booking once per UTC day it touches (the next days only for the few that cross
    # midnight UTC), then a hash join with the pieces on (place, day): equality on both
    # keys, never a range join.
    sql = (
        "WITH w AS (SELECT * FROM unnest(%s::bigint[], %s::date[], %s::int[], "
        "%s::timestamptz[], %s::timestamptz[]) AS w(place_id, day, month, ws, we)), "
        'booked AS MATERIALIZED (SELECT b.space_id, b.place_id, b.start, b."end", b.units, '
        "(b.start AT TIME ZONE 'UTC')::date AS first_day, "
        "(b.\"end\" AT TIME ZONE 'UTC')::date AS last_day "
        f"FROM {table} b WHERE b.status IN ({statuses}) "
        f"AND b.space_id IN (SELECT id FROM {spaces} WHERE place_id IN ({places})) "
        'AND b."end" > %s AND b.start < %s), '
        'bd AS (SELECT space_id, place_id, start, "end", units, first_day AS day FROM booked '
        'UNION ALL SELECT space_id, place_id, start, "end", units, d.day::date FROM booked '
        "CROSS JOIN LATERAL generate_series(first_day + 1, last_day, interval '1 day') AS d(day) "
        "WHERE last_day > first_day) "
        'SELECT b.space_id, w.month, SUM(EXTRACT(EPOCH FROM (LEAST(b."end", w.we) '
        "- GREATEST(b.start, w.ws))) * b.units) FROM bd b JOIN w ON w.place_id = b.place_id "
        'AND w.day = b.day AND w.ws < b."end" AND w.we > b.start '
        "GROUP BY b.space_id, w.month"
    )
    params: list[Any] = [list(column) for column in zip(*rows, strict=True)]
    with transaction.atomic(), connection.cursor() as cursor:
        # generate_series is estimated at 1,000 rows a booking: the inflated cost would
        # start JIT compilation, which alone costs more than the statement.
        cursor.execute("SET LOCAL jit = off")
        # The same estimate picks a merge join over two sorts spilled to disk: the pieces
        # (a few thousand rows) fit in a hash, and the grouping in memory.
        cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, [*params, *_dt([first, last])])
        found = cursor.fetchall()
    return {(space, int(month)): round(float(total), 3) for space, month, total in found}


PIECES = "activity_window_pieces"


def _booked_seconds_sqlite(
    rows: list[tuple[int, date, int, datetime, datetime]],
    table: str,
    spaces: str,
    places: str,
    statuses: str,
    first: datetime,
    last: datetime,
) -> dict[tuple[int, int], float]:
    """SQLite's planner cannot index a table-valued parameter: the pieces go to a
    connection-private temporary table (indexed on place and day, emptied afterwards), and
    CROSS JOIN keeps the bookings as the outer loop."""
    # julianday() is a float of days: rounded to the millisecond, an hour is 3600 again.
    overlap = 'ROUND((julianday(MIN(b."end", w.we)) - julianday(MAX(b.start, w.ws))) * 86400, 3)'
    sql = (
        f"SELECT b.space_id, w.month, SUM({overlap} * b.units) FROM {table} b "
        f"CROSS JOIN temp.{PIECES} w ON w.place_id = b.place_id "
        'AND w.day BETWEEN substr(b.start, 1, 10) AND substr(b."end", 1, 10) '
        'AND w.ws < b."end" AND w.we > b.start '
        f"WHERE b.status IN ({statuses}) "
        f"AND b.space_id IN (SELECT id FROM {spaces} WHERE place_id IN ({places})) "
        'AND b."end" > %s AND b.start < %s '
        "GROUP BY b.space_id, w.month"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {PIECES} "
            "(place_id INTEGER, day TEXT, month INTEGER, ws TEXT, we TEXT)"
        )
        cursor.execute(f"CREATE INDEX IF NOT EXISTS temp.{PIECES}_day ON {PIECES} (place_id, day)")
        try:
            cursor.executemany(
                f"INSERT INTO temp.{PIECES} VALUES (%s, %s, %s, %s, %s)",
                [(r[0], r[1].isoformat(), r[2], *_dt([r[3], r[4]])) for r in rows],
            )
            cursor.execute(sql, _dt([first, last]))
            found = cursor.fetchall()
        finally:
            cursor.execute(f"DELETE FROM temp.{PIECES}")
    return {(space, int(month)): round(float(total), 3) for space, month, total in found}


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
        if stamp is None:  # pragma: no cover - filtered out above
            continue
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
