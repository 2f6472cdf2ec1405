"""The only writers of surveys: creating and editing a survey (its questions in versions),
publishing and closing it, and taking answers however they arrive (the public link, a personal
invitation, an e-mail confirmation, the team typing a paper form, an import).

Every answer goes through `answering.check`: the same refusals, with the same words, for every
channel; a refused answer writes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places import communes
from tierslieux.places.models import Network, Place
from tierslieux.surveys import answering, questionnaire
from tierslieux.surveys.access import require_manage
from tierslieux.surveys.models import Answer, Invitation, Response, Survey, SurveyVersion

Status = Survey.Status
_POSTCODE_NAME = re.compile(r"^\s*(\d{5})\s*[,\-–]?\s*(.*)$")
SETTINGS_FIELDS = (
    "title", "intro", "consent", "thanks", "anonymous", "answer_rule", "opens_at", "closes_at",
)  # fmt: skip


# --- Communes -------------------------------------------------------------------------------


def find_commune(text: str) -> tuple[str, str] | None:
    """The commune a person typed: "23000 Guéret", "Guéret 23000", an INSEE code, or a name
    that only one commune bears. (INSEE code, name), or None when it designates none or
    several."""
    text = text.strip()
    reference = communes.reference()
    if re.fullmatch(r"\d[\dAB]\d{3}", text.upper()) and text.upper() in reference.communes:
        found = reference.communes[text.upper()]
        return found.code, found.name
    postcode, name = "", text
    if match := _POSTCODE_NAME.match(text):
        postcode, name = match.group(1), match.group(2)
    elif match := re.match(r"^(.*?)[\s,(]+(\d{5})\)?\s*$", text):
        name, postcode = match.group(1), match.group(2)
    found_list = communes.communes_for(postcode, name)
    if len(found_list) != 1:
        return None
    return found_list[0].code, found_list[0].name


# --- Surveys and their versions -------------------------------------------------------------


def _definition(data: Any) -> dict[str, Any]:
    try:
        return questionnaire.dump(questionnaire.parse(data))
    except questionnaire.Invalid as error:
        refuse(error.args[0], "questions_invalid")
        raise  # unreachable: refuse raises


def _check_dates(opens_at: datetime | None, closes_at: datetime | None) -> None:
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ValidationError(
            {"closes_at": _("The survey must close after it opens.")}, code="dates"
        )


@transaction.atomic
def create_survey(
    *,
    actor: Actor,
    title: str,
    place: Place | None = None,
    network: Network | None = None,
    definition: dict[str, Any] | None = None,
    template: str = "",
    source: str = "",
    **fields: Any,
) -> Survey:
    """A draft survey of `place` or `network` with its first version (empty if no
    `definition`)."""
    if (place is None) == (network is None):
        refuse(_("A survey belongs to a place or to a network."), "owner")
    survey = Survey(
        place=place, network=network, title=title.strip(), template=template, source=source,
        created_by_id=actor.pk if actor.is_authenticated else None,
    )  # fmt: skip
    for name, value in fields.items():
        if name not in SETTINGS_FIELDS:
            raise TypeError(name)
        setattr(survey, name, value)
    require_manage(actor, survey)
    _check_dates(survey.opens_at, survey.closes_at)
    survey.full_clean()
    survey.save()
    SurveyVersion.objects.create(
        survey=survey, number=1, definition=_definition(definition or {"sections": []})
    )
    audit.record(actor=actor, action="survey.create", obj=survey, place_id=survey.place_id)
    return survey


@transaction.atomic
def update_settings(*, actor: Actor, survey: Survey, **fields: Any) -> Survey:
    """Change the survey's title, texts, rule and dates. Whether it is anonymous cannot change
    once it has answers: people answered under the other promise."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in SETTINGS_FIELDS:
            raise TypeError(name)
        if getattr(survey, name) != value:
            changes[name] = str(value)
            setattr(survey, name, value)
    if "anonymous" in changes and survey.responses.exists():
        refuse(
            _("People have answered under the survey's promise: it stays as it is. Copy it."),
            "anonymity_locked",
        )
    _check_dates(survey.opens_at, survey.closes_at)
    survey.full_clean()
    survey.save()
    if changes:
        audit.record(
            actor=actor, action="survey.update", obj=survey, place_id=survey.place_id,
            changes=changes,
        )  # fmt: skip
    return survey


