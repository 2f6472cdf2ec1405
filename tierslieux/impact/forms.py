"""The impact pages' forms: they read input; `services` checks the rules and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.impact.models import MAX_LEVEL, MIN_LEVEL, QUOTE, TEXT, Milestone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def impact_choices(tree: dict[str, Any]) -> list[tuple[Any, Any]]:
    """One select for an impact and, optionally, one of its axes: `impact` or `impact/axis`."""
    groups: list[tuple[Any, Any]] = [("", "—")]
    for impact in tree["impacts"]:
        options = [(impact.key, _("The impact as a whole"))]
        options += [(f"{impact.key}/{axis.key}", axis.title) for axis in impact.axes.all()]
        groups.append((impact.title, options))
    return groups


class TestimonyForm(forms.Form):
    quote = forms.CharField(label=_("Quote"), max_length=QUOTE, widget=forms.Textarea)
    author_role = forms.CharField(
        label=_("Author's role"),
        max_length=200,
        help_text=_("Who speaks: a role, a group, not necessarily a name."),
    )
    said_on = forms.DateField(label=_("Date"), widget=DATE)
    impact = forms.ChoiceField(label=_("Impact and axis"))
    consent = forms.BooleanField(label=_("Consent given"), required=False)
    consent_how = forms.CharField(
        label=_("How consent was given"),
        max_length=300,
        required=False,
        help_text=_("For instance: a signed form, an e-mail, orally before a witness."),
    )
    public = forms.BooleanField(
        label=_("Publish (reports and public pages)"),
        required=False,
        help_text=_("Only a testimony given with consent can be published."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP, 5 MB at most."),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(
        self, *args: Any, tree: dict[str, Any], has_photo: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["impact"]
        field.choices = impact_choices(tree)
        if not has_photo:
            del self.fields["remove_photo"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        impact_key, _sep, axis_key = data.pop("impact").partition("/")
        data["impact_key"], data["axis_key"] = impact_key, axis_key
        if data.pop("remove_photo", False):
            data["photo"] = False
        elif not data.get("photo"):  # nothing uploaded: the photo stays
            data.pop("photo", None)
        return data


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Story"), max_length=TEXT, widget=forms.Textarea)
    told_on = forms.DateField(label=_("Date"), widget=DATE)
    impact_keys = forms.MultipleChoiceField(label=_("Impacts"), widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(
        label=_("The people it names or shows agreed to its publication"), required=False
    )
    public = forms.BooleanField(label=_("Publish (reports and public pages)"), required=False)

    def __init__(self, *args: Any, tree: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["impact_keys"]
        field.choices = [(i.key, i.title) for i in tree["impacts"]]

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class MilestoneForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=Milestone.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), max_length=TEXT, widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, tree: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


LEVEL_CHOICES = [("", _("Not assessed"))] + [
    (str(n), str(n)) for n in range(MIN_LEVEL, MAX_LEVEL + 1)
]


class AssessmentForm(forms.Form):
    """The date, a note, and for each commitment its level and the criteria met."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=TEXT, widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, tree: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = tree["commitments"]
        for c in self.commitments:
            self.fields[f"level_{c.key}"] = forms.ChoiceField(
                label=_("%(commitment)s: level") % {"commitment": c.title},
                choices=LEVEL_CHOICES,
                required=False,
            )
            self.fields[f"criteria_{c.key}"] = forms.MultipleChoiceField(
                label=_("%(commitment)s: criteria met") % {"commitment": c.title},
                choices=[tuple(pair) for pair in c.criteria],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def scores(self) -> dict[str, tuple[int, list[str]]]:
        data = self.cleaned_data
        return {
            c.key: (int(data[f"level_{c.key}"]), list(data[f"criteria_{c.key}"]))
            for c in self.commitments
            if data.get(f"level_{c.key}")
        }


class ImpactEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    conditions = forms.CharField(
        label=_("Conditions of expression"),
        help_text=_("One condition per line."),
        max_length=TEXT,
        widget=forms.Textarea,
        required=False,
    )


class AxisForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    example = forms.CharField(label=_("Example"), max_length=300, required=False)


class CommitmentEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT, widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(MIN_LEVEL, MAX_LEVEL + 1):
            self.fields[f"level_{n}"] = forms.CharField(
                label=_("Level %(level)s") % {"level": n}, max_length=1_000, required=False
            )

    def levels(self) -> dict[int, str]:
        return {n: self.cleaned_data[f"level_{n}"] for n in range(MIN_LEVEL, MAX_LEVEL + 1)}
