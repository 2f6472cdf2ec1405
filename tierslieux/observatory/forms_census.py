"""The census's forms: a place's public declaration (the technical sheet of the back office,
without what only the network decides), the administrator's acceptance (the same sheet with
its address on the site), the merge's choice of fields, the reason of a refusal.

They validate like the back office's sheet (the place's own model checks: postcode of the
country, funding shares adding up to 100 %) and check the coordinates with
`census.check_coordinates`; `census_services` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.core import formatting
from tierslieux.core.validators import validate_single_line
from tierslieux.observatory import census
from tierslieux.places.forms import PlaceSheetForm
from tierslieux.places.models import Place

DECLARED = [name for name in PlaceSheetForm.Meta.fields if name not in {"slug", "timezone"}]


def check_point(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """The coordinates' error on the field to correct: swapped ones suggest the swap."""
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if "latitude" in form.errors or "longitude" in form.errors:
        return
    country = data.get("country") or "FR"
    problem = census.check_coordinates(
        None if latitude is None else float(latitude),
        None if longitude is None else float(longitude),
        country,
    )
    if problem == census.CoordinateProblem.INCOMPLETE:
        missing = "longitude" if longitude is None else "latitude"
        form.add_error(missing, _("Give both the latitude and the longitude, or neither."))
    elif problem == census.CoordinateProblem.SWAPPED:
        form.add_error(
            "latitude",
            _(
                "The latitude and the longitude look swapped: did you mean latitude "
                "%(latitude)s and longitude %(longitude)s?"
            )
            % {"latitude": formatting.number(longitude), "longitude": formatting.number(latitude)},
        )
    elif problem == census.CoordinateProblem.OUTSIDE:
        form.add_error(
            "latitude",
            _(
                "This point (latitude %(latitude)s, longitude %(longitude)s) lies outside "
                "%(country)s and its territories: check the coordinates, or leave them empty."
            )
            % {
                "latitude": formatting.number(latitude),
                "longitude": formatting.number(longitude),
                "country": dict(Place.Country.choices).get(country, country),
            },
        )


class DeclarationForm(PlaceSheetForm):
    """A place declares itself: its sheet, and who declares it (never published)."""

    declarant_name = forms.CharField(
        label=_("Your name"), max_length=150, validators=[validate_single_line]
    )
    declarant_email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("For the network’s answer only; never published."),
    )
    declarant_role = forms.CharField(
        label=_("Your role in the place"),
        max_length=150,
        required=False,
        validators=[validate_single_line],
        help_text=_("E.g. coordinator, founder, volunteer, project leader."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the place’s sheet be published by the network once it accepts it, "
            "and that my e-mail address be used to answer this declaration."
        )
    )
    # A field people do not see: robots fill every field they find.
    nickname = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta(PlaceSheetForm.Meta):
        fields = DECLARED

    FIELDSETS = [
        (label, [n for n in names if n in DECLARED]) for label, names in PlaceSheetForm.FIELDSETS
    ] + [
        (_("You"), ["declarant_name", "declarant_email", "declarant_role", "consent"]),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].help_text = _("Leave it empty if the place has none yet.")
        self.fields["latitude"].help_text = _("Optional, e.g. 48.8566 (Paris).")
        self.fields["longitude"].help_text = _("Optional, e.g. 2.3522 (Paris).")

    def clean_nickname(self) -> str:
        if self.cleaned_data.get("nickname"):
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_declarant_email(self) -> str:
        return str(self.cleaned_data.get("declarant_email", "")).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_point(self, data)
        return data

    def sheet(self) -> dict[str, Any]:
        """The declared place's fields, for `census_services.declare`."""
        return {name: self.cleaned_data.get(name) for name in DECLARED if name != "categories"}


class AcceptForm(PlaceSheetForm):
    """The declared sheet, which the administrator may correct before the place exists."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Its address on the site; left empty, made from the name."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_point(self, data)
        return data

    def place_fields(self) -> dict[str, Any]:
        data = self.changes()
        if not data.get("slug"):
            data.pop("slug", None)
        return data


class MergeForm(forms.Form):
    """Which declared values replace the place's (the place's empty fields ticked first)."""

    take = forms.MultipleChoiceField(
        label=_("Declared values to keep"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["take"].choices = fields  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E-mailed to the declarant, as you write it."),
    )
