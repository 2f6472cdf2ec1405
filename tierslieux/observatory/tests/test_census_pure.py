"""The census's pure checks: coordinates in the country's territories (swapped ones caught),
the key of one pending declaration per place, and the duplicates a declaration may be."""

from __future__ import annotations

import pytest

from tierslieux.observatory import census
from tierslieux.observatory.census import Candidate, CoordinateProblem, Reason
from tierslieux.observatory.geo import Point

pytestmark = pytest.mark.pure

PARIS = (48.8566, 2.3522)
SAINT_DENIS_REUNION = (-20.8789, 55.4481)
POINTE_A_PITRE = (16.2411, -61.5331)
ATLANTIC = (45.0, -30.0)
BRUSSELS = (50.8467, 4.3525)
GUERET = Point(46.1714, 1.8717)


@pytest.mark.parametrize(
    ("point", "country"),
    [
        (PARIS, "FR"),
        (SAINT_DENIS_REUNION, "FR"),
        (POINTE_A_PITRE, "FR"),
        ((41.9192, 8.7386), "FR"),  # Ajaccio
        ((-17.5516, -149.5585), "FR"),  # Papeete
        (BRUSSELS, "BE"),
        ((40.4168, -3.7038), "ES"),  # Madrid
        ((28.1235, -15.4363), "ES"),  # Las Palmas, in the Canaries
        ((None, None), "FR"),  # a place in project without coordinates yet
    ],
)
def test_plausible_points_pass(point, country):
    assert census.check_coordinates(*point, country) is None


def test_swapped_coordinates_are_caught_wherever_the_place_is():
    assert census.check_coordinates(PARIS[1], PARIS[0]) == CoordinateProblem.SWAPPED
    reunion = SAINT_DENIS_REUNION
    assert census.check_coordinates(reunion[1], reunion[0]) == CoordinateProblem.SWAPPED


def test_points_outside_the_country_are_refused():
    assert census.check_coordinates(*ATLANTIC) == CoordinateProblem.OUTSIDE
    assert census.check_coordinates(0.0, 0.0) == CoordinateProblem.OUTSIDE
    assert census.check_coordinates(*PARIS, "BE") == CoordinateProblem.OUTSIDE
    assert census.check_coordinates(*SAINT_DENIS_REUNION, "ES") == CoordinateProblem.OUTSIDE


def test_half_a_point_is_incomplete():
    assert census.check_coordinates(48.85, None) == CoordinateProblem.INCOMPLETE
    assert census.check_coordinates(None, 2.35) == CoordinateProblem.INCOMPLETE


def test_the_match_key_ignores_case_accents_articles_and_spaces_of_the_postcode():
    key = census.match_key("La Fabrique", "11100")
    assert census.match_key("  la FABRIQUE ", "11 100") == key
    assert census.match_key("Tiers-lieu La Fabrique", "11100") == key
    assert census.match_key("La Fabrique", "11000") != key
    assert census.match_key("La Fabrique du Lac", "11100") != key
    # A name of articles only keeps its words rather than become empty.
    assert census.match_key("Le Tiers-Lieu", "23000") == "letierslieu|23000"
    assert census.match_key("Fab Lab de Guéret", "23000") == census.match_key(
        "Fablab Guéret", "23000"
    )


def test_name_similarity():
    assert census.name_similarity("Le Fablab de Guéret", "FABLAB GUERET") == 1
    assert census.name_similarity("Guéret Fablab", "Fablab de Guéret") == 1
    assert census.name_similarity("Fablab de Guéret", "Fab Lab de Gueret") >= 0.8
    assert census.name_similarity("La Quincaillerie", "Cœur de Bourg") < 0.5
    assert census.name_similarity("", "Cœur de Bourg") == 0


def near(point: Point, metres: float) -> Point:
    """A point `metres` north of `point`."""
    return Point(point.latitude + metres / 111_195, point.longitude)


def test_the_same_name_in_the_same_commune_is_a_duplicate():
    target = Candidate("d", "Le Fablab de Guéret", "Guéret", "23000")
    other = Candidate(1, "fablab gueret", "GUERET", "23000")
    (match,) = census.duplicates(target, [other])
    assert match.reasons == (Reason.SAME_NAME, Reason.SAME_COMMUNE)
    assert match.distance_km is None


