"""The tornado moves one driver at a time; the Monte Carlo is reproducible under a seed."""

from __future__ import annotations

import numpy as np
import pytest

from tierslieux.economics import engine, scenario, sensitivity, templates_model

pytestmark = pytest.mark.pure


@pytest.fixture(scope="module")
def typical() -> scenario.Scenario:
    return scenario.parse(templates_model.template("micro-centre:typical")[0])


def test_the_vectorised_engine_agrees_with_one_projection(typical: scenario.Scenario) -> None:
    factors = {"rent": np.array([1.0, 1.2]), "occupancy": np.array([1.0, 0.9])}
    sim = engine.simulate(typical, factors)
    alone = engine.project(typical)
    assert sim["cumulative"][0] == pytest.approx(alone.cumulative_cash)
    rent = typical.fixed_costs[0].monthly
    assert sim["fixed"][1] - sim["fixed"][0] == pytest.approx(np.full(60, 0.2 * rent))


def test_tornado_moves_one_driver_at_a_time(typical: scenario.Scenario) -> None:
    t = sensitivity.tornado(typical)
    alone = engine.project(typical)
    assert t.cash == pytest.approx(float(alone.cumulative_cash[35]))
    assert t.break_even == alone.break_even_month
    bars = {b.driver: b for b in t.bars}
    # Rent ±20 % over 36 months moves the cash by 36 × 20 % of the rent, both ways.
    rent = typical.fixed_costs[0].monthly
    assert bars["rent"].cash_low - t.cash == pytest.approx(36 * 0.2 * rent)
    assert t.cash - bars["rent"].cash_high == pytest.approx(36 * 0.2 * rent)
    widths = [b.width for b in t.bars]
    assert widths == sorted(widths, reverse=True)


def test_a_driver_with_nothing_to_move_has_no_bar() -> None:
    sc = scenario.parse({"horizon": 36, "start": "2027-01", "fixed_costs": [
        {"category": "rent", "monthly": 100}]})  # fmt: skip
    assert [b.driver for b in sensitivity.tornado(sc).bars] == ["rent"]


def test_monte_carlo_is_deterministic_under_a_seed(typical: scenario.Scenario) -> None:
    first = sensitivity.monte_carlo(typical, draws=2000, seed=7)
    again = sensitivity.monte_carlo(typical, draws=2000, seed=7)
    other = sensitivity.monte_carlo(typical, draws=2000, seed=8)
    assert first == again
    assert other != first
    assert 0 <= first.p_break_even <= 1
    lows = list(first.low_point.values())
    assert lows == sorted(lows)
    assert set(first.low_point) == {5, 25, 50, 75, 95}


def test_monte_carlo_without_spread_is_the_projection(typical: scenario.Scenario) -> None:
    still = dict.fromkeys(engine.DRIVERS, (1.0, 1.0))
    mc = sensitivity.monte_carlo(typical, draws=50, seed=1, ranges=still)
    alone = engine.project(typical)
    assert mc.p_break_even == 1.0  # the typical place breaks even in month ≤ 24
    assert mc.low_point[5] == pytest.approx(alone.low_point)
    assert mc.break_even[50] == alone.break_even_month


def test_the_draws_read_as_cases_worst_first(typical: scenario.Scenario, english: None) -> None:
    from tierslieux.economics.charts import euros
    from tierslieux.economics.report import Report, month_text

    report = Report(typical)
    mc, rows = report.monte_carlo, report.monte_carlo_rows()
    # The worst case pairs the lowest cash (5th percentile) with the latest month (95th).
    assert rows[0] == {
        "case": "1 case in 20, the worst",
        "low": euros(mc.low_point[5]),
        "month": month_text(typical, mc.break_even[95]),
    }
    assert rows[-1]["low"] == euros(mc.low_point[95])
    assert rows[-1]["month"] == month_text(typical, mc.break_even[5])
    assert mc.low_point[5] <= mc.low_point[50] <= mc.low_point[95]
    ranges = {r["driver"]: (r["low"], r["high"]) for r in report.monte_carlo_ranges()}
    assert ranges["occupancy"] == ("−20\u00a0%", "+10\u00a0%")
