"""Bounds a person would expect: two spaces of a place never share a name (whatever the
case), in the database too, with the name field named in the form, the service and the API;
descriptions, units and capacities have sane bounds, in the database too."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from tierslieux.accounts.services import create_api_token
from tierslieux.places import services
from tierslieux.places.bounds import LONG_TEXT, SHORT_TEXT
from tierslieux.places.models import Place, Space
from tierslieux.places.tests import factories as f


def test_a_space_name_taken_in_the_place_is_refused_on_the_name(place, coordinator, english):
    services.create_space(actor=coordinator, place=place, name="Salle Mistral", kind="other")
    with pytest.raises(ValidationError) as caught:
        services.create_space(
            actor=coordinator, place=place, name="salle MISTRAL", slug="autre", kind="other"
        )
    assert caught.value.message_dict == {
        "name": [
            "The place already has a space named “salle MISTRAL” (archived spaces included): "
            "choose another name."
        ]
    }
    assert Space.objects.filter(place=place).count() == 1


def test_another_place_may_use_the_same_name(place, coordinator, other_place, other_coordinator):
    services.create_space(actor=coordinator, place=place, name="Atelier", kind="other")
    services.create_space(actor=other_coordinator, place=other_place, name="Atelier", kind="other")


def test_renaming_onto_another_space_s_name_is_refused(place, coordinator):
    services.create_space(actor=coordinator, place=place, name="Atelier", kind="other")
    cellier = services.create_space(actor=coordinator, place=place, name="Cellier", kind="other")
    with pytest.raises(ValidationError) as caught:
        services.update_space(actor=coordinator, space=cellier, name="ATELIER")
    assert set(caught.value.message_dict) == {"name"}
    services.update_space(actor=coordinator, space=cellier, name="Cellier voûté")


def test_the_database_refuses_a_duplicate_name_written_behind_the_services(place):
    f.space(place, name="Salle A", slug="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.create(place=place, name="SALLE A", slug="b", kind="other")


def test_the_space_form_names_the_field(client, place, coordinator):
    f.space(place, name="Salle A", slug="a")
    client.force_login(coordinator)
    response = client.post(
        reverse("places:manage_space_new", args=[place.slug]),
        {"name": "salle a", "slug": "b", "kind": "other", "capacity": "1", "units": "1"},
    )
    assert response.status_code == 422
    assert [e.code for e in response.context["form"].errors.as_data()["name"]] == [
        "space_name_taken"
    ]


def test_the_api_names_the_field(place, coordinator):
    f.space(place, name="Salle A", slug="a")
    _token, raw = create_api_token(user=coordinator, name="t")
    response = Client(headers={"authorization": f"Bearer {raw}"}).post(
        f"/api/v1/places/{place.slug}/spaces",
        data=json.dumps({"name": "SALLE A", "kind": "other"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["name"]


def test_descriptions_have_a_bound_in_the_model_and_the_database(place, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.create_space(
            actor=coordinator, place=place, name="X", kind="other", description="x" * 2001
        )
    assert set(caught.value.message_dict) == {"description"}
    services.create_space(
        actor=coordinator, place=place, name="Y", kind="other", description="x" * SHORT_TEXT
    )
    with pytest.raises(ValidationError) as caught:
        services.update_place(actor=coordinator, place=place, description="x" * (LONG_TEXT + 1))
    assert set(caught.value.message_dict) == {"description"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.filter(pk=place.pk).update(description="x" * (LONG_TEXT + 1))


def test_units_and_capacity_have_a_bound_a_person_would_expect(place, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.create_space(
            actor=coordinator, place=place, name="Open space", kind="desk", units=1001
        )
    assert set(caught.value.message_dict) == {"units"}
    with pytest.raises(ValidationError) as caught:
        services.create_space(
            actor=coordinator, place=place, name="Jardin", kind="outdoor", capacity=10_001
        )
    assert set(caught.value.message_dict) == {"capacity"}
    with pytest.raises(IntegrityError), transaction.atomic():
        f.space(place, units=1001)
