"""Open data of a network's places, in three formats others already read (pure: no ORM).

The caller hands plain `OpenPlace` records (only what a place's public page shows: never a
person's name nor e-mail; `email` is the place's own contact address from its sheet); this
module turns them into:

- rows of the national Table Schema "Lieux de médiation numérique" (`standard-mediation-num`
  v1.0.1, vendored in `schemas/`), in the schema's field order and formats, for a CSV;
- a GeoJSON FeatureCollection (RFC 7946: `[longitude, latitude]`, null geometry when a place
  has no coordinates yet);
- GoGoCarto elements (`name`, `geo`, `address`, `categories`, `openHours`…) in the shape of
  GoGoCarto's own API (`{"data": [...], "ontology": "gogofull"}`), which its import reads.

Mapping to the Table Schema (it has no field for our location types nor statuses):

- slug → `id` (unique and stable: a published slug does not change);
- SIRET, else RNA → `pivot` (required: a place with neither is left out of the CSV, below);
- `typologie` (data·inclusion vocabulary): `TIERS_LIEUX` for every place, `FABLAB` added when
  a category is fablab or shared workshop, `ASSO` when the legal form is an association;
- status "in project" → `modalites_acces` "Ce lieu n'accueille pas de public"; status "open"
  → `modalites_acces` from the sheet: "Se présenter" (opening hours), "Téléphoner" (a French
  phone), "Contacter par mail" (the place's e-mail);
- address, postcode, commune → `adresse`, `code_postal`, `commune` (required);
- description → `presentation_resume` (≤ 280 characters, cut on a word) and
  `presentation_detail` (the whole text, when longer);
- weekly hours and exceptions → `horaires` (OSM `opening_hours`);
- phone → `telephone` (`+33…`, left empty when not a French number);
- the network → `source` (who collected the data) and `structure_parente`;
- `itinerance` "Fixe" for every place; the sheet's last change → `date_maj`;
- categories and location types have no column: they are in the GeoJSON and GoGoCarto files.

The schema's required fields are French ones (`code_postal` of five digits, `pivot`,
`adresse`): a place abroad, without a street address or without SIRET/RNA is not written to
the CSV (`mednum_rows` says which and why); it stays in the GeoJSON and GoGoCarto files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "schemas" / "lieux-mediation-numerique.schema.json"
LICENCE_NAME = "Licence Ouverte 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
TYPOLOGY_TIERS_LIEUX = "TIERS_LIEUX"
FABLAB_CATEGORIES = frozenset({"fablab", "shared_workshop"})
RESUME_MAX = 280
OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]

_PIVOT = re.compile(r"^[a-zA-Z0-9]{9,14}$")
_POSTCODE = re.compile(r"^\d{5}$")
_PHONE = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")


def schema() -> dict[str, Any]:
    """The vendored Table Schema (read each call: tests and exports are rare)."""
    data: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return data


def mednum_fields() -> list[str]:
    """The CSV's columns: every field of the schema, in its order (the schema asks for all)."""
    return [f["name"] for f in schema()["fields"]]


@dataclass(slots=True)  # not frozen: its __init__ would cost a third of a 5,000-place export
class OpenPlace:
    """What may be published of a place: its public sheet, nothing about people."""

    slug: str
    name: str
    url: str
    status: str  # "open" | "project"
    network: str
    network_slug: str
    updated: date
    description: str = ""
    address: str = ""
    postcode: str = ""
    commune: str = ""
    country: str = "FR"
    latitude: float | None = None  # WGS84 degrees, at most 6 decimals (the model's precision)
    longitude: float | None = None
    location_type: str = ""
    legal_form: str = ""
    siret: str = ""
    rna: str = ""
    categories: tuple[str, ...] = ()
    category_labels: tuple[str, ...] = ()
    email: str = ""
    phone: str = ""
    website: str = ""
    osm_hours: str = ""
    hours: tuple[tuple[int, time, time], ...] = field(default=())


def international_phone(phone: str) -> str:
    """A French number as the schema wants it (`+33…`, no spaces), or "" when it is not one."""
    digits = re.sub(r"[\s.\-()/]", "", phone)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        digits = "+33" + digits[1:]
    return digits if _PHONE.fullmatch(digits) else ""


