"""An import checks its lines outside its transaction: a place edited in between keeps the
edit, and the import refuses (nothing written) rather than writing the old values back."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tierslieux.observatory import import_services
from tierslieux.observatory.tests import census_files as cf
from tierslieux.places import services as place_services
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _run(admin: Any, network: Any, rows: list[dict[str, str]]) -> Any:
    census_import = import_services.upload(
        actor=admin,
        network=network,
        mapping_name="bdtfl-2026",
        uploaded=SimpleUploadedFile("census.csv", cf.csv_bytes(rows)),
    )
    census_import, _new = import_services.start(actor=admin, census_import=census_import)
    import_services.run(census_import.pk)
    census_import.refresh_from_db()
    return census_import


def test_a_place_edited_during_the_import_keeps_the_edit(monkeypatch: Any, english: None):
    network = pf.network(name="Réseau des Hauts")
    admin = pf.network_admin(network)
    rows = [cf.line(n) for n in range(3)]
    assert _run(admin, network, rows).status == "done"
    rows[1]["VILLE"] = "Lille-Hellemmes"
    rows[2]["DESCRI_COU"] = "Une autre description."
    edited = Place.objects.get(external_ids__value="TL00001")
    commune = edited.commune
    assert commune != "Lille-Hellemmes"
    checked = import_services.check_lines

    def edit_meanwhile(*args: Any, **kwargs: Any) -> Any:
        plan = checked(*args, **kwargs)
        # The place's team saves its sheet while the worker is between check and write.
        place_services.update_place(actor=admin, place=edited, phone="01 02 03 04 05")
        return plan

    monkeypatch.setattr(import_services, "check_lines", edit_meanwhile)
    census_import = _run(admin, network, rows)
    assert census_import.status == "failed"
    assert "changed during the import" in census_import.error
    edited.refresh_from_db()
    assert (edited.phone, edited.commune) == ("01 02 03 04 05", commune)
    other = Place.objects.get(external_ids__value="TL00002")
    assert other.description != "Une autre description."  # nothing half-imported

    monkeypatch.setattr(import_services, "check_lines", checked)
    again = _run(admin, network, rows)  # asked again, it goes through
    assert again.status == "done"
    # and its report shows that the file's phone replaces the one the team typed meanwhile
    changes = again.report["lines"][1]["changes"]
    assert changes["phone"][0] == "01 02 03 04 05"
    assert changes["commune"] == [commune, "Lille-Hellemmes"]
    edited.refresh_from_db()
    assert edited.commune == "Lille-Hellemmes"
