"""The pages of a place's registers and of a network's member places."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tierslieux.places.models import ExternalId, NetworkMembership
from tierslieux.places.tests import factories as f


@pytest.fixture
def regional() -> Any:
    return f.network(name="Réseau régional", slug="regional")


def test_the_coordinator_records_the_census_id_and_movilab_page(client, coordinator, place):
    client.force_login(coordinator)
    url = reverse("places:manage_registers", kwargs={"slug": place.slug})
    response = client.post(url, {"bdtfl": "TL-0042", "movilab": "https://movilab.org/wiki/Lieu"})
    assert response.status_code == 302
    assert dict(ExternalId.objects.filter(place=place).values_list("scheme", "value")) == {
        "bdtfl": "TL-0042",
        "movilab": "https://movilab.org/wiki/Lieu",
    }
    page = client.get(url)
    assert 'value="TL-0042"' in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"bdtfl": "TL 42; DROP", "movilab": ""}, "bdtfl"),
        ({"bdtfl": "", "movilab": "https://example.org/movilab.org"}, "movilab"),
        ({"bdtfl": "", "movilab": "pas une adresse"}, "movilab"),
    ],
)
def test_bad_identifiers_are_refused_and_nothing_saved(client, coordinator, place, data, field):
    client.force_login(coordinator)
    url = reverse("places:manage_registers", kwargs={"slug": place.slug})
    response = client.post(url, data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not ExternalId.objects.exists()


def test_an_identifier_of_another_place_is_refused_naming_it(client, coordinator, place):
    ExternalId.objects.create(place=f.place(name="Le Premier"), scheme="bdtfl", value="TL1")
    client.force_login(coordinator)
    url = reverse("places:manage_registers", kwargs={"slug": place.slug})
    response = client.post(url, {"bdtfl": "TL1", "movilab": ""})
    assert response.status_code == 422
    assert "Le Premier" in response.content.decode()


def test_staff_cannot_open_the_registers(client, place):
    client.force_login(f.staff(place))
    url = reverse("places:manage_registers", kwargs={"slug": place.slug})
    assert client.get(url).status_code == 403


def test_a_network_counts_a_place_it_finds_and_stops_counting_it(client, place, regional):
    place.latitude, place.longitude = 43.1837, 3.0042
    place.save()
    admin = f.network_admin(regional)
    client.force_login(admin)
    add = reverse("places:network_place_add", kwargs={"network_slug": regional.slug})
    found = client.get(add, {"q": "fabrique"})
    assert [p.pk for p in found.context["found"]] == [place.pk]
    assert client.post(add, {"place": place.pk}).status_code == 302
    listing = client.get(reverse("places:network_places", kwargs={"network_slug": regional.slug}))
    assert place in listing.context["places"]
    assert "La Fabrique" in listing.content.decode()
    assert client.get(add, {"q": "fabrique"}).context["found"] == []  # already counted
    geojson = client.get(reverse("map:geojson"), {"network": regional.slug}).json()
    assert [feature["properties"]["slug"] for feature in geojson["features"]] == [place.slug]

    remove = reverse(
        "places:network_place_remove", kwargs={"network_slug": regional.slug, "slug": place.slug}
    )
    assert client.get(remove).status_code == 200  # asks first
    assert NetworkMembership.objects.filter(network=regional).exists()
    assert client.post(remove).status_code == 302
    assert not NetworkMembership.objects.filter(network=regional).exists()


def test_a_network_cannot_stop_counting_its_own_place(client, network_admin, place):
    client.force_login(network_admin)
    remove = reverse(
        "places:network_place_remove",
        kwargs={"network_slug": place.network.slug, "slug": place.slug},
    )
    assert client.post(remove).status_code == 409
    assert NetworkMembership.objects.filter(place=place, network=place.network).exists()


@pytest.mark.parametrize("chosen", ["abc", "", "99999999"])
def test_an_unknown_place_is_not_found(client, regional, chosen):
    client.force_login(f.network_admin(regional))
    add = reverse("places:network_place_add", kwargs={"network_slug": regional.slug})
    assert client.post(add, {"place": chosen}).status_code == 404


def test_only_the_networks_administrators_count_places(client, place, regional, network_admin):
    client.force_login(network_admin)  # administers the place's network, not the regional one
    add = reverse("places:network_place_add", kwargs={"network_slug": regional.slug})
    assert client.post(add, {"place": place.pk}).status_code == 403
    client.force_login(f.network_observer(regional))
    assert client.get(add).status_code == 403


def test_the_public_page_names_the_place_in_other_registers(client, place):
    import json
    import re

    ExternalId.objects.create(place=place, scheme="bdtfl", value="TL-0042")
    ExternalId.objects.create(place=place, scheme="movilab", value="https://movilab.org/wiki/F")
    html = client.get(reverse("places:detail", kwargs={"slug": place.slug})).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script)
    assert data["sameAs"] == ["https://movilab.org/wiki/F"]
    assert {"@type": "PropertyValue", "propertyID": "ID_UNIQUE", "value": "TL-0042"} in data[
        "identifier"
    ]
    assert data["identifier"][0]["propertyID"] == "SIRET"
