"""The communes reference: a place's (postcode, commune) found whatever its spelling, its EPCI,
the EPCIs of a département, and the data file's own consistency."""

import re

import pytest

from tierslieux.core.search import fold
from tierslieux.places import communes
from tierslieux.places.communes import communes_for, epci, epci_of, epcis_of_departement

pytestmark = pytest.mark.pure

NARBONNE = ("241100593", "CA Le Grand Narbonne")
GRAND_PARIS = ("200054781", "Métropole du Grand Paris")


def _codes(postcode: str, name: str) -> list[str]:
    return [c.code for c in communes_for(postcode, name)]


@pytest.mark.parametrize(
    "name",
    [
        "Saint-Étienne",
        "saint etienne",
        "ST ETIENNE",
        "St-Étienne",
        "St. Etienne",
        " Saint Étienne ",
    ],
)
def test_accents_case_hyphens_and_saint_or_st(name: str) -> None:
    assert _codes("42000", name) == ["42218"]


@pytest.mark.parametrize(
    ("postcode", "name", "code"),
    [
        ("83120", "Ste Maxime", "83115"),
        ("85350", "L'Ile d'Yeu", "85113"),
        ("85350", "l’île-d’yeu", "85113"),
        ("11100", "NARBONNE", "11262"),
        ("50100", "Cherbourg-Octeville", "50129"),  # a commune déléguée: its commune nouvelle
        ("42 000", "Saint-Étienne", "42218"),
    ],
)
def test_spellings_and_former_communes(postcode: str, name: str, code: str) -> None:
    assert _codes(postcode, name) == [code]


def test_a_postcode_shared_by_several_communes() -> None:
    shared = communes_for("42620", "")
    assert {c.name for c in shared} == {"Saint-Pierre-Laval", "Saint-Martin-d'Estréaux"}
    assert len({c.epci for c in shared}) == 2
    assert epci_of("42620", "") is None  # the postcode alone cannot tell the EPCI
    assert epci_of("42620", "St-Pierre-Laval") == ("240300491", epci("240300491").name)
    assert len(communes_for("01400", "")) > 5


def test_corsica() -> None:
    (ajaccio,) = communes_for("20000", "Ajaccio")
    assert (ajaccio.code, ajaccio.departement) == ("2A004", "2A")
    assert epci_of("20000", "Ajaccio") == ("242010056", "CA du Pays Ajaccien")
    (bastia,) = communes_for("20200", "Bastia")
    assert (bastia.code, bastia.departement) == ("2B033", "2B")
    assert epci_of("20200", "Bastia") == ("242000354", "CA de Bastia")
    assert any(e.siren == "242010056" for e in epcis_of_departement("2a"))


def test_overseas_and_namesakes() -> None:
    (reunion,) = communes_for("97400", "St-Denis")
    assert (reunion.code, reunion.departement) == ("97411", "974")
    assert epci_of("97400", "Saint-Denis")[0] == "249740119"  # CINOR
    assert epci_of("93200", "Saint-Denis") == GRAND_PARIS
    namesakes = {c.departement for c in communes_for("", "Saint Denis")}
    assert {"11", "30", "93", "974"} <= namesakes


@pytest.mark.parametrize(
    ("postcode", "name"),
    [
        ("75011", "Paris"),
        ("75011", "PARIS"),
        ("75011", "Paris 11e Arrondissement"),
        ("75011", "Paris 11e"),
        ("75011", "Paris 11"),
        ("75116", "Paris 16e"),
        ("75001", "Paris 1er"),
    ],
)
def test_paris_arrondissements_are_paris_in_the_metropole(postcode: str, name: str) -> None:
    assert _codes(postcode, name) == ["75056"]
    assert epci_of(postcode, name) == GRAND_PARIS


def test_an_arrondissement_only_with_its_own_postcode() -> None:
    assert communes_for("75011", "Paris 12e") == []
    assert _codes("69003", "Lyon 3e Arrondissement") == ["69123"]


def test_unknown_and_outside_any_epci() -> None:
    assert communes_for("11100", "Nulle-Part") == []
    assert epci_of("11100", "Nulle-Part") is None
    assert communes_for("99999", "") == []
    assert communes_for("", "") == []
    (brehat,) = communes_for("22870", "Île-de-Bréhat")
    assert brehat.epci == ""
    assert epci_of("22870", "Ile de Brehat") is None


def test_an_epci_its_communes_and_departements() -> None:
    narbonne = epci(NARBONNE[0])
    assert narbonne is not None and narbonne.name == NARBONNE[1]
    assert narbonne.kind == "CA"
    assert "Narbonne" in [c.name for c in narbonne.communes()]
    assert narbonne.departements == ("11",)
    assert epci("123456789") is None
    assert set(epci(GRAND_PARIS[0]).departements) == {"75", "91", "92", "93", "94", "95"}


def test_epcis_of_a_departement() -> None:
    aude = epcis_of_departement("11")
    assert NARBONNE in [(e.siren, e.name) for e in aude]
    assert [e.name for e in aude] == sorted((e.name for e in aude), key=communes.name_key)
    beaune = "200006682"  # straddles the Côte-d'Or and the Saône-et-Loire
    assert beaune in [e.siren for e in epcis_of_departement("21")]
    assert beaune in [e.siren for e in epcis_of_departement("71")]
    assert epcis_of_departement("BE") == []
    assert communes.departement_name("2A") == "Corse-du-Sud"


def test_the_pairs_the_sql_filter_compares() -> None:
    pairs = communes.epci_pairs(NARBONNE[0])
    assert {"11100:narbonne", "11100:"} <= pairs
    paris = communes.epci_pairs(GRAND_PARIS[0])
    assert {"75011:paris", "75011:paris11e", "93200:stdenis"} <= paris
    assert "75011:paris12e" not in paris
    assert "42620:" not in communes.epci_pairs("240300491")  # shared with another EPCI
    assert communes.epci_pairs("000000000") == frozenset()


@pytest.mark.parametrize("name", ["Saint-Étienne", "L’Œuvre-d’Art", "ÇA ÿ. Ste-Anne", "  x  "])
def test_the_name_key_is_fold_without_separators(name: str) -> None:
    expected = fold(name)
    for separator in communes.SEPARATORS:
        expected = expected.replace(separator, "")
    assert communes.name_key(name) == expected.replace("saint", "st")


def test_the_data_holds_together() -> None:
    ref = communes.reference()
    assert ref is communes.reference()  # read once
    assert len(ref.communes) > 34_000 and len(ref.epcis) > 1_200
    postcode = re.compile(r"^\d{5}$")
    for commune in ref.communes.values():
        assert commune.departement in ref.departements, commune
        assert all(postcode.match(p) for p in commune.postcodes), commune
        assert commune.epci == "" or commune.code in ref.epcis[commune.epci].members
    assert all(e.members for e in ref.epcis.values())
    assert sum(1 for c in ref.communes.values() if not c.epci) < 120


def test_look_ups_answer_the_same_once_the_reference_is_loaded() -> None:
    # Loaded once, then read from memory (its speed is measured in bench/, not here).
    assert communes.reference() is communes.reference()
    for _n in range(3):
        assert epci_of("75011", "Paris 11e") == ("200054781", "Métropole du Grand Paris")
        assert epci_of("20000", "Ajaccio") == ("242010056", "CA du Pays Ajaccien")
