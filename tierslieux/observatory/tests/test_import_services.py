"""Census imports end to end: dry run, import in one transaction, re-import, other networks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tierslieux.core.models import AuditEntry
from tierslieux.observatory import import_services, import_writer
from tierslieux.observatory.import_models import CensusImport
from tierslieux.observatory.tests import census_files as cf
from tierslieux.places.models import ExternalId, NetworkMembership, Place
from tierslieux.places.tests import factories as pf


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def net() -> dict[str, Any]:
    network = pf.network(name="Réseau des Hauts", slug="hauts")
    return {"network": network, "admin": pf.network_admin(network)}


def upload(net: dict[str, Any], data: bytes, mapping: str = "bdtfl-2026") -> CensusImport:
    return import_services.upload(
        actor=net["admin"],
        network=net["network"],
        mapping_name=mapping,
        uploaded=SimpleUploadedFile("census.csv", data),
    )


def run(net: dict[str, Any], data: bytes, mapping: str = "bdtfl-2026") -> CensusImport:
    census_import, new = import_services.start(
        actor=net["admin"], census_import=upload(net, data, mapping)
    )
    assert new
    import_services.run(census_import.pk)
    census_import.refresh_from_db()
    return census_import


def actions(census_import: CensusImport) -> dict[str, str]:
    return {line["ident"]: line["action"] for line in census_import.report["lines"]}


def test_dry_run_reports_and_writes_nothing(net: dict, english: None) -> None:
    rows = [cf.line(1), cf.line(2, NOM=""), cf.line(3, LATITUDE="3,06", LONGITUDE="50,63")]
    rows += [cf.line(4, ID_UNIQUE="TL00001"), cf.line(5, familles_tiers_lieux="Ferme")]
    census_import = upload(net, cf.csv_bytes(rows))
    assert census_import.status == "checked"
    with census_import.file.open("rb") as kept:
        assert kept.read().startswith(b"\xef\xbb\xbf")  # the file kept as it came
    assert census_import.report["counts"] == {
        "create": 2,
        "update": 0,
        "unchanged": 0,
        "join": 0,
        "reject": 3,
    }
    lines = {line["line"]: line for line in census_import.report["lines"]}
    assert lines[3]["reasons"] == ["name missing."]
    assert lines[4]["reasons"] == ["latitude and longitude are swapped."]
    assert lines[5]["reasons"] == ["The id TL00001 is already on line 2."]
    assert "“Ferme” is unknown" in lines[6]["warnings"][0]
    assert not Place.objects.exists() and not ExternalId.objects.exists()


def test_import_creates_the_places_with_their_ids_and_membership(net: dict) -> None:
    census_import = run(net, cf.census(12))
    assert census_import.status == "done", census_import.error
    assert census_import.report["counts"]["create"] == 12
    places = Place.objects.filter(network=net["network"])
    assert places.count() == 12
    place = places.get(external_ids__value="TL00004")
    assert place.postcode == "97400" and str(place.latitude) == "-20.949700"
    assert place.website == "https://www.lieu-4.fr" and place.legal_form == "association"
    assert place.opening_date.year == 2019 and place.categories.exists()
    membership = NetworkMembership.objects.get(place=place)
    assert (membership.source, membership.source_name) == ("import", "bdtfl-2026")
    assert AuditEntry.objects.filter(action="place.create").count() == 12


def test_reimport_updates_instead_of_duplicating(net: dict) -> None:
    rows = [cf.line(n) for n in range(6)]
    run(net, cf.csv_bytes(rows))
    rows[2]["VILLE"] = "Lille-Hellemmes"
    rows[2]["familles_tiers_lieux"] = "Fablab"
    census_import = run(net, cf.csv_bytes(rows))
    assert census_import.status == "done"
    counts = census_import.report["counts"]
    assert (counts["create"], counts["update"], counts["unchanged"]) == (0, 1, 5)
    changes = census_import.report["lines"][2]["changes"]
    assert changes == {
        "commune": ["Arles", "Lille-Hellemmes"],
        "categories": ["cultural_cafe", "fablab"],
    }
    assert Place.objects.count() == 6
    place = Place.objects.get(external_ids__value="TL00002")
    assert place.commune == "Lille-Hellemmes"
    assert list(place.categories.values_list("code", flat=True)) == ["fablab"]
    again = run(net, cf.csv_bytes(rows))
    assert set(actions(again).values()) == {"unchanged"}


def test_a_blank_cell_never_erases(net: dict) -> None:
    run(net, cf.csv_bytes([cf.line(1)]))
    census_import = run(net, cf.csv_bytes([cf.line(1, EMAIL="", TELEPHONE="")]))
    assert actions(census_import) == {"TL00001": "unchanged"}
    assert Place.objects.get().email == "contact@lieu-1.fr"


def test_a_failure_in_the_middle_leaves_nothing(net: dict, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(import_writer.audit, "record_many", broken)
    census_import = run(net, cf.census(8))
    assert census_import.status == "failed" and "disk full" in census_import.error
    assert not Place.objects.exists()
    assert not NetworkMembership.objects.exists() and not ExternalId.objects.exists()


def test_another_networks_place_is_counted_never_rewritten(net: dict, english: None) -> None:
    other = pf.place(name="Le Lieu d'à côté", postcode="59000", commune="Lille")
    ExternalId.objects.create(place=other, scheme="bdtfl", value="TL00001")
    census_import = run(net, cf.csv_bytes([cf.line(1, NOM="Autre nom")]))
    line = census_import.report["lines"][0]
    assert line["action"] == "join" and "its sheet is not changed" in line["notes"][0]
    other.refresh_from_db()
    assert other.name == "Le Lieu d'à côté" and other.network != net["network"]
    assert NetworkMembership.objects.filter(network=net["network"], place=other).exists()
    again = run(net, cf.csv_bytes([cf.line(1, NOM="Autre nom")]))
    assert actions(again) == {"TL00001": "unchanged"}


def test_lookalike_is_created_and_flagged(net: dict, english: None) -> None:
    pf.place(network=net["network"], name="La Forge", postcode="59000", commune="Lille")
    census_import = upload(net, cf.csv_bytes([cf.line(0, NOM="LA FORGE")]))
    line = census_import.report["lines"][0]
    assert line["action"] == "create"
    assert line["warnings"] == [
        "Possible duplicate of “La Forge” (a place of the network without this id)."
    ]


def test_a_malformed_optional_field_is_left_out(net: dict, english: None) -> None:
    census_import = run(net, cf.csv_bytes([cf.line(1, EMAIL="pas-une-adresse")]))
    line = census_import.report["lines"][0]
    assert line["action"] == "create" and line["warnings"][0].startswith("email left out")
    assert Place.objects.get().email == ""


def test_malformed_file_is_refused_with_its_line(net: dict, english: None) -> None:
    data = cf.csv_bytes([cf.line(1)]) + b'"x";"y"\r\n'
    with pytest.raises(ValidationError) as refused:
        upload(net, data)
    assert refused.value.messages == ["Line 3: 2 fields where the header has 19."]
    with pytest.raises(ValidationError) as refused:
        upload(net, b'{"data": [}', "gogocarto")
    assert "Line 1: malformed JSON" in refused.value.messages[0]
    assert not CensusImport.objects.exists()


def test_an_import_runs_once(net: dict, english: None) -> None:
    census_import = run(net, cf.census(2))
    with pytest.raises(ValidationError) as refused:
        import_services.start(actor=net["admin"], census_import=census_import)
    assert refused.value.messages == ["This file was already imported: upload it again."]


def test_one_import_at_a_time_and_a_lost_one_is_failed(
    net: dict, clock: Any, english: None
) -> None:
    first = upload(net, cf.census(2))
    second = upload(net, cf.census(3))
    first, new = import_services.start(actor=net["admin"], census_import=first)
    assert new and first.status == "queued"  # the worker has not taken it yet
    assert import_services.start(actor=net["admin"], census_import=first) == (first, False)
    with pytest.raises(ValidationError) as refused:
        import_services.start(actor=net["admin"], census_import=second)
    assert refused.value.messages == [
        "Another import of this network is under way: wait for its end."
    ]
    clock.advance(timedelta(hours=2))
    second, new = import_services.start(actor=net["admin"], census_import=second)
    assert new and second.status == "queued"
    first.refresh_from_db()
    assert first.status == "failed" and "task worker stopped" in first.error
    assert import_services.run(first.pk) == "skipped" and not Place.objects.exists()


def test_a_file_too_large_is_refused(net: dict, monkeypatch: Any, english: None) -> None:
    monkeypatch.setattr(import_services, "MAX_BYTES", 1000)
    with pytest.raises(ValidationError) as refused:
        upload(net, cf.census(10))
    assert refused.value.messages == ["The file is larger than 10 MB."]