@transaction.atomic
def edit_definition(*, actor: Actor, survey: Survey, definition: Any) -> SurveyVersion:
    """Save the questions. A version that has answers is never changed under them: the new
    questions become the next version, and the answers keep theirs."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    cleaned = _definition(definition)
    current = survey.current_version()
    if current is not None and not current.responses.exists():
        current.definition = cleaned
        current.save(update_fields=["definition"])
        return current
    number = (current.number + 1) if current is not None else 1
    version = SurveyVersion.objects.create(survey=survey, number=number, definition=cleaned)
    audit.record(
        actor=actor, action="survey.new_version", obj=survey, place_id=survey.place_id,
        changes={"version": number},
    )  # fmt: skip
    return version


def _set_status(actor: Actor, survey: Survey, status: str, action: str) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    if status == Status.PUBLISHED:
        version = survey.current_version()
        if version is None or not questionnaire.parse(version.definition).questions():
            refuse(_("Add at least one question before publishing."), "no_question")
    survey.status = status
    survey.save(update_fields=["status"])
    audit.record(actor=actor, action=action, obj=survey, place_id=survey.place_id)
    return survey


@transaction.atomic
def publish(*, actor: Actor, survey: Survey) -> Survey:
    return _set_status(actor, survey, Status.PUBLISHED, "survey.publish")


@transaction.atomic
def archive(*, actor: Actor, survey: Survey) -> Survey:
    """Stop taking answers for good (the answers and results stay)."""
    return _set_status(actor, survey, Status.ARCHIVED, "survey.archive")


# --- Answers --------------------------------------------------------------------------------


def address_digest(survey: Survey, email: str) -> str:
    """A keyed hash of an address for one survey: it recognises a second answer from the same
    address, and nobody without the instance's key can test an address against it."""
    key = hashlib.sha256(f"tierslieux.surveys:{settings.SECRET_KEY}".encode()).digest()
    message = f"{survey.pk}:{email.strip().lower()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def check_answers(version: SurveyVersion, raw: answering.Raw) -> dict[str, answering.Answer]:
    """The answers checked against the version's questions, or a `ValidationError` whose
    messages are keyed by question."""
    checked = answering.check(questionnaire.parse(version.definition), raw, find_commune)
    if not checked.ok:
        raise ValidationError(
            {
                key: ValidationError(message, code="answer")
                for key, message in checked.errors.items()
            }
        )
    return checked.answers


def _rows(response: Response, answers: Iterable[answering.Answer]) -> list[Answer]:
    rows: list[Answer] = []
    copied = {"survey_id": response.survey_id, "version_id": response.version_id}
    for answer in answers:
        if answer.choices:
            for n, choice in enumerate(answer.choices, start=1):
                rows.append(
                    Answer(
                        response=response,
                        **copied,
                        question=answer.question,
                        choice=choice,
                        rank=n if answer.ranked else None,
                        text=answer.text if choice == questionnaire.OTHER else "",
                    )
                )
        else:
            rows.append(
                Answer(
                    response=response,
                    **copied,
                    question=answer.question,
                    number=answer.number,
                    date=answer.date,
                    text=answer.text,
                    commune=answer.commune,
                )
            )
    return rows


def record_response(
    *,
    survey: Survey,
    version: SurveyVersion,
    answers: dict[str, answering.Answer],
    channel: str,
    person: Person | None = None,
    invitation: Invitation | None = None,
    entered_by: Any = None,
    language: str = "",
    on: Any = None,
) -> Response:
    """Write checked answers (the caller holds the transaction and has applied the survey's
    rule). An anonymous survey's response keeps no person, no invitation, no time of day."""
    now = clock.now()
    anonymous = survey.anonymous
    response = Response.objects.create(
        survey=survey,
        version=version,
        anonymous=anonymous,
        channel=channel,
        person=None if anonymous else person,
        invitation=None if anonymous else invitation,
        submitted_on=on or clock.today(settings.TIME_ZONE),
        submitted_at=None if anonymous else now,
        language=language[:10],
        entered_by=entered_by,
    )
    Answer.objects.bulk_create(_rows(response, answers.values()))
    return response


def require_open(survey: Survey) -> None:
    if survey.status == Status.DRAFT:
        refuse(_("This survey is not published yet."), "survey_draft")
    if not survey.is_open():
        refuse(_("This survey is closed: it no longer takes answers."), "survey_closed")


@transaction.atomic
def answer_by_link(
    *,
    survey: Survey,
    raw: answering.Raw,
    person: Person | None = None,
    invitation: Invitation | None = None,
    language: str = "",
) -> Response:
    """An answer through the public link (`AnswerRule.OPEN`) or a personal invitation
    (`AnswerRule.INVITED`, `invitation` found from its token by the caller)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_open(survey)
    if survey.answer_rule == Survey.AnswerRule.INVITED:
        if invitation is None or invitation.survey_id != survey.pk:
            refuse(_("This survey is answered through a personal link."), "invitation_needed")
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.answered:
            refuse(_("This invitation has already been used to answer."), "already_answered")
    elif survey.answer_rule == Survey.AnswerRule.CONFIRMED:
        refuse(
            _("This survey asks for your e-mail address to confirm your answer."), "email_needed"
        )
    version = survey.current_version()
    assert version is not None
    answers = check_answers(version, raw)
    response = record_response(
        survey=survey, version=version, answers=answers, channel=Response.Channel.LINK,
        person=person, invitation=invitation, language=language,
    )  # fmt: skip
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(answered=True)
    return response


@transaction.atomic
def answer_by_team(*, actor: Actor, survey: Survey, raw: answering.Raw, on: Any = None) -> Response:
    """A paper form typed in by the team (dated `on`, the day it was filled in): taken even
    when the survey is closed to the public, never tied to a person in an anonymous survey."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    if survey.status == Status.DRAFT:
        refuse(_("Publish the survey before typing answers in."), "survey_draft")
    version = survey.current_version()
    assert version is not None
    answers = check_answers(version, raw)
    response = record_response(
        survey=survey, version=version, answers=answers, channel=Response.Channel.TEAM,
        entered_by=actor, on=on,
    )  # fmt: skip
    audit.record(actor=actor, action="survey.answer_typed", obj=survey, place_id=survey.place_id)
    return response
