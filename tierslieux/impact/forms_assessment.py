"""The yearly assessment's forms: they read input; `services_assessment` checks the rules
(an override's reason, the impact's axes, a confirmed year) and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.impact.models import Judgement, Verdict
from tierslieux.impact.periods import FIRST_YEAR

TEXT = 2_000


class OpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=9999)


class JudgementForm(forms.Form):
    """One impact's verdict; prefixed by the impact's key, so a page holds one per impact."""

    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why depart from the suggestion"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the verdict is not the suggested one."),
    )
    axis_keys = forms.MultipleChoiceField(
        label=_("Axes observed"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note for the report"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, judgement: Judgement, axes: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", judgement.impact_key)
        kwargs.setdefault(
            "initial",
            {
                "verdict": judgement.verdict or judgement.suggested,
                "reason": judgement.reason,
                "axis_keys": judgement.axis_keys,
                "note": judgement.note,
            },
        )
        super().__init__(*args, **kwargs)
        verdict: Any = self.fields["verdict"]
        verdict.choices = [
            (value, _("%(verdict)s (suggested)") % {"verdict": label}
             if value == judgement.suggested else label)
            for value, label in Verdict.choices
        ]  # fmt: skip
        field: Any = self.fields["axis_keys"]
        field.choices = axes
        if not axes:
            del self.fields["axis_keys"]


class TeamFigureForm(forms.Form):
    label = forms.CharField(label=_("Figure"), max_length=300)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    method = forms.CharField(
        label=_("Method"),
        max_length=TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How the figure was obtained. Without a method it is shown as “method not given”."
        ),
    )
    sample = forms.CharField(label=_("Sample"), max_length=300, required=False)
    period = forms.CharField(label=_("Period"), max_length=100, required=False)


class ConfirmForm(forms.Form):
    method = forms.CharField(
        label=_("Method of the assessment"),
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who judged, when, with what: it is printed with the report."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen it"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
