"""Forms of a place's identifiers in other registers and of a network's member places."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tierslieux.places.models import ExternalId

CENSUS_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


class RegistersForm(forms.Form):
    """The national census's id and the Movilab page: the two registers a network asks for."""

    bdtfl = forms.CharField(
        label=_("National census identifier (ID_UNIQUE)"),
        required=False,
        max_length=40,
        help_text=_("As in the France Tiers-Lieux census files; leave empty if unknown."),
    )
    movilab = forms.URLField(
        label=_("Movilab page"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("The place's page on movilab.org."),
    )

    def __init__(self, *args: Any, place_ids: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, initial=place_ids or {}, **kwargs)

    def clean_bdtfl(self) -> str:
        value: str = self.cleaned_data["bdtfl"].strip()
        if value and not CENSUS_ID.match(value):
            raise ValidationError(
                _("An identifier is made of letters, digits, dots, dashes and underscores."),
                code="invalid",
            )
        return value

    def clean_movilab(self) -> str:
        value: str = self.cleaned_data["movilab"].strip()
        host = (urlsplit(value).hostname or "").lower() if value else ""
        if value and host != "movilab.org" and not host.endswith(".movilab.org"):
            raise ValidationError(_("A Movilab page's address is on movilab.org."), code="host")
        return value

    def values(self) -> dict[str, str]:
        return {
            ExternalId.BDTFL: self.cleaned_data["bdtfl"],
            ExternalId.MOVILAB: self.cleaned_data["movilab"],
        }


class PlaceSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or commune"), max_length=200, required=False)
