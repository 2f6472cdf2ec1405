"""What a network reads of its places' impact: the matrix place × impact of their confirmed
assessments, one place's confirmed assessment, and the network's indicators table.

The places are those the network runs (`Place.network`): its administrators and observers
hold `Perm.VIEW_FIGURES` on them (`places.access`), and they are judged by the network's
framework. A place the network only counts in its census is another network's (or nobody's)
to measure. A network reads assessments and indicators, never the records behind them: no
testimony or story that is not publishable, no booking, no person. Read-only; every function
reads in a fixed number of queries whatever the number of places.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tierslieux.billing.models import Family
from tierslieux.core import clock
from tierslieux.events.models import Audience
from tierslieux.impact import figures, indicators, services
from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.impact_indicators import indicators_of
from tierslieux.impact.indicator_defs import BY_KEY, INDICATORS, Indicator, Value
from tierslieux.impact.models import Impact, Judgement, Story, Testimony, YearAssessment
from tierslieux.impact.periods import FIRST_YEAR, Period
from tierslieux.places.models import Network, Place
from tierslieux.surveys.mobility import FACTORS


def places_of(network: Network) -> QuerySet[Place]:
    """The places the network runs."""
    return Place.objects.filter(network=network)


def _confirmed(network: Network) -> QuerySet[YearAssessment]:
    return YearAssessment.objects.filter(place__network=network, confirmed_at__isnull=False)


def years(network: Network) -> list[int]:
    """The years some place of the network has a confirmed assessment for, newest first."""
    found = _confirmed(network).order_by("-year").values_list("year", flat=True).distinct()
    return list(found)


def default_year(confirmed_years: list[int]) -> int:
    """The latest year assessed in the network, else this year."""
    return confirmed_years[0] if confirmed_years else clock.today().year


def valid_year(year: int) -> bool:
    """A year an assessment or an indicator can be asked for: from 1990 to this year."""
    return FIRST_YEAR <= year <= clock.today().year


# --- The framework's impacts ----------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """The network's framework as the matrix needs it: impacts in order, their axes' titles."""

    impacts: list[Impact]

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [(impact.key, impact.title) for impact in self.impacts]

    def impact(self, key: str) -> Impact | None:
        return next((impact for impact in self.impacts if impact.key == key), None)

    def axis_titles(self, impact_key: str, keys: Any) -> list[str]:
        """The axes' titles; an axis the network removed since shows by its key."""
        impact = self.impact(impact_key)
        titles = {a.key: a.title for a in impact.axes.all()} if impact else {}
        return [titles.get(key, key) for key in keys]


def frame(network: Network) -> Frame:
    framework = services.framework_of_network(network)
    return Frame(list(framework.impacts.prefetch_related("axes")))


# --- The matrix -----------------------------------------------------------------------------


def matrix(network: Network, year: int, found: Frame | None = None) -> shapes.Matrix:
    """The matrix of the network's places for `year`: confirmed assessments only (a draft is
    the team's work in progress, never shown to the network)."""
    found = found or frame(network)
    places = list(places_of(network).order_by().values_list("pk", "slug", "name"))
    judged: dict[int, dict[str, tuple[str, list[str]]]] = {
        pk: {} for pk in _confirmed(network).filter(year=year).values_list("place_id", flat=True)
    }
    for place_id, key, verdict, axes in Judgement.objects.filter(
        assessment__place__network=network,
        assessment__year=year,
        assessment__confirmed_at__isnull=False,
    ).values_list("assessment__place_id", "impact_key", "verdict", "axis_keys"):
        judged[place_id][key] = (verdict, list(axes or ()))
    rows = [shapes.PlaceIn(slug, name, judged.get(pk)) for pk, slug, name in places]
    return shapes.shape(found.pairs, rows)


# --- One place's confirmed assessment -------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    value: Value


@dataclass(frozen=True)
class Entry:
    """One impact of a place's confirmed assessment, as the network reads it."""

    impact: Impact
    verdict: str  # one of matrix_shapes.VERDICTS
    judgement: Judgement | None
    axes: list[str]
    figures: list[Figure]
    testimonies: list[Testimony]
    stories: list[Story]


