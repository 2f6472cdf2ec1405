"""The question editor's writes: one operation of `editing` applied to the survey's current
questions, saved through `services.edit_definition` (a version with answers is copied, never
changed under them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.surveys import editing, services
from tierslieux.surveys.access import require_manage
from tierslieux.surveys.models import Response, Survey, SurveyVersion

Edit = Callable[[editing.Definition, set[str]], editing.Definition]


@dataclass(frozen=True)
class Saved:
    version: SurveyVersion
    new_version: bool  # the answered version was kept, the questions went into a new one


def taken_keys(survey: Survey) -> set[str]:
    """The section and question keys any version of the survey used."""
    taken: set[str] = set()
    for definition in survey.versions.values_list("definition", flat=True):
        taken |= editing.keys(definition)
    return taken


def has_answers(version: SurveyVersion | None) -> bool:
    return version is not None and Response.objects.filter(version=version).exists()


@transaction.atomic
def change(*, actor: Actor, survey: Survey, edit: Edit) -> Saved:
    """Apply `edit(definition, taken_keys)` to the current questions and save them.

    `editing.NotFound` (a stale page) and a refused questionnaire change nothing."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    if survey.status == Survey.Status.ARCHIVED:
        refuse(_("This survey is archived: its questions no longer change."), "survey_archived")
    current = survey.current_version()
    definition = current.definition if current is not None else {"sections": []}
    edited = edit(definition, taken_keys(survey))
    if current is not None and edited == definition:
        return Saved(current, False)  # nothing moved (the first question "up"): no new version
    version = services.edit_definition(actor=actor, survey=survey, definition=edited)
    audit.record(
        actor=actor, action="survey.edit_questions", obj=survey, place_id=survey.place_id,
        changes={"version": version.number},
    )  # fmt: skip
    return Saved(version, current is not None and version.pk != current.pk)
