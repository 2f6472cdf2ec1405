"""A place's yearly impact report, as a funder reads it: a one-page summary (verdicts, key
figures, one testimony), then each impact with its evidence, the commitments, the timeline,
the territory and the method. The web page and the PDF render the same `Report`.

Three readers, three versions:
- the team (`team=True`): a draft is shown as a preview labelled "draft"; private
  testimonies and stories are listed, marked private, so the team sees what it holds;
- the funder's PDF and the back office's readers outside the team (`team=False`): the
  confirmed assessment only, publishable evidence only (the PDF is handed out: it never
  carries a word its author did not agree to publish), every figure;
- the public version (`public=True`): a confirmed assessment marked public only, publishable
  evidence only, and without `PRIVATE_INDICATORS` (the place's money).

A confirmed assessment shows the figures frozen on confirming (`figures.thaw`); a draft shows
the indicators computed now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tierslieux.impact import figures as frozen
from tierslieux.impact import indicators, report_charts, services, territory
from tierslieux.impact.impact_indicators import indicators_of
from tierslieux.impact.indicator_defs import BY_KEY, Value
from tierslieux.impact.models import (
    CommitmentAssessment,
    Judgement,
    Milestone,
    Story,
    Testimony,
    Verdict,
    YearAssessment,
)
from tierslieux.impact.periods import Period
from tierslieux.impact.report_format import shown
from tierslieux.places.models import Place

# The place's money stays with the team and its funders: never in the public version. Jobs
# stay public: the Mille Lieux monographs publish them, and the figure is a sum of FTE.
PRIVATE_INDICATORS = frozenset({"revenue_total", "revenue_mix", "public_funding_share"})
# The summary's key figures, in this order of preference; the first recorded ones are shown.
KEY_FIGURES = (
    "unique_users",
    "footfall",
    "events_held",
    "participants",
    "members",
    "resident_organisations",
    "jobs_fte",
    "satisfaction_mean",
    "new_links",
    "revenue_total",
)
SUMMARY_FIGURES = 6


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    text: str  # the figure, formatted; empty when not recorded or composite
    parts: list[tuple[str, str, Any]]  # (label, text, number) of a composite value
    basis: int | None
    reason: str  # why it is not recorded
    definition: str
    limits: str
    sources: tuple[str, ...]
    has_method: bool  # False: a frozen figure whose definition is no longer known

    @property
    def recorded(self) -> bool:
        return bool(self.text or self.parts)


@dataclass(frozen=True)
class Quote:
    quote: str
    author_role: str
    said_on: date
    impact_key: str
    private: bool  # not consented or not public: shown to the team only


@dataclass(frozen=True)
class StoryItem:
    title: str
    text: str
    told_on: date
    private: bool


@dataclass
class ImpactSection:
    key: str
    title: str
    verdict: str  # a Verdict value, or "" while the draft leaves it undecided
    verdict_label: str
    suggested_label: str
    overridden: bool
    reason: str
    axes: list[str]
    note: str
    figures: list[Figure] = field(default_factory=list)
    testimonies: list[Quote] = field(default_factory=list)
    stories: list[StoryItem] = field(default_factory=list)


@dataclass(frozen=True)
class CommitmentRow:
    title: str
    level: int | None
    previous: int | None

    @property
    def progress(self) -> int | None:
        if self.level is None or self.previous is None:
            return None
        return self.level - self.previous


@dataclass(frozen=True)
class Counts:
    yes: int
    no: int
    not_observed: int
    undecided: int


@dataclass(frozen=True)
class Method:
    first: date
    last: date
    sources: list[str]
    overrides: list[tuple[str, str, str, str]]  # (impact, verdict, suggested, reason)
    text: str
    confirmed_at: datetime | None
    confirmed_by: str  # empty in the public version: no name of the team's people


@dataclass
class Report:
    place: Place
    year: int
    public: bool
    team: bool
    assessment: YearAssessment | None
    draft: bool = False
    categories: list[str] = field(default_factory=list)
    impacts: list[ImpactSection] = field(default_factory=list)
    counts: Counts = Counts(0, 0, 0, 0)
    key_figures: list[Figure] = field(default_factory=list)
    other_figures: list[Figure] = field(default_factory=list)  # under no impact
    lead_testimony: Quote | None = None
    commitments: list[CommitmentRow] = field(default_factory=list)
    commitments_on: date | None = None
    commitments_before: date | None = None
    timeline: list[Milestone] = field(default_factory=list)
    method: Method | None = None
    charts: dict[str, SafeString] = field(default_factory=dict)
    territory: territory.Territory | None = None

    @property
    def available(self) -> bool:
        return self.assessment is not None


def _figure(key: str, value: Value) -> Figure:
    indicator = BY_KEY.get(key)
    text, parts = shown(indicator, key, value)
    return Figure(
        key=key,
        label=str(indicator.label) if indicator else key,
        text=text,
        parts=parts,
        basis=value.basis,
        reason=str(value.reason),
        definition=str(indicator.definition) if indicator else "",
        limits=str(indicator.limits) if indicator else "",
        sources=indicator.sources if indicator else (),
        has_method=indicator is not None,
    )


def _values(place: Place, assessment: YearAssessment, year: int) -> dict[str, Value]:
    if assessment.confirmed:
        return frozen.thaw(assessment.figures)
    computed = indicators.compute(Place.objects.filter(pk=place.pk), Period(year))
    return computed.get(place.pk, {})


def _evidence(
    place: Place, year: int, team: bool
) -> tuple[list[Quote], list[tuple[StoryItem, list[str]]]]:
    """The year's testimonies and stories (with their impacts): all for the team, marked
    private where they may not leave it; the publishable ones for anyone else."""
    testimonies = Testimony.objects.filter(place=place, said_on__year=year)
    stories = Story.objects.filter(place=place, told_on__year=year)
    if not team:
        testimonies, stories = testimonies.publishable(), stories.publishable()
    quotes = [
        Quote(t.quote, t.author_role, t.said_on, t.impact_key, not (t.consent and t.public))
        for t in testimonies
    ]
    story_rows = [
        (StoryItem(s.title, s.text, s.told_on, not (s.consent and s.public)), s.impact_keys)
        for s in stories
    ]
    return quotes, story_rows


def _commitments(report: Report, titles: dict[str, str]) -> list[CommitmentAssessment]:
    history = list(
        CommitmentAssessment.objects.filter(
            place=report.place, assessed_on__lte=date(report.year, 12, 31)
        )
        .prefetch_related("scores")
        .order_by("-assessed_on", "-pk")[:4]
    )
    if not history:
        return []
    latest = {s.commitment_key: s.level for s in history[0].scores.all()}
    before = {s.commitment_key: s.level for s in history[1].scores.all()} if history[1:] else {}
    report.commitments_on = history[0].assessed_on
    report.commitments_before = history[1].assessed_on if history[1:] else None
    report.commitments = [
        CommitmentRow(title, latest.get(key), before.get(key))
        for key, title in titles.items()
        if key in latest or key in before
    ]
    return history[::-1]


def _judged(judgement: Judgement | None, title: str, key: str) -> ImpactSection:
    if judgement is None:
        return ImpactSection(key, title, "", _("Not assessed"), "", False, "", [], "")
    labels = dict(Verdict.choices)
    return ImpactSection(
        key=key,
        title=title,
        verdict=judgement.verdict,
        verdict_label=str(labels[judgement.verdict]) if judgement.verdict else _("To decide"),
        suggested_label=str(labels.get(judgement.suggested, "")),
        overridden=judgement.overridden,
        reason=judgement.reason,
        axes=[],
        note=judgement.note,
    )


def build_report(place: Place, year: int, *, public: bool, team: bool = False) -> Report:
    """The report of `place` for `year` in one of its three versions (see the module);
    `available` is False when there is nothing this reader may see."""
    team = team and not public
    assessment = YearAssessment.objects.filter(place=place, year=year).first()
    if assessment is not None and not assessment.confirmed and not team:
        assessment = None
    if assessment is not None and public and not assessment.public:
        assessment = None
    report = Report(place=place, year=year, public=public, team=team, assessment=assessment)
    report.categories = [str(c) for c in place.categories.all()]
    if assessment is None:
        return report
    report.draft = not assessment.confirmed
    tree = services.framework_tree(services.framework_for(place))
    values = _values(place, assessment, year)
    judgements = {j.impact_key: j for j in assessment.judgements.all()}
    quotes, stories = _evidence(place, year, team)
    for impact in tree["impacts"]:
        section = _judged(judgements.get(impact.key), impact.title, impact.key)
        chosen = set(judgements[impact.key].axis_keys) if impact.key in judgements else set()
        section.axes = [a.title for a in impact.axes.all() if a.key in chosen]
        for key in indicators_of(impact.key):
            if key in values and not (public and key in PRIVATE_INDICATORS):
                section.figures.append(_figure(key, values[key]))
        section.testimonies = [q for q in quotes if q.impact_key == impact.key]
        section.stories = [s for s, keys in stories if impact.key in (keys or [])]
        report.impacts.append(section)
    listed = {f.key for s in report.impacts for f in s.figures}
    report.other_figures = [
        _figure(k, v)
        for k, v in values.items()
        if k not in listed and not (public and k in PRIVATE_INDICATORS)
    ]
    decided = [s.verdict for s in report.impacts]
    report.counts = Counts(
        decided.count(Verdict.YES),
        decided.count(Verdict.NO),
        decided.count(Verdict.NOT_OBSERVED),
        decided.count(""),
    )
    shown_keys = [k for k in KEY_FIGURES if k in values and values[k].recorded]
    report.key_figures = [
        _figure(k, values[k]) for k in shown_keys if not (public and k in PRIVATE_INDICATORS)
    ][:SUMMARY_FIGURES]
    report.lead_testimony = next((q for q in quotes if not q.private), None)
    history = _commitments(report, {c.key: c.title for c in tree["commitments"]})
    report.timeline = list(
        Milestone.objects.filter(place=place, happened_on__lte=date(year, 12, 31))
    )
    report.method = _method(report, assessment, values, public)
    report.charts = report_charts.charts_of(report, values, history, tree["commitments"])
    report.territory = territory.territory(place)
    if report.territory.neighbours:
        report.charts["territory"] = report_charts.territory_map(place.name, report.territory)
    return report


def _method(
    report: Report, assessment: YearAssessment, values: dict[str, Value], public: bool
) -> Method:
    period = Period(report.year)
    keys = [k for k in values if not (public and k in PRIVATE_INDICATORS)]
    sources = sorted({s for k in keys if k in BY_KEY for s in BY_KEY[k].sources})
    overrides = [
        (s.title, s.verdict_label, s.suggested_label, s.reason)
        for s in report.impacts
        if s.overridden
    ]
    by = assessment.confirmed_by
    return Method(
        first=period.first,
        last=period.last,
        sources=sources,
        overrides=overrides,
        text=assessment.method,
        confirmed_at=assessment.confirmed_at,
        confirmed_by="" if public or by is None else by.get_full_name(),
    )
