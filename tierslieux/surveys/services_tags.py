"""The team's labels on free-text answers ("transport", "horaires"): to sort what people wrote
and count the themes. Only the survey's managers tag; a label that no answer carries any more
is removed. Tags never name a person: they label what was written."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.core.validators import validate_single_line
from tierslieux.surveys.access import require_manage
from tierslieux.surveys.models import Answer, Survey, Tag

MAX_NAME = 60


def free_texts(survey: Survey) -> QuerySet[Answer]:
    """The survey's answers that carry a text the team may label (free text, "other")."""
    return Answer.objects.filter(survey=survey, commune="").exclude(text="")


def _name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        refuse(_("Give the tag a name."), "tag_empty")
    if len(name) > MAX_NAME:
        refuse(_("A tag has at most %(max)s characters.") % {"max": MAX_NAME}, "tag_long")
    validate_single_line(name)
    return name


@transaction.atomic
def tag(*, actor: Actor, survey: Survey, answer_ids: Iterable[int], name: str) -> Tag:
    """Put the label `name` on these free-text answers of the survey (created if new)."""
    require_manage(actor, survey)
    name = _name(name)
    ids = set(answer_ids)
    answers = list(free_texts(survey).filter(pk__in=ids))
    if not answers or len(answers) != len(ids):
        refuse(_("Choose free-text answers of this survey."), "tag_answers")
    found = Tag.objects.filter(survey=survey, name__iexact=name).first()
    if found is None:
        found = Tag.objects.create(survey=survey, name=name)
    found.answers.add(*answers)
    audit.record(
        actor=actor,
        action="survey.tag",
        obj=survey,
        place_id=survey.place_id,
        changes={"tag": found.name, "answers": len(answers)},
    )
    return found


@transaction.atomic
def untag(*, actor: Actor, survey: Survey, answer_id: int, tag_id: int) -> None:
    """Take the label off one answer; a label left on no answer is removed."""
    require_manage(actor, survey)
    found = Tag.objects.filter(survey=survey, pk=tag_id).first()
    if found is None or not found.answers.filter(pk=answer_id).exists():
        refuse(_("This answer does not carry this tag."), "tag_missing")
    assert found is not None
    found.answers.remove(answer_id)
    audit.record(
        actor=actor,
        action="survey.untag",
        obj=survey,
        place_id=survey.place_id,
        changes={"tag": found.name},
    )
    if not found.answers.exists():
        found.delete()
