"""The network's matrix place × impact and its indicators table, shaped: cells, counts,
order and totals, as the Mille Lieux recap shows them ("oui / non / non observé"), with a
fourth answer the recap did not need: "not assessed" (no confirmed assessment, or an impact
the assessment did not decide).

Pure: plain values in, plain values out; `impact.matrix` reads the rows.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

YES, NO, NOT_OBSERVED, NOT_ASSESSED = "yes", "no", "not_observed", "not_assessed"
VERDICTS: tuple[str, ...] = (YES, NO, NOT_OBSERVED, NOT_ASSESSED)
DECIDED = frozenset({YES, NO, NOT_OBSERVED})

CONFIRMED, LIVE = "confirmed", "live"
SUM, MEDIAN = "sum", "median"
# Counts of people, visits, events, hours, euros and jobs add up across places; a share, a
# score or a figure per respondent does not: its middle value (median) is what says something.
SUM_UNITS = frozenset({"people", "visits", "count", "hours", "eur", "fte"})
MEDIAN_UNITS = frozenset({"percent", "score", "kg_co2e"})


def sort_key(name: str) -> str:
    """Names ordered as a French reader expects: case and accents ignored ("Épinal" by E)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


def cell(verdict: str | None) -> str:
    """A judgement's verdict as a matrix cell: undecided or unknown is "not assessed"."""
    return verdict if verdict in DECIDED else NOT_ASSESSED


def zero() -> dict[str, int]:
    return dict.fromkeys(VERDICTS, 0)


@dataclass(frozen=True)
class PlaceIn:
    """One place as read: `judged` is None without a confirmed assessment for the year, else
    {impact key: (verdict, axis keys)} of its judgements."""

    slug: str
    name: str
    judged: Mapping[str, tuple[str, Sequence[str]]] | None = None


@dataclass(frozen=True)
class Row:
    slug: str
    name: str
    confirmed: bool
    cells: dict[str, str]  # impact key → verdict (one of VERDICTS)
    axes: dict[str, tuple[str, ...]]  # impact key → axis keys shown (decided cells only)
    counts: dict[str, int]  # verdict → impacts


@dataclass(frozen=True)
class Matrix:
    impacts: tuple[tuple[str, str], ...]  # (key, title), in the framework's order
    rows: tuple[Row, ...]
    counts: dict[str, dict[str, int]]  # impact key → verdict → places
    totals: dict[str, int] = field(default_factory=zero)  # verdict → cells

    @property
    def confirmed(self) -> int:
        """Places with a confirmed assessment for the year."""
        return sum(1 for row in self.rows if row.confirmed)

    def places_by_verdict(self, impact_key: str) -> dict[str, list[Row]]:
        """For one impact, the places under each verdict (the matrix's order kept)."""
        found: dict[str, list[Row]] = {verdict: [] for verdict in VERDICTS}
        for row in self.rows:
            found[row.cells[impact_key]].append(row)
        return found


def shape(impacts: Sequence[tuple[str, str]], places: Iterable[PlaceIn]) -> Matrix:
    """Rows ordered by name, a cell per impact, counts per impact, per place and in all."""
    keys = [key for key, _title in impacts]
    rows = []
    for place in sorted(places, key=lambda p: (sort_key(p.name), p.slug)):
        judged = place.judged or {}
        cells = {key: cell(judged[key][0] if key in judged else None) for key in keys}
        axes = {
            key: tuple(judged[key][1])
            for key in keys
            if cells[key] != NOT_ASSESSED and judged[key][1]
        }
        counts = zero()
        for verdict in cells.values():
            counts[verdict] += 1
        rows.append(Row(place.slug, place.name, place.judged is not None, cells, axes, counts))
    per_impact = {key: zero() for key in keys}
    totals = zero()
    for row in rows:
        for key, verdict in row.cells.items():
            per_impact[key][verdict] += 1
            totals[verdict] += 1
    return Matrix(tuple(impacts), tuple(rows), per_impact, totals)


# --- The network's indicators ------------------------------------------------------------


def aggregate_of(unit: str) -> str | None:
    """How an indicator's places make a network figure: a sum, a median, or nothing."""
    if unit in SUM_UNITS:
        return SUM
    if unit in MEDIAN_UNITS:
        return MEDIAN
    return None


def _number(amount: Any) -> bool:
    return isinstance(amount, int | Decimal) and not isinstance(amount, bool)


@dataclass(frozen=True)
class Total:
    """The network's figure for one indicator: how it is made (sum or median), its amount
    (None when no place has a figure, never a 0), and how many places it rests on."""

    aggregate: str | None
    amount: Decimal | int | None
    places: int


def total(unit: str, amounts: Iterable[Any]) -> Total:
    """Sum or median of the places' recorded amounts; "not recorded" (None) is left out, never
    counted as a 0. A composite amount (a mix by family or mode) is not aggregated."""
    given = list(amounts)
    if any(isinstance(a, Mapping) for a in given):
        return Total(None, None, 0)
    kind = aggregate_of(unit)
    numbers = [a for a in given if _number(a)]
    if kind is None or not numbers:
        return Total(kind, None, len(numbers))
    if kind == SUM:
        return Total(SUM, sum(numbers), len(numbers))
    exact = [Decimal(a) for a in numbers]
    # The median as precise as the finest figure it comes from (45.5 and 46 give 45.8).
    finest = min(int(d.as_tuple().exponent) for d in exact)
    middle = Decimal(statistics.median(exact)).quantize(
        Decimal(1).scaleb(min(finest, 0)), ROUND_HALF_UP
    )
    return Total(MEDIAN, middle, len(numbers))


def source_of(frozen: Mapping[str, Any] | None, key: str) -> str:
    """Where a place's figure comes from: its confirmed assessment when it froze that
    indicator, else what its records say today."""
    return CONFIRMED if frozen is not None and key in frozen else LIVE
