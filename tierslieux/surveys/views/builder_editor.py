"""The question editor, without script: each change is a plain form posted to its own URL,
saved through `services_builder.change` (a version that has answers is kept as it was and the
change goes into a new version: the page says so)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from tierslieux.core.forms import Form
from tierslieux.surveys import editing, questionnaire
from tierslieux.surveys.forms_builder import (
    KIND_LABELS,
    NewQuestionForm,
    NoticeForm,
    QuestionForm,
    SectionForm,
)
from tierslieux.surveys.models import Survey
from tierslieux.surveys.questionnaire import Kind
from tierslieux.surveys.services_builder import Edit, Saved, change, has_answers
from tierslieux.surveys.views.builder_common import go, page, refused, survey_view
from tierslieux.surveys.views.owner import Owner


def _definition(survey: Survey) -> dict[str, Any]:
    version = survey.current_version()
    return version.definition if version is not None else {"sections": []}


def _save(request: HttpRequest, survey: Survey, edit: Edit, form: Form) -> Saved | None:
    """Apply `edit`; a refusal goes on `form` (which then answers 422), a stale key is a 404."""
    try:
        saved = change(actor=request.user, survey=survey, edit=edit)
    except editing.NotFound:
        raise Http404 from None
    except ValidationError as error:
        refused(form, error)  # type: ignore[arg-type]
        return None
    if saved.new_version:
        messages.info(
            request,
            _(
                "People had answered: version %(n)s holds the new questions, the answers keep "
                "their version."
            )
            % {"n": saved.version.number},
        )
    return saved


def _editor(
    request: HttpRequest,
    owner: Owner,
    survey: Survey,
    *,
    section_form: SectionForm | None = None,
    move_form: NoticeForm | None = None,
) -> HttpResponse:
    version = survey.current_version()
    definition = _definition(survey)
    parsed = questionnaire.parse(definition)
    sections = []
    for section in parsed.sections:
        sections.append(
            {
                "section": section,
                "questions": section.questions,
                "new": NewQuestionForm(initial={"section": section.key}),
            }
        )
    context = {
        "survey": survey,
        "version": version,
        "answered": has_answers(version),
        "sections": sections,
        "section_form": section_form or SectionForm(),
        "move_form": move_form,
        "kinds": KIND_LABELS,
        "archived": survey.status == Survey.Status.ARCHIVED,
    }
    return page(request, owner, "surveys/manage/editor.html", context, section_form, move_form)


@survey_view
def editor(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    """The questions, section by section; POST adds a section."""
    form = SectionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        title, intro = form.cleaned_data["title"], form.cleaned_data["intro"]
        if _save(
            request, survey, lambda d, taken: editing.add_section(d, title, intro, taken), form
        ):
            return go(owner, "questions", survey.pk)
    return _editor(request, owner, survey, section_form=form)


@survey_view
def move(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    """One section or question a place up or down (POST `section` or `question`, `delta`)."""
    if request.method != "POST":
        return go(owner, "questions", survey.pk)
    delta = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    section, question = request.POST.get("section", ""), request.POST.get("question", "")
    if delta is None or not (section or question):
        raise Http404
    form = NoticeForm()
    if question:
        edit: Edit = lambda d, _taken: editing.move_question(d, question, delta)  # noqa: E731
    else:
        edit = lambda d, _taken: editing.move_section(d, section, delta)  # noqa: E731
    if _save(request, survey, edit, form):
        return go(owner, "questions", survey.pk, anchor=question or section)
    return _editor(request, owner, survey, move_form=form)


@survey_view
def section_edit(request: HttpRequest, owner: Owner, survey: Survey, section: str) -> HttpResponse:
    definition = _definition(survey)
    current = next((s for s in definition["sections"] if s["key"] == section), None)
    if current is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = SectionForm(data, initial={"title": current["title"], "intro": current.get("intro")})
    if form.is_valid():
        title, intro = form.cleaned_data["title"], form.cleaned_data["intro"]
        edit: Edit = lambda d, _t: editing.update_section(d, section, title, intro)  # noqa: E731
        if _save(request, survey, edit, form):
            return go(owner, "questions", survey.pk, anchor=section)
    context = {"survey": survey, "form": form, "section": current}
    return page(request, owner, "surveys/manage/section.html", context, form)


def _remove(
    request: HttpRequest, owner: Owner, survey: Survey, what: dict[str, Any], edit: Edit
) -> HttpResponse:
    form = NoticeForm()
    if request.method == "POST" and _save(request, survey, edit, form):
        return go(owner, "questions", survey.pk)
    context = {
        "survey": survey,
        "what": what,
        "form": form,
        "answered": has_answers(survey.current_version()),
        "dependants": what.get("dependants", []),
    }
    return page(request, owner, "surveys/manage/remove.html", context, form)


@survey_view
def section_remove(
    request: HttpRequest, owner: Owner, survey: Survey, section: str
) -> HttpResponse:
    current = next((s for s in _definition(survey)["sections"] if s["key"] == section), None)
    if current is None:
        raise Http404
    what = {"kind": "section", "label": current["title"], "count": len(current["questions"])}
    return _remove(request, owner, survey, what, lambda d, _t: editing.remove_section(d, section))


@survey_view
def question_remove(
    request: HttpRequest, owner: Owner, survey: Survey, question: str
) -> HttpResponse:
    definition = _definition(survey)
    try:
        _section, current = editing.find_question(definition, question)
    except editing.NotFound:
        raise Http404 from None
    what = {
        "kind": "question",
        "label": current["label"],
        "dependants": editing.conditioned_on(definition, question),
    }
    return _remove(request, owner, survey, what, lambda d, _t: editing.remove_question(d, question))


def _earlier(definition: dict[str, Any], before: str | None, section: str) -> tuple[Any, ...]:
    """The questions before `before` (or, for a new question, up to the end of `section`)."""
    parsed = questionnaire.parse(definition)
    earlier: list[questionnaire.Question] = []
    for s in parsed.sections:
        for q in s.questions:
            if q.key == before:
                return tuple(earlier)
            earlier.append(q)
        if before is None and s.key == section:
            return tuple(earlier)
    return tuple(earlier)


def _question_page(
    request: HttpRequest,
    owner: Owner,
    survey: Survey,
    form: QuestionForm,
    current: dict[str, Any] | None,
    section: str,
) -> HttpResponse:
    context = {
        "survey": survey,
        "form": form,
        "question": current,
        "section": section,
        "kind_label": KIND_LABELS[form.kind],
        "answered": has_answers(survey.current_version()),
    }
    return page(request, owner, "surveys/manage/question.html", context, form)


@survey_view
def question_new(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    """A new question of the kind chosen on the editor (`section`, `kind` in the query)."""
    chooser = NewQuestionForm(request.GET)
    definition = _definition(survey)
    sections = {s["key"] for s in definition["sections"]}
    if not chooser.is_valid() or chooser.cleaned_data["section"] not in sections:
        return _editor(request, owner, survey, move_form=_bad_choice(chooser))
    section, kind = chooser.cleaned_data["section"], Kind(chooser.cleaned_data["kind"])
    earlier = _earlier(definition, None, section)
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, kind=kind, earlier=earlier)
    if form.is_valid():
        fields = form.question([], set())
        saved = _save(
            request,
            survey,
            lambda d, taken: editing.add_question(d, section, fields, taken)[0],
            form,
        )
        if saved:
            return go(owner, "questions", survey.pk, anchor=section)
    return _question_page(request, owner, survey, form, None, section)


def _bad_choice(chooser: NewQuestionForm) -> NoticeForm:
    """The chooser's refusal shown on the editor (422)."""
    form = NoticeForm()
    messages = [_("Choose a kind of question in one of the sections.")]
    messages += [str(e) for errors in chooser.errors.values() for e in errors]
    refused(form, ValidationError(messages))
    return form


