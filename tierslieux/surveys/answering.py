"""Checking a person's answers against a questionnaire: what is shown, what is required, what
is in range. One function for every way answers arrive (the public form, the team typing in a
paper form, a CSV import), so that they all refuse the same things with the same words.

The raw answers use the names of the answer form's fields:
- `<key>`: the values (the choices ticked, or the one text typed);
- `<key>.other`: the text of the "other" choice;
- `<key>.<choice>`: for a ranking, the rank given to that choice ("1", "2"…, empty: not ranked).

A question hidden by its condition is neither required nor kept. Pure: no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from tierslieux.surveys.questionnaire import OTHER, Kind, Question, Questionnaire

Raw = Mapping[str, Sequence[str]]
CommuneFinder = Callable[[str], tuple[str, str] | None]  # text → (INSEE code, name)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LATEST_YEAR, EARLIEST_YEAR = 2200, 1900


@dataclass(frozen=True)
class Answer:
    """One question's answer, as stored (`models.Answer` rows): choices in order (a ranking's
    order is its ranks), or a number, a date, a text, a commune."""

    question: str
    choices: tuple[str, ...] = ()
    number: Decimal | None = None
    date: date | None = None
    text: str = ""  # free text, or the "other" choice's text
    commune: str = ""  # INSEE code; `text` holds its name
    ranked: bool = False  # `choices` are in rank order


@dataclass(frozen=True)
class Checked:
    answers: dict[str, Answer]
    errors: dict[str, str]  # question key → message

    @property
    def ok(self) -> bool:
        return not self.errors


def _values(raw: Raw, name: str) -> list[str]:
    values = raw.get(name) or []
    if isinstance(values, str):
        values = [values]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _clean_text(text: str, limit: int) -> str:
    if _CONTROL.search(text):
        raise ValueError(_("Remove the control characters from the text."))
    if len(text) > limit:
        raise ValueError(
            _("At most %(limit)s characters (here %(length)s).")
            % {"limit": limit, "length": len(text)}
        )
    return text


def _number(question: Question, text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        raise ValueError(_("Enter a number.")) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError(_("Enter a number.")) from None
    if question.minimum is not None and value < question.minimum:
        raise ValueError(_("At least %(min)s.") % {"min": question.minimum})
    if question.maximum is not None and value > question.maximum:
        raise ValueError(_("At most %(max)s.") % {"max": question.maximum})
    step = question.step
    if question.kind == Kind.SCALE:
        step = Decimal(1)
    if step is not None and (value - (question.minimum or 0)) % step != 0:
        raise ValueError(_("Enter a multiple of %(step)s.") % {"step": step})
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError(_("At most four decimal places."))
    return value


def _date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Enter a date (YYYY-MM-DD).")) from None
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(_("Enter a date between 1900 and 2200."))
    return value


def _choices(question: Question, raw: Raw) -> Answer | None:
    picked = _values(raw, question.key)
    unknown = [v for v in picked if v not in question.choice_keys()]
    if unknown:
        raise ValueError(_("This answer is not one of the choices."))
    picked = list(dict.fromkeys(picked))  # a choice ticked twice counts once
    if question.kind == Kind.SINGLE and len(picked) > 1:
        raise ValueError(_("Choose one answer only."))
    if question.max_choices is not None and len(picked) > question.max_choices:
        raise ValueError(_("Choose at most %(max)s answers.") % {"max": question.max_choices})
    other = " ".join(_values(raw, f"{question.key}.{OTHER}"))
    other = _clean_text(other, 300)
    if OTHER in picked and not other:
        raise ValueError(_("Say what “other” is."))
    if other and OTHER not in picked:
        if not question.other:
            raise ValueError(_("This question has no “other” answer."))
        picked.append(OTHER)  # typing the text is choosing "other"
    if not picked:
        return None
    return Answer(question.key, choices=tuple(picked), text=other if OTHER in picked else "")


def _ranking(question: Question, raw: Raw) -> Answer | None:
    ranks: dict[int, str] = {}
    for choice in question.choice_keys():
        given = _values(raw, f"{question.key}.{choice}")
        if not given:
            continue
        if not given[0].isdigit() or not 1 <= int(given[0]) <= len(question.choices):
            raise ValueError(_("Ranks go from 1 to %(count)s.") % {"count": len(question.choices)})
        rank = int(given[0])
        if rank in ranks:
            raise ValueError(_("Two answers have the rank %(rank)s.") % {"rank": rank})
        ranks[rank] = choice
    if ranks and sorted(ranks) != list(range(1, len(ranks) + 1)):
        raise ValueError(_("Give the ranks in a row from 1, without a gap."))
    if not ranks:
        return None
    return Answer(question.key, choices=tuple(ranks[r] for r in sorted(ranks)), ranked=True)


def _one(question: Question, raw: Raw, find_commune: CommuneFinder) -> Answer | None:
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return _choices(question, raw)
    if question.kind == Kind.RANKING:
        return _ranking(question, raw)
    values = _values(raw, question.key)
    if len(values) > 1:
        raise ValueError(_("Give one answer only."))
    if not values:
        return None
    text = values[0]
    if question.kind in (Kind.NUMBER, Kind.SCALE):
        return Answer(question.key, number=_number(question, text))
    if question.kind == Kind.DATE:
        return Answer(question.key, date=_date(text))
    if question.kind == Kind.COMMUNE:
        found = find_commune(_clean_text(text, 120))
        if found is None:
            raise ValueError(
                _("This commune is not known: give its postcode and name, e.g. “23000 Guéret”.")
            )
        return Answer(question.key, commune=found[0], text=found[1])
    return Answer(question.key, text=_clean_text(text, question.max_length))


def visible(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> list[Question]:
    """The questions shown given these answers (a condition reads an earlier answer)."""
    shown: list[Question] = []
    keys: set[str] = set()
    for question in questionnaire.questions():
        condition = question.condition
        if condition is not None:
            source = answers.get(condition.question)
            if condition.question not in keys or source is None:
                continue
            if not set(source.choices) & set(condition.any_of):
                continue
        shown.append(question)
        keys.add(question.key)
    return shown


def check(questionnaire: Questionnaire, raw: Raw, find_commune: CommuneFinder) -> Checked:
    """The answers in `raw` checked against `questionnaire`: kept for the visible questions,
    with a message for each question refused or required and left empty."""
    answers: dict[str, Answer] = {}
    errors: dict[str, str] = {}
    for question in questionnaire.questions():
        try:
            answer = _one(question, raw, find_commune)
        except ValueError as error:
            errors[question.key] = str(error)
            continue
        if answer is not None:
            answers[question.key] = answer
    shown = visible(questionnaire, answers)
    shown_keys = {q.key for q in shown}
    for question in shown:
        if question.required and question.key not in answers and question.key not in errors:
            errors[question.key] = _("This question is required.")
    return Checked(
        answers={k: a for k, a in answers.items() if k in shown_keys},
        errors={k: m for k, m in errors.items() if k in shown_keys},
    )
