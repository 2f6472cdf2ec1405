"""A survey's results for its team: per question a chart and its table (`surveys.results`,
counted in SQL), the cross-tabulation of two questions, the free texts (searchable, tagged by
the team) and the exports. Written once for a place's and a network's surveys
(`owner.resolve`); another owner's survey is not found (404).

Anonymous surveys: small groups hidden (`results_shapes.MIN_GROUP`), free texts shown with
their day only, exports without person or invitation.
"""

from __future__ import annotations

import importlib
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierslieux.core import formatting
from tierslieux.core.forms import attach_error, form_status
from tierslieux.core.search import Fold, fold
from tierslieux.observatory import charts
from tierslieux.surveys import exports, services_tags
from tierslieux.surveys import results as survey_results
from tierslieux.surveys.models import Survey, SurveyVersion, Tag
from tierslieux.surveys.questionnaire import Kind
from tierslieux.surveys.views.owner import Owner, resolve

BAD_PARAMETER = 400
TEXTS_PER_PAGE = 50
DONUT_MAX = 6  # a single choice with more answers reads better as bars


class BadParameter(ValueError):
    pass


def _frame(
    request: HttpRequest, owner: Owner, survey: Survey, body: str, **extra: Any
) -> dict[str, Any]:
    context = owner.context(request)
    context.update(survey=survey, body=body, urls=_urls(owner, survey), **extra)
    return context


def _urls(owner: Owner, survey: Survey) -> dict[str, str]:
    return {
        name: owner.url(f"results{suffix}", survey.pk)
        for name, suffix in (("results", ""), ("crosstab", "_crosstab"), ("texts", "_texts"))
    } | {fmt: owner.url(f"results_{fmt}", survey.pk) for fmt in ("csv", "xlsx")}


def _version(survey: Survey, value: str) -> SurveyVersion | None:
    if not value or value == "all":
        return None
    version = survey.versions.filter(number=value).first() if value.isdigit() else None
    if version is None:
        raise BadParameter(_("This survey has no version %(number)s.") % {"number": value[:10]})
    return version


def _where(found: survey_results.Scope, value: str) -> tuple[str, str] | None:
    if not value:
        return None
    key, _sep, choice = value.partition(":")
    question = found.questionnaire.question(key)
    if question is None or question.kind not in (Kind.SINGLE, Kind.MULTIPLE):
        raise BadParameter(_("Filter on the answer to a choice question."))
    if choice not in question.choice_keys():
        raise BadParameter(_("This answer is not one of the question’s choices."))
    return key, choice


def _filters(found: survey_results.Scope) -> list[tuple[str, str]]:
    """The answers one may filter on: (value, "question: choice")."""
    return [
        (f"{q.key}:{key}", f"{q.label}{formatting.colon()} {q.choice_label(key)}")
        for q in found.questionnaire.questions()
        if q.kind in (Kind.SINGLE, Kind.MULTIPLE)
        for key in q.choice_keys()
    ]


def _chart(result: survey_results.QuestionResult) -> str:
    series = [(line.label, line.count) for line in result.lines if line.count is not None]
    if result.hidden or not result.answered or not series:
        return ""
    kind = result.question.kind
    if kind == Kind.RANKING:
        firsts = [(line.label, line.first or 0) for line in result.lines if line.first is not None]
        return charts.bar_chart(_("Put first"), firsts)
    if kind == Kind.SINGLE and len(series) <= DONUT_MAX:
        return charts.donut_chart(result.question.label, series)
    return charts.bar_chart(result.question.label, series)


def extra_panels(survey: Survey, version: SurveyVersion | None) -> list[tuple[str, str]]:
    """Panels another module adds above the questions (the mobility survey's modal split):
    `surveys.mobility_results.extra_panels(survey, version)`, when that module exists."""
    try:
        module = importlib.import_module("tierslieux.surveys.mobility_results")
    except ImportError:
        return []
    extra = getattr(module, "extra_panels", None)
    return list(extra(survey, version)) if callable(extra) else []


