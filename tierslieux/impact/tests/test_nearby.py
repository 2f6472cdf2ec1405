"""Distances and the territory's choice, computed by hand: one degree of latitude is
2πR/360 km; the 30 km cut; partners before similar places, then the nearest; the limit;
the positions on the map."""

from __future__ import annotations

import math

import pytest

from tierslieux.impact import nearby
from tierslieux.impact.nearby import Candidate

pytestmark = pytest.mark.pure

DEGREE_KM = 2 * math.pi * nearby.EARTH_RADIUS_KM / 360  # 111.195 km


def _at(name: str, lat: float, lon: float = 3.0, **why) -> Candidate:
    return Candidate(
        pk=hash(name), name=name, slug=name.lower(), latitude=lat, longitude=lon, **why
    )


def test_distances_along_a_meridian_and_the_equator() -> None:
    assert nearby.distance_km(43.0, 3.0, 44.0, 3.0) == pytest.approx(DEGREE_KM, rel=1e-9)
    assert nearby.distance_km(0.0, 0.0, 0.0, 1.0) == pytest.approx(DEGREE_KM, rel=1e-9)
    # Along a parallel the degree shrinks by cos(latitude) (to first order for 0.1°).
    assert nearby.distance_km(60.0, 3.0, 60.0, 3.1) == pytest.approx(DEGREE_KM * 0.1 / 2, rel=1e-4)
    assert nearby.distance_km(43.2, 3.0, 43.2, 3.0) == 0


def test_bearings() -> None:
    assert nearby.bearing_deg(43.0, 3.0, 43.1, 3.0) == pytest.approx(0)  # north
    assert nearby.bearing_deg(43.0, 3.0, 42.9, 3.0) == pytest.approx(180)
    assert nearby.bearing_deg(0.0, 3.0, 0.0, 3.1) == pytest.approx(90)  # east
    assert nearby.bearing_deg(0.0, 3.0, 0.0, 2.9) == pytest.approx(270)


def test_the_30_km_cut_and_the_order() -> None:
    km = 1 / DEGREE_KM  # degrees of latitude per km
    found = nearby.neighbours(
        43.0,
        3.0,
        [
            _at("Similaire à 5", 43.0 + 5 * km, kinds=("Fablab",)),
            _at("Partenaire à 25", 43.0 - 25 * km, partners=("Coop",)),
            _at("Partenaire à 29,9", 43.0 + 29.9 * km, partners=("Coop",)),
            _at("Partenaire à 30,1", 43.0 + 30.1 * km, partners=("Coop",)),
            _at("Sans lien à 1", 43.0 + 1 * km),
        ],
    )
    assert [n.place.name for n in found] == [
        "Partenaire à 25",
        "Partenaire à 29,9",
        "Similaire à 5",
    ]
    assert [round(n.km, 6) for n in found] == [25, 29.9, 5]
    assert [n.partner for n in found] == [True, True, False]


def test_at_most_the_limit_the_nearest_kept() -> None:
    km = 1 / DEGREE_KM
    many = [_at(f"Lieu {d:02}", 43.0 + d * km, kinds=("Coworking",)) for d in range(20, 0, -1)]
    found = nearby.neighbours(43.0, 3.0, many)
    assert len(found) == nearby.LIMIT == 12
    assert [n.place.name for n in found] == [f"Lieu {d:02}" for d in range(1, 13)]


def test_positions_on_the_map() -> None:
    km = 1 / DEGREE_KM
    north, south = nearby.neighbours(
        43.0,
        3.0,
        [_at("Nord", 43.0 + 10 * km, kinds=("x",)), _at("Sud", 43.0 - 20 * km, kinds=("x",))],
    )
    x, y = north.offset(5)  # 5 units a km: 10 km north is 50 units up
    assert (x, y) == (pytest.approx(0, abs=1e-9), pytest.approx(-50))
    x, y = south.offset(5)
    assert (x, y) == (pytest.approx(0, abs=1e-6), pytest.approx(100))


def test_the_box_holds_the_circle() -> None:
    square = nearby.box(43.0, 3.0)
    for bearing in range(0, 360, 15):
        # A point 30 km away in this direction (small-distance approximation) is inside.
        d_lat = 30 / DEGREE_KM * math.cos(math.radians(bearing))
        d_lon = 30 / DEGREE_KM * math.sin(math.radians(bearing)) / math.cos(math.radians(43.0))
        assert square.south <= 43.0 + d_lat <= square.north
        assert square.west <= 3.0 + d_lon <= square.east
