"""A place's yearly impact assessments (`/manage/<slug>/impact/assessments/`): the years, one
year's judgements with their suggestion, figures and evidence, the team's own figures, and
the confirmation and reopening (each asked first). VIEW_FIGURES reads (a network sees the
published evidence only); MANAGE_IMPACT changes. Thin: `services_assessment` checks and
writes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import submit
from tierslieux.impact import indicator_rows, services
from tierslieux.impact import services_assessment as sa
from tierslieux.impact.forms_assessment import (
    ConfirmForm,
    JudgementForm,
    OpenForm,
    ReopenForm,
    TeamFigureForm,
)
from tierslieux.impact.models import Judgement, TeamFigure, YearAssessment
from tierslieux.impact.periods import FIRST_YEAR
from tierslieux.places import access
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

EDIT = Perm.MANAGE_IMPACT
DECIDE_FIELDS = {"verdict": "verdict", "reason": "reason", "axis_keys": "axis_keys"}


def _assessment(place: Place, year: int) -> YearAssessment:
    if not FIRST_YEAR <= year <= 9999:  # the column is a small integer: never ask beyond it
        raise Http404
    return get_object_or_404(YearAssessment, place=place, year=year)


def _posted(request: HttpRequest) -> Any:
    """The submitted data, even empty (an empty POST is a submitted form with errors)."""
    return request.POST if request.method == "POST" else None


def _year_url(place: Place, year: int, anchor: str = "") -> str:
    url = reverse("impact_manage:assessment", args=[place.slug, year])
    return f"{url}#impact-{anchor}" if anchor else url


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD", "POST"])
def years(request: HttpRequest, place: Place) -> HttpResponse:
    """The assessed years; POST opens a year (made as a draft, or refreshed)."""
    if request.method == "POST":
        access.require(request.user, place, EDIT)
    form = OpenForm(_posted(request), initial={"year": place.today().year - 1})
    opened: list[YearAssessment] = []
    if submit(
        request,
        form,
        lambda clean: opened.append(sa.open_assessment(request.user, place, clean["year"])),
        {"year": "year"},
    ):
        return redirect(_year_url(place, opened[0].year))
    found = list(YearAssessment.objects.filter(place=place))
    decided = {
        row["assessment"]: row["n"]
        for row in Judgement.objects.filter(assessment__place=place)
        .exclude(verdict="")
        .values("assessment")
        .annotate(n=Count("id"))
        .order_by()
    }
    totals = {
        row["assessment"]: row["n"]
        for row in Judgement.objects.filter(assessment__place=place)
        .values("assessment")
        .annotate(n=Count("id"))
        .order_by()
    }
    for item in found:
        item.decided = decided.get(item.pk, 0)  # type: ignore[attr-defined]
        item.total = totals.get(item.pk, 0)  # type: ignore[attr-defined]
    context = {"place": place, "form": form, "assessments": found, "first": sa.first_year(place)}
    return render(request, "impact/manage/assessment/years.html", context, form)


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    """The year: per impact the suggestion and its reasons, the indicators with their method,
    the team's figures, the evidence of the year, and the verdict's form (a draft, for the
    team). POST decides one impact (`impact` names it)."""
    found = _assessment(place, year)
    can_edit = access.has_perm(request.user, place, EDIT)
    posted = None
    if request.method == "POST":
        access.require(request.user, place, EDIT)
        posted = get_object_or_404(
            Judgement, assessment=found, impact_key=request.POST.get("impact", "")
        )
    pages = sa.assessment_page(place, found, team=can_edit)  # a network: published evidence
    bound = None
    for page in pages:
        page.rows = [indicator_rows.row(f.indicator, f.value) for f in page.indicators]  # type: ignore[attr-defined]
        axes = [(a.key, a.title) for a in page.impact.axes.all()] if page.impact else []
        page.axes = dict(axes)  # type: ignore[attr-defined]
        page.form = None  # type: ignore[attr-defined]
        if can_edit and not found.confirmed:
            data = request.POST if posted and posted.pk == page.judgement.pk else None
            form = JudgementForm(data, judgement=page.judgement, axes=axes)
            page.form = form  # type: ignore[attr-defined]
            if data is not None:
                bound = form
    if bound is not None and posted is not None:
        form = bound
        if submit(
            request,
            form,
            lambda clean: sa.decide(
                request.user,
                posted,
                clean["verdict"],
                reason=clean["reason"],
                axis_keys=clean.get("axis_keys") or (),
                note=clean["note"],
            ),
            DECIDE_FIELDS,
        ):
            messages.success(request, _("The verdict is recorded."))
            return redirect(_year_url(place, year, posted.impact_key))
    elif posted is not None:  # a confirmed year: nothing to decide
        messages.error(request, _("The assessment is confirmed: reopen it to change it."))
        return redirect(_year_url(place, year))
    undecided = sum(1 for page in pages if not page.judgement.verdict)
    context = {
        "place": place,
        "assessment": found,
        "pages": pages,
        "can_edit": can_edit,
        "undecided": undecided,
    }
    return render(request, "impact/manage/assessment/year.html", context, bound)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def figure_new(request: HttpRequest, place: Place, year: int, impact_key: str) -> HttpResponse:
    """A figure the team brings to one impact's judgement."""
    found = _assessment(place, year)
    judgement = get_object_or_404(Judgement, assessment=found, impact_key=impact_key)
    form = TeamFigureForm(_posted(request))
    fields = {name: name for name in form.fields}
    if submit(request, form, lambda clean: sa.add_figure(request.user, judgement, clean), fields):
        messages.success(request, _("The figure is added."))
        return redirect(_year_url(place, year, impact_key))
    impact = services.framework_for(place).impacts.filter(key=impact_key).first()
    context = {
        "place": place,
        "assessment": found,
        "judgement": judgement,
        "impact_title": impact.title if impact else impact_key,
        "form": form,
    }
    return render(request, "impact/manage/assessment/figure.html", context, form)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def figure_remove(request: HttpRequest, place: Place, year: int, figure_id: int) -> HttpResponse:
    """GET asks first; POST removes."""
    found = _assessment(place, year)
    figure = get_object_or_404(TeamFigure, pk=figure_id, judgement__assessment=found)
    if request.method == "POST":
        try:
            sa.remove_figure(request.user, figure)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed."))
        return redirect(_year_url(place, year, figure.judgement.impact_key))
    context = {"place": place, "assessment": found, "figure": figure}
    return render(request, "impact/manage/assessment/figure_remove.html", context)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    """Asks first: the method of the assessment, then POST confirms (figures frozen)."""
    found = _assessment(place, year)
    form = ConfirmForm(_posted(request), initial={"method": found.method})
    if submit(
        request,
        form,
        lambda clean: sa.confirm(request.user, found, clean["method"]),
        {"method": "method"},
    ):
        messages.success(request, _("The assessment is confirmed; its figures are frozen."))
        return redirect(_year_url(place, year))
    undecided = found.judgements.filter(verdict="").count()
    context = {"place": place, "assessment": found, "form": form, "undecided": undecided}
    return render(request, "impact/manage/assessment/confirm.html", context, form)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def reopen(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    """Asks first (why), then POST makes the year a draft again (its report unpublished)."""
    found = _assessment(place, year)
    form = ReopenForm(_posted(request))
    if submit(
        request,
        form,
        lambda clean: sa.reopen(request.user, found, clean["reason"]),
        {"reason": "reason"},
    ):
        messages.success(request, _("The assessment is a draft again."))
        return redirect(_year_url(place, year))
    context = {"place": place, "assessment": found, "form": form}
    return render(request, "impact/manage/assessment/reopen.html", context, form)
