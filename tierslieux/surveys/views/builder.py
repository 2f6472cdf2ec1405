"""The builder's pages for a place's team and a network's administrators: the surveys, a new
one, a survey's home and settings, its preview, publishing and archiving (asked first), and
the QR code of its public link. The question editor is in `builder_editor`, the invitations
in `builder_invitations`."""

from __future__ import annotations

from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from tierslieux.core.forms import attach_error
from tierslieux.surveys import questionnaire, services, services_templates
from tierslieux.surveys.forms_builder import CreateForm, NoticeForm, SettingsForm
from tierslieux.surveys.models import Survey
from tierslieux.surveys.services_builder import has_answers
from tierslieux.surveys.services_invitations import public_link
from tierslieux.surveys.templates_builtin import BUILTIN
from tierslieux.surveys.views import builder_editor, builder_invitations
from tierslieux.surveys.views.builder_common import (
    go,
    owner_view,
    page,
    refused,
    survey_view,
    timezone_of,
)
from tierslieux.surveys.views.owner import Owner


def builtin_choices() -> list[dict[str, str]]:
    """The built-in questionnaires one may start from, each with its source."""
    return [
        {
            "key": key,
            "title": str(template.title),
            "description": str(template.description),
            "source": str(template.source),
        }
        for key, template in BUILTIN.items()
    ]


@owner_view
def survey_list(request: HttpRequest, owner: Owner) -> HttpResponse:
    surveys = owner.surveys().annotate(answers=Count("responses"))
    with timezone.override(timezone_of(owner)):
        return page(request, owner, "surveys/manage/list.html", {"surveys": surveys})


@owner_view
def create(request: HttpRequest, owner: Owner) -> HttpResponse:
    """A blank survey (`title`), or one copied from a built-in questionnaire (`template`,
    posted by `_templates.html`)."""
    if request.method == "POST" and "template" in request.POST:
        return _from_template(request, owner)
    form = CreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            survey = services.create_survey(
                actor=request.user, title=form.cleaned_data["title"], place=owner.place,
                network=owner.network,
            )  # fmt: skip
        except ValidationError as error:
            attach_error(form, error)
        else:
            return go(owner, "questions", survey.pk)
    context = {"form": form, "builtin": builtin_choices()}
    return page(request, owner, "surveys/manage/create.html", context, form)


def _from_template(request: HttpRequest, owner: Owner) -> HttpResponse:
    key = request.POST.get("template", "")
    refusal = NoticeForm()
    if key not in BUILTIN:
        refused(refusal, ValidationError(_("Choose one of the questionnaires below.")))
    else:
        try:
            survey = services_templates.create_from_template(
                actor=request.user, place=owner.place, network=owner.network, key=key
            )
        except ValidationError as error:
            refused(refusal, error)
        else:
            return go(owner, "detail", survey.pk)
    context = {"form": CreateForm(), "refusal": refusal, "builtin": builtin_choices()}
    return page(request, owner, "surveys/manage/create.html", context, refusal)


def _counts(survey: Survey) -> dict[str, int]:
    invitations = survey.invitations.aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(answered=True))
    )
    return {
        "answers": survey.responses.count(),
        "versions": survey.versions.count(),
        "invited": invitations["total"],
        "invitations_used": invitations["used"],
    }


@survey_view
def detail(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    version = survey.current_version()
    parsed = questionnaire.parse(version.definition if version else {"sections": []})
    context = {
        "survey": survey,
        "version": version,
        "questions": len(parsed.questions()),
        "counts": _counts(survey),
        "public_link": public_link(survey),
        "answered_version": has_answers(version),
        "is_open": survey.is_open(),
    }
    with timezone.override(timezone_of(owner)):
        return page(request, owner, "surveys/manage/detail.html", context)


@survey_view
def settings_page(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    tz = timezone_of(owner)
    initial = {name: getattr(survey, name) for name in services.SETTINGS_FIELDS}
    data = request.POST if request.method == "POST" else None
    form = SettingsForm(data, initial=initial, tz=tz)
    if form.is_valid():
        try:
            services.update_settings(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error, {"anonymity_locked": "anonymous", "dates": "closes_at"})
        else:
            return go(owner, "detail", survey.pk)
    context = {"survey": survey, "form": form, "locked": survey.responses.exists()}
    return page(request, owner, "surveys/manage/settings.html", context, form)


def explained(parsed: questionnaire.Questionnaire) -> list[dict[str, Any]]:
    """The sections and questions as the public page shows them, each condition in words."""
    sections = []
    for section in parsed.sections:
        questions = []
        for question in section.questions:
            condition = None
            if question.condition is not None:
                source = parsed.question(question.condition.question)
                condition = {
                    "question": source.label if source else question.condition.question,
                    "answers": [
                        source.choice_label(key) if source else key
                        for key in question.condition.any_of
                    ],
                }
            questions.append({"q": question, "condition": condition})
        sections.append({"section": section, "questions": questions})
    return sections


@survey_view
def preview(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    version = survey.current_version()
    parsed = questionnaire.parse(version.definition if version else {"sections": []})
    context = {"survey": survey, "sections": explained(parsed), "version": version}
    return page(request, owner, "surveys/manage/preview.html", context)


def _status_change(request: HttpRequest, owner: Owner, survey: Survey, action: str) -> HttpResponse:
    form = NoticeForm()  # carries a refusal, if any
    if request.method == "POST":
        change = services.publish if action == "publish" else services.archive
        try:
            change(actor=request.user, survey=survey)
        except ValidationError as error:
            refused(form, error)
        else:
            return go(owner, "detail", survey.pk)
    allowed = {
        "publish": survey.status == Survey.Status.DRAFT,
        "archive": survey.status == Survey.Status.PUBLISHED,
    }[action]
    context = {"survey": survey, "action": action, "form": form, "allowed": allowed}
    return page(request, owner, "surveys/manage/confirm.html", context, form)


@survey_view
def publish(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    return _status_change(request, owner, survey, "publish")


@survey_view
def archive(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    return _status_change(request, owner, survey, "archive")


@survey_view
def qr_code(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    """The public link as a QR code to print (inline SVG: no script, no outside image)."""
    link = public_link(survey)
    svg = segno.make(link, error="m").svg_inline(scale=8, title=survey.title)
    context = {"survey": survey, "link": link, "svg": svg}
    return page(request, owner, "surveys/manage/qr.html", context)


owner_urls: list[URLPattern] = [
    path("", survey_list, name="list"),
    path("new/", create, name="create"),
    path("<int:survey_id>/", detail, name="detail"),
    path("<int:survey_id>/settings/", settings_page, name="settings"),
    path("<int:survey_id>/preview/", preview, name="preview"),
    path("<int:survey_id>/publish/", publish, name="publish"),
    path("<int:survey_id>/archive/", archive, name="archive"),
    path("<int:survey_id>/qr/", qr_code, name="qr"),
    *builder_editor.owner_urls,
    *builder_invitations.owner_urls,
]
public_urls: list[URLPattern] = []
