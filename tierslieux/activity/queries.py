"""The "Activité" figures from the database: booked time per (space, month) in one SQL
statement for any number of places, check-ins and footfall per month.

Booked time counts within the opening windows cut at month ends (computed in Python once per
group of places opening alike, `periods.cut_by_month`), so no query runs per space or per
month. One pass over the covering index of blocking bookings sums the bookings that lie
inside one window piece, whole; the few others come back apart and are clipped here (see
`_booked_seconds`). The pieces reach PostgreSQL as arrays, once per group; SQLite, whose
planner cannot index a table-valued parameter, gets them in a connection-private temporary
table.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
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
    """Per place: its months, and its opening windows cut at month ends. Months depend on
    the time zone alone and `windows_by_place` shares one list between the places opening
    alike: the pieces are cut once per (time zone, windows) and shared too (read-only), so
    that `_booked_seconds` sends them to the database once per group of places."""
    zones = {p.timezone: periods.months_ending(last, count, ZoneInfo(p.timezone)) for p in places}
    start = min(m[0].start for m in zones.values())
    end = max(m[-1].end for m in zones.values())
    windows = windows_by_place(Place.objects.filter(pk__in=[p.pk for p in places]), start, end)
    cut: dict[tuple[str, int], list[tuple[int, datetime, datetime]]] = {}
    found = {}
    for place in places:
        shared, months = windows[place.pk], zones[place.timezone]
        key = (place.timezone, id(shared))  # `windows` holds every list: ids stay unique
        if key not in cut:
            cut[key] = periods.cut_by_month(((w.start, w.end) for w in shared), months)
        found[place.pk] = (months, cut[key])
    return found


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
    booked = _booked_seconds({pk: (m[0].start, pieces) for pk, (m, pieces) in cut.items()})
    ids = {space_id for space_id, _n in booked}
    spaces = (
        Space.objects.filter(place__in=[p.pk for p in places])
        .filter(Q(bookable=True, archived_at__isnull=True) | Q(pk__in=ids))
        .order_by("place", "name")
    )
    seconds: dict[int, list[float]] = {}  # per shared list of pieces
    for _months, items in cut.values():
        if id(items) not in seconds:
            seconds[id(items)] = periods.open_seconds(items, count)
    result = {
        p.pk: PlaceMonths(p, list(cut[p.pk][0]), list(seconds[id(cut[p.pk][1])])) for p in places
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


Pieces = dict[int, tuple[datetime, list[tuple[int, datetime, datetime]]]]
# A booking the fast sum cannot settle: (place id, start, end, units).
Unsettled = list[tuple[int, datetime, datetime, int]]
MICRO = timedelta(microseconds=1)
Shared = list[tuple[datetime, list[tuple[int, datetime, datetime]]]]  # (first, pieces) a group
Groups = tuple[dict[int, int], Shared]


def _groups(pieces: Pieces) -> Groups:
    """The places sharing their first month's start and their list of pieces (the same list
    object: `_windows` shares them) form one group: ({place id: group}, [(first, pieces)]).
    The pieces go to the database once per group, not once per place."""
    index: dict[tuple[datetime, int], int] = {}
    group_of: dict[int, int] = {}
    groups: Shared = []
    for place_id, (first, items) in pieces.items():
        key = (first, id(items))
        if key not in index:
            index[key] = len(groups)
            groups.append((first, items))
        group_of[place_id] = index[key]
    return group_of, groups


def _booked_seconds(pieces: Pieces) -> dict[tuple[int, int], float]:
    """{(space id, month index): booked unit-seconds} over all places, in one statement.
    `pieces`: per place, the start of its first month and its window pieces (sorted).

    A booking that lies inside one window piece counts its whole length: the statement
    sums those from the covering index of blocking bookings (`booking_blocking_cover`), with
    no clipping. It returns, apart, the few bookings it cannot settle so (across a closing
    time or a month end, outside the opening hours, from before the period...), and those
    are clipped here to every piece they meet. Figures exact to the millisecond (SQLite's
    julian days) or to the microsecond (PostgreSQL's intervals), as before."""
    if not any(items for _first, items in pieces.values()):
        return {}
    quote = connection.ops.quote_name
    names = {
        "table": quote(Booking._meta.db_table),
        "spaces": quote(Space._meta.db_table),
        # ids: integers, never text. Statuses written out, not as parameters: SQLite uses a
        # partial index only when the query's own terms match its condition (constants).
        "places": ",".join(str(int(pk)) for pk in sorted(pieces)),
        "statuses": ", ".join(f"'{status}'" for status in BLOCKING),
    }
    if connection.vendor == "postgresql":
        (micro, unsettled), step = _fast_postgresql(pieces, names), 1
    else:  # as SQLite's julian days: each overlap to the millisecond
        (micro, unsettled), step = _fast_sqlite(pieces, names), 1000
    for space, rows in unsettled.items():
        for (month, ws, we), bookings in _clip(rows, pieces).items():
            total = 0
            for start, end, units in bookings:
                overlap = (min(end, we) - max(start, ws)) // MICRO
                total += (overlap + step // 2) // step * step * units
            micro[(space, month)] = micro.get((space, month), 0) + total
    return {key: round(value / 1_000_000, 3) for key, value in micro.items()}


def _clip(
    rows: Unsettled, pieces: Pieces
) -> dict[tuple[int, datetime, datetime], list[tuple[datetime, datetime, int]]]:
    """The bookings meeting each window piece: {(month, start, end): [(start, end, units)]}."""
    met: dict[tuple[int, datetime, datetime], list[tuple[datetime, datetime, int]]] = {}
    starts: dict[int, list[datetime]] = {}
    for place_id, start, end, units in rows:
        items = pieces[place_id][1] if place_id in pieces else []
        if place_id not in starts:
            starts[place_id] = [item[1] for item in items]
        n = max(bisect_right(starts[place_id], start) - 1, 0)
        while n < len(items) and items[n][1] < end:
            if items[n][2] > start:
                met.setdefault(items[n], []).append((start, end, units))
            n += 1
    return met


def _fast_postgresql(
    pieces: Pieces, names: dict[str, str]
) -> tuple[dict[tuple[int, int], int], dict[int, Unsettled]]:
    """Each booking finds, by a hash on (group of its place, UTC day of its start), the
    window piece it starts in (pieces cut again at UTC midnights): settled when it ends in
    it too. Sums of intervals, exact. The unsettled ones, counted per space, are read by a
    second statement only when there are some."""
    group_of, groups = _groups(pieces)
    rows = _by_utc_day(groups)
    epoch = "TIMESTAMPTZ '1970-01-01 00:00:00+00'"
    joined = (
        f"WITH w AS (SELECT grp, DATE '1970-01-01' + day AS day, month, "
        f"{epoch} + ws * INTERVAL '1 microsecond' AS ws, "
        f"{epoch} + we * INTERVAL '1 microsecond' AS we "
        "FROM unnest(%s::int[], %s::int[], %s::int[], %s::bigint[], %s::bigint[]) "
        # Grouped (each piece is its own group): the bounds are computed once a piece, not
        # in the join filter of each booking, and the planner, which knows nothing of an
        # unnest's columns, then sees distinct keys and hashes the pieces, not the bookings.
        "AS w(grp, day, month, ws, we) GROUP BY 1, 2, 3, 4, 5), "
        "g AS (SELECT place_id, grp FROM unnest(%s::bigint[], %s::int[]) AS g(place_id, grp) "
        "GROUP BY 1, 2) SELECT {columns} "
        f"FROM {names['table']} b JOIN g ON g.place_id = b.place_id LEFT JOIN w "
        "ON w.grp = g.grp AND w.day = (b.start AT TIME ZONE 'UTC')::date "
        "AND b.start >= w.ws AND b.start < w.we "
        f"WHERE b.status IN ({names['statuses']}) AND b.space_id IN "
        f"(SELECT id FROM {names['spaces']} WHERE place_id IN ({names['places']})) "
        'AND b."end" > %s AND b.start < %s '
    )
    unsettled = '(w.we IS NULL OR b."end" > w.we)'
    sums = joined.format(
        columns='b.space_id, w.month, EXTRACT(EPOCH FROM SUM((b."end" - b.start) * b.units) '
        f'FILTER (WHERE b."end" <= w.we)) * 1000000, COUNT(*) FILTER (WHERE {unsettled})'
    )
    # Integers written as array literals: psycopg's list adapter checks each element.
    params: list[Any] = [
        "{" + ",".join(map(str, column)) + "}"
        for column in (*zip(*rows, strict=True), group_of.keys(), group_of.values())
    ]
    params += [EPOCH + min(r[3] for r in rows) * MICRO, EPOCH + max(r[4] for r in rows) * MICRO]
    micro: dict[tuple[int, int], int] = {}
    spaces: set[int] = set()
    with transaction.atomic(), connection.cursor() as cursor:
        # Planner settings for these statements alone (one statement for all of them): the
        # pieces (a few thousand rows) fit in a hash, the grouping in memory; JIT
        # compilation would cost more than the statement.
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('enable_mergejoin', 'off', true), "
            "set_config('work_mem', '64MB', true), set_config('enable_sort', 'off', true)"
        )
        cursor.execute(sums + "GROUP BY b.space_id, w.month", params)
        for space, month, total, count in cursor.fetchall():
            if month is not None and total is not None:
                micro[(space, int(month))] = int(total)
            if count:
                spaces.add(space)
        found: list[tuple] = []
        if spaces:
            ids = ",".join(str(int(pk)) for pk in sorted(spaces))
            columns = 'b.space_id, b.place_id, b.start, b."end", b.units'
            cursor.execute(
                joined.format(columns=columns) + f"AND b.space_id IN ({ids}) AND {unsettled}",
                params,
            )
            found = cursor.fetchall()
    unsettled_rows: dict[int, Unsettled] = {}
    for space, *booking in found:
        unsettled_rows.setdefault(space, []).append(tuple(booking))
    return micro, unsettled_rows


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DAY = 86_400_000_000  # microseconds


def _by_utc_day(groups: Shared) -> list[tuple[int, int, int, int, int]]:
    """The window pieces cut again at UTC midnights, in integers (days and microseconds
    since 1970, UTC): (group, day, month, start, end), so that a booking finds its piece by
    equality on (group of its place, day) instead of a range."""
    rows = []
    for group, (_first, items) in enumerate(groups):
        for month, start, end in items:
            lo, hi = (start - EPOCH) // MICRO, (end - EPOCH) // MICRO
            while lo < hi:
                day = lo // DAY
                rows.append((group, day, month, lo, min(hi, (day + 1) * DAY)))
                lo = (day + 1) * DAY
    return rows


SEGMENTS = "activity_group_segments"
LATER = "9999-12-31 23:59:59"  # after any booking: the segment that closes each place's list


def _fast_sqlite(
    pieces: Pieces, names: dict[str, str]
) -> tuple[dict[tuple[int, int], int], dict[int, Unsettled]]:
    """A place's time cut into segments (g0, we]: the gap since the previous piece, then the
    piece [ws, we), written once per group of places sharing them. Each booking is found,
    by a range on the covering index (space, end), in the segment where it ends: settled
    when it starts inside the same piece (its whole length) or inside the same gap
    (nothing). Spaces, then segments in month order, then bookings: SQLite groups as it
    reads, with no sort and no lookup per booking. Julian days are floats of days: rounded
    to the millisecond, exact again."""
    group_of, groups = _groups(pieces)
    keys, key_of_space = _sqlite_groups(group_of)
    rows = []
    for group, (first, items) in enumerate(groups):
        previous = _text(first)
        for month, start, end in items:
            ws, we = _text(start), _text(end)
            rows.append((keys[group], month, previous, ws, we))
            previous = we
        rows.append((keys[group], -1, previous, LATER, LATER))
    length = 'ROUND((julianday(b."end") - julianday(b.start)) * 86400000) * b.units'
    unsettled = 'b.start < g.ws AND (b.start < g.g0 OR b."end" > g.ws)'
    sql = (
        f"SELECT s.id, g.month, SUM(CASE WHEN b.start >= g.ws THEN {length} END), "
        'json_group_array(json_array(b.place_id, b.start, b."end", b.units)) '
        f"FILTER (WHERE {unsettled}) "
        f"FROM {names['spaces']} s CROSS JOIN temp.{SEGMENTS} g ON g.grp = {key_of_space} "
        f'CROSS JOIN {names["table"]} b ON b.space_id = s.id AND b."end" > g.g0 '
        'AND b."end" <= g.we '
        f"WHERE s.place_id IN ({names['places']}) AND b.status IN ({names['statuses']}) "
        "GROUP BY s.id, g.month"
    )
    # Bounds on whole seconds travel as numbers, written out by SQLite as Django does.
    bound = "CASE WHEN typeof({0}) = 'integer' THEN datetime({0}, 'unixepoch') ELSE {0} END"
    item = "json_extract(value, '$[{}]')".format
    columns = ", ".join([item(0), item(1), *(bound.format(item(n)) for n in (2, 3, 4))])
    with connection.cursor() as cursor:
        # SQLite's planner cannot index a table-valued parameter: the segments go to a
        # connection-private temporary table, its rows kept in (group, month, end) order
        # (WITHOUT ROWID: the table is its own index), in one statement, emptied afterwards.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {SEGMENTS} (grp INTEGER, month INTEGER, "
            "g0 TEXT, ws TEXT, we TEXT, PRIMARY KEY (grp, month, we)) WITHOUT ROWID"
        )
        try:
            cursor.execute(
                f"INSERT INTO temp.{SEGMENTS} SELECT {columns} FROM json_each(%s)",
                [json.dumps(rows)],
            )
            cursor.execute(sql)
            found = cursor.fetchall()
        finally:
            cursor.execute(f"DELETE FROM temp.{SEGMENTS}")
    micro: dict[tuple[int, int], int] = {}
    unsettled_rows: dict[int, Unsettled] = {}
    for space, month, total, others in found:
        if month >= 0 and total is not None:
            micro[(space, int(month))] = int(total) * 1000
        if others == "[]":  # nearly every row: nothing to clip
            continue
        for place_id, start, end, units in json.loads(others):
            unsettled_rows.setdefault(space, []).append(
                (place_id, _parse(start), _parse(end), units)
            )
    return micro, unsettled_rows


