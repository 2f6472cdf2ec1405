"""The /api/v1/ places API: a place's spaces, per persona."""

from django.test import Client

from tierslieux.places.models import Space
from tierslieux.places.tests import factories as f
from tierslieux.places.tests.api_support import API, bearer, patch, post

# --- Spaces ---------------------------------------------------------------------------------


def test_a_coordinator_creates_changes_and_deletes_a_space(place, coordinator) -> None:
    auth = bearer(coordinator)
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
    assert deleted.status_code == 200
    assert deleted.json()["result"] == "deleted"
    assert client.get(f"{spaces}/open-space").status_code == 404


def test_staff_edit_spaces_but_not_the_sheet(place, staff) -> None:
    auth = bearer(staff)

    space = post(
        Client(),
        f"{API}/places/{place.slug}/spaces",
        {"name": "Atelier", "kind": "workshop"},
        **auth,
    )
    sheet = patch(Client(), f"{API}/places/{place.slug}", {"surface_m2": 1}, **auth)

    assert (space.status_code, sheet.status_code) == (201, 403)


def test_a_space_with_zero_units_is_a_422_and_stays_as_it_was(place, coordinator) -> None:
    space = f.space(place, units=3)

    response = patch(
        Client(),
        f"{API}/places/{place.slug}/spaces/{space.slug}",
        {"units": 0},
        **bearer(coordinator),
    )

    assert response.status_code == 422
    assert "units" in response.json()["errors"]
    space.refresh_from_db()
    assert space.units == 3


def test_a_space_cannot_be_reached_through_another_place(place, coordinator, other_place) -> None:
    space = f.space(other_place)

    response = Client().delete(
        f"{API}/places/{place.slug}/spaces/{space.slug}", headers=bearer(coordinator)
    )

    assert response.status_code == 404
    assert Space.objects.filter(pk=space.pk).exists()