def short_presentation(text: str, limit: int = RESUME_MAX) -> str:
    """The description on one line, cut on a word to fit `limit` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def typologie(place: OpenPlace) -> str:
    kinds = [TYPOLOGY_TIERS_LIEUX]
    if FABLAB_CATEGORIES & set(place.categories):
        kinds.append("FABLAB")
    if place.legal_form == "association":
        kinds.append("ASSO")
    return "|".join(kinds)


def access_modes(place: OpenPlace) -> str:
    if place.status != "open":
        return "Ce lieu n'accueille pas de public"
    modes = []
    if place.hours:
        modes.append("Se présenter")
    if international_phone(place.phone):
        modes.append("Téléphoner")
    if place.email:
        modes.append("Contacter par mail")
    return "|".join(modes)


def _number(value: float | None) -> str:
    """`50.6366`, never `5e-05`: six decimals at most, as the model stores them."""
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def mednum_gap(place: OpenPlace) -> str:
    """Why the place cannot be a valid row of the schema ("" when it can)."""
    if place.country != "FR" or not _POSTCODE.fullmatch(place.postcode):
        return "outside_france"
    if not place.address.strip():
        return "no_address"
    if not _PIVOT.fullmatch(place.siret or place.rna):
        return "no_pivot"
    return ""


def mednum_row(place: OpenPlace) -> dict[str, str]:
    """One row of the schema (call `mednum_gap` first: this does not check required fields)."""
    detail = " ".join(place.description.split())
    resume = short_presentation(place.description)
    return {
        "id": place.slug,
        "pivot": place.siret or place.rna,
        "nom": place.name,
        "commune": place.commune,
        "code_postal": place.postcode,
        "code_insee": "",
        "adresse": " ".join(place.address.split()),
        "complement_adresse": "",
        "latitude": _number(place.latitude),
        "longitude": _number(place.longitude),
        "typologie": typologie(place),
        "telephone": international_phone(place.phone),
        "courriels": place.email,
        "site_web": place.website,
        "horaires": place.osm_hours if place.hours else "",
        "presentation_resume": resume,
        "presentation_detail": detail if detail != resume else "",
        "source": place.network,
        "itinerance": "Fixe",
        "structure_parente": place.network,
        "date_maj": place.updated.isoformat(),
        "services": "",
        "publics_specifiquement_adresses": "",
        "prise_en_charge_specifique": "",
        "frais_a_charge": "",
        "dispositif_programmes_nationaux": "",
        "formations_labels": "",
        "autres_formations_labels": "",
        "modalites_acces": access_modes(place),
        "modalites_accompagnement": "",
        "fiche_acces_libre": "",
        "prise_rdv": "",
    }


def mednum_rows(
    places: Iterable[OpenPlace],
) -> tuple[list[dict[str, str]], list[tuple[OpenPlace, str]]]:
    """The rows of the places the schema can hold, and the others with the reason."""
    rows: list[dict[str, str]] = []
    left_out: list[tuple[OpenPlace, str]] = []
    for place in places:
        gap = mednum_gap(place)
        if gap:
            left_out.append((place, gap))
        else:
            rows.append(mednum_row(place))
    return rows, left_out


def mednum_csv(rows: Iterable[dict[str, str]]) -> str:
    """The CSV the schema's README asks for: UTF-8, commas, every column with its header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=mednum_fields(), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _coordinate(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _address(place: OpenPlace) -> dict[str, str]:
    return {
        "streetAddress": place.address,
        "postalCode": place.postcode,
        "addressLocality": place.commune,
        "addressCountry": place.country,
    }


def feature(place: OpenPlace) -> dict[str, Any]:
    lat, lon = _coordinate(place.latitude), _coordinate(place.longitude)
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    return {
        "type": "Feature",
        "id": place.slug,
        "geometry": geometry,
        "properties": {
            "id": place.slug,
            "name": place.name,
            "url": place.url,
            "status": place.status,
            "categories": list(place.categories),
            "location_type": place.location_type,
            "address": place.address,
            "postcode": place.postcode,
            "commune": place.commune,
            "country": place.country,
            "network": place.network_slug,
            "email": place.email,
            "phone": place.phone,
            "website": place.website,
            "opening_hours": place.osm_hours if place.hours else "",
            "updated": place.updated.isoformat(),
        },
    }


def feature_collection(places: Iterable[OpenPlace], licence: str = LICENCE_URL) -> dict[str, Any]:
    """RFC 7946 allows foreign members: the licence travels with the data."""
    return {
        "type": "FeatureCollection",
        "license": licence,
        "features": [feature(p) for p in places],
    }


def open_hours(hours: Iterable[tuple[int, time, time]]) -> dict[str, str]:
    """GoGoCarto's `openHours`: {"Mo": "09:00-12:00,14:00-18:00", …}."""
    days: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in hours:
        days.setdefault(weekday, []).append((opens, closes))
    return {
        OSM_DAYS[day]: ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in sorted(spans))
        for day, spans in sorted(days.items())
    }


def gogocarto_element(place: OpenPlace) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": place.slug,
        "name": place.name,
        "address": _address(place),
        "categories": list(place.category_labels),
        "description": short_presentation(place.description),
        "descriptionMore": place.description,
        "email": place.email,
        "telephone": place.phone,
        "website": place.website,
        "openHours": open_hours(place.hours),
        "status": place.status,
        "url": place.url,
        "sourceKey": place.network,
        "updatedAt": place.updated.isoformat(),
    }
    lat, lon = _coordinate(place.latitude), _coordinate(place.longitude)
    if lat is not None and lon is not None:
        element["geo"] = {"latitude": lat, "longitude": lon}
    return element


def gogocarto(places: Iterable[OpenPlace], licence: str = LICENCE_URL) -> dict[str, Any]:
    return {
        "license": licence,
        "ontology": "gogofull",
        "data": [gogocarto_element(p) for p in places],
    }
