"""The map's geometry, pure: distances by the haversine formula, the box around a circle,
GeoJSON's [longitude, latitude] order."""

import json
import math

import pytest

from tierslieux.observatory import geo
from tierslieux.places.directory import departement_of

pytestmark = pytest.mark.pure

PARIS = geo.Point(48.8566, 2.3522)
LYON = geo.Point(45.7640, 4.8357)


def by_hand(a: geo.Point, b: geo.Point) -> float:
    """The spherical law of cosines: another formula, the same sphere."""
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    cos_c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(cos_c)


def test_distances_on_the_earth():
    assert geo.haversine_km(PARIS, LYON) == pytest.approx(391.5, abs=0.5)
    assert geo.haversine_km(PARIS, LYON) == pytest.approx(by_hand(PARIS, LYON), rel=1e-9)
    assert geo.haversine_km(LYON, PARIS) == geo.haversine_km(PARIS, LYON)
    assert geo.haversine_km(PARIS, PARIS) == 0
    # A degree of latitude is 111.2 km everywhere on the sphere.
    assert geo.haversine_km(geo.Point(0, 0), geo.Point(1, 0)) == pytest.approx(111.195, abs=1e-3)
    # Antipodes: half the circumference, no domain error.
    half = geo.haversine_km(geo.Point(0, 0), geo.Point(0, 180))
    assert half == pytest.approx(math.pi * 6371.0088)


def test_the_box_holds_the_whole_circle():
    box = geo.bounding_box(PARIS, 50)
    for bearing in range(0, 360, 5):
        # The point 49.9 km away on this bearing (the direct geodesic problem on the sphere).
        d = 49.9 / 6371.0088
        lat1, lon1 = math.radians(PARIS.latitude), math.radians(PARIS.longitude)
        b = math.radians(bearing)
        sin_lat2 = math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b)
        lat2 = math.asin(sin_lat2)
        y = math.sin(b) * math.sin(d) * math.cos(lat1)
        lon2 = lon1 + math.atan2(y, math.cos(d) - math.sin(lat1) * sin_lat2)
        point = geo.Point(math.degrees(lat2), math.degrees(lon2))
        assert geo.haversine_km(PARIS, point) == pytest.approx(49.9, abs=1e-6)
        assert box.south <= point.latitude <= box.north
        assert box.west <= point.longitude <= box.east
    assert box.north - box.south == pytest.approx(100 / 111.195, rel=1e-3)


def test_the_box_widens_near_a_pole_or_the_antimeridian():
    polar = geo.bounding_box(geo.Point(89.5, 10), 100)
    assert (polar.west, polar.east, polar.north) == (-180, 180, 90)
    fiji = geo.bounding_box(geo.Point(-17.7, 179.9), 50)
    assert (fiji.west, fiji.east) == (-180, 180)


def test_geojson_puts_the_longitude_first():
    feature = geo.feature(geo.Point(46.1714, 1.8717), {"name": "Guéret"})
    assert feature["geometry"] == {"type": "Point", "coordinates": [1.8717, 46.1714]}
    collection = geo.feature_collection([feature], without_coordinates=2)
    assert collection["type"] == "FeatureCollection"
    assert collection["without_coordinates"] == 2


def test_the_collection_as_text_is_the_same_document():
    features = [
        geo.feature(geo.Point(46.1714, 1.8717), {"name": "Guéret", "categories": ["fablab"]}),
        geo.feature(geo.Point(43.6768, 4.6303), {"name": "Arles « centre »", "n": 2.5}),
    ]
    text = geo.collection_text(iter(features), without_coordinates=3)
    assert json.loads(text) == geo.feature_collection(features, without_coordinates=3)
    assert "Guéret" in text  # UTF-8, not \u escapes
    assert json.loads(geo.collection_text([])) == geo.feature_collection([])


def test_the_centroid_of_a_communes_places():
    assert geo.centroid([]) is None
    centre = geo.centroid([geo.Point(46, 1), geo.Point(47, 3)])
    assert centre == geo.Point(46.5, 2)


def test_departements_from_postcodes():
    assert departement_of("23000") == "23"
    assert departement_of("01000") == "01"
    assert departement_of("20000") == "2A"
    assert departement_of("20200") == "2B"
    assert departement_of("97400") == "974"
    assert departement_of("3600", "BE") == ""
