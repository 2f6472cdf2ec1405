"""A network's project handed over to the place it became: the place's team gets a copy of
the plan among its scenarios; the network keeps its own, marked; nobody writes into a place's
finances the place has not opened to the network."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from tierslieux.core.models import AuditEntry
from tierslieux.economics import services
from tierslieux.economics.models import Scenario
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf


@pytest.fixture
def project(place: Any) -> dict[str, Any]:
    """A network that modelled « Le Plateau partagé » before it had a building, and the place
    in project the network then opened (granted: its coordinator let the network in)."""
    admin = pf.network_admin(place.network)
    plan = services.create_from_template(
        actor=admin, network=place.network, template="micro-centre:rural",
        name="Plateau, hypothèse rurale", project="Le Plateau partagé (Felletin)",
        start="2027-04",
    )  # fmt: skip
    became = pf.place(network=place.network, name="Le Plateau partagé", status="project")
    pf.network_grant(became)
    return {"admin": admin, "plan": plan, "place": Place.objects.get(pk=became.pk)}


def test_the_place_gets_a_copy_and_the_network_keeps_its_plan(
    project: dict[str, Any], english: None
) -> None:
    admin, plan, place = project["admin"], project["plan"], project["place"]
    copy_ = services.hand_over(actor=admin, scenario=plan, place=place)
    assert copy_.place == place and copy_.network is None
    assert (copy_.name, copy_.project, copy_.data) == (plan.name, plan.project, plan.data)
    plan.refresh_from_db()
    assert plan.handed_to == place and plan.handed_at is not None and plan.network is not None
    entry = AuditEntry.objects.get(action="economics.scenario.hand_over")
    assert entry.place_id == place.pk and entry.changes["from"] == plan.pk
    # Handed once: a second time is refused, nothing more written.
    with pytest.raises(ValidationError, match="already handed over to Le Plateau partagé"):
        services.hand_over(actor=admin, scenario=plan, place=place)
    assert Scenario.objects.filter(place=place).count() == 1


def test_refusals(project: dict[str, Any], place: Any, coordinator: Any, english: None) -> None:
    admin, plan = project["admin"], project["plan"]
    closed = pf.place(network=place.network, name="La Gare fermée")  # no grant
    with pytest.raises(ValidationError, match="has not opened its finances to the network"):
        services.hand_over(actor=admin, scenario=plan, place=closed)
    elsewhere = pf.place(name="Ailleurs")  # another network's
    pf.network_grant(elsewhere)
    with pytest.raises(ValidationError, match="is not a place of this network"):
        services.hand_over(actor=admin, scenario=plan, place=elsewhere)
    own = services.create_from_template(actor=coordinator, place=place, template="micro-centre:low")
    with pytest.raises(ValidationError, match="Only a network's project scenario"):
        services.hand_over(actor=coordinator, scenario=own, place=place)
    with pytest.raises(PermissionDenied):  # a place's coordinator is no network administrator
        services.hand_over(actor=coordinator, scenario=plan, place=place)
    plan.refresh_from_db()
    assert plan.handed_to is None and not Scenario.objects.filter(place=closed).exists()
    # The database refuses a place's own scenario marked as handed over.
    own.handed_to = place
    with transaction.atomic(), pytest.raises(IntegrityError):
        own.save()


def test_the_pages(project: dict[str, Any], place: Any, coordinator: Any) -> None:
    admin, plan, became = project["admin"], project["plan"], project["place"]
    client = Client()
    client.force_login(admin)
    url = f"/network/{place.network.slug}/economics/{plan.pk}/hand-over/"
    page = client.get(url)
    assert page.status_code == 200
    choices = [str(p) for p in page.context["form"].fields["place"].queryset]
    assert choices[0] == "Le Plateau partagé"  # the places in project first
    closed = pf.place(network=place.network, name="La Gare fermée")
    refused = client.post(url, {"place": closed.pk})
    assert refused.status_code == 422
    assert "n’a pas ouvert ses finances au réseau" in str(refused.context["form"].errors["place"])
    done = client.post(url, {"place": became.pk})
    copy_ = Scenario.objects.get(place=became)
    assert done.status_code == 302
    assert done["Location"] == f"/manage/{became.slug}/economics/{copy_.pk}/"
    listed = client.get(f"/network/{place.network.slug}/economics/").content.decode()
    assert "transmis à Le Plateau partagé" in listed
    # Not a network's page for a place's scenarios, nor for a place's team.
    team = Client()
    team.force_login(coordinator)
    assert team.get(url).status_code == 403
    assert team.get(f"/manage/{place.slug}/economics/{plan.pk}/hand-over/").status_code == 404
