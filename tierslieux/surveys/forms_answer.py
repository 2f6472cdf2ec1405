"""The answer form built from a questionnaire: one set of fields per question, named as
`answering.check` reads them (`<key>`, `<key>.other`, `<key>.<choice>` for a ranking's ranks).

The fields only carry and redisplay what was typed; `answering.check` alone decides, and its
message for a question is shown on that question (`errors`). The public form, the team's
typing of a paper form and (through the same `check`) the CSV import refuse the same things.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.core import clock
from tierslieux.surveys import answering
from tierslieux.surveys.questionnaire import OTHER, Kind, Question, Questionnaire

COMMUNE_HINT = "23000 Guéret"
MAX_OTHER = 300  # as `answering` checks the "other" text
GROUPS = (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.RANKING)


class _Carry(forms.Field):
    """A field that keeps what was posted as it is: `answering.check` judges it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)


@dataclass
class Block:
    """One question as the template shows it."""

    question: Question
    field: forms.BoundField | None = None
    other: forms.BoundField | None = None
    ranks: list[tuple[str, forms.BoundField]] = dataclasses.field(default_factory=list)
    error: str = ""
    condition: str = ""  # "Only if you answered …" (said without JavaScript too)
    shows_if: str = ""  # data-any-of for the script: the choices, space separated

    @property
    def group(self) -> bool:
        return self.question.kind in GROUPS

    @property
    def error_id(self) -> str:
        """The id the field's `aria-describedby` names (Django's `<id>_error`)."""
        bound = self.field if self.field is not None else next((b for _l, b in self.ranks), None)
        return f"{bound.auto_id}_error" if bound is not None else ""


@dataclass
class SectionBlock:
    key: str
    title: str
    intro: str
    blocks: list[Block]


def _attrs(question: Question) -> dict[str, Any]:
    if question.kind == Kind.NUMBER:
        attrs: dict[str, Any] = {"step": str(question.step) if question.step else "any"}
        if question.minimum is not None:
            attrs["min"] = str(question.minimum)
        if question.maximum is not None:
            attrs["max"] = str(question.maximum)
        return {**attrs, "inputmode": "decimal"}
    if question.kind == Kind.DATE:
        return {"type": "date", "min": "1900-01-01", "max": "2200-12-31"}
    if question.kind == Kind.COMMUNE:
        return {"maxlength": 120, "placeholder": COMMUNE_HINT, "autocomplete": "off"}
    if question.kind == Kind.TEXT:
        return {"maxlength": question.max_length}
    return {}


def _main_widget(question: Question) -> forms.Widget:
    if question.kind == Kind.SINGLE:
        choices = [(c.key, c.label) for c in question.choices]
        if question.other:
            choices.append((OTHER, _("Other")))
        return forms.RadioSelect(choices=choices)
    if question.kind == Kind.MULTIPLE:
        choices = [(c.key, c.label) for c in question.choices]
        if question.other:
            choices.append((OTHER, _("Other")))
        return forms.CheckboxSelectMultiple(choices=choices)
    if question.kind == Kind.SCALE:
        return forms.RadioSelect(choices=[(str(v), str(v)) for v in question.scale_values()])
    if question.kind == Kind.NUMBER:
        return forms.NumberInput(attrs=_attrs(question))
    if question.kind == Kind.TEXT and question.multiline:
        return forms.Textarea(attrs={**_attrs(question), "rows": 4})
    return forms.TextInput(attrs=_attrs(question))


def condition_text(questionnaire: Questionnaire, question: Question) -> str:
    """ "Only if you answered “Car” or “Bike” to “How do you come?”" """
    if question.condition is None:
        return ""
    source = questionnaire.question(question.condition.question)
    if source is None:
        return ""
    answers = _(" or ").join(
        _("“%(choice)s”") % {"choice": source.choice_label(k)} for k in question.condition.any_of
    )
    return _("Only if you answered %(answers)s to “%(question)s”.") % {
        "answers": answers,
        "question": source.label,
    }