def _sqlite_groups(group_of: dict[int, int]) -> tuple[dict[int, int], str]:
    """The key of each group in the segments' table, and the SQL that gives a space's key
    from its place: a place alone in its group is keyed by its own id (`s.place_id`, no
    lookup), a shared group by a negative number, `CASE WHEN s.place_id IN (...) THEN -n`,
    the largest first (SQLite makes each constant list a b-tree once a statement): a few
    branches however many places. Integers only, written out: no second temporary table
    to fill and empty."""
    members: dict[int, list[int]] = {}
    for place_id, group in group_of.items():
        members.setdefault(group, []).append(int(place_id))
    keys = {g: ids[0] if len(ids) == 1 else -1 - g for g, ids in members.items()}
    shared = sorted((ids for ids in members.values() if len(ids) > 1), key=len, reverse=True)
    cases = " ".join(
        f"WHEN s.place_id IN ({','.join(map(str, sorted(ids)))}) THEN {keys[group_of[ids[0]]]}"
        for ids in shared
    )
    return keys, f"CASE {cases} ELSE s.place_id END" if cases else "s.place_id"


def _text(value: datetime) -> int | str:
    """A datetime for SQLite: seconds since 1970 when whole (thousands of window bounds go
    through here), else as Django writes it (naive UTC, `str()`)."""
    if value.microsecond:
        return str(value.astimezone(UTC))[:-6]  # "+00:00" off
    return int(value.timestamp())


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


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
