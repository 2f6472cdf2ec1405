"""Reading census files and mapping their lines: the edge cases of real exports (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tierslieux.observatory.importing import mapping as m
from tierslieux.observatory.importing.reading import Malformed, Row, read_csv, read_json
from tierslieux.places.models import Category, Place

pytestmark = pytest.mark.pure

HEADER = "ID_UNIQUE;NOM;ADRESSE;CODPOST;VILLE;LATITUDE;LONGITUDE;familles_tiers_lieux;statut_lieu"


def bdtfl() -> m.Mapping:
    return m.available()["bdtfl-2026"]


def test_bom_decimal_comma_quoted_delimiter_and_empty_lines(english: None) -> None:
    text = (
        f"\ufeff{HEADER}\r\n"
        '1;"La Forge; atelier";"2 rue X";59000;Lille;50,6366;3,0635;'
        '"Coworking;Fablab";en activité\r\n'
        "\r\n"
        ";;;;;;;;\r\n"
        '2;"Le Lieu ""Commun""";"3 rue\nY";59800;Lille;;;;\r\n'
    )
    table = read_csv(text.encode("utf-8"))
    assert table.columns[0] == "ID_UNIQUE"  # the BOM is not part of the first column's name
    assert [r.line for r in table.rows] == [2, 5]  # numbered by the line each row starts on
    first, second = table.rows
    assert first.values["NOM"] == "La Forge; atelier"
    assert second.values["NOM"] == 'Le Lieu "Commun"' and second.values["ADRESSE"] == "3 rue\nY"
    line = m.convert(bdtfl(), first)
    assert line.fields["latitude"] == Decimal("50.636600")
    assert line.categories == ("coworking", "fablab") and line.fields["status"] == "open"
    assert not line.reasons and not line.warnings


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (HEADER.replace(";", ",").encode(), 1, "separated by “,”"),
        (f"{HEADER}\n1;A\n".encode(), 2, "2 fields where the header has 9"),
        (f"{HEADER}\n1;Café;x;59000;Lille;;;;\n".encode("cp1252"), 2, "not in UTF-8"),
        (f'{HEADER}\n1;"A"B;x;59000;Lille;;;;\n'.encode(), 2, "unreadable CSV"),
        (b"", 0, "empty"),
        (b"ID_UNIQUE;NOM;NOM\n", 1, "appears twice"),
    ],
)
def test_malformed_files_are_refused_with_the_line(
    english: None, data: bytes, line: int, words: str
) -> None:
    with pytest.raises(Malformed) as refused:
        read_csv(data)
    assert refused.value.line == line and words in refused.value.reason


def test_gogocarto_json_both_shapes_and_malformed(english: None) -> None:
    element = {
        "id": "a1",
        "name": "Le Tiers",
        "geo": {"latitude": 50.63, "longitude": 3.06},
        "address": {"postalCode": "59000", "addressLocality": "Lille"},
        "categories": ["Fablab", {"name": "Coworking"}],
    }
    for document in ({"data": [element]}, [element]):
        import json

        table = read_json(json.dumps(document).encode())
        assert table.rows[0].values["geo.latitude"] == "50.63"
        assert table.rows[0].values["categories"] == "Fablab;Coworking"
    with pytest.raises(Malformed) as refused:
        read_json(b'{"data": [\n{"id": 1,}\n]}')
    assert refused.value.line == 2
    with pytest.raises(Malformed) as refused:
        read_json(b'{"data": [1]}')
    assert refused.value.line == 1 and "not an object" in refused.value.reason


def _row(**values: str) -> Row:
    base = {"ID_UNIQUE": "9", "NOM": "Lieu", "CODPOST": "59000", "VILLE": "Lille"}
    return Row(7, {**base, **values})


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"NOM": ""}, "name missing"),
        ({"CODPOST": "5900A"}, "not a valid postcode"),
        ({"LATITUDE": "3,06", "LONGITUDE": "50,63"}, "swapped"),
        ({"LATITUDE": "48,85", "LONGITUDE": "40,0"}, "outside the country"),
        ({"LATITUDE": "48,85"}, "latitude without a longitude"),
        ({"LATITUDE": "quarante"}, "is not a number"),
        ({"DATE_OUV": "l'an dernier"}, "is not a date"),
        ({"statut_lieu": "fermé"}, "not imported"),
    ],
)
def test_each_reason_to_reject(english: None, values: dict[str, str], reason: str) -> None:
    line = m.convert(bdtfl(), _row(**values))
    assert any(reason in r for r in line.reasons), line.reasons


def test_unknown_category_is_other_with_a_warning(english: None) -> None:
    line = m.convert(bdtfl(), _row(familles_tiers_lieux="Coworking;Ferme urbaine"))
    assert line.categories == ("coworking", "other") and not line.reasons
    assert line.warnings == ["categories: “Ferme urbaine” is unknown, taken as “other”."]


def test_values_are_cleaned() -> None:
    line = m.convert(
        bdtfl(),
        _row(CODPOST="1000", VILLE="Bourg-en-Bresse", INTERNET="www.lieu.fr", DATE_OUV="2019"),
    )
    assert line.fields["postcode"] == "01000"
    assert line.fields["website"] == "https://www.lieu.fr"
    assert line.fields["opening_date"] == date(2019, 1, 1)
    assert m.parse_date("15/03/2019") == date(2019, 3, 15)


def test_shipped_mappings_name_our_fields_and_codes() -> None:
    mappings = m.available()
    assert set(mappings) == {"bdtfl-2026", "gogocarto", "tierslieux-mednum"}
    fields = {f.name for f in Place._meta.concrete_fields}
    assert fields >= m.SHEET_FIELDS
    valid = {
        "categories": set(Category.Code.values),
        "status": set(Place.Status.values),
        "legal_form": set(Place.LegalForm.values),
        "location_type": set(Place.LocationType.values),
        "country": set(Place.Country.values),
    }
    for mapping in mappings.values():
        for sheet_field, table in mapping.values.items():
            assert {c for c in table.values() if not c.startswith("!")} <= valid[sheet_field]
        for sheet_field, code in mapping.defaults.items():
            assert code in valid[sheet_field]
