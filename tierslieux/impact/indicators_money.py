"""Indicators from the spaces, the sheet, the accounts and the surveys: occupancy (as
`activity` computes it, for all the places in one pass), jobs on site, revenue mix and
public-funding share (as `observatory.figures` defines them, per place), satisfaction and
mobility from the place's surveys."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, F, Max, Sum, When
from django.utils.translation import gettext as _

from tierslieux.activity import queries as activity
from tierslieux.billing.models import Customer, Family, Funding, Invoice, InvoiceLine
from tierslieux.impact.indicator_defs import Value, missing
from tierslieux.impact.indicators_base import Found, Scope, share
from tierslieux.places.models import TeamMember
from tierslieux.surveys import mobility
from tierslieux.surveys.mobility import Commute, Mode
from tierslieux.surveys.models import Answer, Survey
from tierslieux.surveys.results_shapes import MIN_GROUP
from tierslieux.surveys.templates_builtin import DISTANCE, MOBILITY_DAYS

SATISFACTION = ("satisfaction", "satisfaction")  # (template, question)
MOBILITY = "mobility"
SCORE = Decimal("0.1")


def occupancy(scope: Scope) -> Found:
    """Booked over open unit-hours of each place's spaces over the period's months, from
    `activity.queries.occupancy` (a constant number of statements for all the places)."""
    months = activity.occupancy(scope.places, scope.period.last, scope.period.months)
    found = scope.empty()
    for pk, values in found.items():
        figures = months.get(pk)
        booked = sum(sum(s.booked) for s in figures.spaces) if figures else 0.0
        available = sum(sum(s.available) for s in figures.spaces) if figures else 0.0
        rate = share(booked, available)
        values["occupancy"] = (
            Value(rate, basis=round(available / 3600))
            if rate is not None
            else missing(_("Nothing was open: no opening hours or no bookable space."))
        )
    return found


def jobs(scope: Scope) -> Found:
    """The resource team's full-time equivalents on the sheet (not dated)."""
    rows = {
        row["place_id"]: row
        for row in TeamMember.objects.filter(place_id__in=scope.ids)
        .values("place_id")
        .annotate(fte=Sum("fte"), people=Sum("people"))
        .order_by()
    }
    found = scope.empty()
    for pk, values in found.items():
        row = rows.get(pk)
        values["jobs_fte"] = (
            Value(row["fte"], basis=row["people"])
            if row
            else missing(_("The place's sheet declares no team."))
        )
    return found


def revenue(scope: Scope) -> Found:
    """Net revenue by family and the public-funding share of each place, as
    `observatory.figures.revenue_tables` reads them for a network (issued invoices and
    credit notes by issue date, fundings by date received; public: public funders and
    invoices to public bodies)."""
    first, last = scope.period.first, scope.period.last
    by_family: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    public: dict[int, Decimal] = defaultdict(Decimal)
    for row in (
        InvoiceLine.objects.filter(
            invoice__place_id__in=scope.ids,
            invoice__status=Invoice.Status.ISSUED,
            invoice__issue_date__gte=first,
            invoice__issue_date__lte=last,
        )
        .values("family", p=F("invoice__place_id"), kind=F("invoice__customer__kind"))
        .annotate(net=Sum("net"))
        .order_by()
    ):
        by_family[row["p"]][row["family"]] += row["net"]
        if row["kind"] == Customer.Kind.PUBLIC_BODY:
            public[row["p"]] += row["net"]
    for funding in (
        Funding.objects.filter(
            place_id__in=scope.ids, received_on__gte=first, received_on__lte=last
        )
        .values("family", "public", p=F("place_id"))
        .annotate(net=Sum("amount"))
        .order_by()
    ):
        by_family[funding["p"]][funding["family"]] += funding["net"]
        if funding["public"]:
            public[funding["p"]] += funding["net"]
    nothing = _("Nothing invoiced nor received in the period.")
    found = scope.empty()
    for pk, values in found.items():
        families = by_family.get(pk, {})
        total = sum(families.values(), Decimal(0))
        if not total:
            for key in ("revenue_total", "revenue_mix", "public_funding_share"):
                values[key] = missing(nothing)
            continue
        values["revenue_total"] = Value(total)
        values["revenue_mix"] = Value(
            {
                family: {
                    "amount": families.get(family, Decimal(0)),
                    "share": share(families.get(family, 0), total),
                }
                for family in Family.values
            }
        )
        values["public_funding_share"] = Value(share(public.get(pk, 0), total))
    return found


