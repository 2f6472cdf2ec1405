"""The directory's filters, shared by the public directory and the network's map (issue 11):
one form reads the query string (a bad value is a message on its field, never a 500), one
function turns the filters into a queryset, so a filter means the same on both pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tierslieux.places.models import Category, Network, Place
from tierslieux.places.queries import in_network, matching

# A search is a few words, not a document.
MAX_QUERY = 200
DEPARTEMENT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    category: str = ""
    location_type: str = ""
    commune: str = ""
    departement: str = ""
    status: str = ""
    network: str = ""


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("All")), *choices]


class DirectoryForm(forms.Form):
    """The filters of the query string, validated; `filters()` once valid."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY, strip=True)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_all(Category.Code.choices)
    )
    location_type = forms.ChoiceField(
        label=_("Location"), required=False, choices=_all(Place.LocationType.choices)
    )
    commune = forms.CharField(label=_("Commune"), required=False, max_length=120)
    departement = forms.CharField(
        label=_("Département"),
        required=False,
        max_length=3,
        help_text=_("Its number: 23, 2A, 974."),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_all(Place.Status.choices)
    )
    network = forms.SlugField(label=_("Network"), required=False, max_length=50)

    def clean_departement(self) -> str:
        value = str(self.cleaned_data["departement"]).strip().upper()
        if value and not DEPARTEMENT.match(value.zfill(2)):
            raise forms.ValidationError(
                _("“%(value)s” is not a French département number (e.g. 23, 2A, 974)."),
                code="departement",
                params={"value": value},
            )
        return value.zfill(2) if value else ""

    def clean_network(self) -> str:
        slug = str(self.cleaned_data["network"])
        if slug and not Network.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("No network is named “%(slug)s”."), code="network", params={"slug": slug}
            )
        return slug

    def filters(self) -> DirectoryFilters:
        """The valid filters (nothing filtered on a field in error)."""
        data = getattr(self, "cleaned_data", {})
        return DirectoryFilters(
            **{name: str(data.get(name) or "") for name in DirectoryFilters.__dataclass_fields__}
        )


def departement_prefixes(code: str) -> list[str]:
    """The postcode prefixes of a département: Corsica's two share the 20xxx postcodes."""
    if code == "2A":
        return ["200", "201"]
    if code == "2B":
        return ["202", "203", "204", "205", "206"]
    return [code]


def departement_of(postcode: str, country: str = "FR") -> str:
    """The département of a French postcode ("" abroad or for a malformed one)."""
    if country != "FR" or len(postcode) != 5 or not postcode.isdigit():
        return ""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode[2] in "01" else "2B"
    return postcode[:2]


def filtered(filters: DirectoryFilters, places: QuerySet[Place] | None = None) -> QuerySet[Place]:
    """`places` (all of them by default) narrowed by the filters; unordered, nothing fetched."""
    places = Place.objects.all() if places is None else places
    if filters.q:
        places = matching(places, filters.q)
    if filters.category:
        places = places.filter(
            pk__in=Place.categories.through.objects.filter(category__code=filters.category).values(
                "place_id"
            )
        )
    if filters.location_type:
        places = places.filter(location_type=filters.location_type)
    if filters.commune:
        places = places.filter(commune__iexact=filters.commune)
    if filters.departement:
        within = Q()
        for prefix in departement_prefixes(filters.departement):
            within |= Q(postcode__startswith=prefix)
        places = places.filter(within, country="FR")
    if filters.status:
        places = places.filter(status=filters.status)
    if filters.network:
        places = places.filter(in_network(filters.network))
    return places


def communes() -> list[str]:
    return list(Place.objects.order_by("commune").values_list("commune", flat=True).distinct())