def _kept(current: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """What the form does not show stays as it was: a text's longest length, a step other
    than whole numbers (a built-in questionnaire's half days)."""
    if "max_length" in current:
        fields.setdefault("max_length", current["max_length"])
    if "step" not in fields and str(current.get("step", "1")) != "1":
        fields["step"] = current["step"]
    return fields


@survey_view
def question_edit(
    request: HttpRequest, owner: Owner, survey: Survey, question: str
) -> HttpResponse:
    definition = _definition(survey)
    try:
        section, current = editing.find_question(definition, question)
    except editing.NotFound:
        raise Http404 from None
    earlier = _earlier(definition, question, section["key"])
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(
        data, kind=Kind(current["kind"]), earlier=earlier, initial=QuestionForm.initial_for(current)
    )
    if form.is_valid():
        taken = editing.choice_keys(survey.versions.values_list("definition", flat=True), question)
        fields = _kept(current, form.question(current.get("choices", []), taken))
        edit: Edit = lambda d, _t: editing.update_question(d, question, fields)  # noqa: E731
        if _save(request, survey, edit, form):
            return go(owner, "questions", survey.pk, anchor=question)
    return _question_page(request, owner, survey, form, current, section["key"])


owner_urls: list[URLPattern] = [
    path("<int:survey_id>/questions/", editor, name="questions"),
    path("<int:survey_id>/questions/move/", move, name="move"),
    path("<int:survey_id>/questions/new/", question_new, name="question_new"),
    path("<int:survey_id>/questions/<slug:question>/", question_edit, name="question"),
    path(
        "<int:survey_id>/questions/<slug:question>/remove/",
        question_remove,
        name="question_remove",
    ),
    path("<int:survey_id>/sections/<slug:section>/", section_edit, name="section"),
    path("<int:survey_id>/sections/<slug:section>/remove/", section_remove, name="section_remove"),
]