def raw_of(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The posted values as lists (what `answering.check` reads), from a QueryDict or a dict."""
    if hasattr(data, "getlist"):
        return {name: data.getlist(name) for name in data}
    return {k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()}


class AnswerForm(forms.Form):
    """The questions of `questionnaire`; `errors_by_question` after validation."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        data: Mapping[str, Any] | None = None,
        *,
        find_commune: answering.CommuneFinder,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.questionnaire = questionnaire
        self.find_commune = find_commune
        self.errors_by_question: dict[str, str] = {}
        self.checked: answering.Checked | None = None
        for question in questionnaire.questions():
            self._add_fields(question)

    def _add_fields(self, question: Question) -> None:
        key = question.key
        if question.kind == Kind.RANKING:
            ranks = [("", "—")] + [(str(n), str(n)) for n in range(1, len(question.choices) + 1)]
            for choice in question.choices:
                self.fields[f"{key}.{choice.key}"] = _Carry(
                    label=choice.label, widget=forms.Select(choices=ranks)
                )
            return
        self.fields[key] = _Carry(label=question.label, widget=_main_widget(question))
        if question.other:
            self.fields[f"{key}.{OTHER}"] = _Carry(
                label=_("Other, namely:"),
                widget=forms.TextInput(attrs={"maxlength": MAX_OTHER}),
            )

    def raw(self) -> dict[str, list[str]]:
        """The answers as typed, for the services (which check them again)."""
        names = set(self.fields) - set(self.extra_fields())
        return {k: v for k, v in raw_of(self.data).items() if k in names}

    def extra_fields(self) -> tuple[str, ...]:
        """Fields that are not answers (a subclass's e-mail address, a date)."""
        return ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.checked = answering.check(self.questionnaire, self.raw(), self.find_commune)
        for key, message in self.checked.errors.items():
            self.show_error(key, message)
        return cleaned

    def show_error(self, key: str, message: str) -> None:
        """`message` on question `key` (a service's refusal too)."""
        self.errors_by_question[key] = message
        question = self.questionnaire.question(key)
        target: str | None = key if key in self.fields else None
        if target is None and question is not None and question.choices:
            target = f"{key}.{question.choices[0].key}"
        self.add_error(target if target in self.fields else None, message)

    def sections(self) -> list[SectionBlock]:
        """The sections and their questions, each with its fields, error and condition."""
        out: list[SectionBlock] = []
        for section in self.questionnaire.sections:
            blocks = []
            for question in section.questions:
                key = question.key
                block = Block(
                    question=question,
                    error=self.errors_by_question.get(key, ""),
                    condition=condition_text(self.questionnaire, question),
                    shows_if=" ".join(question.condition.any_of) if question.condition else "",
                )
                if question.kind == Kind.RANKING:
                    block.ranks = [(c.label, self[f"{key}.{c.key}"]) for c in question.choices]
                else:
                    block.field = self[key]
                    if question.other:
                        block.other = self[f"{key}.{OTHER}"]
                blocks.append(block)
            out.append(SectionBlock(section.key, section.title, section.intro, blocks))
        return out


class ConfirmedAnswerForm(AnswerForm):
    """The answers and the address that will confirm them (`AnswerRule.CONFIRMED`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            label=gettext_lazy("Your e-mail address"),
            max_length=254,
            help_text=gettext_lazy(
                "We send a link there: your answers count once you open it (within 48 hours)."
            ),
        )

    def extra_fields(self) -> tuple[str, ...]:
        return ("email",)


class EntryForm(AnswerForm):
    """A paper form typed in by the team, with the day it was filled in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filled_on"] = forms.DateField(
            label=gettext_lazy("Filled in on"),
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text=gettext_lazy("The day the person filled in the paper form."),
        )

    def extra_fields(self) -> tuple[str, ...]:
        return ("filled_on",)

    def clean_filled_on(self) -> date:
        value: date = self.cleaned_data["filled_on"]
        if value > clock.today():
            raise forms.ValidationError(_("This day has not come yet."))
        if value.year < answering.EARLIEST_YEAR:
            raise forms.ValidationError(_("Enter a date after 1900."))
        return value
