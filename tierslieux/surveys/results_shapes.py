"""The arithmetic and shapes of a survey's results, once SQL has grouped the answers: shares,
means and medians from grouped counts, distributions, and the small-group rule.

Small groups (anonymous surveys): a count of 1 to 4 people is not shown, nor its share, since
in a small team such a figure points at someone. When only one line of a question whose
answers exclude each other is hidden, the total would give it away: the next smallest line is
hidden with it. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MIN_GROUP = 5  # fewer answers than this are hidden in an anonymous survey
MAX_VALUES = 12  # a number question with more distinct values is shown in bins
BINS = 8
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


@dataclass
class Line:
    """One line of a question's table: a choice, a value, a month, a commune, a bin."""

    key: str
    label: str
    count: int | None  # None: hidden (small group)
    share: Decimal | None = None  # percent of the people who answered the question
    mean_rank: Decimal | None = None  # rankings: the mean rank given (1 is first)
    first: int | None = None  # rankings: how many put it first

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass
class Figures:
    """Scales and numbers: the usual summary of the values given."""

    count: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None


@dataclass
class Cell:
    count: int | None  # None: hidden
    share: Decimal | None  # percent of the row


@dataclass
class CrossRow:
    key: str
    label: str
    total: int | None  # None: the whole row is hidden (fewer than MIN_GROUP)
    cells: list[Cell] = field(default_factory=list)


def share(count: int, total: int) -> Decimal | None:
    """`count` in percent of `total`, to a tenth (None when there is no total)."""
    if total <= 0:
        return None
    return (Decimal(count) * 100 / total).quantize(TENTH, ROUND_HALF_UP)


def small(count: int | None, anonymous: bool) -> bool:
    """Whether an anonymous survey hides this count (0 tells nothing about anyone)."""
    return anonymous and count is not None and 0 < count < MIN_GROUP


def protect(lines: list[Line], anonymous: bool, *, exclusive: bool) -> list[Line]:
    """Hide the small groups of an anonymous survey (count and share). `exclusive`: each
    person is on one line only (single choice, scale…), so one hidden line alone could be
    found from the total: the smallest other line is hidden too."""
    if not anonymous:
        return lines
    hidden = 0
    for line in lines:
        if small(line.count, anonymous):
            line.count = line.share = line.mean_rank = line.first = None
            hidden += 1
    if exclusive and hidden == 1:
        shown = [line for line in lines if line.count]
        if shown:
            smallest = min(shown, key=lambda line: line.count or 0)
            smallest.count = smallest.share = None
    return lines


def _mean(counts: Mapping[Decimal, int]) -> Decimal | None:
    total = sum(counts.values())
    if not total:
        return None
    weighted = sum((value * n for value, n in counts.items()), Decimal(0))
    return (weighted / total).quantize(HUNDREDTH, ROUND_HALF_UP)


def median(counts: Mapping[Decimal, int]) -> Decimal | None:
    """The median of values given as {value: how many}, without listing them one by one."""
    total = sum(counts.values())
    if not total:
        return None
    low_rank, high_rank = (total - 1) // 2, total // 2  # 0-based ranks of the middle values
    low = high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_rank:
            low = value
        if seen > high_rank:
            high = value
            break
    assert low is not None and high is not None
    return ((low + high) / 2).normalize() if low != high else low.normalize()


def figures(counts: Mapping[Decimal, int]) -> Figures:
    """Count, mean, median, minimum and maximum of values grouped by SQL."""
    given = {value: n for value, n in counts.items() if n}
    return Figures(
        count=sum(given.values()),
        mean=_mean(given),
        median=median(given),
        minimum=min(given).normalize() if given else None,
        maximum=max(given).normalize() if given else None,
    )


def _plain(value: Decimal) -> str:
    """A value as a key: 2.5000 → "2.5", 3.0000 → "3"."""
    return format(value.normalize(), "f")


def distribution(
    counts: Mapping[Decimal, int],
    label: Callable[[Decimal], str] = _plain,
    values: Iterable[int] | None = None,
) -> list[tuple[str, str, int]]:
    """(key, label, count) lines of a number's values: every value of a scale (`values`),
    each value when there are few, else BINS bins of equal width from the minimum."""
    if values is not None:
        return [(str(v), label(Decimal(v)), counts.get(Decimal(v), 0)) for v in values]
    given = sorted(v for v, n in counts.items() if n)
    if len(given) <= MAX_VALUES:
        return [(_plain(v), label(v), counts[v]) for v in given]
    low, high = given[0], given[-1]
    width = (high - low) / BINS
    binned = [0] * BINS
    for value, count in counts.items():  # one pass: the last bin holds the maximum
        binned[min(int((value - low) / width), BINS - 1)] += count
    lines = []
    for n in range(BINS):
        start = (low + width * n).quantize(HUNDREDTH)
        end = (high if n == BINS - 1 else low + width * (n + 1)).quantize(HUNDREDTH)
        lines.append(
            (f"{_plain(start)}-{_plain(end)}", f"{label(start)} – {label(end)}", binned[n])
        )
    return lines


def cross_rows(
    rows: list[tuple[str, str]],
    columns: list[tuple[str, str]],
    counts: Mapping[tuple[str, str], int],
    totals: Mapping[str, int],
    anonymous: bool,
    exclusive: bool = False,
) -> list[CrossRow]:
    """The lines of a cross-tabulation: counts and row shares; in an anonymous survey a row of
    fewer than MIN_GROUP people is hidden whole, and a cell of 1 to 4 is hidden (`exclusive`:
    one answer per person in the columns, so a row's one hidden cell takes its next smallest
    with it, or the row's total would give it away)."""
    out = []
    for key, label in rows:
        total = totals.get(key, 0)
        if anonymous and 0 < total < MIN_GROUP:
            out.append(CrossRow(key, label, None, [Cell(None, None) for _c in columns]))
            continue
        cells = []
        for column, _label in columns:
            count = counts.get((key, column), 0)
            if small(count, anonymous):
                cells.append(Cell(None, None))
            else:
                cells.append(Cell(count, share(count, total)))
        hidden = [cell for cell in cells if cell.count is None]
        shown = [cell for cell in cells if cell.count]
        if anonymous and exclusive and len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda cell: cell.count or 0)
            smallest.count = smallest.share = None
        out.append(CrossRow(key, label, total, cells))
    return out
