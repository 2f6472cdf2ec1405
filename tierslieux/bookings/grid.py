"""The calendar grid: spaces as rows, days as columns, each cell a time track of the day's
displayed hours, with bookings and free intervals as blocks placed by percentage.

Presentation only (no query): the view loads spaces, free intervals and bookings in a fixed
number of queries and hands them here. Positions are computed from UTC instants, so a track
stays right on a daylight-saving day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tierslieux.bookings.availability import Window, to_aware
from tierslieux.places.models import Space

DEFAULT_HOURS = (8, 20)


@dataclass(frozen=True)
class Column:
    """One displayed day: its track runs from `start` to `end` (aware instants)."""

    day: date
    start: datetime
    end: datetime

    @property
    def length(self) -> timedelta:
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)


@dataclass(frozen=True)
class Item:
    """Something to draw on a track, before placement."""

    kind: str  # "free", "booked", "mine", "requested", "past"
    start: datetime
    end: datetime
    label: str
    url: str = ""


@dataclass(frozen=True)
class Block:
    item: Item
    left: float
    width: float
    top: float = 0.0
    height: float = 100.0

    @property
    def style(self) -> str:
        return (
            f"left:{self.left:.3f}%;width:{self.width:.3f}%;"
            f"top:{self.top:.1f}%;height:{self.height:.1f}%"
        )


@dataclass
class Row:
    space: Space
    cells: list[list[Block]] = field(default_factory=list)


def hour_span(windows: Iterable[Window], days: Sequence[date], tz: ZoneInfo) -> tuple[int, int]:
    """The local hours to show: from the earliest opening to the latest closing of these days
    (whole hours, 24 at most), or 08–20 when the place is closed all along."""
    first, last = 24, 0
    shown = set(days)
    for window in windows:
        start, end = window.start.astimezone(tz), window.end.astimezone(tz)
        if start.date() not in shown:
            continue
        first = min(first, start.hour)
        if end.date() > start.date():
            last = 24
        else:
            last = max(last, end.hour + (1 if end.minute or end.second else 0))
    return (first, last) if first < last else DEFAULT_HOURS


def columns(days: Sequence[date], hours: tuple[int, int], tz: ZoneInfo) -> list[Column]:
    first, last = hours
    found = []
    for day in days:
        start = to_aware(day, time(first), tz, strict=False)
        end = (
            to_aware(day + timedelta(days=1), time(0), tz, strict=False)
            if last >= 24
            else to_aware(day, time(last), tz, strict=False)
        )
        found.append(Column(day, start, end))
    return found


def _place(column: Column, start: datetime, end: datetime) -> tuple[float, float] | None:
    lo, hi = max(start, column.start), min(end, column.end)
    if hi <= lo:
        return None
    total = column.length
    left = (lo.astimezone(UTC) - column.start.astimezone(UTC)) / total * 100
    width = (hi.astimezone(UTC) - lo.astimezone(UTC)) / total * 100
    return left, width


def _lanes(items: Sequence[Item]) -> list[int]:
    """Greedy interval partitioning: overlapping bookings (units of a coworking) side by side."""
    ends: list[datetime] = []
    lanes = []
    for item in items:
        for lane, lane_end in enumerate(ends):
            if lane_end <= item.start:
                ends[lane] = item.end
                lanes.append(lane)
                break
        else:
            ends.append(item.end)
            lanes.append(len(ends) - 1)
    return lanes


def cell(column: Column, free: Sequence[Item], booked: Sequence[Item], shared: bool) -> list[Block]:
    """The blocks of one space on one day. On a shared (multi-unit) space, free intervals may
    overlap bookings: they take the top strip and bookings share the rest in lanes."""
    blocks: list[Block] = []
    free_height = 35.0 if shared else 100.0
    for item in free:
        placed = _place(column, item.start, item.end)
        if placed:
            blocks.append(Block(item, *placed, top=0.0, height=free_height))
    mine = sorted(
        (i for i in booked if _place(column, i.start, i.end)), key=lambda i: (i.start, i.end)
    )
    lanes = _lanes(mine)
    count = max(lanes, default=0) + 1
    top, room = (free_height, 100.0 - free_height) if shared else (0.0, 100.0)
    for item, lane in zip(mine, lanes, strict=True):
        placed = _place(column, item.start, item.end)
        assert placed is not None
        blocks.append(Block(item, *placed, top=top + lane * room / count, height=room / count))
    return sorted(blocks, key=lambda b: (b.item.start, b.item.kind != "free"))


def rows(
    spaces: Sequence[Space],
    cols: Sequence[Column],
    free: dict[int, list[Item]],
    booked: dict[int, list[Item]],
) -> list[Row]:
    return [
        Row(
            space,
            [
                cell(col, free.get(space.pk, []), booked.get(space.pk, []), space.units > 1)
                for col in cols
            ],
        )
        for space in spaces
    ]
