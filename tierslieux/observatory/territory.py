"""The territory the statistics cover: a département (or a foreign country), an EPCI, a commune,
read from the page's query parameters and turned into a filter on the places.

The département comes from the postcode (Corsica 20000–20199 is 2A, 20200–20999 2B; overseas
971–976 take three digits); a place outside France counts under its country (BE, ES, LU, CH).
The places carry no INSEE code: an EPCI's places are those whose (postcode, commune name)
designates one of its communes in the communes reference (`places/communes.py`), compared in
SQL on the same name key as in Python (`name_key_sql`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import CharField, Func, Q, Value
from django.db.models.functions import Concat, Replace
from django.db.models.lookups import In
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierslieux.core.search import Fold
from tierslieux.places import communes
from tierslieux.places.models import Place

COUNTRIES = tuple(c for c in Place.Country.values if c != "FR")
DEPARTEMENT = re.compile(r"^(0[1-9]|[13-8]\d|2[1-9]|9[0-5]|2A|2B|97[1-6])$")
MAX_COMMUNE = 120


class BadParameter(ValueError):
    """A query parameter the page cannot read: the view answers 400 naming it."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def name_key_sql(column: str) -> Func:
    """`communes.name_key` in SQL: the column folded (`tl_fold`), without separators, "saint"
    written "st"."""
    expression: Func = Fold(column)
    for separator in communes.SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return Replace(expression, Value(communes.SAINT[0]), Value(communes.SAINT[1]))


def epci_filter(siren: str) -> Q:
    """The French places whose (postcode, commune) designates a commune of the EPCI and of no
    other: the postcodes first (an index can serve them), then the exact pairs."""
    pairs = communes.epci_pairs(siren)
    postcodes = sorted({pair.partition(":")[0] for pair in pairs})
    pair = Concat("postcode", Value(":"), name_key_sql("commune"), output_field=CharField())
    return Q(country="FR", postcode__in=postcodes) & Q(In(pair, sorted(pairs)))


@dataclass(frozen=True)
class Territory:
    departement: str = ""
    commune: str = ""
    epci: str = ""  # SIREN

    def filter(self) -> Q:
        """The places of the territory, in SQL (postcodes compare as text: all have 5 digits)."""
        q = Q()
        code = self.departement
        if code in COUNTRIES:
            q &= Q(country=code)
        elif code == "2A":
            q &= Q(country="FR", postcode__gte="20000", postcode__lt="20200")
        elif code == "2B":
            q &= Q(country="FR", postcode__gte="20200", postcode__lte="20999")
        elif code:
            q &= Q(country="FR", postcode__startswith=code)
        if self.epci:
            q &= epci_filter(self.epci)
        if self.commune:
            q &= Q(commune__iexact=self.commune)
        return q

    @property
    def epci_name(self) -> str:
        found = communes.epci(self.epci) if self.epci else None
        return found.name if found else ""

    def label(self) -> str:
        """What the page and its CSVs say they cover: "Narbonne, CA Le Grand Narbonne, Aude
        (11)", or the whole network."""
        parts = [self.commune, self.epci_name]
        if self.departement in COUNTRIES:
            parts.append(str(Place.Country(self.departement).label))
        elif self.departement:
            name = communes.departement_name(self.departement)
            parts.append(f"{name} ({self.departement})" if name else self.departement)
        return ", ".join(p for p in parts if p) or _("the whole network")

    def slug(self) -> str:
        """The territory in a file name: "11-epci-241100593-narbonne"."""
        parts = [self.departement.lower(), f"epci-{self.epci}" if self.epci else ""]
        return "-".join(p for p in [*parts, slugify(self.commune)[:40]] if p)


def departement(postcode: str, country: str) -> str:
    """The département of a French postcode ("2A", "974"…), a foreign place's country code,
    or "" when the postcode cannot tell."""
    if country != "FR":
        return country
    code = postcode.strip()
    if len(code) < 3 or not code[:3].isdigit():
        return ""
    if code.startswith("20"):
        return "2A" if code[:3] in ("200", "201") else "2B"
    if code.startswith(("97", "98")):
        return code[:3]
    return code[:2]


def _epci(siren: str, code: str) -> str:
    siren = siren.replace(" ", "")
    if not siren:
        return ""
    if not communes.SIREN.match(siren):
        raise BadParameter(
            "epci",
            _("“%(value)s” is not an EPCI’s SIREN number (9 digits).") % {"value": siren[:20]},
        )
    found = communes.epci(siren)
    if found is None:
        raise BadParameter(
            "epci",
            _("No EPCI has the SIREN number %(value)s in the %(year)s reference.")
            % {"value": siren, "year": communes.VINTAGE},
        )
    if code and code not in found.departements:
        raise BadParameter(
            "epci",
            _("%(epci)s has no commune in the département %(code)s: choose one of its EPCIs.")
            % {"epci": found.name, "code": code},
        )
    return siren


def parse_territory(params: dict[str, str]) -> Territory:
    code = (params.get("departement") or "").strip().upper()
    commune = (params.get("commune") or "").strip()
    if code and not (DEPARTEMENT.match(code) or code in COUNTRIES):
        raise BadParameter(
            "departement",
            _("“%(value)s” is not a département (01–95, 2A, 2B, 971–976) nor a country code.")
            % {"value": code[:10]},
        )
    if len(commune) > MAX_COMMUNE or any(ord(c) < 32 for c in commune):
        raise BadParameter("commune", _("The commune must be a name of at most 120 characters."))
    return Territory(code, commune, _epci(params.get("epci") or "", code))


def epci_choices(departement_code: str, siren: str = "") -> list[communes.Epci]:
    """The EPCIs the page's form offers: the département's, or the chosen one alone."""
    if DEPARTEMENT.match(departement_code):
        return communes.epcis_of_departement(departement_code)
    found = communes.epci(siren) if siren else None
    return [found] if found else []
