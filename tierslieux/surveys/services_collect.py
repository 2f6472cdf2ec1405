"""Taking answers beyond the plain link: the personal invitation's token, the e-mail
confirmation (answers sealed while they wait), the limit on answers per visitor, and the
CSV import of paper forms. Every answer is checked by `answering.check` (through
`services.check_answers`) and written by `services.record_response`.

Confirmation (`AnswerRule.CONFIRMED`): the answers wait sealed (`core.sealing`) in a
`PendingResponse` with the address, for 48 hours; opening the e-mailed link writes the response
and a `UsedAddress` (a keyed hash of the address, with no link to the response), then the
pending row is deleted. Nothing in the database ties the address to the answers afterwards.

The limit per visitor is counted by `core.rates` (the cache, a keyed hash of the address, never
the database; exact across processes with `CACHE_DIR`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person, hash_token
from tierslieux.accounts.tasks import queue_email
from tierslieux.core import audit, clock, rates, sealing
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.joining.services.common import new_token, normalise_email
from tierslieux.surveys import answering, questionnaire, services
from tierslieux.surveys.access import require_manage
from tierslieux.surveys.models import (
    Invitation,
    PendingResponse,
    Response,
    Survey,
    SurveyVersion,
    UsedAddress,
)

PENDING_LIFETIME = timedelta(hours=48)
VISITOR_LIMIT = 20  # answers per visitor address, per survey, per clock hour
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_LINES = 5000
MULTI_SEPARATOR = ";"


# --- Personal links -------------------------------------------------------------------------


def find_invitation(survey: Survey, raw_token: str) -> Invitation | None:
    """The survey's invitation whose personal link carries `raw_token` (only its digest is
    kept)."""
    if not raw_token or len(raw_token) > 100:
        return None
    return Invitation.objects.filter(survey=survey, digest=hash_token(raw_token)).first()


# --- The limit per visitor ------------------------------------------------------------------


def visitor_may_answer(survey: Survey, address: str | None) -> bool:
    """Fewer than `VISITOR_LIMIT` answers from this address to this survey in this hour."""
    return rates.within(f"surveys:{survey.pk}", address, VISITOR_LIMIT)


def count_visitor_answer(survey: Survey, address: str | None) -> None:
    rates.count(f"surveys:{survey.pk}", address)


# --- Confirmation by e-mail -----------------------------------------------------------------


def _person_id(survey: Survey, person: Person | None) -> int | None:
    return None if survey.anonymous or person is None else person.pk


@transaction.atomic
def ask_confirmation(
    *,
    survey: Survey,
    raw: answering.Raw,
    email: str,
    person: Person | None = None,
    language: str = "",
) -> PendingResponse:
    """Check the answers, keep them sealed and e-mail the confirmation link. An address that
    has already answered is refused now (and again at confirmation)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    services.require_open(survey)
    if survey.answer_rule != Survey.AnswerRule.CONFIRMED:
        refuse(_("This survey does not ask for an e-mail address."), "no_confirmation")
    email = normalise_email(email)
    if UsedAddress.objects.filter(
        survey=survey, digest=services.address_digest(survey, email)
    ).exists():
        raise ValidationError(
            {"email": _("This address has already answered this survey: one answer each.")},
            code="already_answered",
        )
    version = survey.current_version()
    assert version is not None
    services.check_answers(version, raw)
    raw_token, digest = new_token()
    now = clock.now()
    content = {
        "version": version.pk,
        "raw": {k: list(v) for k, v in raw.items()},
        "email": email,
        "person": _person_id(survey, person),
        "language": language,
        "on": clock.today(settings.TIME_ZONE).isoformat(),
    }
    pending = PendingResponse.objects.create(
        survey=survey,
        digest=digest,
        sealed=sealing.seal(content),
        expires_at=now + PENDING_LIFETIME,
    )
    _send_confirmation(survey, email, raw_token, language)
    return pending


