"""Recurring bookings as RFC 5545 rules (python-dateutil), expanded in local wall-clock time.

A weekly workshop at 18:00 stays at 18:00 local time across daylight-saving changes, so the
rule is expanded on naive local datetimes and each occurrence is then made aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from tierslieux.bookings.availability import AmbiguousLocalTime, NonExistentLocalTime, to_aware

MAX_AHEAD = timedelta(days=366)
DAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]
RFC_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class RecurrenceError(ValueError):
    pass


@dataclass(frozen=True)
class Recurrence:
    """`weekly` on `weekdays` every `interval` weeks, or `monthly` on the `nth` weekday of
    the first occurrence (nth=-1: the last one); ends on `until` (inclusive) or after `count`."""

    freq: str = "weekly"
    interval: int = 1
    weekdays: tuple[int, ...] = field(default_factory=tuple)
    nth: int | None = None
    until: date | None = None
    count: int | None = None

    def rfc5545(self, first: datetime) -> str:
        parts = [f"FREQ={self.freq.upper()}", f"INTERVAL={self.interval}"]
        if self.freq == "weekly":
            days = self.weekdays or (first.weekday(),)
            parts.append("BYDAY=" + ",".join(RFC_DAYS[d] for d in sorted(days)))
        else:
            nth = self.nth if self.nth is not None else (first.day - 1) // 7 + 1
            parts.append(f"BYDAY={nth}{RFC_DAYS[first.weekday()]}")
        if self.until:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        if self.count:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Skipped:
    local_start: datetime
    reason: str


def expand(
    first_start: datetime, duration: timedelta, recurrence: Recurrence, tz: ZoneInfo
) -> tuple[list[Occurrence], list[Skipped]]:
    """Occurrences of the rule from the (aware) first start, at most one year ahead.

    Local times that do not exist or exist twice on a daylight-saving day are skipped with
    their reason rather than silently moved.
    """
    if recurrence.freq not in {"weekly", "monthly"}:
        raise RecurrenceError("unknown frequency")
    if recurrence.interval < 1:
        raise RecurrenceError("interval must be at least 1")
    if recurrence.until is None and recurrence.count is None:
        raise RecurrenceError("a recurrence ends on a date or after a number of occurrences")
    local_first = first_start.astimezone(tz).replace(tzinfo=None)
    limit = local_first + MAX_AHEAD
    if recurrence.until is not None and recurrence.until > limit.date():
        raise RecurrenceError("a recurrence goes at most one year ahead")
    rule = rrule.rrulestr(recurrence.rfc5545(local_first), dtstart=local_first)
    occurrences: list[Occurrence] = []
    skipped: list[Skipped] = []
    for local in rule:
        if local > limit:
            if recurrence.count is not None:
                raise RecurrenceError("a recurrence goes at most one year ahead")
            break
        try:
            start = to_aware(local.date(), local.time(), tz)
        except NonExistentLocalTime:
            skipped.append(Skipped(local, "nonexistent"))
            continue
        except AmbiguousLocalTime:
            skipped.append(Skipped(local, "ambiguous"))
            continue
        occurrences.append(Occurrence(start, start + duration))
    return occurrences, skipped