@login_required
def results(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    owner = resolve(request, slug=slug, network_slug=network_slug)
    survey = owner.survey(survey_id)
    error, status = "", 200
    try:
        version = _version(survey, request.GET.get("version", ""))
        found = survey_results.scope(survey, version)
        where = _where(found, request.GET.get("where", ""))
    except BadParameter as bad:
        error, status, version, where = str(bad), BAD_PARAMETER, None, None
        found = survey_results.scope(survey)
    shown = survey_results.results(survey, version, where)
    context = _frame(
        request,
        owner,
        survey,
        "surveys/results/results.html",
        results=shown,
        error=error,
        version=version,
        where=where,
        versions=list(survey.versions.order_by("number").values_list("number", flat=True)),
        filters=_filters(found),
        where_value=":".join(where) if where else "",
        questions=[(r, _chart(r)) for r in shown.questions],
        panels=extra_panels(survey, version),
    )
    return render(request, "surveys/results/frame.html", context, status=status)


@login_required
def crosstab(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    owner = resolve(request, slug=slug, network_slug=network_slug)
    survey = owner.survey(survey_id)
    error, status, table = "", 200, None
    try:
        version = _version(survey, request.GET.get("version", ""))
    except BadParameter as bad:
        error, status, version = str(bad), BAD_PARAMETER, None
    found = survey_results.scope(survey, version)
    crossable = [q for q in found.questionnaire.questions() if q.kind in survey_results.CROSSABLE]
    rows, columns = request.GET.get("rows", ""), request.GET.get("columns", "")
    if rows or columns:
        try:
            table = survey_results.crosstab(found, rows, columns)
        except ValueError as bad:
            error, status = str(bad), BAD_PARAMETER
    context = _frame(
        request,
        owner,
        survey,
        "surveys/results/crosstab.html",
        crossable=crossable,
        table=table,
        error=error,
        rows=rows,
        columns=columns,
        version=version,
        versions=list(survey.versions.order_by("number").values_list("number", flat=True)),
    )
    return render(request, "surveys/results/frame.html", context, status=status)


class TagForm(forms.Form):
    answers = forms.TypedMultipleChoiceField(label=_("Answers"), coerce=int)
    name = forms.CharField(label=_("Tag"), max_length=services_tags.MAX_NAME)


def _texts(survey: Survey, request: HttpRequest) -> Any:
    found = services_tags.free_texts(survey).select_related("response", "response__person")
    found = found.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    if question := request.GET.get("question", ""):
        found = found.filter(question=question)
    if tag := request.GET.get("tag", ""):
        found = found.filter(tags__name=tag)
    if search := request.GET.get("q", "").strip()[:100]:
        found = found.annotate(folded=Fold("text")).filter(folded__contains=fold(search))
    order = ("text", "pk") if survey.anonymous else ("-pk",)
    return found.order_by("-response__submitted_on", *order)


@login_required
@require_http_methods(["GET", "POST"])
def texts(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    owner = resolve(request, slug=slug, network_slug=network_slug)
    survey = owner.survey(survey_id)
    found = _texts(survey, request)
    page = Paginator(found, TEXTS_PER_PAGE).get_page(request.GET.get("page"))
    form = TagForm(request.POST if request.method == "POST" and "name" in request.POST else None)
    answers_field: Any = form.fields["answers"]
    answers_field.choices = [(a.pk, a.pk) for a in page.object_list]
    error = ""
    if request.method == "POST":
        try:
            if "untag" in request.POST:
                answer_id, _sep, tag_id = request.POST["untag"].partition(":")
                if not (answer_id.isdigit() and tag_id.isdigit()):
                    raise ValidationError(_("This answer does not carry this tag."))
                services_tags.untag(
                    actor=request.user, survey=survey, answer_id=int(answer_id), tag_id=int(tag_id)
                )
                return redirect(request.get_full_path())
            if form.is_valid():
                services_tags.tag(
                    actor=request.user,
                    survey=survey,
                    answer_ids=form.cleaned_data["answers"],
                    name=form.cleaned_data["name"],
                )
                return redirect(request.get_full_path())
        except ValidationError as refused:
            if form.is_bound:
                attach_error(form, refused)
            else:
                error = " ".join(refused.messages)
    questions = survey_results.scope(survey).questionnaire.questions()
    context = _frame(
        request,
        owner,
        survey,
        "surveys/results/texts.html",
        page=page,
        form=form,
        error=error,
        items=_items(survey, page.object_list, questions, form),
        tags=survey.tags.order_by("name"),
        text_questions=[q for q in questions if q.kind == Kind.TEXT or q.other],
        search=request.GET.get("q", ""),
        question=request.GET.get("question", ""),
        tag=request.GET.get("tag", ""),
        query=_query(request),
    )
    status = 422 if error else form_status(form)
    return render(request, "surveys/results/frame.html", context, status=status)


def _items(survey: Survey, answers: Any, questions: Any, form: TagForm) -> list[dict[str, Any]]:
    """What the page shows of each text: its question, its day, and in a survey that is not
    anonymous the person who wrote it."""
    labels = {q.key: q.label for q in questions}
    ticked = {str(v) for v in (form["answers"].value() or [])} if form.is_bound else set()
    items = []
    for answer in answers:
        person = answer.response.person if not survey.anonymous else None
        label = labels.get(answer.question, answer.question)
        if answer.choice:
            label = f"{label} — {_('Other')}"
        items.append(
            {
                "answer": answer,
                "label": label,
                "day": answer.response.submitted_on,
                "person": f"{person.first_name} {person.last_name}".strip() if person else "",
                "checked": str(answer.pk) in ticked,
            }
        )
    return items


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _export(
    request: HttpRequest, survey_id: int, fmt: str, slug: str, network_slug: str
) -> HttpResponse:
    owner = resolve(request, slug=slug, network_slug=network_slug)
    survey = owner.survey(survey_id)
    if fmt == "csv":
        body, kind = exports.answers_csv(survey), "text/csv; charset=utf-8"
    else:
        body = exports.answers_xlsx(survey)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-answers.{fmt}"'
    return response


@login_required
def export_csv(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    """Every response, one row each (French spreadsheets: ";", decimal comma)."""
    return _export(request, survey_id, "csv", slug, network_slug)


@login_required
def export_xlsx(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    """Every response, and a second sheet of each question's counts."""
    return _export(request, survey_id, "xlsx", slug, network_slug)


public_urls: list[Any] = []
owner_urls = [
    path("<int:survey_id>/results/", results, name="results"),
    path("<int:survey_id>/results/crosstab/", crosstab, name="results_crosstab"),
    path("<int:survey_id>/results/texts/", texts, name="results_texts"),
    path("<int:survey_id>/results/csv/", export_csv, name="results_csv"),
    path("<int:survey_id>/results/xlsx/", export_xlsx, name="results_xlsx"),
]
