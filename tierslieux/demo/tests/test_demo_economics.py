"""The demo's economic model: the micro-centre's launch plan set against its first three
months, and the network's project for Le Plateau partagé in two variants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.test import Client

from tierslieux.activity.queries import occupancy
from tierslieux.billing.models import Funding
from tierslieux.demo import data
from tierslieux.demo.economics import (
    EXPENSES,
    LAUNCH_PLAN,
    PROJECT,
    PROJECT_PLAN,
    PROJECT_VARIANT,
    first_months,
    next_april,
)
from tierslieux.demo.events import coordinator_of
from tierslieux.economics import engine, scenario, verdict
from tierslieux.economics.models import Expense, Grant, GrantReceipt, Scenario
from tierslieux.places.models import Place


def judged(plan: Scenario) -> tuple[str, int | None]:
    p = engine.project(scenario.parse(plan.data))
    return verdict.judge(p).level, p.break_even_month


def test_the_micro_centre_s_launch_plan_starts_with_its_billed_months(demo):
    place = Place.objects.get(slug=data.MICRO_CENTRE["slug"])
    plan = Scenario.objects.get(place=place, name=LAUNCH_PLAN)
    months = first_months(place)
    assert plan.data["start"] == f"{months[0]:%Y-%m}" and plan.template == "micro-centre:typical"
    assert judged(plan) == (verdict.FRAGILE, 10)
    # Three months of expenses, each month's lines whole; three grants from the plan's start.
    assert Expense.objects.filter(place=place).count() == 3 * len(EXPENSES)
    first = Expense.objects.filter(place=place, date__month=months[0].month)
    assert first.aggregate(total=Sum("amount"))["total"] == Decimal("8625.00")
    grants = Grant.objects.filter(place=place)
    assert {g.funder_kind for g in grants} == {"town", "region", "private"}
    assert {g.first_month for g in grants} == {months[0]}
    # The fundings billing recorded from these funders pay them: linked, counted once.
    funders = set(grants.values_list("funder", flat=True))
    assert Funding.objects.filter(place=place, funder__in=funders).count() == 3
    assert GrantReceipt.objects.filter(grant__place=place).count() == 3


def test_its_actuals_page_tells_the_gaps(demo):
    place = Place.objects.get(slug=data.MICRO_CENTRE["slug"])
    plan = Scenario.objects.get(place=place, name=LAUNCH_PLAN)
    client = Client()
    client.force_login(coordinator_of(place))
    response = client.get(f"/manage/{place.slug}/economics/{plan.pk}/actuals/")
    page = response.content.decode()
    # Services billed in the first months trail the plan's ramp-up; memberships run ahead.
    assert "Recettes de services" in page and "sous le plan depuis 2\u00a0mois" in page
    assert "Recettes d’adhésions" in page and "au-dessus du plan depuis 3\u00a0mois" in page
    # Occupancy is a share on both sides: the activity page's percentage, not 100 times it.
    comparison = response.context["comparison"]
    actual = comparison.row("occupancy").actual
    last = comparison.months[-1]
    shares = occupancy([place], last, len(actual))[place.pk].shares
    assert actual == [None if x is None else float(x) / 100 for x in shares]
    assert all(x is None or 0 <= x <= 1 for x in actual) and any(actual)
    assert all(abs(g.ratio) < 1 for g in comparison.gaps if g.row.key == "occupancy")


def test_the_network_models_le_plateau_partage_in_two_variants(demo):
    plans = Scenario.objects.filter(network__slug="demo", project=PROJECT)
    by_name = {p.name: p for p in plans}
    assert set(by_name) == {PROJECT_PLAN, PROJECT_VARIANT}
    rural, station = by_name[PROJECT_PLAN], by_name[PROJECT_VARIANT]
    assert rural.template == "micro-centre:rural"
    assert rural.data["start"] == station.data["start"]
    assert station.data["fixed_costs"][0]["monthly"] == 1200
    assert rural.share_key and station.share_key is None  # the town reads the first one
    # The old station let cheaply: the place holds, a month sooner.
    assert judged(rural) == (verdict.FRAGILE, 9)
    assert judged(station) == (verdict.HOLDS, 8)


def test_the_project_opens_next_april():
    assert next_april(date(2026, 12, 4)) == date(2027, 4, 1)
    assert next_april(date(2027, 3, 31)) == date(2027, 4, 1)
    assert next_april(date(2027, 4, 1)) == date(2028, 4, 1)
