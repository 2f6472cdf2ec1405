"""The GeoJSON of the map: a valid FeatureCollection ([longitude, latitude]), the same filters
as the page, the unlocated places counted, revalidation by ETag and Last-Modified, and a fixed
number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.urls import resolve
from django.utils.http import http_date

from tierslieux.observatory.tests.conftest import ARLES, AUBUSSON, GUERET
from tierslieux.places.tests import factories as f

URL = "/map/places.geojson"


def test_a_valid_feature_collection_longitude_first(client, places):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    by_name = {feat["properties"]["name"]: feat for feat in data["features"]}
    assert set(by_name) == {"Le Fablab de Guéret", "Cœur de Bourg", "TerraLab"}
    for name, (lat, lon) in [
        ("Le Fablab de Guéret", GUERET),
        ("Cœur de Bourg", AUBUSSON),
        ("TerraLab", ARLES),
    ]:
        feature = by_name[name]
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [lon, lat]
        assert all(isinstance(c, float) for c in feature["geometry"]["coordinates"])
    # In France, a longitude is small and a latitude between 41 and 51: never swapped.
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -6 < lon < 10 and 41 < lat < 52


def test_the_properties_name_the_place_and_link_its_page(client, places):
    data = client.get(URL).json()
    fablab = next(x for x in data["features"] if x["properties"]["slug"] == places["fablab"].slug)
    props = fablab["properties"]
    assert props == {
        "name": "Le Fablab de Guéret",
        "slug": places["fablab"].slug,
        "url": places["fablab"].get_absolute_url(),
        "category": "coworking",  # the first category (in the categories' order)
        "categories": ["coworking", "fablab"],
        "status": "open",
        "commune": "Guéret",
    }
    assert resolve(props["url"]).view_name == "places:detail"


def test_the_places_without_coordinates_are_left_out_and_counted(client, places):
    response = client.get(URL, {"category": "fablab"})
    data = response.json()
    assert [x["properties"]["name"] for x in data["features"]] == ["Le Fablab de Guéret"]
    assert data["without_coordinates"] == 1
    assert response["X-Places-Without-Coordinates"] == "1"
    assert client.get(URL, {"category": "food"}).json() == {
        "type": "FeatureCollection",
        "features": [],
        "without_coordinates": 0,
    }


def test_the_same_filters_as_the_page(client, places):
    def names(**query) -> list[str]:
        return [x["properties"]["name"] for x in client.get(URL, query).json()["features"]]

    assert names(q="gueret") == ["Le Fablab de Guéret"]
    assert names(q="COEUR") == ["Cœur de Bourg"]
    assert names(status="project") == ["TerraLab"]
    assert names(departement="23") == ["Cœur de Bourg", "Le Fablab de Guéret"]
    assert names(network="creuse", location_type="rural") == ["Cœur de Bourg"]


def test_near_gives_the_distance_nearest_first(client, places):
    data = client.get(URL, {"near": "Aubusson", "radius": "40"}).json()
    found = [(x["properties"]["name"], x["properties"]["distance_km"]) for x in data["features"]]
    assert found[0] == ("Cœur de Bourg", 0.0)
    assert found[1][0] == "Le Fablab de Guéret"
    assert 33.0 < found[1][1] < 33.2
    assert len(found) == 2


def test_revalidation_by_etag_and_last_modified(client, places, clock):
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10
    latest = max(p.updated_at for p in places.values())
    assert first["Last-Modified"] == http_date(latest.timestamp())
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    later = http_date((latest + timedelta(hours=1)).timestamp())
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    # Other filters, another document.
    assert client.get(URL, {"category": "fablab"})["ETag"] != etag
    # A place changed: the tag changes and the full document comes back.
    clock.set(latest + timedelta(days=1))
    places["terra"].name = "TerraLab 2"
    places["terra"].save()
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert "TerraLab 2" in again.content.decode()
    # A place removed: the count changes the tag too.
    etag = again["ETag"]
    places["unlocated"].delete()
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_no_place_no_last_modified(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["features"] == []
    assert "Last-Modified" not in response


def test_a_fixed_number_of_queries(client, places, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(URL)
    network = f.network()
    for n in range(25):
        f.place(name=f"Encore {n}", network=network, latitude="45.1", longitude="1.2")
    with django_assert_max_num_queries(3):
        data = client.get(URL).json()
    assert len(data["features"]) == 28
    # The next visitor gets the document kept under its tag: one query, the tag's.
    with django_assert_max_num_queries(1):
        assert client.get(URL).json() == data
    # The commune's centre and the network's existence are one query each.
    with django_assert_max_num_queries(5):
        client.get(URL, {"near": "gueret", "radius": "200", "network": network.slug})