def _send_confirmation(survey: Survey, email: str, raw_token: str, language: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("surveys:confirm", args=[raw_token])
    with translation.override(language or "fr"):
        text = render_to_string(
            "surveys/answer/email_confirm.txt",
            {
                "survey": survey,
                "link": link,
                "hours": int(PENDING_LIFETIME.total_seconds() // 3600),
            },
        )
    subject, _sep, body = text.strip().partition("\n")
    subject, body = subject.strip(), body.strip() + "\n"
    transaction.on_commit(lambda: queue_email(subject, body, [email]))


def confirm(raw_token: str) -> Response:
    """Write the answers waiting behind this confirmation link, once per address. The answer
    counts as given on the day it was sent: a survey that closed meanwhile still takes it,
    an archived one does not. Used or refused, the link works once."""
    with transaction.atomic():
        outcome = _confirm(raw_token)
    if isinstance(outcome, ValidationError):
        raise outcome
    return outcome


def _confirm(raw_token: str) -> Response | ValidationError:
    pending = (
        PendingResponse.objects.select_for_update()
        .filter(digest=hash_token(raw_token), expires_at__gt=clock.now())
        .first()
        if raw_token and len(raw_token) <= 100
        else None
    )
    if pending is None:
        return ValidationError(
            _("This confirmation link is unknown or has expired (48 hours): answer again."),
            code="unknown_link",
        )
    survey = Survey.objects.select_for_update().get(pk=pending.survey_id)
    content = sealing.unseal(pending.sealed)
    pending.delete()
    if survey.status != Survey.Status.PUBLISHED:
        return ValidationError(
            _("This survey is closed: it no longer takes answers."), code="survey_closed"
        )
    digest = services.address_digest(survey, content["email"])
    if UsedAddress.objects.filter(survey=survey, digest=digest).exists():
        return ValidationError(
            _("This address has already answered this survey: one answer each."),
            code="already_answered",
        )
    version = SurveyVersion.objects.get(pk=content["version"], survey=survey)
    try:
        answers = services.check_answers(version, content["raw"])
    except ValidationError as error:  # the commune list changed meanwhile, say
        return error
    person = Person.objects.filter(pk=content["person"]).first() if content["person"] else None
    response = services.record_response(
        survey=survey, version=version, answers=answers, channel=Response.Channel.LINK,
        person=person, language=content["language"], on=date.fromisoformat(content["on"]),
    )  # fmt: skip
    UsedAddress.objects.create(survey=survey, digest=digest)
    return response


def purge_pending() -> int:
    """Delete the answers whose confirmation never came (48 hours); how many went."""
    deleted, _by_model = PendingResponse.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted


# --- CSV import -----------------------------------------------------------------------------


@dataclass
class Line:
    number: int  # the line in the file, as a spreadsheet shows it
    errors: dict[str, str] = field(default_factory=dict)  # question key → message
    answers: dict[str, answering.Answer] = field(default_factory=dict)

    @property
    def kept(self) -> bool:
        return not self.errors


@dataclass
class ImportReport:
    columns: tuple[str, ...]
    lines: list[Line]

    @property
    def kept(self) -> list[Line]:
        return [line for line in self.lines if line.kept]

    @property
    def refused(self) -> list[Line]:
        return [line for line in self.lines if not line.kept]


def columns(survey_questions: questionnaire.Questionnaire) -> list[str]:
    """The columns a CSV may have: each question's key, `key.other`, `key.<choice>` for a
    ranking."""
    names: list[str] = []
    for question in survey_questions.questions():
        if question.kind == questionnaire.Kind.RANKING:
            names.extend(f"{question.key}.{c.key}" for c in question.choices)
            continue
        names.append(question.key)
        if question.other:
            names.append(f"{question.key}.{questionnaire.OTHER}")
    return names


def template_csv(survey_questions: questionnaire.Questionnaire) -> str:
    """The header row of an import file (`;`-separated, as French spreadsheets write)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(columns(survey_questions))
    return "\ufeff" + out.getvalue()


def _bad_file(message: str) -> None:
    raise ValidationError({"file": message}, code="bad_file")


def _rows(data: bytes, allowed: list[str]) -> tuple[tuple[str, ...], list[tuple[int, dict]]]:
    if len(data) > MAX_IMPORT_BYTES:
        _bad_file(_("The file is larger than 10 MB."))
    if b"\x00" in data:
        _bad_file(_("The file holds binary data: it is not a CSV file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _bad_file(_("The file is not in UTF-8: save it again as “CSV UTF-8”."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first or "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, dict]] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = tuple(cell.strip() for cell in record)
                unknown = [name for name in header if name and name not in allowed]
                if unknown:
                    _bad_file(
                        _("Unknown columns: %(names)s (the template lists the columns).")
                        % {"names": ", ".join(f"“{n}”" for n in unknown[:10])}
                    )
                named = [name for name in header if name]  # a trailing ";" names nothing
                if len(set(named)) != len(named):
                    _bad_file(_("A column appears twice."))
                continue
            if len(record) != len(header):
                _bad_file(
                    _("Line %(line)s has %(found)s fields where the header has %(expected)s.")
                    % {"line": line, "found": len(record), "expected": len(header)}
                )
            cells = zip(header, (c.strip() for c in record), strict=True)
            rows.append((line, {name: value for name, value in cells if name}))
            if len(rows) > MAX_IMPORT_LINES:
                _bad_file(_("At most %(max)s lines at once.") % {"max": MAX_IMPORT_LINES})
    except csv.Error as error:
        _bad_file(
            _("Unreadable CSV near line %(line)s: %(error)s.") % {"line": start, "error": error}
        )
    if header is None:
        _bad_file(_("The file is empty."))
    assert header is not None
    return header, rows


def _raw_line(survey_questions: questionnaire.Questionnaire, values: dict[str, str]) -> dict:
    """A CSV line as the answer form would post it: a multiple choice's `;`-separated values
    split, a choice given by its label read as its key."""
    raw: dict[str, list[str]] = {}
    for name, value in values.items():
        question = survey_questions.question(name)
        if question is None or not question.kind.has_choices:
            raw[name] = [value]
            continue
        parts = (
            value.split(MULTI_SEPARATOR)
            if question.kind == questionnaire.Kind.MULTIPLE
            else [value]
        )
        by_label = {question.choice_label(k).casefold(): k for k in question.choice_keys()}
        raw[name] = [by_label.get(p.strip().casefold(), p.strip()) for p in parts]
    return raw


def read_import(survey: Survey, data: bytes) -> ImportReport:
    """The dry run: each line checked as an answer; a file that cannot be read is refused
    whole (`ValidationError` on `file`)."""
    version = survey.current_version()
    assert version is not None
    survey_questions = questionnaire.parse(version.definition)
    header, rows = _rows(data, columns(survey_questions))
    lines = []
    for number, values in rows:
        checked = answering.check(
            survey_questions, _raw_line(survey_questions, values), services.find_commune
        )
        lines.append(Line(number, dict(checked.errors), dict(checked.answers)))
    return ImportReport(header, lines)


@transaction.atomic
def import_answers(
    *, actor: Actor, survey: Survey, data: bytes, skip_refused: bool = False
) -> tuple[ImportReport, int]:
    """Write the file's answers (`Response.channel = import`): all its lines, or, with
    `skip_refused`, the lines kept by the dry run. A refused line otherwise writes nothing."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    if survey.status == Survey.Status.DRAFT:
        refuse(_("Publish the survey before importing answers."), "survey_draft")
    report = read_import(survey, data)
    if report.refused and not skip_refused:
        return report, 0
    version = survey.current_version()
    assert version is not None
    for line in report.kept:
        services.record_response(
            survey=survey, version=version, answers=line.answers,
            channel=Response.Channel.IMPORT, entered_by=actor,
        )  # fmt: skip
    if report.kept:
        audit.record(
            actor=actor, action="survey.answers_imported", obj=survey, place_id=survey.place_id,
            changes={"lines": len(report.kept)},
        )  # fmt: skip
    return report, len(report.kept)
