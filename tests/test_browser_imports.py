"""The census import pages on a 390 px wide phone: none scrolls sideways, whatever the file
says (long names, long reasons, changes of long descriptions)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.test_phone_widths import LONG_WORD, PHONE, overflows
from tierslieux.observatory import import_services
from tierslieux.observatory.tests import census_files as cf
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.browser


def _upload(admin: Any, network: Any, rows: list[dict[str, str]]) -> Any:
    return import_services.upload(
        actor=admin,
        network=network,
        mapping_name="bdtfl-2026",
        uploaded=SimpleUploadedFile(f"{LONG_WORD}-{LONG_WORD}.csv", cf.csv_bytes(rows)),
    )


def test_import_pages_fit_a_phone(live_server: Any, browser: Any, settings: Any, tmp_path: Any):
    settings.MEDIA_ROOT = tmp_path / "media"
    network = pf.network(name="Réseau des Hauts", slug="hauts")
    admin = pf.network_admin(network)
    long_name = f"{LONG_WORD} {LONG_WORD} des {LONG_WORD}"
    rows = [cf.line(1, NOM=long_name, familles_tiers_lieux=LONG_WORD * 2)]
    rows += [cf.line(2, CODPOST=LONG_WORD[:10]), cf.line(3, NOM=long_name)]
    first = _upload(admin, network, rows)
    import_services.start(actor=admin, census_import=first)
    import_services.run(first.pk)
    rows[0]["DESCRI_COU"] = LONG_WORD * 8
    second = _upload(admin, network, rows)
    paths = [
        reverse("imports:index", args=["hauts"]),
        reverse("imports:report", args=["hauts", first.pk]),
        reverse("imports:report", args=["hauts", second.pk]),
        reverse("imports:confirm", args=["hauts", second.pk]),
    ]
    assert overflows(browser, live_server.url, admin, paths, PHONE) == []
