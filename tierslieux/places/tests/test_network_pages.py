"""A network administrator opens a new place from the site, without the Django admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tierslieux.accounts.models import Person
from tierslieux.core.models import AuditEntry
from tierslieux.places.models import Place, PlaceRole


def _new_url(place: Place) -> str:
    return reverse("places:network_place_new", kwargs={"network_slug": place.network.slug})


def _list_url(place: Place) -> str:
    return reverse("places:network_places", kwargs={"network_slug": place.network.slug})


FIELDS = {
    "name": "La Ruche de Quimper",
    "status": "open",
    "postcode": "29000",
    "commune": "Quimper",
    "country": "FR",
    "location_type": "rural",
    "legal_form": "association",
}


@pytest.fixture
def admin_client(client: Any, network_admin: Any) -> Any:
    client.force_login(network_admin)
    return client


def test_the_network_admin_sees_the_networks_places(admin_client: Any, place: Place) -> None:
    page = admin_client.get(_list_url(place))
    assert page.status_code == 200
    assert place.name in page.content.decode()
    assert _new_url(place) in page.content.decode()


def test_opening_a_place_with_its_first_coordinator(admin_client: Any, place: Place) -> None:
    data = {
        **FIELDS,
        "categories": ["coworking"],
        "coordinator_first_name": "Maëlle",
        "coordinator_last_name": "Le Gall",
        "coordinator_email": "maelle@example.org",
    }
    response = admin_client.post(_new_url(place), data)
    new = Place.objects.get(name="La Ruche de Quimper")
    assert response.status_code == 302
    assert response["Location"] == reverse("places:manage_sheet", kwargs={"slug": new.slug})
    assert new.network_id == place.network_id
    assert new.slug == "la-ruche-de-quimper"
    role = PlaceRole.objects.get(place=new)
    assert role.role == PlaceRole.Role.COORDINATOR
    assert role.person.email == "maelle@example.org"
    assert AuditEntry.objects.filter(action="place.create", place_id=new.pk).exists()


def test_a_half_named_coordinator_is_refused_and_nothing_is_created(
    admin_client: Any, place: Place
) -> None:
    response = admin_client.post(_new_url(place), {**FIELDS, "coordinator_first_name": "Maëlle"})
    assert response.status_code == 422
    assert "coordinator_email" in response.context["form"].errors
    assert not Place.objects.filter(name=FIELDS["name"]).exists()


def test_a_taken_slug_is_refused_with_the_field_named(admin_client: Any, place: Place) -> None:
    response = admin_client.post(_new_url(place), {**FIELDS, "slug": place.slug})
    assert response.status_code == 422
    assert "slug" in response.context["form"].errors
    assert Place.objects.filter(slug=place.slug).count() == 1


def test_a_failing_coordinator_leaves_no_place_behind(admin_client: Any, place: Place) -> None:
    people = Person.objects.count()
    response = admin_client.post(
        _new_url(place),
        {
            **FIELDS,
            "coordinator_first_name": "Maëlle\nLe Gall",
            "coordinator_last_name": "Le Gall",
            "coordinator_email": "maelle@example.org",
        },
    )
    assert response.status_code == 422
    assert not Place.objects.filter(name=FIELDS["name"]).exists()
    assert "coordinator_first_name" in response.context["form"].errors
    assert Person.objects.count() == people


@pytest.mark.parametrize("persona", ["coordinator", "member", "other_coordinator"])
def test_only_the_networks_administrators_open_places(
    client: Any, place: Place, persona: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_list_url(place)).status_code == 403
    assert client.post(_new_url(place), FIELDS).status_code == 403
    assert not Place.objects.filter(name=FIELDS["name"]).exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client: Any, place: Place) -> None:
    response = client.get(_new_url(place))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_network_is_a_404(admin_client: Any) -> None:
    url = reverse("places:network_places", kwargs={"network_slug": "nowhere"})
    assert admin_client.get(url).status_code == 404
