"""The projection: a scenario month by month (issue 15). Pure; NumPy.

Definitions (docs/economics.md says the same for readers):
- Operating revenue = revenue lines (capacity × occupancy × ramp-up × price) + memberships
  (count × ramp-up × fee, a yearly fee spread over twelve months) + the margin of side
  activities + operating grants. Operating costs = fixed costs + staff + variable costs.
  Operating result = revenue − costs: a cash view before financing ("excédent brut
  d'exploitation"); no depreciation, investment and loans are financing, in-kind is not cash.
- Cash flow = operating result − loan instalments (interest + principal). Opening cash = own
  funds + investment funding + loans − investment; cumulative cash = opening + the flows.
- Operating break-even month: the first month m such that the operating result is ≥ 0 in m
  AND in every month after it up to the horizon. Grants count (the seed's partnerships family
  is revenue), but because the result must STAY ≥ 0, a balance held only by a grant that stops
  within the horizon is no break-even. `break_even_without_grants` is the same month with
  every grant left out: the place's autonomy. None: not reached within the horizon.

`simulate(scenario, factors)` computes every draw at once (arrays of shape draws × months):
the projection, the tornado and the Monte Carlo share it. `project(scenario)` is one draw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tierslieux.economics import scenario as s

# What the sensitivity analysis moves: multipliers on the scenario's figures.
DRIVERS = (
    "occupancy", "price", "members", "fee", "rent", "staff", "other_fixed", "variable",
    "grants", "ramp", "investment", "side",
)  # fmt: skip
Array = np.ndarray[Any, np.dtype[np.float64]]


def ramp_curve(t: Array, start: float, months: Array, s_shape: bool) -> Array:
    """Factor 0–1 of one line at month indexes t (0 = month 1), for every draw's ramp-up
    length `months` (shape draws × 1): 0 before its start month, then elapsed / months along a
    line or a smoothstep S (3x² − 2x³); months 0 means at once."""
    elapsed = (t - (start - 1) + 1).reshape(1, -1)  # months lived, counting the current one
    inverse = np.where(months > 0, 1 / np.maximum(months, 1e-9), 1e9)
    x = elapsed * inverse  # ≤ 0 before the start, ≥ 1 once ramped up
    np.maximum(x, 0.0, out=x)
    np.minimum(x, 1.0, out=x)
    if s_shape:
        x = x * x * (3 - 2 * x)
    return x


def loan_schedule(loan: s.Loan, horizon: int) -> tuple[Array, Array]:
    """Interest and principal paid each month: interest only during the deferral, then the
    annuity P·r / (1 − (1 + r)^−n) over the remaining n months (P / n at a zero rate)."""
    interest, principal = np.zeros(horizon), np.zeros(horizon)
    rate = loan.rate / 100 / 12
    n = loan.months - loan.deferral
    payment = loan.amount / n if rate == 0 else loan.amount * rate / (1 - (1 + rate) ** -n)
    owed = loan.amount
    for month in range(min(loan.months, horizon)):
        interest[month] = owed * rate
        if month >= loan.deferral:
            principal[month] = payment - interest[month]
            owed -= principal[month]
    return interest, principal


def simulate(scenario: s.Scenario, factors: Mapping[str, Array] | None = None) -> dict[str, Any]:
    """Every draw at once. `factors` maps a driver to multipliers of shape (draws,); missing
    drivers stay at 1. Returns arrays of shape draws × months; by line, lists of them."""
    factors = factors or {}
    draws = max([len(v) for v in factors.values()] or [1])
    f = {
        k: np.broadcast_to(np.asarray(factors.get(k, 1.0), dtype=float), (draws,)).reshape(-1, 1)
        for k in DRIVERS
    }  # draws × 1
    horizon = scenario.horizon
    t = np.arange(horizon, dtype=float)
    month_no = t + 1

    def curve(ramp: s.Ramp, start: int) -> Array:
        return ramp_curve(t, start, ramp.months * f["ramp"], ramp.shape == "s")

    families = {k: np.zeros((draws, horizon)) for k in s.FAMILIES}
    line_revenue, line_units = [], []
    for x in scenario.revenue:
        units = x.capacity * np.minimum(x.occupancy / 100 * f["occupancy"], 1.0)
        units = units * curve(x.ramp, x.start)
        line_units.append(units)
        line_revenue.append(units * (x.price * f["price"]))
        families[x.family] += line_revenue[-1]
    member_revenue, member_count = [], []
    for m in scenario.memberships:
        count = (m.count * f["members"]) * curve(m.ramp, 1)
        member_count.append(count)
        member_revenue.append(count * (m.fee / (12 if m.period == "year" else 1) * f["fee"]))
        families[s.MEMBERSHIPS] += member_revenue[-1]
    side_revenue = []
    for a in scenario.side_activities:
        side_revenue.append((a.monthly_sales * a.margin / 100 * f["side"]) * curve(a.ramp, 1))
        families[s.SIDE] += side_revenue[-1]
    grant_rows = [
        np.where((month_no >= g.start) & (month_no <= g.end), g.per_year / 12, 0.0)
        for g in scenario.grants
    ]
    grants = f["grants"] * sum(grant_rows, np.zeros(horizon))
    families[s.PARTNERSHIPS] += grants
    revenue = sum(families.values(), np.zeros((draws, horizon)))
    earned = revenue - grants

    rent = sum(c.monthly for c in scenario.fixed_costs if c.category == "rent")
    other = sum(c.monthly for c in scenario.fixed_costs if c.category != "rent")
    staff = sum(
        (np.where(month_no >= p.start, p.fte * p.monthly_cost, 0.0) for p in scenario.staff),
        np.zeros(horizon),
    )
    fixed = (rent * f["rent"] + other * f["other_fixed"]) + staff * f["staff"]
    share = sum(v.share for v in scenario.variable_costs) / 100
    flat = sum(v.monthly for v in scenario.variable_costs)
    variable = earned * share + flat
    index = {line.label: n for n, line in enumerate(scenario.revenue)}
    for vc in scenario.variable_costs:
        if vc.per_unit and vc.line in index:
            variable = variable + line_units[index[vc.line]] * vc.per_unit
    variable = variable * f["variable"]

    interest: Array = np.zeros(horizon)
    principal: Array = np.zeros(horizon)
    for loan in scenario.loans:
        i, p = loan_schedule(loan, horizon)
        interest, principal = interest + i, principal + p
    result = revenue - fixed - variable
    flow = result - (interest + principal)
    funding = sum(x.amount for x in scenario.fundings) + sum(x.amount for x in scenario.loans)
    opening = funding - scenario.investment_total * f["investment"][:, 0]
    cumulative = opening.reshape(-1, 1) + np.cumsum(flow, axis=1)
    return {
        "draws": draws, "line_revenue": line_revenue, "line_units": line_units,
        "member_revenue": member_revenue, "member_count": member_count,
        "side_revenue": side_revenue, "grant_rows": grant_rows, "families": families,
        "revenue": revenue, "grants": grants, "earned": earned, "fixed": fixed,
        "variable": variable, "interest": interest, "principal": principal, "result": result,
        "flow": flow, "opening": opening, "cumulative": cumulative,
        "break_even": break_even(result), "break_even_without_grants": break_even(result - grants),
        "low_point": np.minimum(cumulative.min(axis=1), opening),
    }  # fmt: skip


def break_even(result: Array) -> Array:
    """Per draw, the month (from 1) from which the result stays ≥ 0 to the horizon; 0 when
    it is not reached (the last month is negative)."""
    horizon = result.shape[1]
    negative = result < -1e-9  # a cent's rounding is no loss
    seen = negative[:, ::-1].argmax(axis=1)  # months from the end to the last negative one
    last_negative = np.where(negative.any(axis=1), horizon - 1 - seen, -1)
    month = last_negative + 2
    return np.where(month > horizon, 0, month)


@dataclass(frozen=True)
class Flag:
    """Something a reader must see: `code` is one_funder, grant_cliff or cash_negative."""

    code: str
    month: int
    subject: str = ""
    value: float = 0.0


@dataclass(frozen=True)
class Projection:
    scenario: s.Scenario
    months: int
    revenue_by_line: dict[str, Array]
    revenue_by_family: dict[str, Array]
    revenue: Array
    grants: Array
    fixed_costs: Array
    variable_costs: Array
    operating_result: Array
    interest: Array
    principal: Array
    cash_flow: Array
    opening_cash: float
    cumulative_cash: Array
    in_kind: Array
    break_even_month: int | None
    break_even_without_grants: int | None
    low_point: float
    mix: dict[str, float]  # family → share 0–1 of the revenue over the horizon
    public_share: float  # public grants / revenue over the horizon, 0–1
    funder_shares: dict[str, float]
    occupancy_planned: float  # 0–1, weighted by revenue at full occupancy
    occupancy_needed: float | None  # 0–1 (may exceed 1: not reachable); None: no capacity
    members_planned: dict[str, float]
    members_needed: dict[str, float | None]
    flags: list[Flag] = field(default_factory=list)

    @property
    def cumulative_at(self) -> dict[int, float]:
        return {m: float(self.cumulative_cash[m - 1]) for m in (12, 24, 36) if m <= self.months}


def project(scenario: s.Scenario) -> Projection:
    """One scenario month by month, with its break-even, mix, needs and flags."""
    sim = simulate(scenario)
    horizon = scenario.horizon
    revenue = sim["revenue"][0]
    total = float(revenue.sum())
    by_line = {x.label: sim["line_revenue"][n][0] for n, x in enumerate(scenario.revenue)}
    for n, m in enumerate(scenario.memberships):
        by_line[m.label] = sim["member_revenue"][n][0]
    for n, a in enumerate(scenario.side_activities):
        by_line[a.label] = sim["side_revenue"][n][0]
    funders: dict[str, float] = {}
    public = 0.0
    for n, g in enumerate(scenario.grants):
        amount = float(sim["grant_rows"][n].sum())
        funders[g.funder] = funders.get(g.funder, 0.0) + amount
        public += amount if g.funder_kind in s.PUBLIC_SOURCES else 0.0
    share = {k: v / total if total else 0.0 for k, v in funders.items()}
    result = sim["result"][0]
    cumulative = sim["cumulative"][0]
    flags = [Flag("one_funder", 0, k, v) for k, v in share.items() if v > 0.5]
    for g in scenario.grants:
        if g.end < horizon and result[g.end - 1] >= 0 > result[g.end]:
            flags.append(Flag("grant_cliff", g.end + 1, g.label or g.funder, float(result[g.end])))
    if (cumulative < 0).any() or sim["opening"][0] < 0:
        first = int(np.argmax(cumulative < 0)) + 1 if (cumulative < 0).any() else 0
        flags.append(Flag("cash_negative", first, "", float(sim["low_point"][0])))
    needs = _needs(scenario, sim)
    in_kind = np.full(horizon, sum(x.monthly for x in scenario.in_kind))
    return Projection(
        scenario=scenario, months=horizon, revenue_by_line=by_line,
        revenue_by_family={k: v[0] for k, v in sim["families"].items()}, revenue=revenue,
        grants=sim["grants"][0], fixed_costs=sim["fixed"][0], variable_costs=sim["variable"][0],
        operating_result=result, interest=sim["interest"], principal=sim["principal"],
        cash_flow=sim["flow"][0], opening_cash=float(sim["opening"][0]),
        cumulative_cash=cumulative, in_kind=in_kind,
        break_even_month=int(sim["break_even"][0]) or None,
        break_even_without_grants=int(sim["break_even_without_grants"][0]) or None,
        low_point=float(sim["low_point"][0]),
        mix={k: float(v[0].sum()) / total if total else 0.0 for k, v in sim["families"].items()},
        public_share=public / total if total else 0.0, funder_shares=share, flags=flags, **needs,
    )  # fmt: skip


def _needs(scenario: s.Scenario, sim: dict[str, Any]) -> dict[str, Any]:
    """Occupancy and members needed to break even in the horizon's last month (ramps done,
    ended grants gone: the lasting state). The result is affine in the scale k of the
    capacity lines' units (all occupancies × k), so k* = −result(0) / slope; idem members."""
    last = -1
    share = sum(v.share for v in scenario.variable_costs) / 100
    result = float(sim["result"][0, last])
    per_unit = {v.line: v.per_unit for v in scenario.variable_costs if v.per_unit}
    capacity_slope = 0.0
    for n, line in enumerate(scenario.revenue):
        rev = float(sim["line_revenue"][n][0, last])
        units = float(sim["line_units"][n][0, last])
        capacity_slope += rev * (1 - share) - units * per_unit.get(line.label, 0.0)
    member_slope = sum(float(m[0, last]) for m in sim["member_revenue"]) * (1 - share)
    full = sum(x.capacity * x.price for x in scenario.revenue)
    planned = sum(x.capacity * x.price * x.occupancy / 100 for x in scenario.revenue)
    occupancy_planned = planned / full if full else 0.0
    occupancy_needed = None
    if capacity_slope > 0:
        occupancy_needed = max(0.0, occupancy_planned * (1 - result / capacity_slope))
    members_planned = dict.fromkeys(s.MEMBER_KINDS, 0.0)
    for m in scenario.memberships:
        members_planned[m.kind] += m.count
    members_needed: dict[str, float | None] = dict.fromkeys(s.MEMBER_KINDS)
    if member_slope > 0:
        scale = max(0.0, 1 - result / member_slope)
        members_needed = {k: v * scale if v else None for k, v in members_planned.items()}
    return {
        "occupancy_planned": occupancy_planned,
        "occupancy_needed": occupancy_needed,
        "members_planned": members_planned,
        "members_needed": members_needed,
    }
