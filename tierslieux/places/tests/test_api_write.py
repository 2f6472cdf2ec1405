"""The /api/v1/ places API, writing the sheet, per persona: visitor, coordinator, member,
network admin; bad input answers 422 and saves nothing."""

from typing import Any

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from tierslieux.core.models import AuditEntry
from tierslieux.places.models import Place, Space
from tierslieux.places.tests import factories as f
from tierslieux.places.tests.api_support import API, bearer, new_place_body, patch, post

# --- Writing the sheet ----------------------------------------------------------------------


def test_a_coordinator_changes_the_surface_with_a_token_and_only_that(place, coordinator) -> None:
    Place.objects.filter(pk=place.pk).update(description="Avant")

    response = patch(
        Client(), f"{API}/places/{place.slug}", {"surface_m2": 320}, **bearer(coordinator)
    )

    assert response.status_code == 200, response.content
    assert response.json()["surface_m2"] == 320
    place.refresh_from_db()
    assert place.surface_m2 == 320
    assert place.description == "Avant"
    assert AuditEntry.objects.filter(action="place.update", actor=coordinator).exists()


def test_a_coordinator_changes_the_surface_with_the_session_and_a_csrf_token(
    place, coordinator
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = f"{API}/places/{place.slug}"

    without_token = patch(client, url, {"surface_m2": 400})
    csrf = get_random_string(32)
    client.cookies["csrftoken"] = csrf
    with_token = patch(client, url, {"surface_m2": 400}, **{"X-CSRFToken": csrf})

    assert without_token.status_code == 403
    assert with_token.status_code == 200, with_token.content
    place.refresh_from_db()
    assert place.surface_m2 == 400


def test_a_coordinator_replaces_the_categories_by_their_codes(place, coordinator) -> None:

    response = patch(
        Client(),
        f"{API}/places/{place.slug}",
        {"categories": ["fablab", "food"]},
        **bearer(coordinator),
    )

    assert response.status_code == 200
    assert set(place.categories.values_list("code", flat=True)) == {"fablab", "food"}


def test_an_anonymous_write_is_refused_with_401(place) -> None:
    space = f.space(place)
    client = Client()

    responses = [
        patch(client, f"{API}/places/{place.slug}", {"surface_m2": 1}),
        post(client, f"{API}/places", new_place_body(place.network.slug)),
        post(client, f"{API}/places/{place.slug}/spaces", {"name": "X", "kind": "desk"}),
        client.delete(f"{API}/places/{place.slug}/spaces/{space.slug}"),
        patch(client, f"{API}/places/{place.slug}", {"surface_m2": 1}, Authorization="Bearer no"),
    ]

    assert [r.status_code for r in responses] == [401] * 5
    assert responses[0]["WWW-Authenticate"] == "Bearer"
    place.refresh_from_db()
    assert place.surface_m2 == 250
    assert Space.objects.filter(pk=space.pk).exists()


def test_the_coordinator_of_another_place_gets_403_and_nothing_changes(
    place, other_coordinator
) -> None:
    response = patch(
        Client(), f"{API}/places/{place.slug}", {"surface_m2": 1}, **bearer(other_coordinator)
    )

    assert response.status_code == 403
    assert response.json()["detail"]
    place.refresh_from_db()
    assert place.surface_m2 == 250


def test_a_member_cannot_write_the_sheet_nor_the_spaces(place, member) -> None:
    space = f.space(place, units=1)
    auth = bearer(member)
    client = Client()

    responses = [
        patch(client, f"{API}/places/{place.slug}", {"surface_m2": 1}, **auth),
        post(client, f"{API}/places/{place.slug}/spaces", {"name": "X", "kind": "desk"}, **auth),
        patch(client, f"{API}/places/{place.slug}/spaces/{space.slug}", {"units": 9}, **auth),
        client.delete(f"{API}/places/{place.slug}/spaces/{space.slug}", headers=auth),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    place.refresh_from_db()
    space.refresh_from_db()
    assert (place.surface_m2, space.units, place.spaces.count()) == (250, 1, 1)


def test_a_network_admin_creates_a_place(place, network_admin) -> None:
    network = place.network

    response = post(
        Client(), f"{API}/places", new_place_body(network.slug), **bearer(network_admin)
    )

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "la-fabrique"
    place = Place.objects.get(slug="la-fabrique")
    assert place.network == network
    assert set(place.categories.values_list("code", flat=True)) == {"fablab", "coworking"}


def test_a_coordinator_cannot_create_a_place(place, coordinator) -> None:
    response = post(
        Client(), f"{API}/places", new_place_body(place.network.slug), **bearer(coordinator)
    )

    assert response.status_code == 403
    assert not Place.objects.filter(slug="la-fabrique").exists()


# --- Bad input ------------------------------------------------------------------------------

BAD_SHEETS = [
    pytest.param({"siret": "12345678901234"}, "siret", id="siret-check-digit"),
    pytest.param({"postcode": "ABC12"}, "postcode", id="postcode"),
    pytest.param({"latitude": 95}, "latitude", id="latitude-95"),
    pytest.param(
        {"investment_public_share": 60, "investment_private_share": 30},
        "investment_private_share",
        id="shares-60-30",
    ),
    pytest.param({"surface_m2": -5}, "surface_m2", id="negative-surface"),
    pytest.param({"surface_m2": "large"}, "surface_m2", id="surface-not-a-number"),
    pytest.param({"categories": ["spa"]}, "categories", id="unknown-category"),
    pytest.param({"categories": None}, "categories", id="null-categories"),
    pytest.param({"name": None}, "name", id="null-name"),
    pytest.param({"colour": "red"}, "colour", id="unknown-field"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_SHEETS)
def test_a_bad_change_is_a_422_naming_the_field_and_nothing_is_saved(
    changes: dict[str, Any], field: str
) -> None:
    place = f.place(surface_m2=250, siret="", categories=("coworking",))
    before = Place.objects.values().get(pk=place.pk)

    response = patch(
        Client(), f"{API}/places/{place.slug}", changes, **bearer(f.coordinator(place))
    )

    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"]
    assert body["errors"][field]
    assert Place.objects.values().get(pk=place.pk) == before
    assert list(place.categories.values_list("code", flat=True)) == ["coworking"]


def test_a_taken_slug_is_a_422_on_slug(place, coordinator, other_place) -> None:
    taken = other_place

    response = patch(
        Client(), f"{API}/places/{place.slug}", {"slug": taken.slug}, **bearer(coordinator)
    )

    assert response.status_code == 422
    assert "slug" in response.json()["errors"]
    place.refresh_from_db()
    assert place.slug != taken.slug


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"siret": "12345678901234"}, "siret", id="siret"),
        pytest.param({"latitude": "95"}, "latitude", id="latitude"),
        pytest.param({"name": "Lieu"}, "slug", id="duplicate-slug"),
        pytest.param({"postcode": None}, "postcode", id="missing-postcode"),
    ],
)
def test_a_bad_new_place_is_a_422_and_nothing_is_created(
    changes: dict[str, Any], field: str
) -> None:
    network = f.network()
    f.place(network=network, slug="lieu")
    admin = f.network_admin(network)
    body = {k: v for k, v in new_place_body(network.slug, **changes).items() if v is not None}

    response = post(Client(), f"{API}/places", body, **bearer(admin))

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Place.objects.count() == 1


def test_errors_are_in_french_by_default_and_in_english_when_asked(
    place, coordinator, other_place
) -> None:
    taken = other_place
    auth = bearer(coordinator)
    url = f"{API}/places/{place.slug}"

    def errors(changes: dict[str, Any], **headers: str) -> dict[str, list[str]]:
        response = patch(Client(), url, changes, **auth, **headers)
        assert response.status_code == 422
        return response.json()["errors"]

    french = errors({"latitude": 95, "slug": taken.slug})
    english = errors({"latitude": 95, "slug": taken.slug}, **{"Accept-Language": "en"})
    french_type = errors({"surface_m2": "grande"})
    english_type = errors({"surface_m2": "grande"}, **{"Accept-Language": "en"})

    assert "inférieure ou égale à 90" in french["latitude"][0]
    assert "less than or equal to 90" in english["latitude"][0]
    assert "existe déjà" in french["slug"][0]
    assert "already exists" in english["slug"][0]
    assert french_type["surface_m2"] == ["Saisissez un nombre entier."]
    assert english_type["surface_m2"] == ["Enter a whole number."]
