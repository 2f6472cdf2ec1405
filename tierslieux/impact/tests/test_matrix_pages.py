"""The network's impact pages and downloads: who opens what, what they show (never a private
testimony), the exports parsed back, absurd input, and a constant number of queries."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.framework_defaults import IMPACTS
from tierslieux.impact.tests import matrix_factories as mf
from tierslieux.places.tests import factories as pf


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        found = mf.small_network()
        network = found["network"]
        found["admin"] = pf.network_admin(network)
        found["observer"] = pf.network_observer(network)
        found["inside"] = pf.coordinator(found["epicerie"])  # a place's team, not the network's
        found["outside"] = pf.coordinator(found["elsewhere"])
        yield found
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _today(clock) -> None:
    clock.set(date(2026, 3, 2))


def _url(name: str, *args: Any) -> str:
    return reverse(f"impact_network:{name}", args=["hauts", *args])


PAGES = (
    ("matrix",),
    ("matrix_place", "epicerie", 2025),
    ("matrix_impact", "peer_learning", 2025),
    ("indicators",),
    ("matrix_csv",),
    ("matrix_json",),
    ("indicators_csv",),
    ("indicators_json",),
)


def test_who_opens_what(client, data) -> None:
    for user in (data["admin"], data["observer"]):
        client.force_login(user)
        for name, *args in PAGES:
            assert client.get(_url(name, *args)).status_code == 200, name
    for user in (data["inside"], data["outside"]):
        client.force_login(user)
        for name, *args in PAGES:
            assert client.get(_url(name, *args)).status_code == 403, name
    client.logout()
    assert client.get(_url("matrix")).status_code == 302
    client.force_login(data["admin"])
    assert client.get("/network/nowhere/impact/matrix/").status_code == 404
    for args in (("coop", 2025), ("epicerie", 2024), ("ailleurs", 2025), ("epicerie", 1200)):
        assert client.get(_url("matrix_place", *args)).status_code == 404, args
    assert client.get(_url("matrix_impact", "nothing", 2025)).status_code == 404
    assert client.get(_url("matrix_impact", "peer_learning", 99999)).status_code == 404
    assert client.post(_url("matrix")).status_code == 405


def test_the_matrix_page(client, data) -> None:
    client.force_login(data["observer"])
    page = client.get(_url("matrix")).text  # the latest year assessed: 2025
    assert "Les impacts des lieux en 2025" in page
    assert _url("matrix_place", "epicerie", 2025) in page
    assert _url("matrix_place", "coop", 2025) not in page  # a draft: no assessment to read
    assert _url("matrix_impact", "peer_learning", 2025) in page
    assert "Ailleurs" not in page
    assert "2 lieux sur 4 ont confirmé leur évaluation." in page
    for absurd in ("abcd", "1800", "3000", "２０２５", "2025-01"):
        response = client.get(_url("matrix"), {"year": absurd})
        assert response.status_code == 200, absurd
        assert "n’est pas une année" in response.text and "voici 2025" in response.text
    assert "Les impacts des lieux en 2024" in client.get(_url("matrix"), {"year": 2024}).text


def test_one_place_and_one_impact(client, data) -> None:
    client.force_login(data["observer"])
    page = client.get(_url("matrix_place", "epicerie", 2025)).text
    assert mf.PUBLIC_QUOTE.replace("'", "&#x27;") in page
    assert "ce lieu m" not in page  # the private testimony never reaches the network
    assert "Des ateliers chaque mardi." in page and "<h2>Méthode</h2>" in page
    assert "pair-à-pair" in page  # the axis shown
    assert "Personnes comptées" in page and "1\u00a0200" in page  # a frozen figure
    assert "/impact/epicerie/2025/" in page  # its public report
    assert "/impact/bliida/2025/" not in client.get(_url("matrix_place", "bliida", 2025)).text
    page = client.get(_url("matrix_impact", "ecological_transition", 2025)).text
    _yes, no, not_observed, not_assessed = (
        page.index(f'id="verdict-{v}"') for v in shapes.VERDICTS
    )
    assert no < page.index("Épicerie des Tanneurs") < not_observed  # Épicerie said no
    assert not_assessed < page.index("Bliida")  # undecided
    page = client.get(_url("matrix_impact", "peer_learning", 2025)).text
    assert page.index("Bliida") < page.index("Épicerie") < page.index('id="verdict-no"')
    assert "pair-à-pair" in page


def test_the_indicators_page(client, data) -> None:
    client.force_login(data["admin"])
    page = client.get(_url("indicators"), {"year": 2025}).text
    assert "Personnes comptées" in page and "(confirmé)" in page and "(en direct)" in page
    assert "1\u00a0280" in page and "somme des lieux, 2\u00a0lieux" in page
    assert "non renseigné" in page
    response = client.get(_url("indicators"), {"year": 2025, "quarter": "9", "family": "x"})
    assert response.status_code == 200
    assert "n’est pas un trimestre" in response.text and "Famille d’indicateurs inconnue" in (
        response.text
    )
    page = client.get(_url("indicators"), {"year": 2025, "family": "access"}).text
    assert "Part d’événements gratuits" in page and "médiane des lieux" not in page


def _csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # a BOM: a French spreadsheet reads UTF-8
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_exports_parsed_back(client, data) -> None:
    client.force_login(data["observer"])
    rows = _csv(client.get(_url("matrix_csv"), {"year": 2025}))
    assert rows[0][:3] == ["Lieu", "Identifiant", IMPACTS[0].title]
    assert rows[0][-4:] == ["Oui", "Non", "Non observé", "Non évalué"]
    epicerie = next(r for r in rows if r[:1] == ["Épicerie des Tanneurs"])
    assert epicerie[2:10] == ["Oui", "Non", "Oui", "Non observé", "Non", "Oui", "Oui", "Non"]
    assert epicerie[10:] == ["4", "3", "1", "0"]
    yes = next(r for r in rows if r[:1] == ["Lieux\u00a0: Oui"])
    assert yes[2:] == ["1", "1", "2", "1", "0", "1", "2", "0"]
    assert ["Année", "2025"] in rows and rows[-1][0] == "Méthode"
    found = json.loads(client.get(_url("matrix_json"), {"year": 2025}).content)
    assert found["year"] == 2025 and found["method"]
    assert [i["key"] for i in found["impacts"]] == list(mf.KEYS)
    assert set(found["places"]) == {"bliida", "coop", "epicerie", "zebre"}
    assert found["places"]["bliida"]["verdicts"]["ecological_transition"] == "not_assessed"
    assert found["places"]["epicerie"]["axes"] == {
        "peer_learning": ["peer_to_peer", "common_spaces"]
    }
    assert found["counts"]["peer_learning"] == {
        "yes": 2, "no": 0, "not_observed": 0, "not_assessed": 2
    }  # fmt: skip
    rows = _csv(client.get(_url("indicators_csv"), {"year": 2025}))
    assert rows[0][:3] == ["Lieu", "Identifiant", "Indicateur"]
    footfall = {r[1]: r for r in rows if len(r) > 3 and r[3] == "footfall" and r[1]}
    assert (footfall["zebre"][6], footfall["zebre"][8]) == ("80", "en direct")
    assert (footfall["epicerie"][6], footfall["epicerie"][7]) == ("1200", "200")
    assert footfall["epicerie"][8] == "confirmé"
    assert footfall["coop"][6] == "" and footfall["coop"][9]  # not recorded, and why
    occupancy = next(r for r in rows if r[:2] == ["Occupation des espaces", "occupancy"])
    assert occupancy[2:] == ["percent", "52,8", "médiane des lieux", "2"]
    found = json.loads(client.get(_url("indicators_json"), {"year": 2025}).content)
    assert found["period"] == "2025" and found["quarter"] is None and found["method"]
    assert found["totals"]["footfall"] == {"aggregate": "sum", "amount": 1280, "places": 2}
    zebre = found["places"]["zebre"]["values"]["footfall"]
    assert zebre == {"amount": 80, "basis": 2, "reason": "", "source": "live"}
    assert found["places"]["coop"]["values"]["footfall"]["amount"] is None
    assert "Ici on apprend" not in json.dumps(found)
    bad = client.get(_url("indicators_csv"), {"year": "20x5"})
    assert bad.status_code == 400 and "year" in bad.text


def test_constant_queries(client, data, django_assert_max_num_queries) -> None:
    client.force_login(data["admin"])
    names = ("matrix", "indicators", "matrix_json", "indicators_json")
    counted = {}
    for name in names:
        with CaptureQueriesContext(connection) as queries:
            client.get(_url(name), {"year": 2025})
        counted[name] = len(queries)
    network = data["network"]
    for n in range(6):
        place = pf.place(network=network, name=f"Nouveau {n}", slug=f"nouveau-{n}")
        mf.assessment(place, 2025, dict.fromkeys(mf.KEYS, "yes"), values={})
    for name in names:
        with django_assert_max_num_queries(counted[name]):
            response = client.get(_url(name), {"year": 2025})
        assert response.status_code == 200
        assert "nouveau-5" in response.content.decode() or "Nouveau 5" in response.text
