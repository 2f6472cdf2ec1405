"""A place counted by several networks, and its identifiers in other registers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tierslieux.core.models import AuditEntry
from tierslieux.places import access, membership_services, services
from tierslieux.places.access import Perm
from tierslieux.places.models import ExternalId, NetworkMembership, Place
from tierslieux.places.queries import in_network
from tierslieux.places.tests import factories as f


@pytest.fixture
def regional() -> Any:
    return f.network(name="Réseau régional", slug="regional")


@pytest.fixture
def regional_admin(regional: Any) -> Any:
    return f.network_admin(regional)


def test_a_new_place_is_a_member_of_its_home_network_with_its_source(network_admin, place):
    created = services.create_place(
        actor=network_admin,
        network=place.network,
        source="import",
        source_name="bdtfl-2026",
        name="La Grange",
        status="project",
        postcode="11000",
        commune="Carcassonne",
        location_type="rural",
        legal_form="association",
    )
    membership = NetworkMembership.objects.get(place=created)
    assert (membership.network, membership.source, membership.source_name) == (
        place.network,
        "import",
        "bdtfl-2026",
    )


def test_a_network_counts_its_own_places_and_its_members_once(place, regional, regional_admin):
    own = f.place(network=regional, name="Chez nous")
    assert set(Place.objects.filter(in_network(regional))) == {own}
    membership_services.add_to_network(actor=regional_admin, network=regional, place=place)
    membership_services.add_to_network(actor=regional_admin, network=regional, place=place)
    assert list(Place.objects.filter(in_network(regional)).order_by("name")) == [own, place]
    assert list(Place.objects.filter(in_network("regional")).order_by("name")) == [own, place]
    assert list(Place.objects.filter(in_network(place.network))) == [place]
    assert AuditEntry.objects.filter(action="network_membership.add").count() == 1


def test_counting_a_place_opens_nothing_of_it(place, regional, regional_admin):
    membership_services.add_to_network(actor=regional_admin, network=regional, place=place)
    for perm in Perm:
        assert not access.has_perm(regional_admin, place, perm), perm
    assert place not in access.places_for(regional_admin, Perm.VIEW_FIGURES)


def test_only_the_networks_administrators_count_a_place(place, regional, network_admin):
    with pytest.raises(PermissionDenied):
        membership_services.add_to_network(actor=network_admin, network=regional, place=place)
    assert not NetworkMembership.objects.filter(network=regional).exists()


def test_a_place_never_leaves_its_home_network(place, network_admin, regional, regional_admin):
    with pytest.raises(ValidationError) as refused:
        membership_services.remove_from_network(
            actor=network_admin, network=place.network, place=place
        )
    assert refused.value.code == "home_network"
    membership_services.add_to_network(actor=regional_admin, network=regional, place=place)
    membership_services.remove_from_network(actor=regional_admin, network=regional, place=place)
    assert not Place.objects.filter(in_network(regional)).exists()
    assert AuditEntry.objects.filter(action="network_membership.remove").count() == 1


def test_one_membership_per_network_in_the_database(place):
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkMembership.objects.create(network=place.network, place=place, source="team")


def test_an_identifier_belongs_to_one_place(coordinator, place, network_admin):
    other = f.place(network=place.network, name="Le Double")
    membership_services.set_external_id(actor=coordinator, place=place, scheme="bdtfl", value="TL1")
    with pytest.raises(ValidationError) as refused:
        membership_services.set_external_id(
            actor=network_admin, place=other, scheme="bdtfl", value=" TL1 "
        )
    assert refused.value.code == "external_id_taken"
    assert refused.value.params["place"] == place.name
    with pytest.raises(IntegrityError), transaction.atomic():
        ExternalId.objects.create(place=other, scheme="bdtfl", value="TL1")


def test_an_empty_identifier_forgets_it_and_all_are_saved_or_none(coordinator, place):
    membership_services.set_external_id(actor=coordinator, place=place, scheme="bdtfl", value="A")
    other = f.place(network=place.network)
    ExternalId.objects.create(place=other, scheme="movilab", value="https://movilab.org/wiki/X")
    with pytest.raises(ValidationError):
        membership_services.set_external_ids(
            actor=coordinator,
            place=place,
            values={"bdtfl": "B", "movilab": "https://movilab.org/wiki/X"},
        )
    assert ExternalId.objects.get(place=place).value == "A"  # "B" rolled back
    membership_services.set_external_id(actor=coordinator, place=place, scheme="bdtfl", value="")
    assert not ExternalId.objects.filter(place=place).exists()


def test_staff_may_not_change_identifiers(place):
    with pytest.raises(PermissionDenied):
        membership_services.set_external_id(
            actor=f.staff(place), place=place, scheme="bdtfl", value="X"
        )
