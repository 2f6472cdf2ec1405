"""Pure availability logic: opening windows, busy intervals, free slots and free spaces.

No ORM and no settings: callers pass aware datetimes, dataclasses and tuples, so every rule
is testable alone and fast. Intervals are half-open [start, end): a booking ending at 10:00
and one starting at 10:00 do not overlap.

Windows and slots come back in UTC. Python compares and subtracts two datetimes that share
one ZoneInfo by wall clock (ignoring the offset and `fold`), which is wrong across a
daylight-saving change; in UTC it is always right. Convert for display with
`.astimezone(place_tz)`. See docs/algorithms/availability.md.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZERO = timedelta(0)


@dataclass(frozen=True)
class Rules:
    """How a space may be booked; durations, not datetimes, so one set serves every day."""

    granularity: timedelta = timedelta(minutes=30)  # slot starts step from the window start
    min_duration: timedelta = timedelta(minutes=30)
    max_duration: timedelta = timedelta(days=1)
    buffer: timedelta = ZERO  # kept free between two bookings (cleaning, changeover)
    notice: timedelta = ZERO  # earliest start = now + notice
    horizon: timedelta = timedelta(days=365)  # latest end = now + horizon

    def __post_init__(self) -> None:
        if self.granularity <= ZERO:
            raise ValueError("granularity must be positive")
        if not ZERO <= self.min_duration <= self.max_duration:
            raise ValueError("durations must satisfy 0 <= min_duration <= max_duration")


@dataclass(frozen=True)
class Busy:
    """Units of a space taken over [start, end): a booking, a block, a maintenance."""

    start: datetime
    end: datetime
    units: int = 1  # an exclusive space has a single unit


@dataclass(frozen=True)
class Window:
    """An interval [start, end): an opening window, a free interval or a slot."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return _utc(self.end) - _utc(self.start)


class NonExistentLocalTime(ValueError):
    """The wall-clock time is skipped when clocks go forward (02:30 in Paris, end of March)."""


class AmbiguousLocalTime(ValueError):
    """The wall-clock time happens twice when clocks go back (02:30 in Paris, end of October)."""


def _utc(value: datetime) -> datetime:
    if value.tzinfo is UTC:  # as the database returns them: the hot path of a network search
        return value
    if value.utcoffset() is None:
        raise ValueError(f"naive datetime: {value!r}")
    return value.astimezone(UTC)


def _start(item: Busy | Window) -> datetime:
    return item.start


def to_aware(d: date, t: time, tz: ZoneInfo, *, strict: bool = True) -> datetime:
    """The instant a local wall-clock time names, in `tz`.

    Strict (a person typed this time) refuses what cannot be meant exactly. Non-strict
    (building opening windows) moves a skipped time to the end of the gap (02:30 -> 03:00)
    and takes the first of two repeated times (fold=0).
    """
    first = datetime.combine(d, t.replace(tzinfo=None), tzinfo=tz)  # fold=0
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return first  # neither skipped nor repeated: nearly every time, and cheap to tell
    naive = first.replace(tzinfo=None)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        if strict:
            raise NonExistentLocalTime(f"{naive} does not exist in {tz.key}")
        return _gap_end(second.astimezone(UTC), first.astimezone(UTC), tz)
    if strict:
        raise AmbiguousLocalTime(f"{naive} happens twice in {tz.key}")
    return first


def _gap_end(before: datetime, after: datetime, tz: ZoneInfo) -> datetime:
    """The transition instant between `before` and `after`: ZoneInfo does not expose it."""
    lo, hi = math.floor(before.timestamp()), math.ceil(after.timestamp())
    offset = datetime.fromtimestamp(lo, tz).utcoffset()
    while hi - lo > 1:  # transitions fall on whole seconds
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, tz).utcoffset() == offset:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, tz)


def _merge(windows: Iterable[Window]) -> list[Window]:
    """Windows in UTC, sorted, with overlapping or touching ones joined, empty ones dropped."""
    spans = sorted((_utc(w.start), _utc(w.end)) for w in windows)
    merged: list[Window] = []
    for start, end in spans:
        if start >= end:
            continue
        if merged and start <= merged[-1].end:
            if end > merged[-1].end:
                merged[-1] = Window(merged[-1].start, end)
        else:
            merged.append(Window(start, end))
    return merged


