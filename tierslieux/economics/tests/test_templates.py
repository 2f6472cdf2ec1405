"""The micro-centre templates hold the seed's figures, and every number has a reason."""

from __future__ import annotations

import pytest

from tierslieux.economics import engine, scenario, templates_model, verdict
from tierslieux.economics.templates_model import RANGES

pytestmark = pytest.mark.pure


def test_the_seeds_figures() -> None:
    # Quoted from seed 000 "Modèle économique" / "Modèle de viabilité".
    assert RANGES["investment"] == (50_000, 80_000)
    assert RANGES["break_even_months"] == (18, 24)
    assert RANGES["occupancy"] == (60, 70)
    assert RANGES["members_people"] == (100, 150)
    assert RANGES["members_organisations"] == (10, 15)
    assert templates_model.MIX_TARGETS == {
        "memberships": (40, 50),
        "services": (20, 30),
        "partnerships": (20, 30),
        "side_activities": (5, 10),
    }
    assert templates_model.PUBLIC_MAX == 30
    # The four investment lines add up to the headline range.
    parts = ("fit_out", "equipment", "furniture", "it")
    assert sum(RANGES[k][0] for k in parts) == RANGES["investment"][0]
    assert sum(RANGES[k][1] for k in parts) == RANGES["investment"][1]


@pytest.mark.parametrize(
    ("size", "investment", "rent", "staff", "people", "organisations"),
    [
        ("low", 50_000, 1_800, 3_500, 100, 10),
        ("typical", 65_000, 2_400, 4_000, 125, 12.5),
        ("high", 80_000, 3_000, 4_500, 150, 15),
    ],
)
def test_sizes_follow_the_seeds_ranges(
    size: str, investment: float, rent: float, staff: float, people: float, organisations: float
) -> None:
    sc = scenario.parse(templates_model.micro_centre(size)[0])
    assert sc.investment_total == investment
    assert sc.fixed_costs[0].category == "rent"
    assert sc.fixed_costs[0].monthly == rent
    assert sum(p.fte for p in sc.staff) == 1.5  # "Personnel (1,5 ETP)"
    assert sum(p.fte * p.monthly_cost for p in sc.staff) == pytest.approx(staff)
    insurance = sum(c.monthly for c in sc.fixed_costs if c.category in ("insurance", "maintenance"))
    assert RANGES["insurance_maintenance"][0] <= insurance <= RANGES["insurance_maintenance"][1]
    members = {m.kind: m.count for m in sc.memberships}
    assert members == {"people": people, "organisations": organisations}
    coworking = sc.revenue[0]
    assert RANGES["desks"][0] <= coworking.capacity <= RANGES["desks"][1]
    assert RANGES["coworking_month"][0] <= coworking.price <= RANGES["coworking_month"][1]
    assert RANGES["occupancy"][0] <= coworking.occupancy <= RANGES["occupancy"][1]


def test_the_typical_micro_centre_meets_the_seeds_thresholds_on_a_thin_cash_margin() -> None:
    p = engine.project(scenario.parse(templates_model.template("micro-centre:typical")[0]))
    assert p.break_even_month is not None and p.break_even_month <= 24
    assert p.public_share <= 0.30
    assert 0 <= p.low_point < verdict.monthly_costs(p)
    judged = verdict.judge(p)
    assert judged.level == verdict.FRAGILE
    assert [r.code for r in judged.reasons if r.severity == verdict.WARNING] == ["reserve"]


def test_a_place_hosted_by_a_public_service_holds() -> None:
    p = engine.project(scenario.parse(templates_model.template("micro-centre:public-host")[0]))
    assert verdict.judge(p).level == verdict.HOLDS
    assert p.low_point >= verdict.monthly_costs(p)


@pytest.mark.parametrize("name", templates_model.NAMES)
def test_every_template_parses_and_every_change_has_a_reason(name: str) -> None:
    data, why = templates_model.template(name)
    sc = scenario.parse(data)
    assert 36 <= sc.horizon <= 60
    assert why, name
    assert all(source in ("seed", "project") and reason for source, reason in why.values())
    lists = [k for k, v in data.items() if isinstance(v, list)]
    for key in lists:
        for n in range(len(data[key])):
            path = f"{key}[{n}]"
            assert key in why or any(k.startswith(path) for k in why), path


def test_contexts_change_what_they_say() -> None:
    typical = templates_model.micro_centre("typical")[0]
    rural, why = templates_model.template("micro-centre:rural")
    assert rural["fixed_costs"][0]["monthly"] == RANGES["rent"][0]
    assert why["fixed_costs[0].monthly"][0] == "seed"
    urban = templates_model.template("micro-centre:urban")[0]
    assert urban["fixed_costs"][0]["monthly"] == RANGES["rent"][1]
    host, why = templates_model.template("micro-centre:public-host")
    assert host["fixed_costs"][0]["monthly"] == 0
    assert host["in_kind"][-1]["monthly_value"] == typical["fixed_costs"][0]["monthly"]
    assert why["in_kind[1]"][0] == "project"
    assert templates_model.template("micro-centre:small-town")[0]["revenue"] == typical["revenue"]
    with pytest.raises(KeyError):
        templates_model.template("micro-centre:lunar")
    with pytest.raises(KeyError):
        templates_model.template("fablab:typical")


def test_the_families_are_the_invoices_families() -> None:
    # A plan compares with the actuals: the same four keys as billing's revenue families.
    from tierslieux.billing.models.base import Family

    assert set(scenario.FAMILIES) == set(Family.values)
