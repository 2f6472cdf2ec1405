"""Collecting answers: the public answer page (`/s/<public_key>/`, no account), the personal
link of an invitation, the e-mail confirmation, and the team's pages to type in a paper form
and import a CSV file.

Statuses: a draft is 404 to the public (it does not exist yet for them); a closed or archived
survey is 410 Gone (the link existed and will not take answers again: a clear page says so);
a survey not open yet is a 200 page saying when it opens (the link is right, only early), and
a POST to it is refused with 403. Refused answers are 422 with everything typed kept; more
than `VISITOR_LIMIT` answers an hour from one address is 429.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from tierslieux.accounts.throttle import client_ip
from tierslieux.core import clock
from tierslieux.core.forms import attach_error, form_status
from tierslieux.surveys import questionnaire, services
from tierslieux.surveys import services_collect as collect
from tierslieux.surveys.forms_answer import AnswerForm, ConfirmedAnswerForm, EntryForm
from tierslieux.surveys.models import Invitation, Survey
from tierslieux.surveys.views import owner

PUBLIC_KEY = re.compile(r"[A-Za-z0-9_-]{1,32}")  # `models.new_public_key`'s alphabet


def _public_survey(public_key: str) -> Survey:
    if not PUBLIC_KEY.fullmatch(public_key):  # "%00" is no key, and PostgreSQL refuses it
        raise Http404
    survey = get_object_or_404(
        Survey.objects.select_related("place", "network"), public_key=public_key
    )
    if survey.status == Survey.Status.DRAFT:
        raise Http404
    return survey


def _person(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return None
    return getattr(request.user, "person", None)


def _unavailable(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    """The page of a survey that takes no answers now, or None when it does."""
    if survey.is_open():
        return None
    if (
        survey.status == Survey.Status.PUBLISHED
        and survey.opens_at
        and clock.now() < survey.opens_at
    ):
        status = 403 if request.method == "POST" else 200
        return render(request, "surveys/answer/not_open.html", {"survey": survey}, status=status)
    return render(request, "surveys/answer/closed.html", {"survey": survey}, status=410)


def _page(
    request: HttpRequest,
    survey: Survey,
    *,
    invitation: Invitation | None = None,
    action: str = "",
) -> HttpResponse:
    version = survey.current_version()
    if version is None:
        raise Http404
    questions = questionnaire.parse(version.definition)
    confirmed = survey.answer_rule == Survey.AnswerRule.CONFIRMED
    form_class = ConfirmedAnswerForm if confirmed else AnswerForm
    data = request.POST if request.method == "POST" else None
    form = form_class(questions, data, find_commune=services.find_commune)
    status = 200
    if data is not None:
        status = 422
        address = client_ip(request)
        limited = survey.answer_rule != Survey.AnswerRule.INVITED
        if limited and not collect.visitor_may_answer(survey, address):
            form.add_error(
                None, _("Too many answers from your connection in the last hour: try again later.")
            )
            status = 429
        elif form.is_valid():
            language = translation.get_language() or ""
            try:
                if confirmed:
                    collect.ask_confirmation(
                        survey=survey, raw=form.raw(), email=form.cleaned_data["email"],
                        person=_person(request), language=language,
                    )  # fmt: skip
                else:
                    services.answer_by_link(
                        survey=survey, raw=form.raw(), person=_person(request),
                        invitation=invitation, language=language,
                    )  # fmt: skip
            except ValidationError as error:
                _show(form, error)
            else:
                if limited:
                    collect.count_visitor_answer(survey, address)
                name = "surveys:sent" if confirmed else "surveys:thanks"
                return redirect(name, survey.public_key)
    context = {
        "survey": survey,
        "form": form,
        "sections": form.sections(),
        "confirmed": confirmed,
        "action": action or request.path,
    }
    return render(request, "surveys/answer/page.html", context, status=status)


def _show(form: AnswerForm, error: ValidationError) -> None:
    """A service's refusal on its question (or the e-mail field), else above the form."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            if form.questionnaire.question(key) is not None:
                form.show_error(key, " ".join(str(m) for e in errors for m in e.messages))
            else:
                form.add_error(key if key in form.fields else None, errors)
        return
    attach_error(form, error)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _public_survey(public_key)
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
    if survey.answer_rule == Survey.AnswerRule.INVITED:
        return render(request, "surveys/answer/invited_only.html", {"survey": survey}, status=403)
    return _page(request, survey)


@require_http_methods(["GET", "POST"])
def answer_invited(request: HttpRequest, public_key: str, token: str) -> HttpResponse:
    survey = _public_survey(public_key)
    invitation = collect.find_invitation(survey, token)
    if invitation is None or survey.answer_rule != Survey.AnswerRule.INVITED:
        raise Http404
    unavailable = _unavailable(request, survey)
    if unavailable is not None:
        return unavailable
    if invitation.answered:
        return render(request, "surveys/answer/used.html", {"survey": survey}, status=410)
    return _page(request, survey, invitation=invitation)


