"""Pure functions over opening hours: the OpenStreetMap `opening_hours` syntax, and grouping.

No ORM here: callers pass plain tuples so this module is testable alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
OSM_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Interval:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Exception_:
    start: date
    end: date
    closed: bool
    opens: time | None = None
    closes: time | None = None


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def _day_ranges(days: list[int]) -> str:
    """[0, 1, 2, 4] -> 'Mo-We,Fr'."""
    parts: list[str] = []
    start = prev = days[0]
    for day in [*days[1:], None]:
        if day is not None and day == prev + 1:
            prev = day
            continue
        if start == prev:
            parts.append(OSM_DAYS[start])
        elif prev == start + 1:
            parts.append(f"{OSM_DAYS[start]},{OSM_DAYS[prev]}")
        else:
            parts.append(f"{OSM_DAYS[start]}-{OSM_DAYS[prev]}")
        if day is not None:
            start = prev = day
    return ",".join(parts)


def _osm_date(value: date) -> str:
    return f"{value.year} {OSM_MONTHS[value.month - 1]} {value.day:02d}"


def week_by_day(intervals: Iterable[Interval]) -> dict[int, list[tuple[time, time]]]:
    days: dict[int, list[tuple[time, time]]] = {d: [] for d in range(7)}
    for interval in intervals:
        days[interval.weekday].append((interval.opens, interval.closes))
    for spans in days.values():
        spans.sort()
    return days


def to_osm(intervals: Iterable[Interval], exceptions: Iterable[Exception_] = ()) -> str:
    """Render weekly hours and exceptions as an OSM `opening_hours` value.

    Days sharing the same spans are grouped (`Mo-Fr 09:00-18:00`); exceptions come last,
    because in that syntax a later rule overrides an earlier one for the dates it names.
    """
    days = week_by_day(intervals)
    groups: dict[tuple[tuple[time, time], ...], list[int]] = {}
    for day in range(7):
        if days[day]:
            groups.setdefault(tuple(days[day]), []).append(day)
    rules = [
        f"{_day_ranges(group_days)} {','.join(f'{_hhmm(a)}-{_hhmm(b)}' for a, b in spans)}"
        for spans, group_days in sorted(groups.items(), key=lambda item: item[1][0])
    ]
    for exc in sorted(exceptions, key=lambda e: e.start):
        when = _osm_date(exc.start)
        if exc.end != exc.start:
            end = exc.end
            when += "-" + (
                f"{end.day:02d}"
                if (end.year, end.month) == (exc.start.year, exc.start.month)
                else _osm_date(end)
                if end.year != exc.start.year
                else f"{OSM_MONTHS[end.month - 1]} {end.day:02d}"
            )
        if exc.closed or exc.opens is None or exc.closes is None:
            rules.append(f"{when} off")
        else:
            rules.append(f"{when} {_hhmm(exc.opens)}-{_hhmm(exc.closes)}")
    return "; ".join(rules) if rules else "off"
