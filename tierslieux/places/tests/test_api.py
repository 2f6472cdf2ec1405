"""The /api/v1/ places API, per persona: visitor, coordinator, staff, member, network admin."""

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.crypto import get_random_string

from tierslieux.accounts.services import create_api_token
from tierslieux.core.models import AuditEntry
from tierslieux.places.models import (
    OpeningException,
    OpeningHours,
    Place,
    Space,
    TeamMember,
)
from tierslieux.places.tests import factories as f

API = "/api/v1"
VALID_SIRET = "73282932000074"  # passes the Luhn check


def bearer(user: Any) -> dict[str, str]:
    _, raw = create_api_token(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def patch(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.patch(url, data, content_type="application/json", headers=headers)


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data, content_type="application/json", headers=headers)


def new_place_body(network_slug: str, **fields: Any) -> dict[str, Any]:
    return {
        "network": network_slug,
        "name": "La Fabrique",
        "status": "open",
        "postcode": "34000",
        "commune": "Montpellier",
        "location_type": "city_centre",
        "legal_form": "scic",
        "categories": ["fablab", "coworking"],
        **fields,
    }


# --- Reading --------------------------------------------------------------------------------


def test_the_list_is_paginated_json_twenty_places_a_page() -> None:
    network = f.network()
    for _ in range(23):
        f.place(network=network)

    first = Client().get(f"{API}/places").json()
    second = Client().get(f"{API}/places", {"page": 2}).json()

    assert first["count"] == 23
    assert len(first["items"]) == 20
    assert len(second["items"]) == 3
    assert {"slug", "name", "commune", "categories", "spaces_count"} <= set(first["items"][0])


def test_the_list_costs_the_same_queries_for_three_places_or_twenty() -> None:
    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(f"{API}/places").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        f.space(f.place())
    few = queries_for_list()
    for _ in range(17):
        f.space(f.place(categories=("fablab", "food")))

    assert queries_for_list() == few <= 3


def test_the_list_filters_by_category_location_commune_text_and_status() -> None:
    fablab = f.place(
        name="Atelier du Port",
        categories=("fablab",),
        commune="Sète",
        postcode="34200",
        location_type=Place.LocationType.PERIPHERY,
    )
    rural = f.place(
        name="Grange",
        commune="Lodève",
        postcode="34700",
        location_type=Place.LocationType.RURAL,
        status=Place.Status.PROJECT,
        description="Une ancienne grange à rénover",
    )
    f.place(name="Bureau partagé", commune="Narbonne")

    def slugs(**params: str) -> set[str]:
        response = Client().get(f"{API}/places", params)
        assert response.status_code == 200
        return {item["slug"] for item in response.json()["items"]}

    assert slugs(category="fablab") == {fablab.slug}
    assert slugs(location_type="rural") == {rural.slug}
    assert slugs(commune="lodève") == {rural.slug}
    assert slugs(commune="NARBONNE") == {p.slug for p in Place.objects.filter(commune="Narbonne")}
    assert slugs(q="grange à") == {rural.slug}
    assert slugs(q="port") == {fablab.slug}
    assert slugs(status="project") == {rural.slug}
    assert slugs(category="fablab", status="project") == set()


def test_the_detail_shows_the_whole_sheet_with_osm_opening_hours() -> None:
    place = f.place(
        name="La Fabrique",
        latitude=Decimal("43.610769"),
        longitude=Decimal("3.876716"),
        siret=VALID_SIRET,
        investment_public_share=60,
        investment_private_share=40,
        programme=["Coworking", "Fablab"],
        categories=("fablab", "coworking"),
    )
    for day in range(5):
        OpeningHours.objects.create(place=place, weekday=day, opens=time(9), closes=time(18))
    OpeningHours.objects.create(place=place, weekday=5, opens=time(10), closes=time(13))
    OpeningException.objects.create(
        place=place, start_date=date(2099, 12, 24), end_date=date(2099, 12, 26), reason="Noël"
    )
    OpeningException.objects.create(
        place=place, start_date=date(2001, 1, 1), end_date=date(2001, 1, 2), reason="Passé"
    )
    TeamMember.objects.create(place=place, role="Coordinatrice", people=1, fte=Decimal("0.8"))
    space = f.space(place, name="Atelier bois", units=2)
    space.equipment.create(name="scie à ruban")

    response = Client().get(f"{API}/places/{place.slug}")

    assert response.status_code == 200
    sheet = response.json()
    assert sheet["name"] == "La Fabrique"
    assert sheet["country"] == "FR"
    assert sheet["latitude"] == pytest.approx(43.610769)
    assert sheet["siret"] == VALID_SIRET
    assert sheet["investment_public_share"] == 60
    assert sheet["programme"] == ["Coworking", "Fablab"]
    assert sorted(sheet["categories"]) == ["coworking", "fablab"]
    assert sheet["team"] == [{"role": "Coordinatrice", "people": 1, "fte": 0.8}]
    assert sheet["opening_hours"][0] == {"weekday": 0, "opens": "09:00:00", "closes": "18:00:00"}
    assert sheet["opening_hours_osm"] == "Mo-Fr 09:00-18:00; Sa 10:00-13:00; 2099 Dec 24-26 off"
    assert [e["reason"] for e in sheet["opening_exceptions"]] == ["Noël"]
    assert sheet["spaces"][0]["name"] == "Atelier bois"
    assert sheet["spaces"][0]["equipment"] == ["scie à ruban"]
    assert sheet["permissions"] == []


def test_the_detail_tells_a_coordinator_what_they_may_do() -> None:
    place = f.place()
    coordinator = f.coordinator(place)

    sheet = Client().get(f"{API}/places/{place.slug}", headers=bearer(coordinator)).json()

    assert "edit_sheet" in sheet["permissions"]


def test_an_unknown_place_or_space_is_a_404_with_a_detail() -> None:
    place = f.place()

    for url in (f"{API}/places/nowhere", f"{API}/places/{place.slug}/spaces/nothing"):
        response = Client().get(url)
        assert response.status_code == 404
        assert "detail" in response.json()


def test_the_openapi_document_is_served_and_lists_the_routes() -> None:
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "tierslieux API"
    assert {
        "/api/v1/places",
        "/api/v1/places/{slug}",
        "/api/v1/places/{slug}/spaces",
        "/api/v1/places/{slug}/spaces/{space_slug}",
    } <= set(document["paths"])
    assert set(document["paths"]["/api/v1/places/{slug}"]) == {"get", "patch"}
    assert "TokenAuth" in document["components"]["securitySchemes"]


def test_the_site_mounts_the_api_under_api_v1() -> None:
    url = reverse("api-v1:openapi-json")

    assert url == "/api/v1/openapi.json"


# --- Writing the sheet ----------------------------------------------------------------------


def test_a_coordinator_changes_the_surface_with_a_token_and_only_that() -> None:
    place = f.place(surface_m2=250, description="Avant")
    coordinator = f.coordinator(place)

    response = patch(
        Client(), f"{API}/places/{place.slug}", {"surface_m2": 320}, **bearer(coordinator)
    )

    assert response.status_code == 200, response.content
    assert response.json()["surface_m2"] == 320
    place.refresh_from_db()
    assert place.surface_m2 == 320
    assert place.description == "Avant"
    assert AuditEntry.objects.filter(action="place.update", actor=coordinator).exists()


def test_a_coordinator_changes_the_surface_with_the_session_and_a_csrf_token() -> None:
    place = f.place(surface_m2=250)
    client = Client(enforce_csrf_checks=True)
    client.force_login(f.coordinator(place))
    url = f"{API}/places/{place.slug}"

    without_token = patch(client, url, {"surface_m2": 400})
    csrf = get_random_string(32)
    client.cookies["csrftoken"] = csrf
    with_token = patch(client, url, {"surface_m2": 400}, **{"X-CSRFToken": csrf})

    assert without_token.status_code == 403
    assert with_token.status_code == 200, with_token.content
    place.refresh_from_db()
    assert place.surface_m2 == 400


def test_a_coordinator_replaces_the_categories_by_their_codes() -> None:
    place = f.place(categories=("coworking",))
    coordinator = f.coordinator(place)

    response = patch(
        Client(),
        f"{API}/places/{place.slug}",
        {"categories": ["fablab", "food"]},
        **bearer(coordinator),
    )

    assert response.status_code == 200
    assert set(place.categories.values_list("code", flat=True)) == {"fablab", "food"}


def test_an_anonymous_write_is_refused_with_401() -> None:
    place = f.place(surface_m2=250)
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


def test_the_coordinator_of_another_place_gets_403_and_nothing_changes() -> None:
    place = f.place(surface_m2=250)
    outsider = f.coordinator(f.place())

    response = patch(Client(), f"{API}/places/{place.slug}", {"surface_m2": 1}, **bearer(outsider))

    assert response.status_code == 403
    assert response.json()["detail"]
    place.refresh_from_db()
    assert place.surface_m2 == 250


def test_a_member_cannot_write_the_sheet_nor_the_spaces() -> None:
    place = f.place(surface_m2=250)
    space = f.space(place, units=1)
    auth = bearer(f.member(place))
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


def test_a_network_admin_creates_a_place() -> None:
    network = f.network()
    admin = f.network_admin(network)

    response = post(Client(), f"{API}/places", new_place_body(network.slug), **bearer(admin))

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "la-fabrique"
    place = Place.objects.get(slug="la-fabrique")
    assert place.network == network
    assert set(place.categories.values_list("code", flat=True)) == {"fablab", "coworking"}


def test_a_coordinator_cannot_create_a_place() -> None:
    place = f.place()

    response = post(
        Client(),
        f"{API}/places",
        new_place_body(place.network.slug),
        **bearer(f.coordinator(place)),
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


def test_a_taken_slug_is_a_422_on_slug() -> None:
    taken = f.place()
    place = f.place()

    response = patch(
        Client(),
        f"{API}/places/{place.slug}",
        {"slug": taken.slug},
        **bearer(f.coordinator(place)),
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


def test_errors_are_in_french_by_default_and_in_english_when_asked() -> None:
    place = f.place()
    taken = f.place()
    auth = bearer(f.coordinator(place))
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


# --- Spaces ---------------------------------------------------------------------------------


def test_a_coordinator_creates_changes_and_deletes_a_space() -> None:
    place = f.place()
    auth = bearer(f.coordinator(place))
    client = Client()
    spaces = f"{API}/places/{place.slug}/spaces"

    created = post(
        client,
        spaces,
        {"name": "Open space", "kind": "desk", "units": 8, "equipment": ["Wifi", "Écran "]},
        **auth,
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "open-space"
    assert sorted(created.json()["equipment"]) == ["wifi", "écran"]

    changed = patch(
        client, f"{spaces}/open-space", {"units": 10, "equipment": ["wifi", "imprimante"]}, **auth
    )
    assert changed.status_code == 200, changed.content
    space = Space.objects.get(place=place, slug="open-space")
    assert space.units == 10
    assert set(space.equipment.values_list("name", flat=True)) == {"wifi", "imprimante"}
    assert space.capacity == 1  # untouched

    listed = client.get(spaces).json()
    assert [s["slug"] for s in listed] == ["open-space"]

    deleted = client.delete(f"{spaces}/open-space", headers=auth)
    assert deleted.status_code == 204
    assert client.get(f"{spaces}/open-space").status_code == 404


def test_staff_edit_spaces_but_not_the_sheet() -> None:
    place = f.place()
    auth = bearer(f.staff(place))

    space = post(
        Client(),
        f"{API}/places/{place.slug}/spaces",
        {"name": "Atelier", "kind": "workshop"},
        **auth,
    )
    sheet = patch(Client(), f"{API}/places/{place.slug}", {"surface_m2": 1}, **auth)

    assert (space.status_code, sheet.status_code) == (201, 403)


def test_a_space_with_zero_units_is_a_422_and_stays_as_it_was() -> None:
    place = f.place()
    space = f.space(place, units=3)

    response = patch(
        Client(),
        f"{API}/places/{place.slug}/spaces/{space.slug}",
        {"units": 0},
        **bearer(f.coordinator(place)),
    )

    assert response.status_code == 422
    assert "units" in response.json()["errors"]
    space.refresh_from_db()
    assert space.units == 3


def test_a_space_cannot_be_reached_through_another_place() -> None:
    place = f.place()
    other = f.place()
    space = f.space(other)

    response = Client().delete(
        f"{API}/places/{place.slug}/spaces/{space.slug}", headers=bearer(f.coordinator(place))
    )

    assert response.status_code == 404
    assert Space.objects.filter(pk=space.pk).exists()
