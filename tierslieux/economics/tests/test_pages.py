"""The scenario pages: who opens what (a place's scenarios hold its finances; a network's are
its administrators'), the drivers recomputing the verdict, bad input answered 422 naming the
field, the advanced TOML edit, compare, archive asking first."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tierslieux.economics import services
from tierslieux.economics.models import Scenario
from tierslieux.places.models import NetworkRole
from tierslieux.places.tests import factories as pf


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Two places of two networks, their people and scenarios: built once for the module,
    rolled back at its end (each test runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        place, other = pf.place(), pf.place()
        coordinator = pf.coordinator(place)
        admin = pf.user()
        NetworkRole.objects.create(network=place.network, person=admin.person)
        other_coordinator = pf.coordinator(other)
        built = {
            "place": place,
            "coordinator": coordinator,
            "staff": pf.staff(place),
            "member": pf.member(place),
            "admin": admin,
            "other_coordinator": other_coordinator,
            "scenario": services.create_from_template(
                actor=coordinator,
                place=place,
                template="micro-centre:typical",
                name="Plan A",
                start="2027-01",
            ),
            "project": services.create_from_template(
                actor=admin,
                network=place.network,
                template="micro-centre:rural",
                project="Tiers-lieu de Felletin (projet)",
            ),
            "other_scenario": services.create_from_template(
                actor=other_coordinator, place=other, template="micro-centre:low"
            ),
        }
        yield {name: (type(row), row.pk) for name, row in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def w(_world: Any) -> dict[str, Any]:
    return {name: model.objects.get(pk=pk) for name, (model, pk) in _world.items()}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def base(w: dict[str, Any]) -> str:
    return f"/manage/{w['place'].slug}/economics/"


def test_who_opens_a_place_s_scenarios(w: dict[str, Any]) -> None:
    pages = ["", f"{w['scenario'].pk}/", "new/", f"{w['scenario'].pk}/advanced/"]
    coordinator = client_for(w["coordinator"])
    for page in pages:
        assert coordinator.get(base(w) + page).status_code == 200, page
    listed = coordinator.get(base(w)).content.decode()
    assert "Plan A" in listed and "mois 10 (octobre 2027)" in listed and "fragile" in listed
    assert "Felletin" not in listed and f'href="{base(w)}"' in listed  # its tab in the nav
    for who in ("staff", "member", "other_coordinator", "admin"):
        assert client_for(w[who]).get(base(w)).status_code == 403, who
    assert Client().get(base(w)).status_code == 302  # to the login page
    # Another place's scenario, or the network's, is not found under this place.
    for other in ("other_scenario", "project"):
        assert coordinator.get(f"{base(w)}{w[other].pk}/").status_code == 404
    assert coordinator.get(f"{base(w)}{'9' * 30}/").status_code == 404
    pf.network_grant(w["place"])  # the place lets its network read its finances
    admin = client_for(w["admin"])
    assert admin.get(f"{base(w)}{w['scenario'].pk}/").status_code == 200


def test_a_network_s_projects(w: dict[str, Any]) -> None:
    url = f"/network/{w['place'].network.slug}/economics/"
    admin = client_for(w["admin"])
    listed = admin.get(url)
    assert listed.status_code == 200
    assert "Tiers-lieu de Felletin (projet)" in listed.content.decode()
    assert admin.get(f"{url}{w['project'].pk}/").status_code == 200
    assert admin.get(f"{url}{w['scenario'].pk}/").status_code == 404  # a place's, not its own
    assert client_for(w["coordinator"]).get(url).status_code == 403
    created = admin.post(f"{url}new/", {"template": "micro-centre:urban", "name": "Ville"})
    assert created.status_code == 302
    assert Scenario.objects.get(name="Ville").network == w["place"].network


def test_new_shows_the_templates_assumptions(w: dict[str, Any]) -> None:
    page = client_for(w["coordinator"]).get(base(w) + "new/").content.decode()
    # The seed's words, the source of the rent, quoted in French.
    assert "«\u00a0Loyer/charges\u00a0: 1800-3000€ (selon localisation)\u00a0»" in page
    bad = client_for(w["coordinator"]).post(base(w) + "new/", {"template": "nope"})
    assert bad.status_code == 422


def test_drivers_recompute_and_name_bad_fields(w: dict[str, Any]) -> None:
    coordinator, url = client_for(w["coordinator"]), f"{base(w)}{w['scenario'].pk}/"
    page = coordinator.get(url)
    form = page.context["form"]
    before = page.context["report"].projection.break_even_month
    posted = {name: form[name].value() for name in form.fields}
    posted["fixed_costs_0_monthly"] = "3400"
    assert coordinator.post(url, posted).status_code == 302
    after = coordinator.get(url).context["report"].projection.break_even_month
    assert after is None or after > before
    w["scenario"].refresh_from_db()  # shown to the cent, left as shown: kept exact
    assert w["scenario"].data["staff"][0]["monthly_cost"] == 4_000 / 1.5
    assert w["scenario"].data["fixed_costs"][0]["monthly"] == 3_400
    posted |= {"revenue_0_occupancy": "120", "revenue_2_price": "-5"}
    refused = coordinator.post(url, posted)
    assert refused.status_code == 422
    errors = refused.context["form"].errors
    assert set(errors) == {"revenue_0_occupancy", "revenue_2_price"}
    posted |= {"revenue_0_occupancy": "soixante", "revenue_2_price": "1e309"}
    assert set(coordinator.post(url, posted).context["form"].errors) == {
        "revenue_0_occupancy", "revenue_2_price",
    }  # fmt: skip
    w["scenario"].refresh_from_db()
    assert w["scenario"].data["revenue"][0]["occupancy"] == 70


def test_the_opening_month_and_the_horizon_move(w: dict[str, Any]) -> None:
    coordinator, url = client_for(w["coordinator"]), f"{base(w)}{w['scenario'].pk}/"
    form = coordinator.get(url).context["form"]
    posted = {name: form[name].value() for name in form.fields}
    assert posted["start"] == "2027-01" and posted["horizon"] == 60
    refused = coordinator.post(url, posted | {"start": "2027-13", "horizon": "72"})
    assert refused.status_code == 422
    assert set(refused.context["form"].errors) == {"start", "horizon"}
    assert coordinator.post(url, posted | {"start": "2027-04"}).status_code == 302
    page = coordinator.get(url).content.decode()
    assert "mois 10 (janvier 2028)" in page  # the same month 10, three months later


def test_advanced_edit(w: dict[str, Any]) -> None:
    coordinator, url = client_for(w["coordinator"]), f"{base(w)}{w['scenario'].pk}/advanced/"
    text = coordinator.get(url).context["form"]["text"].value()
    assert 'name = "Plan A"' in text
    not_toml = coordinator.post(url, {"text": "name = ", "project": ""})
    assert not_toml.status_code == 422 and "text" in not_toml.context["form"].errors
    bad = coordinator.post(url, {"text": text.replace("months = 60", "months = 90", 1)})
    assert bad.status_code == 422
    assert "loans[0].months" in bad.content.decode()
    nul = coordinator.post(url, {"text": text.replace('"Coworking"', '"Co\\u0000working"')})
    assert nul.status_code == 422 and "revenue[0].label" in nul.content.decode()
    saved = coordinator.post(url, {"text": text.replace("Plan A", "Plan A bis"), "project": "P"})
    assert saved.status_code == 302
    w["scenario"].refresh_from_db()
    assert (w["scenario"].name, w["scenario"].project) == ("Plan A bis", "P")


def test_compare_duplicate_archive(w: dict[str, Any]) -> None:
    coordinator, pk = client_for(w["coordinator"]), w["scenario"].pk
    copied = coordinator.post(f"{base(w)}{pk}/duplicate/", {"name": "Plan B"})
    copy_pk = Scenario.objects.get(name="Plan B").pk
    assert copied["Location"].endswith(f"/{copy_pk}/")
    too_long = coordinator.post(f"{base(w)}{pk}/duplicate/", {"name": "x" * 201})
    assert too_long.status_code == 422 and "name" in too_long.context["form"].errors
    both = coordinator.get(f"{base(w)}compare/?s={pk}&s={copy_pk}")
    assert both.status_code == 200 and both.content.decode().count("<polyline") == 2
    assert coordinator.get(f"{base(w)}compare/?s={pk}").status_code == 422
    foreign = w["other_scenario"].pk
    assert coordinator.get(f"{base(w)}compare/?s={pk}&s={foreign}").status_code == 422
    assert coordinator.get(f"{base(w)}compare/?s=x&s=99999999999999").status_code == 422
    asked = coordinator.get(f"{base(w)}{pk}/archive/")
    assert asked.status_code == 200 and not Scenario.objects.get(pk=pk).archived
    assert coordinator.post(f"{base(w)}{pk}/archive/").status_code == 302
    assert Scenario.objects.get(pk=pk).archived


def test_a_scenario_that_no_longer_reads_sends_to_the_advanced_edit(w: dict[str, Any]) -> None:
    """A rule of the reading made stricter after a scenario was saved: no page crashes."""
    Scenario.objects.filter(pk=w["scenario"].pk).update(data={"name": "Plan A", "horizon": 99})
    coordinator, url = client_for(w["coordinator"]), f"{base(w)}{w['scenario'].pk}/"
    for suffix in ("", "scenario.xlsx", "summary.pdf"):
        assert coordinator.get(url + suffix)["Location"] == url + "advanced/"
    assert "horizon" in coordinator.get(url + "advanced/").content.decode()
    assert coordinator.get(base(w)).status_code == 200
    other = services.create_from_template(
        actor=w["coordinator"], place=w["place"], template="micro-centre:high"
    )
    mixed = coordinator.get(f"{base(w)}compare/?s={w['scenario'].pk}&s={other.pk}")
    assert mixed.status_code == 422 and "ne se lit plus" in mixed.content.decode()


def test_in_english(w: dict[str, Any]) -> None:
    reader = pf.with_role(pf.user(language="en"), w["place"], "coordinator")
    page = client_for(reader).get(f"{base(w)}{w['scenario'].pk}/").content.decode()
    assert "The place is fragile" in page and "month 10 (October 2027)" in page
    assert "Rent and charges" in page and "Recompute" in page