def test_a_similar_name_nearby_is_a_duplicate_with_its_distance():
    target = Candidate("d", "Fablab de Guéret", "Guéret", "23000", GUERET)
    other = Candidate(1, "Fablab du Marché de Guéret", "Guéret", "23000", near(GUERET, 120))
    (match,) = census.duplicates(target, [other])
    assert match.reasons == (Reason.SIMILAR_NAME, Reason.SAME_COMMUNE, Reason.NEARBY)
    assert match.distance_km == pytest.approx(0.12, abs=0.005)


def test_names_written_in_words_or_run_together_are_the_same_name():
    target = Candidate("d", "Fab Lab de Gueret", "Guéret", "23000", GUERET)
    other = Candidate(1, "Le Fablab de Guéret", "Guéret", "23000", near(GUERET, 120))
    (match,) = census.duplicates(target, [other])
    assert match.reasons == (Reason.SAME_NAME, Reason.SAME_COMMUNE, Reason.NEARBY)
    assert match.similarity == 1


def test_a_similar_name_in_another_commune_within_5_km_is_a_duplicate():
    target = Candidate("d", "Fablab de Guéret", "Guéret", "23000", GUERET)
    other = Candidate(1, "Fablab Guéret", "Sainte-Feyre", "23000", near(GUERET, 4000))
    (match,) = census.duplicates(target, [other])
    assert match.reasons == (Reason.SAME_NAME,)


def test_one_building_whatever_the_names():
    target = Candidate("d", "Atelier partagé", "Guéret", "23000", GUERET)
    other = Candidate(1, "Coworking du Marché", "Guéret", "23000", near(GUERET, 20))
    (match,) = census.duplicates(target, [other])
    assert Reason.NEARBY in match.reasons and Reason.SAME_COMMUNE in match.reasons


def test_non_duplicates():
    target = Candidate("d", "Fablab de Guéret", "Guéret", "23000", GUERET)
    others = [
        # Different names in the same commune, 2 km apart.
        Candidate(1, "Cœur de Bourg", "Guéret", "23000", near(GUERET, 2000)),
        # The same name, far away in another commune.
        Candidate(2, "Fablab de Guéret", "Arles", "13200", Point(43.6768, 4.6303)),
        # The same commune's name under another postcode, no point.
        Candidate(3, "Fablab de Guéret", "Guéret", "23001"),
        # Itself.
        Candidate("d", "Fablab de Guéret", "Guéret", "23000", GUERET),
    ]
    assert census.duplicates(target, others) == []


def test_the_likeliest_duplicates_come_first_and_the_unknown_distance_last():
    target = Candidate("d", "Fablab de Guéret", "Guéret", "23000", GUERET)
    far = Candidate(1, "Fablab de Guéret", "Guéret", "23000", near(GUERET, 3000))
    unknown = Candidate(2, "Fablab de Guéret", "Guéret", "23000")
    close = Candidate(3, "Fablab de Guéret", "Guéret", "23000", near(GUERET, 50))
    similar = Candidate(4, "Fabrique de Guéret", "Guéret", "23000", near(GUERET, 10))
    found = [m.candidate.key for m in census.duplicates(target, [far, unknown, similar, close])]
    assert found[:3] == [3, 1, 2]
    assert found[3] == 4


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Le Fablab de Guéret", "Fab Lab Gueret"),
        ("La Quincaillerie", "Cœur de Bourg"),
        ("Atelier vélo", "Atelier des vélos"),
        ("Ruche", "La Ruche qui dit oui"),
    ],
)
def test_the_cheap_bound_never_hides_a_match(a, b):
    """Asked for more than the names can reach, the answer is an upper bound of the truth."""
    exact = census.name_similarity(a, b)
    assert census.name_similarity(a, b, at_least=1.01) >= exact
    assert census.name_similarity(a, b, at_least=exact) == exact


@pytest.mark.parametrize(
    ("postcode", "country", "zone"),
    [
        ("23000", "FR", "Europe/Paris"),
        ("97400", "FR", "Indian/Reunion"),
        ("97 411", "FR", "Indian/Reunion"),
        ("97133", "FR", "America/St_Barthelemy"),
        ("97110", "FR", "America/Guadeloupe"),
        ("98713", "FR", "Pacific/Tahiti"),
        ("1000", "BE", "Europe/Brussels"),
        ("35001", "ES", "Atlantic/Canary"),
        ("28001", "ES", "Europe/Madrid"),
    ],
)
def test_the_time_zone_follows_the_postcode_overseas(postcode, country, zone):
    assert census.timezone_for(postcode, country) == zone
