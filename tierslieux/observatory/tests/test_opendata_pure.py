"""The open-data formats without the database: the schema's rules, the mapping, the shapes."""

from __future__ import annotations

import csv
import io
from datetime import date, time

import pytest
from frictionless import Resource, Schema

from tierslieux.observatory import opendata
from tierslieux.observatory.opendata import OpenPlace

pytestmark = pytest.mark.pure

EXAMPLE = opendata.SCHEMA_PATH.with_name("lieux-mediation-numerique.exemple-valide.csv")


def _errors(body: bytes) -> list[list[object]]:
    schema = Schema.from_descriptor(opendata.schema())
    report = Resource(data=body, format="csv", schema=schema).validate()
    return report.flatten(["rowNumber", "fieldName", "type"])


def _place(**fields: object) -> OpenPlace:
    defaults: dict[str, object] = {
        "slug": "la-casa",
        "name": "La Casa",
        "url": "https://example.org/places/la-casa/",
        "status": "open",
        "network": "Réseau",
        "network_slug": "reseau",
        "updated": date(2026, 1, 5),
        "address": "2 rue du Port",
        "postcode": "11100",
        "commune": "Narbonne",
        "siret": "55210055400013",
    }
    defaults.update(fields)
    return OpenPlace(**defaults)  # type: ignore[arg-type]


def test_the_vendored_schema_is_v1_0_1_and_accepts_its_own_example():
    assert opendata.schema()["version"] == "v1.0.1"
    assert opendata.schema()["licenses"][0]["name"] == "etalab-2.0"
    assert _errors(EXAMPLE.read_bytes()) == []


def test_the_validator_is_not_vacuous_a_broken_row_is_refused():
    row = opendata.mednum_row(_place(postcode="1110", siret="", rna=""))
    errors = _errors(opendata.mednum_csv([row]).encode())
    assert {(e[1], e[2]) for e in errors} == {
        ("code_postal", "constraint-error"),
        ("pivot", "constraint-error"),
    }


def test_the_schema_asks_for_a_pivot_an_address_and_a_french_postcode():
    assert opendata.mednum_gap(_place()) == ""
    assert opendata.mednum_gap(_place(siret="", rna="W111000111")) == ""
    assert opendata.mednum_gap(_place(siret="")) == "no_pivot"
    assert opendata.mednum_gap(_place(address="  ")) == "no_address"
    assert opendata.mednum_gap(_place(country="BE", postcode="1000")) == "outside_france"
    rows, left_out = opendata.mednum_rows([_place(), _place(slug="b", siret="")])
    assert [r["id"] for r in rows] == ["la-casa"]
    assert [(p.slug, why) for p, why in left_out] == [("b", "no_pivot")]


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("04 68 00 00 00", "+33468000000"),
        ("04.68.00.00.00", "+33468000000"),
        ("+33 4 68 00 00 00", "+33468000000"),
        ("0033468000000", "+33468000000"),
        ("+262 262 00 00 00", "+262262000000"),
        ("poste 12", ""),
        ("+32 2 000 00 00", ""),  # Belgium: the schema knows only French prefixes
    ],
)
def test_phones_are_written_as_the_schema_wants(phone, expected):
    assert opendata.international_phone(phone) == expected


def test_the_short_presentation_fits_280_characters_cut_on_a_word():
    text = "mot " * 100
    short = opendata.short_presentation(text)
    assert len(short) <= 280 and short.endswith("mot…")
    assert opendata.short_presentation("Court.\n\nTrès court.") == "Court. Très court."


def test_typology_and_access_follow_the_documented_mapping():
    assert opendata.typologie(_place()) == "TIERS_LIEUX"
    assert (
        opendata.typologie(_place(categories=("shared_workshop",), legal_form="association"))
        == "TIERS_LIEUX|FABLAB|ASSO"
    )
    assert opendata.access_modes(_place(status="project", email="a@b.fr")) == (
        "Ce lieu n'accueille pas de public"
    )
    assert opendata.access_modes(_place(email="a@b.fr", phone="bureau")) == "Contacter par mail"


def test_a_full_row_is_valid_and_reads_back_the_same():
    place = _place(
        latitude=43.184277,
        longitude=3.003078,
        description="Un lieu, « vivant » ; avec des virgules, et des\nretours à la ligne.",
        hours=((0, time(9), time(12)), (0, time(14), time(18))),
        osm_hours="Mo 09:00-12:00,14:00-18:00",
        website="https://la-casa.example/",
    )
    body = opendata.mednum_csv([opendata.mednum_row(place)])
    assert _errors(body.encode()) == []
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["nom"] == "La Casa"
    assert row["presentation_resume"].endswith("retours à la ligne.")
    assert (row["latitude"], row["longitude"]) == ("43.184277", "3.003078")
    assert row["horaires"] == "Mo 09:00-12:00,14:00-18:00"


def test_geojson_and_gogocarto_shapes():
    located = _place(latitude=43.1, longitude=3.0, hours=((0, time(9), time(12)),))
    features = opendata.feature_collection([located, _place(slug="nowhere")])["features"]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [3.0, 43.1]}
    assert features[1]["geometry"] is None
    hours = ((4, time(14), time(18)), (4, time(9), time(12)), (0, time(9), time(12)))
    element = opendata.gogocarto_element(_place(hours=hours))
    assert element["openHours"] == {"Mo": "09:00-12:00", "Fr": "09:00-12:00,14:00-18:00"}
    assert "geo" not in element