def _counted(survey_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The surveys whose figures may be shown: an anonymous one needs `MIN_GROUP` answers."""
    return [row for row in survey_rows if not row["anonymous"] or row["n"] >= MIN_GROUP]


def _answers(scope: Scope, template: str) -> Any:
    """Answers to the places' own surveys made from `template`, not drafts, given in the
    period (a network's survey belongs to no place and is left out)."""
    return Answer.objects.filter(
        survey__place_id__in=scope.ids,
        survey__template=template,
        response__submitted_on__gte=scope.period.first,
        response__submitted_on__lte=scope.period.last,
    ).exclude(survey__status=Survey.Status.DRAFT)


def _satisfaction(scope: Scope) -> dict[int, Value]:
    template, question = SATISFACTION
    rows = (
        _answers(scope, template)
        .filter(question=question, number__isnull=False)
        .values(p=F("survey__place_id"), s=F("survey_id"), anonymous=F("survey__anonymous"))
        .annotate(n=Count("response_id", distinct=True), total=Sum("number"), k=Count("id"))
        .order_by()
    )
    per_place: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        per_place[row["p"]].append(row)
    result = {}
    for pk, surveys in per_place.items():
        kept = _counted(surveys)
        answers = sum(row["k"] for row in kept)
        if answers:
            mean = (sum(row["total"] for row in kept) / answers).quantize(SCORE, ROUND_HALF_UP)
            result[pk] = Value(mean, basis=sum(row["n"] for row in kept))
        else:
            result[pk] = missing(_("Fewer than 5 answers to the anonymous survey."))
    return result


def _commutes(scope: Scope) -> dict[int, list[Commute] | None]:
    """Each place's commutes (None: only anonymous surveys with too few answers)."""
    rows = (
        _answers(scope, MOBILITY)
        .filter(question__in=[DISTANCE, *MOBILITY_DAYS.values()])
        .values(p=F("survey__place_id"), s=F("survey_id"), anonymous=F("survey__anonymous"))
        .annotate(
            km=Max(Case(When(question=DISTANCE, then="number"))),
            **{
                mode.value: Max(Case(When(question=key, then="number")))
                for mode, key in MOBILITY_DAYS.items()
            },
        )
        .values("p", "s", "anonymous", "response_id", "km", *(m.value for m in Mode))
        .order_by()
    )
    surveys: dict[tuple[int, int, bool], list[Commute]] = defaultdict(list)
    modes = [(mode, mode.value) for mode in Mode]  # not the enum's iteration a row
    for row in rows:
        days = {mode: row[value] for mode, value in modes if row[value] is not None}
        surveys[(row["p"], row["s"], row["anonymous"])].append(Commute(days=days, km=row["km"]))
    result: dict[int, list[Commute] | None] = {}
    for (pk, _survey, anonymous), commutes in surveys.items():
        kept = result.get(pk)
        if anonymous and len(commutes) < MIN_GROUP:
            result.setdefault(pk, None)
            continue
        result[pk] = [*(kept or []), *commutes]
    return result


def surveys(scope: Scope) -> Found:
    """Satisfaction mean (1 to 5), modal split (share of trips by mode) and the mean yearly
    kg CO₂e of a respondent's trips."""
    satisfaction, commutes = _satisfaction(scope), _commutes(scope)
    no_survey = _("No answer in the period to a survey made from this template.")
    too_few = _("Fewer than 5 answers to the anonymous survey.")
    found = scope.empty()
    for pk, values in found.items():
        values["satisfaction_mean"] = satisfaction.get(pk, missing(no_survey))
        if pk not in commutes:
            values["modal_split"] = values["commute_co2"] = missing(no_survey)
            continue
        given = commutes[pk]
        if given is None:
            values["modal_split"] = values["commute_co2"] = missing(too_few)
            continue
        summary = mobility.summarise(given)
        values["modal_split"] = (
            Value({str(mode): value for mode, value in summary.split.items()}, basis=len(given))
            if any(c.travels for c in given)
            else missing(_("No trip in the answers."))
        )
        values["commute_co2"] = (
            Value(summary.average_co2, basis=summary.estimated)
            if summary.average_co2 is not None
            else missing(_("No distance given in the answers."))
        )
    return found


__all__ = ["jobs", "occupancy", "revenue", "surveys"]
