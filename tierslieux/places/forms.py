"""Back-office forms. They validate input; the services in `services.py` do the writing."""

from __future__ import annotations

import re
from datetime import time
from itertools import pairwise
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation
from tierslieux.places.models import (
    Category,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
)

SPAN = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*[-–]\s*(\d{1,2})[:h](\d{2})\s*$")


class LinesField(forms.CharField):
    """A list of strings edited as one line each."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CommaListField(forms.CharField):
    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [item.strip() for item in text.split(",") if item.strip()]


class PlaceSheetForm(forms.ModelForm):
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    programme = LinesField(
        label=_("Programme"), required=False, help_text=_("One use per line, e.g. “Repair café”.")
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "slug",
            "status",
            "opening_date",
            "description",
            "address",
            "postcode",
            "commune",
            "country",
            "latitude",
            "longitude",
            "location_type",
            "timezone",
            "surface_m2",
            "legal_form",
            "legal_form_detail",
            "siret",
            "rna",
            "categories",
            "programme",
            "investment_public_share",
            "investment_private_share",
            "operation_public_share",
            "operation_private_share",
            "visitors_per_year",
            "events_per_year",
            "resident_organisations",
            "email",
            "phone",
            "website",
        ]
        widgets = {
            "opening_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    FIELDSETS = [
        (
            _("Identity"),
            ["name", "slug", "status", "opening_date", "description", "categories", "programme"],
        ),
        (
            _("Location"),
            [
                "address",
                "postcode",
                "commune",
                "country",
                "latitude",
                "longitude",
                "location_type",
                "timezone",
            ],
        ),
        (_("Structure"), ["surface_m2", "legal_form", "legal_form_detail", "siret", "rna"]),
        (
            _("Funding"),
            [
                "investment_public_share",
                "investment_private_share",
                "operation_public_share",
                "operation_private_share",
            ],
        ),
        (_("Users"), ["visitors_per_year", "events_per_year", "resident_organisations"]),
        (_("Contact"), ["email", "phone", "website"]),
    ]

    def fieldsets(self) -> list[tuple[Any, list[Any]]]:
        """The fields grouped as on the census's technical sheet, for the template."""
        return [(label, [self[name] for name in names]) for label, names in self.FIELDSETS]

    def changes(self) -> dict[str, Any]:
        """Cleaned values of the model fields, for `services.update_place`."""
        data = dict(self.cleaned_data)
        data.pop("categories", None)
        return data

    def category_codes(self) -> list[str]:
        return [c.code for c in self.cleaned_data.get("categories") or []]


