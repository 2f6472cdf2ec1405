"""The engine against small scenarios whose figures are computed by hand here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tierslieux.economics import engine, scenario, verdict

pytestmark = pytest.mark.pure


def build(**fields: Any) -> scenario.Scenario:
    data: dict[str, Any] = {"name": "Test", "horizon": 36, "start": "2027-01", **fields}
    return scenario.parse(data)


def line(label: str = "Coworking", family: str = "memberships", **more: Any) -> dict[str, Any]:
    return {"label": label, "family": family, "capacity": 10, "occupancy": 50, "price": 100, **more}


def rent(monthly: float) -> list[dict[str, Any]]:
    return [{"category": "rent", "monthly": monthly}]


def test_a_flat_place_breaks_even_in_its_first_month_and_its_cash_grows_by_the_result() -> None:
    # 10 desks × 50 % × 100 € = 500 € a month, 300 € of rent: +200 € from month 1.
    p = engine.project(
        build(
            revenue=[line()],
            fixed_costs=rent(300),
            investments=[{"category": "fit_out", "amount": 1000}],
            fundings=[{"source": "own_funds", "amount": 1500}],
        )
    )
    assert p.revenue[0] == pytest.approx(500)
    assert p.operating_result[0] == pytest.approx(200)
    assert p.opening_cash == pytest.approx(500)  # 1,500 of own funds − 1,000 invested
    assert p.cumulative_cash[2] == pytest.approx(500 + 3 * 200)
    assert p.cumulative_cash[-1] == pytest.approx(500 + 36 * 200)
    assert p.break_even_month == 1
    assert p.break_even_without_grants == 1
    assert p.flags == []


def test_a_linear_ramp_up_sets_the_break_even_month() -> None:
    # Full: 20 × 50 % × 100 = 1,000 €; a 4-month linear ramp gives 250, 500, 750, 1,000.
    p = engine.project(
        build(
            revenue=[line(capacity=20, ramp={"months": 4, "shape": "linear"})],
            fixed_costs=rent(600),
        )
    )
    assert list(p.revenue[:5]) == pytest.approx([250, 500, 750, 1000, 1000])
    assert list(p.operating_result[:4]) == pytest.approx([-350, -100, 150, 400])
    assert list(p.cumulative_cash[:4]) == pytest.approx([-350, -450, -300, 100])
    assert p.break_even_month == 3
    assert p.low_point == pytest.approx(-450)
    assert engine.Flag("cash_negative", 1, "", pytest.approx(-450)) in p.flags


def test_an_s_ramp_up_starts_slowly_and_a_late_start_waits() -> None:
    # smoothstep 3x² − 2x³: x = 1/4 → 0.15625, 1/2 → 0.5, 3/4 → 0.84375.
    p = engine.project(
        build(revenue=[line(ramp={"months": 4, "shape": "s"}), line("Salle", "services", start=3)])
    )
    assert list(p.revenue_by_line["Coworking"][:5]) == pytest.approx(
        [500 * 0.15625, 250, 500 * 0.84375, 500, 500]
    )
    assert list(p.revenue_by_line["Salle"][:3]) == pytest.approx([0, 0, 500])


def test_memberships_side_activities_and_variable_costs() -> None:
    p = engine.project(
        build(
            memberships=[
                {"label": "Adhésions", "kind": "people", "count": 120, "fee": 60, "period": "year"}
            ],
            side_activities=[{"label": "Café", "monthly_sales": 1000, "margin": 60}],
            revenue=[line()],
            variable_costs=[
                {"label": "Banque", "share": 10},
                {"label": "Ménage", "per_unit": 20, "line": "Coworking"},
                {"label": "Animations", "monthly": 50},
            ],
        )
    )
    # 120 × 60 € / 12 = 600 €; café: 60 % of 1,000 = 600 €; coworking 500 €.
    assert p.revenue[0] == pytest.approx(1700)
    # 10 % of 1,700 + 5 units × 20 € + 50 € = 320 €.
    assert p.variable_costs[0] == pytest.approx(320)
    assert p.mix["memberships"] == pytest.approx(1100 / 1700)
    assert p.mix["side_activities"] == pytest.approx(600 / 1700)


def test_staff_by_fte_from_its_hiring_month() -> None:
    p = engine.project(
        build(staff=[{"role": "Coordination", "fte": 1.5, "monthly_cost": 2000, "start": 4}])
    )
    assert list(p.fixed_costs[:5]) == pytest.approx([0, 0, 0, 3000, 3000])


def test_loan_schedule_with_deferral() -> None:
    # 12,000 € at 12 % a year (1 % a month) over 14 months, 2 of them deferred: interest only
    # (120 €) for 2 months, then 12 instalments of 1,066.19 € (the annuity table's figure).
    loan = scenario.Loan(amount=12_000, rate=12, months=14, deferral=2)
    interest, principal = engine.loan_schedule(loan, 36)
    assert list(interest[:3]) == pytest.approx([120, 120, 120])
    assert list(principal[:2]) == [0, 0]
    paid = interest + principal
    assert paid[2] == pytest.approx(1066.19, abs=0.005)
    assert paid[2:14] == pytest.approx(np.full(12, paid[2]))
    assert principal.sum() == pytest.approx(12_000)
    assert paid[14:].sum() == 0
    # Without interest, the principal in equal parts after the deferral.
    _none, principal = engine.loan_schedule(scenario.Loan(1200, 0, 6, 2), 36)
    assert list(principal[:7]) == pytest.approx([0, 0, 300, 300, 300, 300, 0])


def test_a_loan_is_in_the_opening_cash_and_its_instalments_in_the_flows() -> None:
    p = engine.project(
        build(loans=[{"amount": 1200, "rate": 0, "months": 12}], fixed_costs=rent(0))
    )
    assert p.opening_cash == pytest.approx(1200)
    assert p.cash_flow[0] == pytest.approx(-100)
    assert p.cumulative_cash[11] == pytest.approx(0)


def test_a_grant_that_stops_is_a_cliff_and_no_break_even() -> None:
    # 500 € of sales + 200 € of grant for months 1–12, 600 € of rent: +100 then −100.
    p = engine.project(
        build(
            revenue=[line()],
            fixed_costs=rent(600),
            grants=[
                {
                    "label": "Programme",
                    "funder": "Région",
                    "funder_kind": "region",
                    "per_year": 2400,
                    "start": 1,
                    "end": 12,
                }
            ],
        )
    )
    assert p.operating_result[11] == pytest.approx(100)
    assert p.operating_result[12] == pytest.approx(-100)
    assert p.break_even_month is None
    assert engine.Flag("grant_cliff", 13, "Programme", pytest.approx(-100)) in p.flags
    judged = verdict.judge(p)
    assert judged.level == verdict.FAILS
    assert {"break_even", "cliff"} <= {r.code for r in judged.reasons}


def test_public_share_funder_share_and_break_even_without_grants() -> None:
    # Sales 500 €; town 300 €/month for the whole horizon; rent 700 €; a month of it in cash.
    grant = {"funder": "Commune", "funder_kind": "town", "per_year": 3600, "start": 1, "end": 36}
    reserve = [{"source": "own_funds", "amount": 700}]
    p = engine.project(
        build(revenue=[line()], fixed_costs=rent(700), grants=[grant], fundings=reserve)
    )
    assert p.public_share == pytest.approx(300 / 800)
    assert p.funder_shares == {"Commune": pytest.approx(300 / 800)}
    assert p.break_even_month == 1
    assert p.break_even_without_grants is None
    assert p.mix["partnerships"] == pytest.approx(300 / 800)
    judged = verdict.judge(p)
    assert judged.level == verdict.FRAGILE  # 37.5 % public, above the seed's 30 %
    assert [r.code for r in judged.reasons if r.severity == verdict.WARNING] == ["public"]
    big = {**grant, "per_year": 7200}  # 600 € a month: more than half of 1,100 €
    p = engine.project(build(revenue=[line()], fixed_costs=rent(700), grants=[big]))
    assert [f.code for f in p.flags] == ["one_funder"]


def test_occupancy_and_members_needed_to_break_even() -> None:
    # Coworking 500 € at 50 %, members 100 × 12 €/month = 1,200 €, rent 1,300 €: +400 €.
    # Occupancy: 500·k + 1,200 − 1,300 = 0 → k = 0.2, so 50 % × 0.2 = 10 %.
    # Members: 1,200·k + 500 − 1,300 = 0 → k = 2/3, so 66.7 people.
    p = engine.project(
        build(
            revenue=[line()],
            memberships=[
                {"label": "Adh", "kind": "people", "count": 100, "fee": 12, "period": "month"}
            ],
            fixed_costs=rent(1300),
        )
    )
    assert p.occupancy_planned == pytest.approx(0.5)
    assert p.occupancy_needed == pytest.approx(0.1)
    assert p.members_needed["people"] == pytest.approx(200 / 3)
    assert p.members_needed["organisations"] is None


def test_a_place_that_cannot_fill_enough_does_not_hold() -> None:
    p = engine.project(build(revenue=[line()], fixed_costs=rent(1200)))
    assert p.occupancy_needed == pytest.approx(1.2)  # 1,200 / 1,000 at full occupancy
    assert verdict.judge(p).level == verdict.FAILS


def test_break_even_is_the_month_from_which_the_result_stays_positive() -> None:
    result = np.array([[-1, 1, -1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, -1], [0, 0, 0, 0, 0]])
    assert list(engine.break_even(result.astype(float))) == [4, 1, 0, 1]


def test_in_kind_is_shown_but_never_cash() -> None:
    # 10 volunteer hours × 15 € + premises lent for 500 € = 650 € a month, outside the cash.
    kind = [
        {"label": "Bénévolat", "hours_per_month": 10, "rate": 15},
        {"label": "Locaux", "monthly_value": 500},
    ]
    plain = engine.project(build(revenue=[line()], fixed_costs=rent(300)))
    p = engine.project(build(revenue=[line()], fixed_costs=rent(300), in_kind=kind))
    assert p.in_kind[0] == pytest.approx(650)
    assert p.cumulative_cash == pytest.approx(plain.cumulative_cash)
    notes = [r for r in verdict.judge(p).reasons if r.code == "in_kind"]
    assert len(notes) == 1  # +200 € a month cannot pay for 650 € if the gifts stopped
    assert "could not pay" in notes[0].template


def test_cash_that_would_not_cover_a_month_of_costs_makes_the_place_fragile() -> None:
    # +200 € a month from month 1; rent 300 € is the whole month of costs. Investing 1,000 €
    # with 1,000 € of own funds leaves no cash at the start: the lowest point is 0 €.
    def place(own_funds: float) -> engine.Projection:
        return engine.project(
            build(
                revenue=[line()],
                fixed_costs=rent(300),
                investments=[{"category": "fit_out", "amount": 1000}],
                fundings=[{"source": "own_funds", "amount": own_funds}],
            )
        )

    thin = place(1000)
    assert thin.low_point == pytest.approx(0) and verdict.monthly_costs(thin) == pytest.approx(300)
    judged = verdict.judge(thin)
    assert judged.level == verdict.FRAGILE
    assert [r.code for r in judged.reasons if r.severity == verdict.WARNING] == ["reserve"]
    assert "less than one month of running costs" in judged.reasons[0].template
    # 300 € left at the start: a month of costs in hand, the place holds.
    assert verdict.judge(place(1300)).level == verdict.HOLDS
    # Below zero is not a thin reserve but a place that cannot pay: one reason, blocking.
    codes = [r.code for r in verdict.judge(place(500)).reasons]
    assert "cash" in codes and "reserve" not in codes
