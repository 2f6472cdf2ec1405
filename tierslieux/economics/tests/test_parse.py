"""Bad input is refused with every error at once, each naming its field."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from django.utils import translation

from tierslieux.economics import engine, scenario, templates_model, verdict

pytestmark = pytest.mark.pure


def typical() -> dict[str, Any]:
    return copy.deepcopy(templates_model.template("micro-centre:typical")[0])


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(scenario.ScenarioError) as refused:
        scenario.parse(data)
    return dict(refused.value.errors)


def test_the_typical_template_reads_back() -> None:
    parsed = scenario.parse(typical())
    assert parsed.horizon == 60
    assert parsed.revenue[0].label == "Coworking"
    assert parsed.investment_total == 65_000


def test_every_error_is_collected_and_names_its_field() -> None:
    data = typical()
    data["revenue"][0]["price"] = -5
    data["revenue"][1]["occupancy"] = 120
    data["revenue"][2]["occupancy_rate"] = 50
    data["grants"][2].update(start=30, end=12)
    data["loans"][0]["months"] = 72
    data["colour"] = "blue"
    data["horizon"] = 60
    data["staff"][0]["fte"] = "one"
    data["memberships"][0]["count"] = float("nan")
    data["memberships"][1]["fee"] = 1e309  # read as infinity
    data["fixed_costs"][0]["monthly"] = 1e12
    data["side_activities"][0]["ramp"] = {"months": 3, "shape": "zigzag"}
    found = errors_of(data)
    assert set(found) == {
        "revenue[0].price",
        "revenue[1].occupancy",
        "revenue[2].occupancy_rate",
        "grants[2].end",
        "loans[0].months",
        "colour",
        "staff[0].fte",
        "memberships[0].count",
        "memberships[1].fee",
        "fixed_costs[0].monthly",
        "side_activities[0].ramp.shape",
    }
    with translation.override("en"):
        found = errors_of(data)
    assert found["revenue[0].price"] == "must not be negative"
    assert found["revenue[1].occupancy"] == "must be at most 100"
    assert found["revenue[2].occupancy_rate"] == "unknown field"
    assert found["grants[2].end"] == "the end comes before the start"
    assert found["loans[0].months"] == "the loan runs 72 months, longer than the horizon of 60"
    assert found["staff[0].fte"] == "expected a number"
    assert found["memberships[0].count"] == "not a finite number"
    assert found["memberships[1].fee"] == "not a finite number"
    assert found["fixed_costs[0].monthly"] == "must be at most 100000000"


def test_errors_speak_french() -> None:
    data = typical()
    data["revenue"][0]["price"] = -5
    data["grants"][2].update(start=30, end=12)
    with translation.override("fr"):
        found = errors_of(data)
    assert found["revenue[0].price"] == "ne doit pas être négatif"
    assert found["grants[2].end"] == "la fin précède le début"


def test_shares_of_the_investment_must_add_up_to_100() -> None:
    data = typical()
    data["fundings"] = [
        {"source": "region", "share": 60},
        {"source": "own_funds", "share": 30},
    ]
    with translation.override("en"):
        assert errors_of(data) == {"fundings": "the shares add up to 90 %, not 100 %"}
    data["fundings"][1]["share"] = 40
    parsed = scenario.parse(data)
    assert [f.amount for f in parsed.fundings] == [39_000, 26_000]
    data["fundings"][1] = {"source": "own_funds", "amount": 1000}
    assert set(errors_of(data)) == {"fundings"}
    data["fundings"][1] = {"source": "own_funds", "amount": 1000, "share": 40}
    assert set(errors_of(data)) == {"fundings[1]"}


def test_horizon_start_and_types() -> None:
    found = errors_of({"horizon": 24, "start": "2027-13", "revenue": {"label": "x"}})
    assert set(found) == {"horizon", "start", "revenue"}
    assert set(errors_of({"horizon": "sixty", "start": 202701})) == {"horizon", "start"}
    assert set(errors_of({"start": "2027-01"})) == {"horizon"}
    assert set(errors_of(["not", "a", "table"])) == {""}
    assert set(errors_of({"horizon": True, "start": "2027-01"})) == {"horizon"}


def test_a_control_character_in_a_text_is_refused_by_its_path() -> None:
    data = typical()
    data["name"] = "Micro\x00centre"
    data["revenue"][0]["label"] = "Cowork\ting"
    with translation.override("en"):
        found = errors_of(data)
    assert set(found) == {"name", "revenue[0].label"}
    assert "control characters" in found["name"]


def test_lines_refer_to_each_other_and_months_stay_in_the_horizon() -> None:
    data = typical()
    data["variable_costs"].append({"label": "x", "per_unit": 2, "line": "Nowhere"})
    data["variable_costs"].append({"label": "y", "share": 2, "monthly": 10})
    data["staff"][1]["start"] = 61
    data["loans"][0]["deferral"] = 60
    data["revenue"].append(dict(data["revenue"][0]))
    data["revenue"][3]["family"] = "gifts"
    found = errors_of(data)
    assert set(found) == {
        "variable_costs[3].line",
        "variable_costs[4]",
        "staff[1].start",
        "loans[0].deferral",
        "revenue",
        "revenue[3].family",
    }


ODD = [None, True, -1, 0, 10**400, -(10**400), 1e309, float("nan"), -0.0, 2.5, "", "x" * 300,
       "2027-01", "a\nb", [], [{}], {}, {"months": -1}, 12, 61, 1e12]  # fmt: skip


def test_any_odd_value_anywhere_is_a_named_error_never_a_crash() -> None:
    import random

    rng = random.Random(15)
    base = typical()
    accepted = 0
    for _ in range(400):
        data = copy.deepcopy(base)
        for _ in range(rng.randint(1, 4)):
            key = rng.choice(list(data))
            if isinstance(data[key], list) and data[key] and rng.random() < 0.8:
                item = rng.choice(data[key])
                field = rng.choice([*item, "ramp", "surprise"])
                item[field] = rng.choice(ODD)
            else:
                data[key] = rng.choice(ODD)
        try:
            parsed = scenario.parse(data)
        except scenario.ScenarioError as refused:
            assert refused.errors
            assert all(isinstance(path, str) and message for path, message in refused.errors)
            continue
        accepted += 1
        projection = engine.project(parsed)  # what reads well projects without a fault
        assert np.isfinite(projection.cumulative_cash).all()
        assert [r.text for r in verdict.judge(projection).reasons]
    assert 0 < accepted < 400
