"""The builder's forms: a survey's settings (its dates on the owner's wall clock), its sections
and questions (only the fields a kind uses), and the invitations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.core.validators import validate_single_line
from tierslieux.surveys import questionnaire
from tierslieux.surveys.models import Survey
from tierslieux.surveys.questionnaire import Kind

MOMENT = "%Y-%m-%dT%H:%M"
MOMENT_FORMATS = (MOMENT, "%Y-%m-%d %H:%M")
KIND_LABELS = {
    Kind.SINGLE: gettext_lazy("One choice"),
    Kind.MULTIPLE: gettext_lazy("Several choices"),
    Kind.SCALE: gettext_lazy("A scale (1 to 5, 0 to 10…)"),
    Kind.NUMBER: gettext_lazy("A number"),
    Kind.DATE: gettext_lazy("A date"),
    Kind.TEXT: gettext_lazy("Free text"),
    Kind.COMMUNE: gettext_lazy("A commune"),
    Kind.RANKING: gettext_lazy("Choices put in order"),
}
# The fields each kind uses beyond label, help, required and condition.
KIND_FIELDS = {
    Kind.SINGLE: ("choices", "other"),
    Kind.MULTIPLE: ("choices", "other", "max_choices"),
    Kind.RANKING: ("choices",),
    Kind.SCALE: ("minimum", "maximum", "low_label", "high_label"),
    Kind.NUMBER: ("minimum", "maximum", "whole", "unit"),
    Kind.DATE: (),
    Kind.TEXT: ("multiline",),
    Kind.COMMUNE: (),
}
OPTIONAL = (
    "choices", "other", "max_choices", "minimum", "maximum", "whole", "unit", "low_label",
    "high_label", "multiline",
)  # fmt: skip


class LocalMomentField(forms.DateTimeField):
    """A date and time typed on the owner's wall clock (`tz`), made aware there."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, input_formats=MOMENT_FORMATS, **kwargs)
        self.tz = ZoneInfo("Europe/Paris")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        for pattern in MOMENT_FORMATS:
            try:
                moment = datetime.strptime(text, pattern).replace(tzinfo=self.tz)
            except ValueError:
                continue
            if not 2000 <= moment.year <= 2200:
                raise forms.ValidationError(_("Choose a date between 2000 and 2200."))
            return moment
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class NoticeForm(forms.Form):
    """No field: carries a refusal to a confirmation page or the editor (`views.refused`)."""


class CreateForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, validators=[validate_single_line]
    )


class SettingsForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, validators=[validate_single_line]
    )
    intro = forms.CharField(
        label=gettext_lazy("Introduction"), required=False, max_length=5000, widget=forms.Textarea
    )
    consent = forms.CharField(
        label=gettext_lazy("Consent text"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        help_text=gettext_lazy("Shown before the questions; answering means agreeing to it."),
    )
    thanks = forms.CharField(
        label=gettext_lazy("Thank-you message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Anonymous"),
        required=False,
        help_text=gettext_lazy(
            "No answer is tied to a person: no name, no address, no link, only the day. "
            "It cannot change once people have answered."
        ),
    )
    answer_rule = forms.ChoiceField(
        label=gettext_lazy("Who may answer"), choices=Survey.AnswerRule.choices
    )
    opens_at = LocalMomentField(label=gettext_lazy("Opens at"), required=False)
    closes_at = LocalMomentField(label=gettext_lazy("Closes at"), required=False)

    def __init__(self, *args: Any, tz: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "closes_at"):
            field = self.fields[name]
            field.tz = ZoneInfo(tz)  # type: ignore[attr-defined]
            field.help_text = _("Time in %(zone)s.") % {"zone": tz}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        return data


class SectionForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Section title"), max_length=200, validators=[validate_single_line]
    )
    intro = forms.CharField(
        label=gettext_lazy("Text under the title"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewQuestionForm(forms.Form):
    """The kind of the question to add (asked first: the question's form depends on it)."""

    section = forms.CharField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of question"), choices=KIND_LABELS.items())


def _number(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class QuestionForm(forms.Form):
    """A question of `kind`; `earlier` are the questions before it (a condition names one)."""

    label = forms.CharField(label=gettext_lazy("Question"), max_length=1000)
    help = forms.CharField(
        label=gettext_lazy("Help under the question"), required=False, max_length=2000
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("Choices, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=gettext_lazy(
            "A line whose text you correct in place stays the same choice; a new line is a "
            "new choice."
        ),
    )
    other = forms.BooleanField(
        label=gettext_lazy("Add an “Other” choice with a text"), required=False
    )
    max_choices = forms.IntegerField(
        label=gettext_lazy("At most this many choices"),
        required=False,
        min_value=1,
        max_value=questionnaire.MAX_CHOICES,
    )
    minimum = forms.DecimalField(
        label=gettext_lazy("Lowest value"), required=False, max_digits=14, decimal_places=4
    )
    maximum = forms.DecimalField(
        label=gettext_lazy("Highest value"), required=False, max_digits=14, decimal_places=4
    )
    whole = forms.BooleanField(label=gettext_lazy("Whole numbers only"), required=False)
    unit = forms.CharField(
        label=gettext_lazy("Unit (km, days a week…)"), required=False, max_length=40
    )
    low_label = forms.CharField(
        label=gettext_lazy("What the lowest value means"), required=False, max_length=100
    )
    high_label = forms.CharField(
        label=gettext_lazy("What the highest value means"), required=False, max_length=100
    )
    multiline = forms.BooleanField(label=gettext_lazy("Several lines"), required=False)
    condition = forms.MultipleChoiceField(
        label=gettext_lazy("Ask only if an earlier question was answered"),
        required=False,
        help_text=gettext_lazy("Tick answers of one earlier question; leave empty to always ask."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, kind: Kind, earlier: tuple[questionnaire.Question, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in OPTIONAL:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        if kind == Kind.SCALE:
            self.fields["minimum"].initial, self.fields["maximum"].initial = 1, 5
        sources = [q for q in earlier if q.kind in (Kind.SINGLE, Kind.MULTIPLE)]
        if sources:
            self.fields["condition"].choices = [  # type: ignore[attr-defined]
                (q.label, [(f"{q.key}={c}", q.choice_label(c)) for c in q.choice_keys()])
                for q in sources
            ]
        else:
            del self.fields["condition"]

    @staticmethod
    def initial_for(question: dict[str, Any]) -> dict[str, Any]:
        """The form's initial values from a question's JSON form."""
        initial = {k: v for k, v in question.items() if k not in ("choices", "condition", "step")}
        initial["choices"] = "\n".join(c["label"] for c in question.get("choices", []))
        initial["whole"] = question.get("step") in ("1", 1)
        condition = question.get("condition")
        if condition:
            initial["condition"] = [f"{condition['question']}={v}" for v in condition["any_of"]]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("choices") or "").splitlines() if line.strip()]
        if "choices" in self.fields and "choices" not in self.errors:
            least = 1 if self.kind == Kind.SINGLE or data.get("other") else 2
            if len(lines) < least:
                self.add_error("choices", _("Give at least two choices, one per line."))
            elif len(lines) > questionnaire.MAX_CHOICES:
                self.add_error(
                    "choices", _("At most %(max)s choices.") % {"max": questionnaire.MAX_CHOICES}
                )
            elif len(set(lines)) != len(lines):
                self.add_error("choices", _("Two choices have the same text."))
            elif any(len(line) > 500 for line in lines):
                self.add_error("choices", _("A choice is at most 500 characters long."))
        data["lines"] = lines
        low, high = data.get("minimum"), data.get("maximum")
        bounds_ok = "minimum" not in self.errors and "maximum" not in self.errors
        if self.kind == Kind.SCALE and bounds_ok:
            if low is None or high is None or low != int(low) or high != int(high):
                self.add_error("maximum", _("A scale goes from one whole number to another."))
            elif not 0 <= low < high <= 10:
                self.add_error("maximum", _("A scale goes from 0 or 1 up to 10 at most."))
        elif low is not None and high is not None and low > high:
            self.add_error("maximum", _("The highest value is below the lowest."))
        condition = data.get("condition") or []
        if len({value.split("=", 1)[0] for value in condition}) > 1:
            self.add_error("condition", _("Tick answers of one question only."))
        return data

    def question(self, existing_choices: list[dict[str, str]], taken: set[str]) -> dict[str, Any]:
        """The question's JSON form without its key and kind (see `editing`)."""
        from tierslieux.surveys import editing  # pure, imported here to keep this module light

        data = self.cleaned_data
        out: dict[str, Any] = {
            "label": data["label"].strip(),
            "help": data.get("help", "").strip(),
            "required": bool(data.get("required")),
        }
        if "choices" in self.fields:
            out["choices"] = editing.choices_from_lines(data["lines"], existing_choices, taken)
        for name in ("other", "multiline"):
            if name in self.fields:
                out[name] = bool(data.get(name))
        for name in ("max_choices", "unit", "low_label", "high_label"):
            if name in self.fields and data.get(name) not in (None, ""):
                out[name] = data[name]
        for name in ("minimum", "maximum"):
            if name in self.fields and data.get(name) is not None:
                number = _number(data[name])
                out[name] = str(number.normalize() if number is not None else "")
        if data.get("whole"):
            out["step"] = "1"
        condition = data.get("condition") or []
        if condition:
            source = condition[0].split("=", 1)[0]
            out["condition"] = {
                "question": source,
                "any_of": [value.split("=", 1)[1] for value in condition],
            }
        return {"kind": self.kind.value, **out}


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        required=False,
        max_length=60000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One per line, or separated by commas."),
    )
    people = forms.MultipleChoiceField(
        label=gettext_lazy("Or pick people of the place"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people:
            self.fields["people"].choices = people  # type: ignore[attr-defined]
        else:
            del self.fields["people"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("emails") or "").strip() and not data.get("people"):
            self.add_error("emails", _("Give at least one address, or pick someone."))
        return data
