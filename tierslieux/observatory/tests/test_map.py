"""The map page: the directory's filters, the near search, the list that works without
JavaScript, and absurd input answered with a message, never a 500."""

from __future__ import annotations

import math
import re

import pytest
from django.urls import reverse

from tierslieux.observatory.tests.conftest import AUBUSSON, GUERET
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as f

NAMES = ("Le Fablab de Guéret", "Cœur de Bourg", "TerraLab", "Atelier sans adresse")


def listed(client, **query) -> list[str]:
    response = client.get("/map/", query)
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    rows = re.findall(r'<tr class="map-row".*?</tr>', page, re.S)
    return [name for row in rows for name in NAMES if f">{name}</a>" in row]


def by_hand(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine, written out: 2 R asin √(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2))."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_the_page_lists_every_place_and_links_each_page(client, places):
    response = client.get("/map/")
    page = response.content.decode()
    assert response.status_code == 200
    assert listed(client) == sorted(NAMES)
    for place in places.values():
        assert f'href="{place.get_absolute_url()}"' in page
    # The map's code is the app's own; the tiles' owner is named.
    assert "/static/observatory/vendor/leaflet/leaflet.js" in page
    assert "unpkg" not in page and "cdn" not in page.lower()
    assert "OpenStreetMap" in page
    assert 'data-geojson="/map/places.geojson"' in page


def test_a_fablab_filter_leaves_only_fab_labs(client, places):
    assert listed(client, category="fablab") == ["Atelier sans adresse", "Le Fablab de Guéret"]
    assert listed(client, category="cultural_cafe") == ["TerraLab"]
    page = client.get("/map/", {"category": "fablab"}).content.decode()
    assert 'data-geojson="/map/places.geojson?category=fablab"' in page


def test_the_text_search_ignores_accents_and_case(client, places):
    assert listed(client, q="gueret") == ["Le Fablab de Guéret"]
    assert listed(client, q="COEUR") == ["Cœur de Bourg"]
    assert listed(client, q="  terra ") == ["TerraLab"]


def test_the_other_filters_are_the_directorys(client, places):
    assert listed(client, status="project") == ["TerraLab"]
    assert listed(client, location_type="rural") == ["Cœur de Bourg"]
    assert listed(client, commune="Arles") == ["TerraLab"]
    assert listed(client, departement="23") == ["Cœur de Bourg", "Le Fablab de Guéret"]
    assert listed(client, departement="13") == ["TerraLab"]
    assert listed(client, network="creuse") == ["Cœur de Bourg", "Le Fablab de Guéret"]
    # The directory reads the same filters.
    page = client.get("/", {"departement": "13"}).content.decode()
    assert "TerraLab" in page and "Cœur de Bourg" not in page


def test_near_a_commune_sorted_by_distance_computed_by_haversine(client, places):
    page = client.get("/map/", {"near": "gueret", "radius": "50"}).content.decode()
    assert listed(client, near="gueret", radius="50") == ["Le Fablab de Guéret", "Cœur de Bourg"]
    distance = by_hand(GUERET, AUBUSSON)
    assert 33 < distance < 33.2  # Guéret–Aubusson as the crow flies
    shown = re.findall(r'<td class="distance">([\d,]+)&nbsp;km</td>', page)
    assert shown == ["0,0", f"{distance:.1f}".replace(".", ",")]
    assert "dans un rayon de 50\u00a0km" in page or "within 50 km" in page
    # Too small a circle leaves Aubusson out; a postcode is a commune too.
    assert listed(client, near="23000", radius=str(math.floor(distance))) == ["Le Fablab de Guéret"]


def test_near_a_point(client, places):
    lat, lon = AUBUSSON
    found = listed(client, lat=str(lat), lon=str(lon), radius="200")
    assert found == ["Cœur de Bourg", "Le Fablab de Guéret"]  # Arles is ~300 km away
    assert listed(client, lat=str(lat), lon=str(lon), radius="200", category="fablab") == [
        "Le Fablab de Guéret"
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"near": "gueret", "radius": "0"}, "radius", "supérieure ou égale à 1"),
        ({"near": "gueret", "radius": "10000"}, "radius", "inférieure ou égale à 200"),
        ({"lat": "500", "lon": "2"}, "lat", "inférieure ou égale à 90"),
        ({"lat": "nan", "lon": "2"}, "lat", "Saisissez un nombre"),
        ({"lat": "46"}, "lon", "ensemble"),
        ({"q": "x" * 10_000}, "q", "au plus 200 caractères"),
        ({"near": "Tombouctou"}, "near", "Tombouctou"),
        ({"category": "castle"}, "category", "castle"),
        ({"departement": "99"}, "departement", "99"),
        ({"network": "nowhere"}, "network", "nowhere"),
        ({"page": "last-but-one"}, None, None),
    ],
)
def test_absurd_input_is_named_never_a_500(client, places, query, field, message):
    response = client.get("/map/", query, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert 'role="alert"' in page
    assert f'href="#id_{field}"' in page
    assert message in page
    geojson = client.get("/map/places.geojson", query, HTTP_ACCEPT_LANGUAGE="fr")
    assert geojson.status_code == 400
    assert field in geojson.json()["errors"]


def test_the_list_is_paginated_with_the_filters_kept(client):
    network = f.network()
    Place.objects.bulk_create(
        Place(
            network=network,
            name=f"Lieu {n:03d}",
            slug=f"lieu-page-{n}",
            status="open",
            postcode="23000",
            commune="Guéret",
            location_type="rural",
            legal_form="association",
        )
        for n in range(60)
    )
    first = client.get("/map/", {"status": "open"}).content.decode()
    assert "60 lieux" in first or "60 places" in first
    assert first.count('class="map-row"') == 50
    assert 'href="?status=open&amp;page=2"' in first
    second = client.get("/map/", {"status": "open", "page": "2"}).content.decode()
    assert second.count('class="map-row"') == 10
    assert "Lieu 059" in second and "Lieu 000" not in second


def test_the_page_reads_a_fixed_number_of_queries(client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/map/")
    for n in range(20):
        f.place(name=f"Encore {n}", categories=("fablab", "food"))
    with django_assert_max_num_queries(8):
        client.get("/map/", {"category": "fablab"})
    with django_assert_max_num_queries(8):
        client.get("/map/", {"near": "gueret", "radius": "100"})


def test_the_map_url_names(client, places):
    assert reverse("map:map") == "/map/"
    assert reverse("map:geojson") == "/map/places.geojson"
