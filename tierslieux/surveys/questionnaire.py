"""A questionnaire as data: sections of questions, their kinds, bounds and conditions.

Stored as JSON on a survey's version (`SurveyVersion.definition`), read back with `parse`, which
refuses anything inconsistent with a message naming where (a condition on a later question, a
scale whose bounds cross, two questions with one key). Question and choice keys are stable
identifiers: answers and results refer to them, and a copied version keeps them, so that
the results of two versions can be read side by side.

Pure: no database, no request.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OTHER = "other"  # the key of the "other" choice, whose answer carries a text
MAX_TEXT = 5000  # the longest free text any question accepts
MAX_QUESTIONS = 200
MAX_CHOICES = 60


class Kind(StrEnum):
    SINGLE = "single"  # one choice (radio buttons)
    MULTIPLE = "multiple"  # several choices (check boxes)
    SCALE = "scale"  # a whole number between two bounds (1 to 5, 0 to 10)
    NUMBER = "number"  # a decimal number, bounds optional
    DATE = "date"
    TEXT = "text"  # free text, one line or several
    COMMUNE = "commune"  # a French commune, checked against the reference
    RANKING = "ranking"  # the choices put in order

    @property
    def has_choices(self) -> bool:
        return self in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING)


class Invalid(ValueError):
    """A questionnaire that cannot be used as it is; `where` names the question or section."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message, self.where = message, where


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show the question only when the answer to `question` (an earlier choice question)
    includes one of `any_of`."""

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    other: bool = False  # single and multiple: an "other" choice with a text
    max_choices: int | None = None  # multiple: at most this many
    minimum: Decimal | None = None  # number and scale
    maximum: Decimal | None = None
    step: Decimal | None = None  # number: 1 for whole numbers
    low_label: str = ""  # scale: what the lowest and highest values mean
    high_label: str = ""
    unit: str = ""  # number: "km", "jours par semaine"
    multiline: bool = False  # text
    max_length: int = 1000  # text
    condition: Condition | None = None

    def choice_keys(self) -> tuple[str, ...]:
        keys = tuple(c.key for c in self.choices)
        return (*keys, OTHER) if self.other else keys

    def choice_label(self, key: str) -> str:
        for choice in self.choices:
            if choice.key == key:
                return choice.label
        return _("Other") if key == OTHER and self.other else key

    def scale_values(self) -> range:
        low = int(self.minimum if self.minimum is not None else 1)
        high = int(self.maximum if self.maximum is not None else 5)
        return range(low, high + 1)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Questionnaire:
    sections: tuple[Section, ...]

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)


# --- Reading and writing the JSON form ------------------------------------------------------


def _text(data: dict[str, Any], name: str, where: str, *, required: bool = False) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise Invalid(_("“%(name)s” must be a text.") % {"name": name}, where)
    value = value.strip()
    if required and not value:
        raise Invalid(_("“%(name)s” is required.") % {"name": name}, where)
    if len(value) > MAX_TEXT:
        raise Invalid(_("“%(name)s” is too long.") % {"name": name}, where)
    return value


def _decimal(value: Any, name: str, where: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid(_("“%(name)s” must be a number.") % {"name": name}, where)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Invalid(_("“%(name)s” must be a number.") % {"name": name}, where) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise Invalid(_("“%(name)s” is out of range.") % {"name": name}, where)
    return number


def _key(value: Any, where: str) -> str:
    if not isinstance(value, str) or not KEY.match(value):
        raise Invalid(
            _("A key is made of lower-case letters, digits and “_”, starting with a letter."),
            where,
        )
    return value


def _question(data: Any, where: str) -> Question:
    if not isinstance(data, dict):
        raise Invalid(_("A question must be an object."), where)
    key = _key(data.get("key"), where)
    where = key
    try:
        kind = Kind(str(data.get("kind")))
    except ValueError:
        raise Invalid(_("Unknown kind of question."), where) from None
    choices = []
    for n, raw in enumerate(data.get("choices") or []):
        if not isinstance(raw, dict):
            raise Invalid(_("A choice must be an object."), f"{where}.{n + 1}")
        choice_key = _key(raw.get("key"), f"{where}.{n + 1}")
        choices.append(
            Choice(choice_key, _text(raw, "label", f"{where}.{choice_key}", required=True))
        )
    condition = None
    if data.get("condition"):
        raw_condition = data["condition"]
        if not isinstance(raw_condition, dict) or not isinstance(raw_condition.get("any_of"), list):
            raise Invalid(
                _("A condition names a question and the answers that show this one."), where
            )
        condition = Condition(
            _key(raw_condition.get("question"), where),
            tuple(_key(v, where) for v in raw_condition["any_of"]),
        )
    max_choices = data.get("max_choices")
    max_length = data.get("max_length", 1000)
    if max_choices is not None and (not isinstance(max_choices, int) or max_choices < 1):
        raise Invalid(_("The largest number of choices must be a whole number from 1."), where)
    if not isinstance(max_length, int) or not 1 <= max_length <= MAX_TEXT:
        raise Invalid(_("A text's length is between 1 and %(max)s.") % {"max": MAX_TEXT}, where)
    return Question(
        key=key,
        kind=kind,
        label=_text(data, "label", where, required=True),
        help=_text(data, "help", where),
        required=bool(data.get("required", False)),
        choices=tuple(choices),
        other=bool(data.get("other", False)),
        max_choices=max_choices,
        minimum=_decimal(data.get("minimum"), "minimum", where),
        maximum=_decimal(data.get("maximum"), "maximum", where),
        step=_decimal(data.get("step"), "step", where),
        low_label=_text(data, "low_label", where),
        high_label=_text(data, "high_label", where),
        unit=_text(data, "unit", where),
        multiline=bool(data.get("multiline", False)),
        max_length=max_length,
        condition=condition,
    )


def _check(question: Question, earlier: dict[str, Question]) -> None:
    where = question.key
    if question.kind.has_choices:
        keys = [c.key for c in question.choices]
        if len(keys) < (1 if question.other else 2) and question.kind != Kind.SINGLE:
            raise Invalid(_("Give at least two choices."), where)
        if not keys:
            raise Invalid(_("Give at least one choice."), where)
        if len(keys) > MAX_CHOICES:
            raise Invalid(_("At most %(max)s choices.") % {"max": MAX_CHOICES}, where)
        if len(set(keys)) != len(keys) or (question.other and OTHER in keys):
            raise Invalid(_("Two choices have the same key."), where)
        if question.kind == Kind.RANKING and question.other:
            raise Invalid(_("A ranking has no “other” choice."), where)
    elif question.choices or question.other:
        raise Invalid(_("Only choice questions and rankings have choices."), where)
    if question.kind == Kind.SCALE:
        low, high = question.minimum, question.maximum
        if low is None or high is None or low != int(low) or high != int(high):
            raise Invalid(_("A scale goes from one whole number to another."), where)
        if not 0 <= low < high <= 10 or low < high - 10:
            raise Invalid(_("A scale goes from 0 or 1 up to 10 at most."), where)
    if (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        raise Invalid(_("The minimum is above the maximum."), where)
    if question.step is not None and question.step <= 0:
        raise Invalid(_("The step must be positive."), where)
    if question.condition is not None:
        source = earlier.get(question.condition.question)
        if source is None or not source.kind.has_choices or source.kind == Kind.RANKING:
            raise Invalid(_("A condition refers to an earlier choice question."), where)
        unknown = set(question.condition.any_of) - set(source.choice_keys())
        if unknown or not question.condition.any_of:
            raise Invalid(_("A condition names answers the earlier question offers."), where)


def parse(data: Any) -> Questionnaire:
    """The questionnaire stored as `data`, checked whole; `Invalid` says what is wrong and where."""
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise Invalid(_("A questionnaire is a list of sections."))
    sections: list[Section] = []
    seen: dict[str, Question] = {}
    section_keys: set[str] = set()
    for n, raw in enumerate(data["sections"]):
        if not isinstance(raw, dict):
            raise Invalid(_("A section must be an object."), f"section {n + 1}")
        key = _key(raw.get("key"), f"section {n + 1}")
        if key in section_keys:
            raise Invalid(_("Two sections have the same key."), key)
        section_keys.add(key)
        questions = []
        for m, raw_question in enumerate(raw.get("questions") or []):
            question = _question(raw_question, f"{key}.{m + 1}")
            if question.key in seen:
                raise Invalid(_("Two questions have the same key."), question.key)
            _check(question, seen)
            seen[question.key] = question
            questions.append(question)
        sections.append(
            Section(key, _text(raw, "title", key), _text(raw, "intro", key), tuple(questions))
        )
    if len(seen) > MAX_QUESTIONS:
        raise Invalid(_("At most %(max)s questions.") % {"max": MAX_QUESTIONS})
    return Questionnaire(tuple(sections))


def dump(questionnaire: Questionnaire) -> dict[str, Any]:
    """The JSON form of a questionnaire (what `parse` reads back), defaults left out."""
    defaults = asdict(Question(key="x", kind=Kind.TEXT, label="x"))

    def question(q: Question) -> dict[str, Any]:
        out: dict[str, Any] = {"key": q.key, "kind": q.kind.value, "label": q.label}
        for name, value in asdict(q).items():
            if name in out or name in ("choices", "condition") or value == defaults[name]:
                continue
            out[name] = str(value) if isinstance(value, Decimal) else value
        if q.condition is not None:
            out["condition"] = {
                "question": q.condition.question,
                "any_of": list(q.condition.any_of),
            }
        if q.choices:
            out["choices"] = [{"key": c.key, "label": c.label} for c in q.choices]
        return out

    return {
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                **({"intro": s.intro} if s.intro else {}),
                "questions": [question(q) for q in s.questions],
            }
            for s in questionnaire.sections
        ]
    }
