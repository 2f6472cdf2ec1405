"""The scenarios' writers: created from a template, drivers and whole data changed,
duplicated, archived; each audited; bad data refused by field path, nothing written; the
database holds one owner per scenario."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tierslieux.core.models import AuditEntry
from tierslieux.economics import services, templates_model
from tierslieux.economics.models import Scenario
from tierslieux.places.tests import factories as pf


@pytest.fixture
def scenario(place: Any, coordinator: Any) -> Scenario:
    return services.create_from_template(
        actor=coordinator, place=place, template="micro-centre:typical", name="Plan A"
    )


def test_created_from_a_template_and_audited(scenario: Scenario, coordinator: Any) -> None:
    # It opens next month by default, in the place's time zone: a plan starts from what lies
    # ahead, whatever the template was written with.
    assert scenario.data == {
        **templates_model.template("micro-centre:typical")[0],
        "name": "Plan A",
        "start": services.next_month(scenario.place),
    }
    assert scenario.created_by == coordinator and scenario.template == "micro-centre:typical"
    entry = AuditEntry.objects.get(action="economics.scenario.create")
    assert entry.object_id == str(scenario.pk) and entry.place_id == scenario.place_id


def test_next_month_and_a_chosen_opening(place: Any, coordinator: Any, clock: Any) -> None:
    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Europe/Paris")))
    assert services.next_month(place) == "2027-01"
    clock.set(datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Paris")))
    assert services.next_month(place) == "2027-02"
    chosen = services.create_from_template(
        actor=coordinator, place=place, template="micro-centre:low", start="2027-04"
    )
    assert chosen.data["start"] == "2027-04"
    with pytest.raises(ValidationError) as refused:
        services.create_from_template(
            actor=coordinator, place=place, template="micro-centre:low", start="2027-13"
        )
    assert "start" in refused.value.message_dict


def test_a_network_project_and_its_owner_rule(place: Any) -> None:
    admin = pf.network_admin(place.network)
    project = services.create_from_template(
        actor=admin, network=place.network, template="micro-centre:rural",
        project="Tiers-lieu de Felletin (projet)",
    )  # fmt: skip
    assert project.name == "Micro-centre (rural)" and project.place is None
    with pytest.raises(ValidationError):
        services.create_from_template(actor=admin, template="micro-centre:typical")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Scenario.objects.create(place=place, network=place.network, name="x", data={})


def test_who_may_write(place: Any, staff: Any, network_admin: Any) -> None:
    for user in (staff, network_admin):
        with pytest.raises(PermissionDenied):
            services.create_from_template(actor=user, place=place, template="micro-centre:low")
    pf.network_grant(place)
    granted = type(place).objects.get(pk=place.pk)  # the grant is memoised on the object
    created = services.create_from_template(
        actor=network_admin, place=granted, template="micro-centre:low"
    )
    assert created.place == place


def test_drivers_change_and_refuse_by_path(scenario: Scenario, coordinator: Any) -> None:
    services.change_drivers(
        actor=coordinator, scenario=scenario, values={"fixed_costs[0].monthly": 2_600}
    )
    scenario.refresh_from_db()
    assert scenario.data["fixed_costs"][0]["monthly"] == 2_600
    before = copy.deepcopy(scenario.data)
    with pytest.raises(ValidationError) as refused:
        services.change_drivers(
            actor=coordinator, scenario=scenario,
            values={"revenue[0].occupancy": 120, "revenue[2].price": -5, "grants[2].end": 0},
        )  # fmt: skip
    assert set(refused.value.error_dict) >= {
        "revenue[0].occupancy", "revenue[2].price", "grants[2].end",
    }  # fmt: skip
    with pytest.raises(ValidationError) as unknown:
        services.change_drivers(actor=coordinator, scenario=scenario, values={"revenue[99].x": 1})
    assert "revenue[99].x" in unknown.value.error_dict
    scenario.refresh_from_db()
    assert scenario.data == before
    assert AuditEntry.objects.filter(action="economics.scenario.drivers").count() == 1


def test_whole_data_duplicate_and_archive(scenario: Scenario, coordinator: Any) -> None:
    data = copy.deepcopy(scenario.data)
    data["name"] = "Plan B"
    data["loans"][0]["months"] = 90
    with pytest.raises(ValidationError) as refused:
        services.change_data(actor=coordinator, scenario=scenario, data=data)
    assert "loans[0].months" in refused.value.error_dict
    data["loans"][0]["months"] = 48
    services.change_data(actor=coordinator, scenario=scenario, data=data, project="Projet")
    scenario.refresh_from_db()
    assert (scenario.name, scenario.project) == ("Plan B", "Projet")
    copy_ = services.duplicate(actor=coordinator, scenario=scenario)
    assert copy_.name == "Plan B (copie)" and copy_.data["loans"][0]["months"] == 48
    services.archive(actor=coordinator, scenario=scenario)
    assert Scenario.objects.get(pk=scenario.pk).archived
    with pytest.raises(ValidationError):
        services.archive(actor=coordinator, scenario=scenario)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"economics.scenario.data", "economics.scenario.duplicate",
            "economics.scenario.archive"} <= actions  # fmt: skip


def test_a_control_character_is_refused_by_its_path(scenario: Scenario, coordinator: Any) -> None:
    data = copy.deepcopy(scenario.data)
    data["revenue"][1]["label"] = "Pass\x00jour"  # PostgreSQL's JSON refuses a NUL
    data["grants"][0]["funder"] = "Commune\tde Felletin"
    with pytest.raises(ValidationError) as refused:
        services.change_data(actor=coordinator, scenario=scenario, data=data)
    assert {"revenue[1].label", "grants[0].funder"} <= set(refused.value.error_dict)
    with pytest.raises(ValidationError) as not_a_table:
        services.change_data(actor=coordinator, scenario=scenario, data=[1, 2])
    assert not_a_table.value.error_dict
