"""Statistics per EPCI: the SQL filter agrees with the communes reference whatever the
spelling, the places per EPCI table, the EPCI select of the page, bad values, and the CSVs
naming the territory they cover."""

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.observatory.statistics import network_statistics, places_of
from tierslieux.observatory.territory import BadParameter, Territory, parse_territory
from tierslieux.places import communes
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

NARBONNE = "241100593"  # CA Le Grand Narbonne
CARCASSONNE = "200035715"  # CA Carcassonne Agglo
GRAND_PARIS = "200054781"
SAMPLE = [  # name, postcode, commune, country
    ("Narbonne 1", "11100", "Narbonne", "FR"),
    ("Narbonne 2", "11100", "NARBONNE", "FR"),
    ("Coursan", "11110", "Coursan", "FR"),
    ("Carcassonne", "11000", "Carcassonne", "FR"),
    ("Faute de frappe", "11100", "Narbone", "FR"),
    ("Paris", "75011", "Paris", "FR"),
    ("Paris 16e", "75116", "Paris 16e", "FR"),
    ("Saint-Denis 93", "93200", "St-Denis", "FR"),
    ("Saint-Denis 974", "97400", "Saint Denis", "FR"),
    ("Bréhat", "22870", "Île-de-Bréhat", "FR"),
    ("Ajaccio", "20000", "ajaccio", "FR"),
    ("Bruxelles", "1000", "Bruxelles", "BE"),
]


@pytest.fixture(scope="module")
def net(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        network = pf.network(name="Réseau EPCI", slug="reseau-epci")
        for name, postcode, commune, country in SAMPLE:
            pf.place(
                network=network, name=name, postcode=postcode, commune=commune, country=country
            )
        pf.place(name="Ailleurs", postcode="11100", commune="Narbonne")  # another network's
        yield {"network": network, "admin": pf.network_admin(network)}
        transaction.set_rollback(True)


def _names(network: Any, territory: Territory) -> set[str]:
    return {p.name for p in places_of(network, territory)}


def test_the_epci_filter(net: dict) -> None:
    network = net["network"]
    assert _names(network, Territory(epci=NARBONNE)) == {"Narbonne 1", "Narbonne 2", "Coursan"}
    assert _names(network, Territory(departement="11", epci=NARBONNE)) == {
        "Narbonne 1",
        "Narbonne 2",
        "Coursan",
    }
    assert _names(network, Territory(epci=NARBONNE, commune="coursan")) == {"Coursan"}
    assert _names(network, Territory(epci=GRAND_PARIS)) == {"Paris", "Paris 16e", "Saint-Denis 93"}
    assert _names(network, Territory(epci=CARCASSONNE)) == {"Carcassonne"}


@pytest.mark.parametrize("siren", [NARBONNE, CARCASSONNE, GRAND_PARIS, "242010056", "249740119"])
def test_sql_and_python_agree_on_every_place(net: dict, siren: str) -> None:
    """The SQL name key (`tl_fold` and REPLACE) finds what `communes.epci_of` finds."""
    places = Place.objects.filter(network=net["network"])
    expected = {
        p.name for p in places if (communes.epci_of(p.postcode, p.commune) or ("",))[0] == siren
    }
    assert expected
    assert _names(net["network"], Territory(epci=siren)) == expected


def test_places_per_epci(net: dict, english: None) -> None:
    stats = network_statistics(net["network"], Territory())
    table = next(t for t in stats.tables if t.key == "epcis")
    rows = {row[0]: row[1:4] for row in table.rows}
    assert rows["CA Le Grand Narbonne"] == [NARBONNE, 3, 3]
    assert rows["Métropole du Grand Paris"] == [GRAND_PARIS, 3, 3]
    assert rows["CA Carcassonne Agglo"] == [CARCASSONNE, 1, 1]
    assert rows["Commune unknown to the reference"] == ["", 1, 1]  # "Narbone"
    assert rows["Commune outside any EPCI"] == ["", 1, 1]  # Bréhat
    assert rows["Outside France"] == ["", 1, 1]
    assert sum(row[2] for row in table.rows) == stats.places == len(SAMPLE)
    assert [row[0] for row in table.rows][:2] == [
        "CA Le Grand Narbonne",
        "Métropole du Grand Paris",
    ]
    aude = network_statistics(net["network"], Territory(departement="11"))
    aude_rows = {row[0]: row[2] for row in next(t for t in aude.tables if t.key == "epcis").rows}
    assert aude_rows == {
        "CA Le Grand Narbonne": 3,
        "CA Carcassonne Agglo": 1,
        "Commune unknown to the reference": 1,
    }
    for territory in (Territory(epci=NARBONNE), Territory(commune="Paris")):
        keys = [t.key for t in network_statistics(net["network"], territory).tables]
        assert "epcis" not in keys and "categories" in keys


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("abcdefghi", "9 digits"),
        ("24110059", "9 digits"),
        ("2411005930", "9 digits"),
        ("123456789", "No EPCI"),
    ],
)
def test_bad_epci_values(value: str, words: str, english: None) -> None:
    with pytest.raises(BadParameter) as raised:
        parse_territory({"epci": value})
    assert raised.value.name == "epci" and words in raised.value.message
    assert parse_territory({"epci": " 241 100 593 "}).epci == NARBONNE