def opening_windows(
    start: date,
    end: date,
    tz: ZoneInfo,
    weekly: Iterable[tuple[int, time, time]],
    exceptions: Iterable[tuple[date, date, bool, time | None, time | None]] = (),
    closed_days: Collection[date] = (),
) -> list[Window]:
    """The opening windows of the local dates start..end (both included), in UTC, merged.

    `weekly` is (weekday 0=Monday, opens, closes); `exceptions` is (first day, last day,
    closed, opens, closes): on a date it covers, a closure or its special hours replace the
    week (closed wins if several cover the date). `closed_days` (public holidays) close all
    day. A span closing at or before its opening time ends the next day (00:00 = midnight).
    """
    week: dict[int, list[tuple[time, time]]] = {day: [] for day in range(7)}
    for weekday, opens, closes in weekly:
        week[weekday].append((opens, closes))
    exception_list = list(exceptions)
    windows: list[Window] = []
    day = start
    while day <= end:
        if day not in closed_days:
            covering = [exc for exc in exception_list if exc[0] <= day <= exc[1]]
            if not covering:
                spans = week[day.weekday()]
            elif any(closed or o is None or c is None for _, _, closed, o, c in covering):
                spans = []
            else:
                spans = [(o, c) for _, _, _, o, c in covering if o is not None and c is not None]
            for opens, closes in spans:
                closing_day = day + timedelta(days=1) if closes <= opens else day
                windows.append(
                    Window(
                        to_aware(day, opens, tz, strict=False),
                        to_aware(closing_day, closes, tz, strict=False),
                    )
                )
        day += timedelta(days=1)
    return _merge(windows)


def within_opening(start: datetime, end: datetime, windows: Sequence[Window]) -> bool:
    """Whether the whole of [start, end) lies inside one window (a booking cannot straddle)."""
    start, end = _utc(start), _utc(end)
    return start < end and any(w.start <= start and end <= w.end for w in windows)


def _clipped(
    busy: Iterable[Busy], start: datetime, end: datetime, buffer: timedelta
) -> Iterator[tuple[datetime, datetime, int]]:
    """Busy intervals widened by `buffer`, in UTC, cut to [start, end); others dropped."""
    for item in busy:
        s, e = _utc(item.start) - buffer, _utc(item.end) + buffer
        if s < end and e > start and item.units > 0:
            yield max(s, start), min(e, end), item.units


def _events(intervals: Iterable[tuple[datetime, datetime, int]]) -> list[tuple[datetime, int]]:
    """(instant, change of load), sorted; at one instant ends (negative) come before starts,
    so touching intervals never count as overlapping."""
    events: list[tuple[datetime, int]] = []
    for s, e, units in intervals:
        if s < e:
            events.append((s, units))
            events.append((e, -units))
    events.sort()
    return events


def _peak(intervals: Iterable[tuple[datetime, datetime, int]]) -> int:
    peak = load = 0
    for _, change in _events(intervals):
        load += change
        peak = max(peak, load)
    return peak


def peak_units(busy: Iterable[Busy], start: datetime, end: datetime) -> int:
    """The most units taken at any instant of [start, end): a sweep line, O(n log n)."""
    return _peak(_clipped(busy, _utc(start), _utc(end), ZERO))


def _check_units(units_total: int, units_wanted: int) -> None:
    if units_wanted < 1 or units_total < 0:
        raise ValueError("units_wanted must be >= 1 and units_total >= 0")


def fits(
    busy: Iterable[Busy],
    start: datetime,
    end: datetime,
    units_total: int,
    units_wanted: int,
    buffer: timedelta = ZERO,
) -> bool:
    """Whether `units_wanted` more units fit over [start, end), each busy interval widened
    by `buffer` on both sides (a unit needs its changeover time around every booking)."""
    _check_units(units_total, units_wanted)
    intervals = _clipped(busy, _utc(start), _utc(end), buffer)
    return _peak(intervals) + units_wanted <= units_total


def _free_in_windows(
    windows: Iterable[Window],
    busy: Iterable[Busy],
    units_total: int,
    units_wanted: int,
    buffer: timedelta,
) -> list[tuple[datetime, Window]]:
    """(start of the enclosing merged window, free interval) pairs, sorted, in UTC."""
    _check_units(units_total, units_wanted)
    merged = _merge(windows)
    if not merged or units_wanted > units_total:
        return []
    far_start, far_end = merged[0].start, merged[-1].end
    events = _events(_clipped(busy, far_start, far_end, buffer))
    capacity = units_total - units_wanted
    blocked: list[tuple[datetime, datetime]] = []  # disjoint, sorted: load above capacity
    load, since = 0, None
    for i, (instant, change) in enumerate(events):
        load += change
        if i + 1 < len(events) and events[i + 1][0] == instant:
            continue  # settle every event of this instant before judging it
        if load > capacity and since is None:
            since = instant
        elif load <= capacity and since is not None:
            blocked.append((since, instant))
            since = None
    free: list[tuple[datetime, Window]] = []
    first = 0
    for window in merged:
        while first < len(blocked) and blocked[first][1] <= window.start:
            first += 1
        cursor, k = window.start, first
        while k < len(blocked) and blocked[k][0] < window.end:
            if blocked[k][0] > cursor:
                free.append((window.start, Window(cursor, blocked[k][0])))
            cursor = max(cursor, blocked[k][1])
            k += 1
        if cursor < window.end:
            free.append((window.start, Window(cursor, window.end)))
    return free