def parse_spans(text: str) -> list[tuple[time, time]]:
    """'09:00-12:30, 14:00-18:00' -> [(09:00, 12:30), (14:00, 18:00)]."""
    spans = []
    for chunk in filter(None, (c.strip() for c in text.split(","))):
        match = SPAN.match(chunk)
        if not match:
            raise ValidationError(
                _("“%(value)s” is not a time range like 09:00-18:00."),
                code="invalid_span",
                params={"value": chunk},
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValidationError(
                _("“%(value)s” is not a valid time of day."),
                code="invalid_time",
                params={"value": chunk},
            )
        opens, closes = time(h1, m1), time(h2, m2)
        if opens >= closes:
            raise ValidationError(
                _("In “%(value)s” the closing time must be after the opening time."),
                code="span_order",
                params={"value": chunk},
            )
        spans.append((opens, closes))
    spans.sort()
    for (_o1, c1), (o2, _c2) in pairwise(spans):
        if o2 < c1:
            raise ValidationError(_("Two time ranges of this day overlap."), code="overlap")
    return spans


class WeeklyHoursForm(forms.Form):
    """One field per weekday: closed when empty, several ranges separated by commas."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in OpeningHours.Weekday.choices:
            self.fields[f"day_{day}"] = forms.CharField(
                label=label,
                required=False,
                help_text=_("e.g. 09:00-12:30, 14:00-18:00; empty when closed"),
            )

    @classmethod
    def initial_from(cls, hours: list[OpeningHours]) -> dict[str, str]:
        initial: dict[str, list[str]] = {}
        for h in hours:
            initial.setdefault(f"day_{h.weekday}", []).append(f"{h.opens:%H:%M}-{h.closes:%H:%M}")
        return {key: ", ".join(spans) for key, spans in initial.items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.intervals: list[tuple[int, time, time]] = []
        for day in range(7):
            try:
                spans = parse_spans(cleaned.get(f"day_{day}", ""))
            except ValidationError as error:
                self.add_error(f"day_{day}", error)
                continue
            self.intervals.extend((day, o, c) for o, c in spans)
        return cleaned


class OpeningExceptionForm(forms.ModelForm):
    class Meta:
        model = OpeningException
        fields = ["start_date", "end_date", "closed", "opens", "closes", "reason"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "opens": forms.TimeInput(attrs={"type": "time"}),
            "closes": forms.TimeInput(attrs={"type": "time"}),
        }


class TeamLineForm(forms.Form):
    role = forms.CharField(label=_("Role"), max_length=150)
    people = forms.IntegerField(label=_("People"), min_value=1, max_value=1000, initial=1)
    fte = forms.DecimalField(
        label=_("Full-time equivalent"), min_value=0, max_digits=5, decimal_places=2, initial=1
    )


TeamFormSet = forms.formset_factory(TeamLineForm, extra=2, can_delete=True)


class SpaceForm(forms.ModelForm):
    equipment = CommaListField(
        label=_("Equipment"),
        required=False,
        help_text=_("Separated by commas, e.g. projector, whiteboard, wifi."),
    )

    class Meta:
        model = Space
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "surface_m2",
            "capacity",
            "units",
            "equipment",
            "step_free_access",
            "bookable",
            "inside",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.place = place
        others = (
            Space.objects.filter(place=place)
            .filter(Q(archived_at__isnull=True) | Q(pk=self.instance.inside_id))
            .exclude(pk=self.instance.pk)
        )
        self.fields["inside"].queryset = others  # type: ignore[attr-defined]
        self.fields["slug"].required = False
        if self.instance.pk:
            self.initial["equipment"] = [e.name for e in self.instance.equipment.all()]

    def clean_slug(self) -> str:
        from django.utils.text import slugify

        return self.cleaned_data.get("slug") or slugify(self.data.get("name", ""))[:50]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("equipment", None)
        return data


PERSON_ROLE_CHOICES = [(r.value, r.label) for r in PlaceRole.Role if r in PlaceRole.PERSON_ROLES]
ORGANISATION_ROLE_CHOICES = [
    (r.value, r.label) for r in PlaceRole.Role if r in PlaceRole.ORGANISATION_ROLES
]


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=PERSON_ROLE_CHOICES, initial=PlaceRole.Role.MEMBER
    )


class PersonEditForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class OrganisationEditForm(forms.Form):
    """An organisation's identity and the postal address its invoices give."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    # Wider than the column: people paste "552 100 554 00014"; spaces are dropped.
    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 digits; its first 9 are the SIREN that invoices give."),
    )
    rna = forms.CharField(label=_("RNA number"), max_length=10, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        initial="FR",
        required=False,
        help_text=_("ISO code of two letters, e.g. FR, BE (FR when left empty)."),
    )

    def clean_siret(self) -> str:
        return re.sub(r"[\s.]", "", self.cleaned_data["siret"])

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip()

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper() or "FR"


class OrganisationForm(OrganisationEditForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ORGANISATION_ROLE_CHOICES,
        initial=PlaceRole.Role.RESIDENT_ORGANISATION,
    )


class GrantRoleForm(forms.Form):
    """Give one more role to someone already in the place."""

    role = forms.ChoiceField(
        label=_("Role"), choices=PlaceRole.Role.choices, initial=PlaceRole.Role.MEMBER
    )
    # Set by the confirmation page: making someone coordinator asks first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
