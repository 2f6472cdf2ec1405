"""The only writer of the yearly impact assessment: open a year (one judgement per impact of the
place's framework, with the suggestion computed from its indicators), decide each impact,
add the team's own figures, confirm (the figures frozen), reopen. Every write is audited and
atomic; a refusal (`core.errors.refuse`) names its field by its code and changes nothing.

`assessment_page` reads what the assessment page and the report show, per impact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.impact import figures, indicators, suggestions
from tierslieux.impact.impact_indicators import indicators_of
from tierslieux.impact.indicator_defs import BY_KEY, Indicator, Value
from tierslieux.impact.models import (
    Impact,
    Judgement,
    Story,
    TeamFigure,
    Testimony,
    Verdict,
    YearAssessment,
)
from tierslieux.impact.periods import FIRST_YEAR, Period
from tierslieux.impact.services import framework_for
from tierslieux.places.models import Place


def _who(actor: Actor) -> Any:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def first_year(place: Place) -> int:
    """The earliest year a place's records could exist: its opening year when the sheet
    gives it, else the first year the indicators know."""
    opened = place.opening_date.year if place.opening_date else FIRST_YEAR
    return max(opened, FIRST_YEAR)


def check_year(place: Place, year: int) -> None:
    """A year from the place's first to the current one (a draft while it runs)."""
    if year > place.today().year:
        refuse(_("The year %(year)s has not begun: it cannot be assessed."), "year", year=year)
    if year < first_year(place):
        refuse(
            _("The place records nothing before %(first)s: choose a year from %(first)s."),
            "year",
            first=first_year(place),
        )


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def evidence_counts(place: Place, year: int) -> dict[str, int]:
    """Per impact key, the testimonies and stories of the year tagged with it (two queries;
    private ones count: the team judges with all it knows, the report shows only the
    publishable ones)."""
    first, last = _year_bounds(year)
    counts: dict[str, int] = {}
    testimonies = (
        Testimony.objects.filter(place=place, said_on__gte=first, said_on__lte=last)
        .values("impact_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in testimonies:
        counts[row["impact_key"]] = counts.get(row["impact_key"], 0) + row["n"]
    stories = Story.objects.filter(place=place, told_on__gte=first, told_on__lte=last)
    for keys in stories.values_list("impact_keys", flat=True):
        for key in set(keys or ()):
            counts[key] = counts.get(key, 0) + 1
    return counts


def year_values(place: Place, year: int) -> dict[str, Value]:
    """Every indicator of the place for the calendar year, live."""
    found = indicators.compute(Place.objects.filter(pk=place.pk), Period(year))
    return found.get(place.pk, {})


def _sync(assessment: YearAssessment, values: Mapping[str, Value]) -> list[Judgement]:
    """One judgement per impact of the place's framework, its suggestion computed from
    `values` and the year's evidence: new ones made; undecided ones refreshed, or dropped
    when the framework no longer has their impact. A decided one keeps its verdict while
    the suggestion it was decided against still holds (its sentences follow the figures);
    once the figures suggest another verdict it is to decide again (its reason, axes and
    note kept for the form). Returns the judgements decided again."""
    place = assessment.place
    evidence = evidence_counts(place, assessment.year)
    keys = list(framework_for(place).impacts.values_list("key", flat=True))
    present = {j.impact_key: j for j in assessment.judgements.all()}
    assessment.judgements.filter(verdict="").exclude(impact_key__in=keys).delete()
    new, changed, again = [], [], []
    for key in keys:
        found = suggestions.suggest(key, values, evidence.get(key, 0))
        judgement = present.get(key)
        if judgement is None:
            new.append(
                Judgement(
                    assessment=assessment,
                    impact_key=key,
                    suggested=found.verdict,
                    suggestion_reasons=found.notes,
                )
            )
            continue
        if (judgement.suggested, judgement.suggestion_reasons) == (found.verdict, found.notes):
            continue
        if judgement.verdict and judgement.suggested != found.verdict:
            judgement.verdict, judgement.decided_at, judgement.decided_by = "", None, None
            again.append(judgement)
        judgement.suggested, judgement.suggestion_reasons = found.verdict, found.notes
        changed.append(judgement)
    Judgement.objects.bulk_create(new)
    fields = ["suggested", "suggestion_reasons", "verdict", "decided_at", "decided_by"]
    Judgement.objects.bulk_update(changed, fields)
    return again


def _locked(assessment: YearAssessment) -> YearAssessment:
    return YearAssessment.objects.select_for_update().select_related("place").get(pk=assessment.pk)


def _refuse_confirmed(assessment: YearAssessment) -> None:
    if assessment.confirmed:
        refuse(
            _("The assessment of %(year)s is confirmed: reopen it to change it."),
            "confirmed",
            year=assessment.year,
        )


@transaction.atomic
def open_assessment(actor: Actor, place: Place, year: int) -> YearAssessment:
    """The year's assessment, made as a draft the first time; opening a draft again
    refreshes the suggestions not yet decided. A confirmed one is returned as it is."""
    check_year(place, year)
    assessment, created = YearAssessment.objects.get_or_create(place=place, year=year)
    assessment = _locked(assessment)
    if assessment.confirmed:
        return assessment
    again = _sync(assessment, year_values(place, year))
    audit.record(
        actor=actor,
        action="impact.year_assessment.open",
        obj=assessment,
        place_id=place.pk,
        changes={"year": year, "created": created, "decide_again": [j.impact_key for j in again]},
    )
    return assessment


@transaction.atomic
def decide(
    actor: Actor,
    judgement: Judgement,
    verdict: str,
    *,
    reason: str = "",
    axis_keys: Iterable[str] = (),
    note: str = "",
) -> Judgement:
    """The team's verdict on one impact. Departing from the suggestion needs a reason (the
    database refuses it too); the axes are the impact's own."""
    assessment = _locked(judgement.assessment)
    _refuse_confirmed(assessment)
    judgement = Judgement.objects.select_for_update().get(pk=judgement.pk)
    if verdict not in Verdict.values:
        refuse(_("Choose yes, no or not observed."), "verdict")
    reason, note, axes = reason.strip(), note.strip(), list(dict.fromkeys(axis_keys))
    if verdict != judgement.suggested and not reason:
        refuse(
            _("Say why you depart from the suggestion (“%(suggested)s”)."),
            "reason",
            suggested=Verdict(judgement.suggested).label,
        )
    impact = _impact(assessment.place, judgement.impact_key)
    known = set(impact.axes.values_list("key", flat=True)) if impact else set()
    if not set(axes) <= known:
        refuse(_("Choose among this impact's axes."), "axis_keys")
    judgement.verdict, judgement.reason, judgement.note = verdict, reason, note
    judgement.axis_keys = axes
    judgement.decided_at, judgement.decided_by_id = clock.now(), _who(actor)
    judgement.full_clean(exclude=["assessment", "decided_by", "suggestion_reasons", "axis_keys"])
    judgement.save()
    audit.record(
        actor=actor,
        action="impact.judgement.decide",
        obj=judgement,
        place_id=assessment.place_id,
        changes={
            "impact": judgement.impact_key,
            "verdict": verdict,
            "suggested": judgement.suggested,
            "overridden": judgement.overridden,
        },
    )
    return judgement


def _impact(place: Place, key: str) -> Impact | None:
    return framework_for(place).impacts.filter(key=key).first()


@transaction.atomic
def confirm(actor: Actor, assessment: YearAssessment, method: str) -> YearAssessment:
    """Confirm the year: every impact decided and the method stated; every indicator is
    computed again and frozen, so the report does not move when a late record lands."""
    assessment = _locked(assessment)
    _refuse_confirmed(assessment)
    method = method.strip()
    if not method:
        refuse(_("Say how the team judged: who, when, with what."), "method")
    values = year_values(assessment.place, assessment.year)
    again = _sync(assessment, values)  # the figures frozen are those the verdicts follow
    if again:
        titles = dict(framework_for(assessment.place).impacts.values_list("key", "title"))
        refuse(
            ngettext(
                "The figures changed since %(impacts)s was decided: its suggestion is no "
                "longer the same. Refresh the suggestions, then decide it again.",
                "The figures changed since %(impacts)s were decided: their suggestions are no "
                "longer the same. Refresh the suggestions, then decide them again.",
                len(again),
            ),
            "suggestion_changed",
            impacts=", ".join(
                _("“%(impact)s”") % {"impact": titles.get(j.impact_key, j.impact_key)}
                for j in again
            ),
        )
    undecided = list(assessment.judgements.filter(verdict="").values_list("impact_key", flat=True))
    if undecided:
        refuse(
            _("Decide every impact before confirming (%(count)s left)."),
            "undecided",
            count=len(undecided),
        )
    assessment.method, assessment.figures = method, figures.freeze(values)
    assessment.confirmed_at, assessment.confirmed_by_id = clock.now(), _who(actor)
    assessment.full_clean(exclude=["place", "confirmed_by"])
    assessment.save()
    audit.record(
        actor=actor,
        action="impact.year_assessment.confirm",
        obj=assessment,
        place_id=assessment.place_id,
        changes={"year": assessment.year, "figures": len(assessment.figures)},
    )
    return assessment


@transaction.atomic
def reopen(actor: Actor, assessment: YearAssessment, reason: str) -> YearAssessment:
    """Back to a draft, its report no longer public and its figures live again."""
    assessment = _locked(assessment)
    if not assessment.confirmed:
        refuse(
            _("The assessment of %(year)s is not confirmed."), "not_confirmed", year=assessment.year
        )
    reason = reason.strip()
    if not reason:
        refuse(_("Say why the assessment is reopened."), "reason")
    assessment.confirmed_at, assessment.confirmed_by, assessment.public = None, None, False
    assessment.figures = {}
    assessment.save()
    audit.record(
        actor=actor,
        action="impact.year_assessment.reopen",
        obj=assessment,
        place_id=assessment.place_id,
        changes={"year": assessment.year, "reason": reason[:500]},
    )
    return assessment


TEAM_FIGURE_FIELDS = ("label", "value", "unit", "method", "sample", "period")


@transaction.atomic
def add_figure(actor: Actor, judgement: Judgement, data: Mapping[str, Any]) -> TeamFigure:
    """A figure the team brings to a judgement. Without a method it is shown labelled as
    such; it never counts in the suggestion."""
    assessment = _locked(judgement.assessment)
    _refuse_confirmed(assessment)
    figure = TeamFigure(judgement=judgement)
    for name in TEAM_FIGURE_FIELDS:
        value = data.get(name, "")
        setattr(figure, name, value.strip() if isinstance(value, str) else value)
    figure.full_clean(exclude=["judgement"])
    figure.save()
    audit.record(
        actor=actor,
        action="impact.team_figure.create",
        obj=figure,
        place_id=assessment.place_id,
        changes={"impact": judgement.impact_key, "label": figure.label, "value": figure.value},
    )
    return figure


@transaction.atomic
def remove_figure(actor: Actor, figure: TeamFigure) -> None:
    assessment = _locked(figure.judgement.assessment)
    _refuse_confirmed(assessment)
    audit.record(
        actor=actor,
        action="impact.team_figure.remove",
        obj=figure,
        place_id=assessment.place_id,
        changes={"label": figure.label},
    )
    figure.delete()


# --- Reading ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """An indicator beside a judgement: its definition and its value (frozen or live)."""

    indicator: Indicator
    value: Value


@dataclass
class ImpactPage:
    impact: Impact | None
    key: str
    judgement: Judgement
    indicators: list[Figure] = field(default_factory=list)
    testimonies: list[Testimony] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.impact.title if self.impact else self.key


def assessment_page(
    place: Place,
    assessment: YearAssessment,
    values: Mapping[str, Value] | None = None,
    *,
    team: bool = True,
) -> list[ImpactPage]:
    """Per impact of the assessment, in the framework's order: the judgement with the
    team's figures, the indicators that speak for it (frozen when confirmed, else live or
    `values`) and the year's testimonies and stories tagged with it: private ones included
    for the place's `team` (its page marks them), else only those that may be published."""
    if assessment.confirmed:
        values = figures.thaw(assessment.figures)
    elif values is None:
        values = year_values(place, assessment.year)
    impacts = {i.key: i for i in framework_for(place).impacts.prefetch_related("axes")}
    order = {key: n for n, key in enumerate(impacts)}
    judgements = sorted(
        assessment.judgements.prefetch_related("figures"),
        key=lambda j: (order.get(j.impact_key, len(order)), j.pk),
    )
    first, last = _year_bounds(assessment.year)
    testimonies_qs = Testimony.objects.filter(place=place, said_on__gte=first, said_on__lte=last)
    stories_qs = Story.objects.filter(place=place, told_on__gte=first, told_on__lte=last)
    if not team:
        testimonies_qs, stories_qs = testimonies_qs.publishable(), stories_qs.publishable()
    testimonies, stories = list(testimonies_qs), list(stories_qs)
    pages = []
    for judgement in judgements:
        key = judgement.impact_key
        shown = [
            Figure(BY_KEY[k], values[k]) for k in indicators_of(key) if k in values and k in BY_KEY
        ]
        pages.append(
            ImpactPage(
                impacts.get(key),
                key,
                judgement,
                shown,
                [t for t in testimonies if t.impact_key == key],
                [s for s in stories if key in (s.impact_keys or ())],
            )
        )
    return pages