def test_an_epci_outside_the_departement(english: None) -> None:
    with pytest.raises(BadParameter) as raised:
        parse_territory({"departement": "59", "epci": NARBONNE})
    assert raised.value.name == "epci" and "CA Le Grand Narbonne" in raised.value.message
    assert parse_territory({"departement": "11", "epci": NARBONNE}).epci == NARBONNE


def _get(client: Client, net: dict, view: str, *args: str, **params: str) -> Any:
    if "_auth_user_id" not in client.session:
        client.force_login(net["admin"])
    return client.get(reverse(f"statistics:{view}", args=[net["network"].slug, *args]), params)


@pytest.mark.parametrize("value", ["abcdefghi", "24110059", "123456789"])
def test_bad_epci_answers_400_naming_the_field(net: dict, client: Client, value: str) -> None:
    page = _get(client, net, "page", epci=value)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-field="epci"' in html
    assert 'name="epci" value="' + value + '"' in html and 'aria-invalid="true"' in html
    csv = _get(client, net, "csv", "status", epci=value)
    assert csv.status_code == 400
    assert csv.content.decode().startswith("epci: ")


def test_the_page_offers_the_departements_epcis(net: dict, client: Client) -> None:
    html = _get(client, net, "page").content.decode()
    assert '<select name="epci"' not in html  # no département chosen yet
    html = _get(client, net, "page", departement="11").content.decode()
    assert '<select name="epci"' in html
    assert f'<option value="{NARBONNE}">CA Le Grand Narbonne</option>' in html
    assert f'<option value="{CARCASSONNE}">' in html
    assert "Territoire\u00a0: Aude (11)." in html
    chosen = _get(client, net, "page", departement="11", epci=NARBONNE)
    html = chosen.content.decode()
    assert f'<option value="{NARBONNE}" selected>' in html
    assert "Territoire\u00a0: CA Le Grand Narbonne, Aude (11)." in html
    assert "3 lieux sur ce territoire" in html


def test_the_csv_names_its_territory(net: dict, client: Client) -> None:
    response = _get(client, net, "csv", "status", departement="11", epci=NARBONNE, period="2025")
    assert response.status_code == 200
    assert "reseau-epci-status-11-epci-241100593.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].split(";")[1] == "3"
    assert lines[-3:] == ["", "Territoire;CA Le Grand Narbonne, Aude (11)", "Période;2025"]
    whole = _get(client, net, "csv", "epcis").content.decode("utf-8-sig").splitlines()
    assert "Territoire;tout le réseau" in whole
    assert any(line.startswith(f"CA Le Grand Narbonne;{NARBONNE};3;") for line in whole)


def test_the_epci_filter_costs_no_more_statements(net: dict, client: Client) -> None:
    _get(client, net, "page")  # logged in and the session recorded before counting
    with CaptureQueriesContext(connection) as whole:
        _get(client, net, "page", period="2025")
    with CaptureQueriesContext(connection) as epci:
        assert _get(client, net, "page", epci=GRAND_PARIS, period="2025").status_code == 200
    assert len(epci) <= len(whole) <= 34
