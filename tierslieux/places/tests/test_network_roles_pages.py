"""The pages of the network's roles: the place's consent (its coordinator only, audited,
revocable), the network's observers (added by e-mail, removed after a question), and what an
observer reaches: the network's list and each place's figures, nothing else."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tierslieux.accounts.models import Person
from tierslieux.core.models import AuditEntry
from tierslieux.places.models import NetworkGrant, NetworkRole, Place
from tierslieux.places.tests import factories as f

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def network_observer(place: Place) -> Any:
    return f.network_observer(place.network)


def _access(place: Place, change: bool = False) -> str:
    name = "places:manage_network_access_change" if change else "places:manage_network_access"
    return reverse(name, kwargs={"slug": place.slug})


def _observers(place: Place) -> str:
    return reverse("places:network_observers", kwargs={"network_slug": place.network.slug})


# --- The place's consent --------------------------------------------------------------------


def test_the_coordinator_grants_then_revokes_and_both_are_audited(
    client: Any, place: Place, coordinator: Any, network_admin: Any, clock: Any
) -> None:
    clock.set(datetime(2027, 3, 1, 14, 30, tzinfo=PARIS))
    client.force_login(coordinator)
    page = client.get(_access(place)).content.decode()
    assert "Le réseau ne voit que nos chiffres agrégés." in page
    assert client.post(_access(place, True), {"grant": "1"}).status_code == 302
    grant = NetworkGrant.objects.get(place=place)
    assert (grant.network_id, grant.granted_by) == (place.network_id, coordinator.person)
    page = client.get(_access(place)).content.decode()
    assert "Le réseau peut consulter nos données de gestion." in page
    assert "1er mars 2027" in page and str(coordinator.person) in page
    client.force_login(network_admin)
    billing = reverse("billing_manage:customers", args=[place.slug])
    assert client.get(billing).status_code == 200
    client.force_login(coordinator)
    client.post(_access(place, True), {"grant": "0"})
    assert not NetworkGrant.objects.exists()
    actions = list(
        AuditEntry.objects.filter(place_id=place.pk, action__startswith="network_grant.")
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("network_grant.grant", coordinator.pk),
        ("network_grant.revoke", coordinator.pk),
    ]
    client.force_login(network_admin)
    assert client.get(billing).status_code == 403


@pytest.mark.parametrize("persona", ["staff", "network_admin", "network_observer", "member"])
def test_only_the_coordinator_decides(
    client: Any, place: Place, persona: str, request: Any
) -> None:
    f.network_grant(place)  # even a granted administrator cannot widen or keep it himself
    client.force_login(request.getfixturevalue(persona))
    for value in ("0", "1"):
        assert client.post(_access(place, True), {"grant": value}).status_code == 403
    assert NetworkGrant.objects.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="network_grant.").exists()


def test_the_network_administrator_reads_the_state_but_is_offered_no_button(
    client: Any, place: Place, network_admin: Any
) -> None:
    client.force_login(network_admin)
    page = client.get(_access(place)).content.decode()
    assert "Seule la personne coordinatrice du lieu en décide." in page
    assert 'name="grant"' not in page


# --- The network's observers ----------------------------------------------------------------


def test_an_administrator_adds_an_existing_person_by_email(
    client: Any, place: Place, network_admin: Any
) -> None:
    someone = f.user()
    client.force_login(network_admin)
    response = client.post(_observers(place), {"email": someone.email.upper()})
    assert response.status_code == 302
    role = NetworkRole.objects.get(person=someone.person)
    assert (role.network_id, role.role) == (place.network_id, NetworkRole.Role.OBSERVER)
    assert AuditEntry.objects.filter(action="network_role.grant", actor=network_admin).exists()
    assert str(someone.person) in client.get(_observers(place)).content.decode()


def test_a_newcomer_needs_names_then_is_created(
    client: Any, place: Place, network_admin: Any
) -> None:
    client.force_login(network_admin)
    response = client.post(_observers(place), {"email": "elu@example.org"})
    assert response.status_code == 422
    assert "first_name" in response.context["form"].errors
    assert not Person.objects.filter(email="elu@example.org").exists()
    data = {"email": "elu@example.org", "first_name": "Élise", "last_name": "Durand"}
    assert client.post(_observers(place), data).status_code == 302
    person = Person.objects.get(email="elu@example.org")
    assert NetworkRole.objects.filter(person=person, role="observer").exists()


def test_bad_input_is_named(client: Any, place: Place, network_admin: Any) -> None:
    client.force_login(network_admin)
    response = client.post(_observers(place), {"email": "pas-un-courriel"})
    assert response.status_code == 422
    assert "email" in response.context["form"].errors


def test_removing_an_observer_asks_first(
    client: Any, place: Place, network_admin: Any, network_observer: Any
) -> None:
    role = NetworkRole.objects.get(person=network_observer.person)
    url = reverse("places:network_observer_remove", args=[place.network.slug, role.pk])
    client.force_login(network_admin)
    assert client.get(url).status_code == 200
    assert NetworkRole.objects.filter(pk=role.pk).exists()
    assert client.post(url).status_code == 302
    assert not NetworkRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action="network_role.revoke").exists()
    admin_role = NetworkRole.objects.get(person=network_admin.person)
    other = reverse("places:network_observer_remove", args=[place.network.slug, admin_role.pk])
    assert client.post(other).status_code == 404  # this page removes observers only


@pytest.mark.parametrize("persona", ["network_observer", "coordinator", "other_coordinator"])
def test_only_administrators_manage_the_roles(
    client: Any, place: Place, persona: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.post(_observers(place), {"email": "x@example.org"}).status_code == 403
    assert not NetworkRole.objects.filter(person__email="x@example.org").exists()


# --- What an observer reaches ---------------------------------------------------------------


def test_an_observer_reads_the_list_and_each_places_figures_only(
    client: Any, place: Place, network_observer: Any
) -> None:
    client.force_login(network_observer)
    listing = client.get(
        reverse("places:network_places", kwargs={"network_slug": place.network.slug})
    )
    assert listing.status_code == 200
    page = listing.content.decode()
    activity = reverse("activity_manage:overview", args=[place.slug])
    assert activity in page
    assert reverse("places:network_place_new", args=[place.network.slug]) not in page
    assert f'href="{reverse("places:manage", args=[place.slug])}"' not in page
    assert client.get(activity).status_code == 200
    assert client.get(reverse("revenue:dashboard", args=[place.slug])).status_code == 200
    assert client.get(f"/api/v1/activity/{place.slug}").status_code == 200
    for name in ("places:manage", "places:manage_people", "billing_manage:customers"):
        assert client.get(reverse(name, args=[place.slug])).status_code == 403, name
    new = reverse("places:network_place_new", args=[place.network.slug])
    assert client.get(new).status_code == 403
    other = f.place()
    assert client.get(reverse("activity_manage:overview", args=[other.slug])).status_code == 403