@require_safe
def thanks(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _public_survey(public_key)
    return render(request, "surveys/answer/thanks.html", {"survey": survey})


@require_safe
def sent(request: HttpRequest, public_key: str) -> HttpResponse:
    survey = _public_survey(public_key)
    return render(request, "surveys/answer/sent.html", {"survey": survey})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a mail scanner opening the link must not answer for the person);
    the POST writes the answers."""
    if request.method == "GET":
        return render(request, "surveys/answer/confirm.html", {"token": token})
    try:
        response = collect.confirm(token)
    except ValidationError as error:
        codes = {e.code for e in error.error_list} if hasattr(error, "error_list") else set()
        context = {"token": token, "error": " ".join(error.messages)}
        status = 404 if "unknown_link" in codes else 409
        return render(request, "surveys/answer/confirm.html", context, status=status)
    survey = response.survey
    return render(request, "surveys/answer/thanks.html", {"survey": survey, "confirmed": True})


# --- The team's pages: a paper form typed in, a CSV import -------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8, one column per question (the template gives them), 10 MB at most."
        ),
    )
    skip_refused = forms.BooleanField(
        label=gettext_lazy("Import the valid lines and leave out the refused ones"),
        required=False,
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > collect.MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return uploaded


def _team_survey(request: HttpRequest, slug: str, network_slug: str, survey_id: int) -> Any:
    found = owner.resolve(request, slug=slug, network_slug=network_slug)
    return found, found.survey(survey_id)


@login_required
@require_http_methods(["GET", "POST"])
def entry(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    """Type in a paper form: the same questions, and the day it was filled in."""
    found, survey = _team_survey(request, slug, network_slug, survey_id)
    version = survey.current_version()
    if version is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    initial = {"filled_on": clock.today(settings.TIME_ZONE)}
    form = EntryForm(
        questionnaire.parse(version.definition), data, find_commune=services.find_commune,
        initial=initial,
    )  # fmt: skip
    if data is not None and form.is_valid():
        try:
            services.answer_by_team(
                actor=request.user, survey=survey, raw=form.raw(),
                on=form.cleaned_data["filled_on"],
            )  # fmt: skip
        except ValidationError as error:
            _show(form, error)
        else:
            messages.success(request, _("The answers are recorded. Type in the next form."))
            return redirect(found.url("entry", survey.pk))
    context = {
        **found.context(request),
        "survey": survey,
        "form": form,
        "sections": form.sections(),
        "draft": survey.status == Survey.Status.DRAFT,
        "import_url": found.url("import", survey.pk),
    }
    return render(request, "surveys/manage/entry.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def import_answers(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    """A dry run (`check`) reports each line, kept or refused and why; `import` writes all the
    lines, or the kept ones when asked, or nothing."""
    found, survey = _team_survey(request, slug, network_slug, survey_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, imported, status = None, None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                if request.POST.get("action") == "import":
                    report, imported = collect.import_answers(
                        actor=request.user, survey=survey, data=data,
                        skip_refused=form.cleaned_data["skip_refused"],
                    )  # fmt: skip
                else:
                    report = collect.read_import(survey, data)
            except ValidationError as error:
                attach_error(form, error)
            else:
                status = 200 if not report.refused or imported else 422
                if imported:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s answer imported.", "%(count)s answers imported.", imported
                        )
                        % {"count": imported},
                    )
    context = {
        **found.context(request),
        "survey": survey,
        "form": form,
        "report": report,
        "imported": imported,
        "lines": _report_lines(survey, report) if report else [],
        "template_url": found.url("import_template", survey.pk),
        "entry_url": found.url("entry", survey.pk),
    }
    return render(request, "surveys/manage/import.html", context, status=status)


def _report_lines(survey: Survey, report: collect.ImportReport) -> list[dict[str, Any]]:
    version = survey.current_version()
    labels = {}
    if version is not None:
        labels = {q.key: q.label for q in questionnaire.parse(version.definition).questions()}
    return [
        {
            "number": line.number,
            "kept": line.kept,
            "errors": [
                (key, labels.get(key, key), message) for key, message in line.errors.items()
            ],
        }
        for line in report.lines
    ]


@login_required
@require_safe
def import_template(
    request: HttpRequest, survey_id: int, slug: str = "", network_slug: str = ""
) -> HttpResponse:
    """The header row of an import file, to fill in with a spreadsheet."""
    _found, survey = _team_survey(request, slug, network_slug, survey_id)
    version = survey.current_version()
    if version is None:
        raise Http404
    text = collect.template_csv(questionnaire.parse(version.definition))
    response = HttpResponse(text.encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-import.csv"'
    return response


public_urls = [
    path("confirm/<str:token>/", confirm, name="confirm"),
    path("<str:public_key>/", answer, name="answer"),
    path("<str:public_key>/i/<str:token>/", answer_invited, name="invited"),
    path("<str:public_key>/thanks/", thanks, name="thanks"),
    path("<str:public_key>/sent/", sent, name="sent"),
]
owner_urls = [
    path("<int:survey_id>/entry/", entry, name="entry"),
    path("<int:survey_id>/import/", import_answers, name="import"),
    path("<int:survey_id>/import/template.csv", import_template, name="import_template"),
]
