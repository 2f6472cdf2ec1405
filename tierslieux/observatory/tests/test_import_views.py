"""The import pages: the network's administrators only; upload, dry run, confirm, result."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tierslieux.observatory.import_models import CensusImport
from tierslieux.observatory.tests import census_files as cf
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def net() -> dict[str, Any]:
    network = pf.network(name="Réseau des Hauts", slug="hauts")
    return {"network": network, "admin": pf.network_admin(network)}


def _post_file(client: Client, data: bytes, mapping: str = "bdtfl-2026") -> Any:
    url = reverse("imports:index", args=["hauts"])
    upload = SimpleUploadedFile("recensement.csv", data, content_type="text/csv")
    return client.post(url, {"mapping": mapping, "file": upload})


def test_who_may_import(net: dict, client: Client) -> None:
    url = reverse("imports:index", args=["hauts"])
    assert client.get(url).status_code == 302  # to the login page
    place = pf.place(network=net["network"])
    observer = pf.network_observer(net["network"])
    other_admin = pf.network_admin(pf.network())
    for user in (pf.coordinator(place), observer, other_admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"mapping": "bdtfl-2026"}).status_code == 403
    client.force_login(net["admin"])
    assert client.get(url).status_code == 200


def test_dry_run_then_import(net: dict, client: Client, settings: Any) -> None:
    client.force_login(net["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [cf.line(n) for n in range(4)] + [cf.line(9, CODPOST="ABCDE")]
    response = _post_file(client, cf.csv_bytes(rows))
    census_import = CensusImport.objects.get()
    report = reverse("imports:report", args=["hauts", census_import.pk])
    assert response.status_code == 302 and response["Location"] == report
    page = client.get(report).content.decode()
    assert "Dry run: nothing has been written yet" in page and "Tiers-lieu numéro 3" in page
    assert not Place.objects.exists()
    rejected = client.get(report, {"action": "reject"}).content.decode()
    assert "“ABCDE” is not a valid postcode for FR." in rejected
    assert "Tiers-lieu numéro 3" not in rejected
    confirm = reverse("imports:confirm", args=["hauts", census_import.pk])
    asked = client.get(confirm).content.decode()
    assert "To create: 4" in asked and "Rejected: 1" in asked
    assert not Place.objects.exists()
    response = client.post(confirm)
    assert response.status_code == 302 and response["Location"] == report
    assert "Imported" in client.get(report).content.decode()
    assert Place.objects.count() == 4
    again = client.post(confirm)
    assert again.status_code == 422
    assert "already imported" in again.content.decode() and Place.objects.count() == 4


def test_malformed_file_is_refused_with_the_line(net: dict, client: Client, settings: Any) -> None:
    client.force_login(net["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post_file(client, cf.csv_bytes([cf.line(1)]).replace(b'";"', b'","'))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Line 2: unreadable CSV" in page  # the quotes of the census, a comma between
    response = _post_file(client, b"\xff\xfeN\x00O\x00M\x00")
    assert response.status_code == 422 and "Line 1: the file is not in UTF-8" in (
        response.content.decode()
    )
    response = _post_file(client, cf.csv_bytes([cf.line(1)]), "tierslieux-mednum")
    page = response.content.decode()
    assert response.status_code == 422 and "Line 1: the columns are separated by “;”" in page
    assert not CensusImport.objects.exists()


def test_another_networks_import_is_not_found(net: dict, client: Client) -> None:
    client.force_login(net["admin"])
    _post_file(client, cf.csv_bytes([cf.line(1)]))
    census_import = CensusImport.objects.get()
    other = pf.network(slug="autre")
    client.force_login(pf.network_admin(other))
    url = reverse("imports:report", args=["autre", census_import.pk])
    assert client.get(url).status_code == 404


def test_in_french_from_the_network_page(net: dict, client: Client) -> None:
    client.force_login(net["admin"])
    places = client.get(reverse("places:network_places", args=["hauts"])).content.decode()
    assert reverse("imports:index", args=["hauts"]) in places
    response = _post_file(client, cf.csv_bytes([cf.line(1, CODPOST="")]) + b'"x"\r\n')
    assert "Ligne 3\u00a0: 1 champ alors que l’en-tête en a 19." in response.content.decode()
    _post_file(client, cf.csv_bytes([cf.line(1, CODPOST=""), cf.line(2, NOM="Le Lieu")]))
    census_import = CensusImport.objects.get()
    page = client.get(reverse("imports:report", args=["hauts", census_import.pk]))
    text = page.content.decode()
    assert "Essai à blanc\u00a0: rien n’a encore été écrit." in text
    assert "code postal manquant." in text and "Le Lieu" in text
