"""Pure arithmetic of the "Activité" figures: months in a place's time zone, opening windows
cut at month ends, open time per month, occupancy as a share. No ORM here."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

# The economic model's viability band for occupancy (shared/DOMAIN.md): 60 to 70 %.
TARGET_LOW = Decimal("60")
TARGET_HIGH = Decimal("70")


@dataclass(frozen=True)
class Month:
    """A calendar month of a place: its first day and its bounds in UTC, [start, end)."""

    first: date
    start: datetime
    end: datetime


def add_months(first: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `first`'s month."""
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_ending(last: date, count: int, tz: ZoneInfo) -> list[Month]:
    """`count` months up to `last`'s month (included), oldest first, local midnight bounds."""
    firsts = [add_months(last.replace(day=1), n - count + 1) for n in range(count + 1)]
    bounds = [datetime(d.year, d.month, 1, tzinfo=tz).astimezone(UTC) for d in firsts]
    return [Month(firsts[n], bounds[n], bounds[n + 1]) for n in range(count)]


def cut_by_month(
    windows: Iterable[tuple[datetime, datetime]], months: Sequence[Month]
) -> list[tuple[int, datetime, datetime]]:
    """The windows clipped to each month: (month index, start, end), empty pieces dropped.
    A window across midnight at a month's end counts in both months, each its own part."""
    pieces = []
    starts = [month.start for month in months]
    for start, end in windows:
        n = max(bisect_right(starts, start) - 1, 0)  # the first month it may touch
        while n < len(months) and months[n].start < end:
            lo, hi = max(start, months[n].start), min(end, months[n].end)
            if lo < hi:
                pieces.append((n, lo, hi))
            n += 1
    return pieces


def open_seconds(pieces: Iterable[tuple[int, datetime, datetime]], months: int) -> list[float]:
    """Open time of each month, in seconds (true elapsed time: a DST day counts 23 or 25 h)."""
    totals = [0.0] * months
    for n, start, end in pieces:
        totals[n] += (end - start).total_seconds()
    return totals


def share(booked: float, available: float) -> Decimal | None:
    """Booked over available, in percent with one decimal; None when nothing was open."""
    if available <= 0:
        return None
    value = Decimal(str(booked)) * 100 / Decimal(str(available))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def band(value: Decimal | None) -> str:
    """Where an occupancy stands against the 60–70 % target: below, within, above, or none."""
    if value is None:
        return "none"
    if value < TARGET_LOW:
        return "below"
    return "within" if value <= TARGET_HIGH else "above"