def assessment_of(network: Network, place_slug: str, year: int) -> dict[str, Any] | None:
    """A place of the network's confirmed assessment for `year`, or None: its verdicts, axes,
    notes, frozen figures with their definitions and limits, and its publishable evidence of
    the year (a testimony kept private never reaches a network)."""
    place = places_of(network).filter(slug=place_slug).first()
    if place is None:
        return None
    assessment = (
        YearAssessment.objects.filter(place=place, year=year, confirmed_at__isnull=False)
        .prefetch_related("judgements")
        .first()
    )
    if assessment is None:
        return None
    found = frame(network)
    judgements = {j.impact_key: j for j in assessment.judgements.all()}
    kept = assessment.figures
    frozen = figures.thaw(kept) if isinstance(kept, Mapping) else {}
    testimonies = list(
        Testimony.objects.publishable().filter(place=place, said_on__year=year).order_by("said_on")
    )
    stories = list(
        Story.objects.publishable().filter(place=place, told_on__year=year).order_by("told_on")
    )
    entries = []
    for impact in found.impacts:
        judgement = judgements.get(impact.key)
        verdict = shapes.cell(judgement.verdict if judgement else None)
        shown = judgement.axis_keys if judgement and verdict != shapes.NOT_ASSESSED else []
        entries.append(
            Entry(
                impact=impact,
                verdict=verdict,
                judgement=judgement if verdict != shapes.NOT_ASSESSED else None,
                axes=found.axis_titles(impact.key, shown or ()),
                figures=[
                    Figure(BY_KEY[key], frozen[key])
                    for key in indicators_of(impact.key)
                    if key in frozen and key in BY_KEY
                ],
                testimonies=[t for t in testimonies if t.impact_key == impact.key],
                stories=[s for s in stories if impact.key in (s.impact_keys or ())],
            )
        )
    return {
        "place": place,
        "assessment": assessment,
        "entries": entries,
        "figures": [Figure(i, frozen[i.key]) for i in INDICATORS if i.key in frozen],
        "counts": _counts(entries),
    }


def _counts(entries: list[Entry]) -> dict[str, int]:
    counts = shapes.zero()
    for entry in entries:
        counts[entry.verdict] += 1
    return counts


# --- The network's indicators ---------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    value: Value
    source: str  # matrix_shapes.CONFIRMED or LIVE


@dataclass(frozen=True)
class PlaceFigures:
    slug: str
    name: str
    confirmed: bool  # the year's assessment is confirmed (its figures are frozen)
    cells: dict[str, Cell]


@dataclass(frozen=True)
class IndicatorTable:
    period: Period
    indicators: tuple[Indicator, ...]
    rows: list[PlaceFigures]
    totals: dict[str, shapes.Total]

    @property
    def sources(self) -> dict[str, int]:
        """How many cells come from confirmed assessments and how many are live."""
        counted = {shapes.CONFIRMED: 0, shapes.LIVE: 0}
        for row in self.rows:
            for cell in row.cells.values():
                counted[cell.source] += 1
        return counted


def network_indicators(network: Network, period: Period) -> IndicatorTable:
    """Every indicator of every place of the network for `period`. For a year, a place with a
    confirmed assessment gives the figures it froze; the others (and an indicator it did not
    freeze) are computed live from the records, in one call for all of them. A quarter is
    always live: an assessment freezes a whole year."""
    places = sorted(
        places_of(network).order_by().values_list("pk", "slug", "name"),
        key=lambda row: (shapes.sort_key(row[2]), row[1]),
    )
    confirmed: set[int] = set()
    frozen: dict[int, Mapping[str, Any]] = {}
    if period.quarter is None:
        for pk, kept in (
            _confirmed(network).filter(year=period.year).values_list("place_id", "figures")
        ):
            confirmed.add(pk)
            if isinstance(kept, Mapping):  # written by the assessment's service: a dict
                frozen[pk] = kept
    wanted = [pk for pk, _slug, _name in places if not _complete(frozen.get(pk))]
    live = indicators.compute(Place.objects.filter(pk__in=wanted), period) if wanted else {}
    rows = []
    for pk, slug, name in places:
        kept = frozen.get(pk)
        thawed = figures.thaw(kept) if kept else {}
        cells = {}
        for indicator in INDICATORS:
            source = shapes.source_of(kept, indicator.key)
            value = thawed[indicator.key] if source == shapes.CONFIRMED else live[pk][indicator.key]
            cells[indicator.key] = Cell(value, source)
        rows.append(PlaceFigures(slug, name, pk in confirmed, cells))
    totals = {
        i.key: shapes.total(i.unit, (row.cells[i.key].value.amount for row in rows))
        for i in INDICATORS
    }
    return IndicatorTable(period, INDICATORS, rows, totals)


def _complete(kept: Mapping[str, Any] | None) -> bool:
    return kept is not None and all(i.key in kept for i in INDICATORS)


# --- Labels of a composite figure's parts ---------------------------------------------------


def part_labels() -> dict[str, str]:
    """The names of a composite figure's parts: audiences, revenue families, travel modes."""
    labels = {str(k): str(v) for k, v in Audience.choices}
    labels |= {str(k): str(v) for k, v in Family.choices}
    labels |= {str(mode): str(factor.label) for mode, factor in FACTORS.items()}
    return labels
