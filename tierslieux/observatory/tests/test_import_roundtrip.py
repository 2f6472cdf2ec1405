"""Round trips: the open-data CSV re-imported changes nothing; a GoGoCarto map imported twice
is imported once."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tierslieux.core.models import AuditEntry
from tierslieux.observatory import opendata
from tierslieux.observatory.import_models import CensusImport
from tierslieux.observatory.opendata_queries import open_places, published
from tierslieux.observatory.tests.test_import_services import actions, run
from tierslieux.places.models import NetworkMembership, Place
from tierslieux.places.tests import factories as pf


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def net() -> dict[str, Any]:
    network = pf.network(name="Réseau lillois", slug="lille")
    return {"network": network, "admin": pf.network_admin(network)}


def sample(network: Any) -> list[Place]:
    """Places as teams write them: a long description on several lines, a phone with spaces,
    an RNA instead of a SIRET, a place in project, one run by another network."""
    common = {"network": network, "address": "12 rue Nationale", "postcode": "59000"}
    other = pf.network(name="Réseau régional", slug="region")
    return [
        pf.place(
            **common,
            name="La Fabrique <du> Nord",
            commune="Lille",
            categories=("fablab", "coworking"),
            latitude=Decimal("50.636600"),
            longitude=Decimal("3.063500"),
            siret="55210055400013",
            email="bonjour@fabrique.example",
            phone="03 20 00 00 00",
            website="https://fabrique.example/",
            description="Un atelier partagé,\nouvert à tous.  " * 20,
        ),
        pf.place(
            **common,
            name="Le Projet",
            commune="Roubaix",
            status=Place.Status.PROJECT,
            rna="W595000001",
            description="Bientôt ici.",
        ),
        pf.place(
            **{**common, "network": other},
            name="Cœur de Bourg",
            commune="Lille",
            siret="55210055400021",
            latitude=Decimal("50.600001"),
            longitude=Decimal("3.100000"),
        ),
    ]


def test_open_data_csv_reimported_changes_nothing(net: dict) -> None:
    places = sample(net["network"])
    NetworkMembership.objects.create(network=net["network"], place=places[2], source="team")
    rows, left_out = opendata.mednum_rows(
        open_places(published(net["network"]), "https://tl.example")
    )
    assert len(rows) == 3 and not left_out
    before = {p.pk: p.updated_at for p in Place.objects.all()}
    census_import = run(net, opendata.mednum_csv(rows).encode(), "tierslieux-mednum")
    assert census_import.status == "done", census_import.error
    assert set(actions(census_import).values()) == {"unchanged"}, census_import.report
    assert {p.pk: p.updated_at for p in Place.objects.all()} == before
    assert not AuditEntry.objects.filter(action__in=["place.create", "place.update"]).exists()


def test_open_data_csv_into_an_empty_network_creates_the_places(net: dict) -> None:
    sample(pf.network(name="Source", slug="source"))
    rows, _left_out = opendata.mednum_rows(open_places(published(), "https://tl.example"))
    target = pf.network(name="Nouveau", slug="nouveau")
    fresh = {"network": target, "admin": pf.network_admin(target)}
    census_import = run(fresh, opendata.mednum_csv(rows).encode(), "tierslieux-mednum")
    # The ids are the places' slugs: the places are found, run by other networks: counted.
    assert set(actions(census_import).values()) == {"join"}
    assert Place.objects.count() == 3


def gogocarto_map() -> bytes:
    elements = [
        {
            "id": "5f1a",
            "title": "Le Repair du Coin",
            "geo": {"latitude": 48.1173, "longitude": -1.6778},
            "address": {
                "streetAddress": "3 place du Marché",
                "postalCode": "35000",
                "addressLocality": "Rennes",
                "addressCountry": "FR",
            },
            "categories": [{"name": "Repair café"}, {"name": "Tiers-lieu"}],
            "email": "repair@example.org",
        },
        {
            "id": "5f1b",
            "name": "Makers de Vilaine",
            "address": {"postalCode": "35000", "addressLocality": "Rennes"},
            "categories": ["Makerspace", "Bibliothèque"],
        },
    ]
    return json.dumps({"ontology": "gogofull", "data": elements}).encode()


def test_gogocarto_map_imported_twice_is_imported_once(net: dict, english: None) -> None:
    first = run(net, gogocarto_map(), "gogocarto")
    assert first.status == "done", first.error
    assert actions(first) == {"5f1a": "create", "5f1b": "create"}
    makers = first.report["lines"][1]
    assert makers["warnings"] == ["categories: “Bibliothèque” is unknown, taken as “other”."]
    repair = Place.objects.get(external_ids__scheme="gogocarto", external_ids__value="5f1a")
    assert repair.name == "Le Repair du Coin" and str(repair.longitude) == "-1.677800"
    assert sorted(repair.categories.values_list("code", flat=True)) == [
        "other",
        "shared_workshop",
    ]
    second = run(net, gogocarto_map(), "gogocarto")
    assert set(actions(second).values()) == {"unchanged"}
    assert CensusImport.objects.count() == 2 and Place.objects.count() == 2


def test_a_slug_of_an_unrelated_place_is_not_that_place(net: dict, english: None) -> None:
    pf.place(network=net["network"], name="La Fabrique", slug="la-fabrique", postcode="59000")
    header = ",".join(opendata.mednum_fields())
    row = dict.fromkeys(opendata.mednum_fields(), "")
    row.update(id="la-fabrique", nom="Le Hangar de Quimper", code_postal="29000")
    row.update(commune="Quimper", adresse="1 quai", pivot="55210055400013")
    data = opendata.mednum_csv([row]).encode()
    assert data.startswith(header.encode())
    census_import = run(net, data, "tierslieux-mednum")
    line = census_import.report["lines"][0]
    assert line["action"] == "reject"
    assert line["reasons"] == [
        "The id la-fabrique is the address of “La Fabrique”, which looks like another place."
    ]
    assert Place.objects.get(slug="la-fabrique").commune != "Quimper"