def free_intervals(
    windows: Iterable[Window],
    busy: Iterable[Busy],
    units_total: int,
    units_wanted: int = 1,
    buffer: timedelta = ZERO,
) -> list[Window]:
    """The maximal parts of the windows where `units_wanted` more units fit, in UTC.

    One sweep over the sorted boundaries finds where the load leaves too few units, then
    those parts are cut out of the windows: O(n log n) for n busy intervals.
    """
    return [free for _, free in _free_in_windows(windows, busy, units_total, units_wanted, buffer)]


def free_slots(
    windows: Iterable[Window],
    busy: Iterable[Busy],
    units_total: int,
    rules: Rules,
    duration: timedelta,
    now: datetime,
    units_wanted: int = 1,
) -> list[Window]:
    """Bookable slots of `duration`, in UTC, sorted: starts step by `granularity` from the
    opening window's start (so 09:00, 09:30... stay round), within notice and horizon."""
    if duration <= ZERO or not rules.min_duration <= duration <= rules.max_duration:
        return []
    now = _utc(now)
    earliest, latest = now + rules.notice, now + rules.horizon
    step = rules.granularity
    slots: list[Window] = []
    for origin, free in _free_in_windows(windows, busy, units_total, units_wanted, rules.buffer):
        first, last = max(free.start, earliest), min(free.end, latest) - duration
        if first > last:
            continue
        start = origin + max(0, -((origin - first) // step)) * step  # ceil to the grid
        while start <= last:
            slots.append(Window(start, start + duration))
            start += step
    return slots


def nearest_free_slots(
    windows: Iterable[Window],
    busy: Iterable[Busy],
    units_total: int,
    rules: Rules,
    start: datetime,
    duration: timedelta,
    now: datetime,
    units_wanted: int = 1,
    limit: int = 3,
) -> list[Window]:
    """The `limit` free slots starting closest to `start`, before or after (alternatives to
    propose after a conflict), in chronological order; on a tie the earlier one wins."""
    wanted = _utc(start)
    slots = free_slots(windows, busy, units_total, rules, duration, now, units_wanted)
    nearest = heapq.nsmallest(limit, slots, key=lambda s: (abs(s.start - wanted), s.start))
    return sorted(nearest, key=_start)


def free_spaces(
    candidates: Mapping[int, int],
    busy_by_space: Mapping[int, Sequence[Busy]],
    windows_by_space: Mapping[int, Sequence[Window]],
    start: datetime,
    end: datetime,
    units_wanted: int = 1,
    buffer: timedelta = ZERO,
    *,
    longest: timedelta | None = None,
) -> list[int]:
    """The candidate space ids (input order; value = units_total) open over [start, end)
    where `units_wanted` more units fit.

    Built for many spaces at once, so no per-call sorting: each busy sequence must be sorted
    by start and each window sequence sorted and merged (as `opening_windows` returns it).
    Bisect skips the busy intervals starting after the range; pass `longest`, the longest busy
    duration (or an upper bound), to skip those ending before it too, else they are scanned.
    """
    _check_units(0, units_wanted)
    start, end = _utc(start), _utc(end)
    reach_start, reach_end = start - buffer, end + buffer  # a busy interval matters if inside
    found: list[int] = []
    for space, units_total in candidates.items():
        if units_wanted > units_total:
            continue
        windows = windows_by_space.get(space, ())
        i = bisect_right(windows, start, key=_start) - 1
        if i < 0 or windows[i].end < end or start >= end:
            continue
        busy = busy_by_space.get(space, ())
        hi = bisect_left(busy, reach_end, key=_start)
        lo = 0 if longest is None else bisect_left(busy, reach_start - longest, 0, hi, key=_start)
        near = [b for b in busy[lo:hi] if b.end > reach_start]
        room = units_total - units_wanted
        if sum(b.units for b in near) <= room or _peak(_clipped(near, start, end, buffer)) <= room:
            found.append(space)  # the sum is a cheap upper bound of the peak: tried first
    return found
