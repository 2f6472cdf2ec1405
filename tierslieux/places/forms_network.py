"""The network administrator's forms: opening a new place in the network."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Category, Place


class NewPlaceForm(forms.ModelForm):
    """What a place needs to exist; the coordinator completes the technical sheet later."""

    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    coordinator_first_name = forms.CharField(
        label=_("Coordinator’s first name"),
        max_length=100,
        required=False,
        validators=[validate_single_line],
    )
    coordinator_last_name = forms.CharField(
        label=_("Coordinator’s last name"),
        max_length=100,
        required=False,
        validators=[validate_single_line],
    )
    coordinator_email = forms.EmailField(label=_("Coordinator’s e-mail address"), required=False)

    class Meta:
        model = Place
        fields = [
            "name",
            "slug",
            "status",
            "postcode",
            "commune",
            "country",
            "location_type",
            "legal_form",
            "categories",
        ]
        help_texts = {"slug": _("Its address on the site; left empty, made from the name.")}

    COORDINATOR = ("coordinator_first_name", "coordinator_last_name", "coordinator_email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in self.COORDINATOR if data.get(name)]
        if given and len(given) < len(self.COORDINATOR):
            for name in self.COORDINATOR:
                if not data.get(name):
                    self.add_error(
                        name,
                        _("Give the coordinator’s first name, last name and e-mail, or none."),
                    )
        return data

    def place_fields(self) -> dict[str, Any]:
        """Cleaned values for `services.create_place`."""
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data.pop("categories")
        if not data.get("slug"):
            data.pop("slug")
        return data

    def category_codes(self) -> list[str]:
        return [c.code for c in self.cleaned_data.get("categories") or []]

    def coordinator(self) -> dict[str, str] | None:
        """The first coordinator to record, if the administrator named one."""
        if not self.cleaned_data.get("coordinator_email"):
            return None
        return {
            "first_name": self.cleaned_data["coordinator_first_name"],
            "last_name": self.cleaned_data["coordinator_last_name"],
            "email": self.cleaned_data["coordinator_email"],
        }


class ObserverForm(forms.Form):
    """An observer by e-mail; the names only matter when no one has this address yet."""

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(
        label=_("First name"), max_length=100, required=False, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, required=False, validators=[validate_single_line]
    )
