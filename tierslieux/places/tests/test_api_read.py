"""The /api/v1/ places API, reading: the list, a place's sheet, the OpenAPI document."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.places.models import OpeningException, OpeningHours, Place, TeamMember
from tierslieux.places.tests import factories as f
from tierslieux.places.tests.api_support import API, VALID_SIRET, bearer

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


def test_the_detail_hides_exceptions_over_in_the_place_s_own_calendar(clock) -> None:
    from datetime import UTC, datetime

    place = f.place(timezone="Indian/Reunion")
    for day in (4, 5):
        OpeningException.objects.create(
            place=place, start_date=date(2031, 12, day), end_date=date(2031, 12, day)
        )
    # 21:30 UTC on the 4th: still the 4th in Paris, already the 5th in Réunion.
    clock.set(datetime(2031, 12, 4, 21, 30, tzinfo=UTC))

    sheet = Client().get(f"{API}/places/{place.slug}").json()

    assert [e["start_date"] for e in sheet["opening_exceptions"]] == ["2031-12-05"]
