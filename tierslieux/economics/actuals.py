"""A running place's actuals against its plan, month by month, and the largest gaps told in
plain words (issue 15). Pure: no ORM, no request; `actuals_data` reads the place's series.

Month m of the plan (from 1) is the calendar month `start` + m − 1. The indicators:
- revenue by family: the invoices' (and billing's fundings received) against the plan's
  family; the partnerships family adds the recorded grants, as the plan counts its grants;
- grants: the recorded grants (each spread evenly over its months) against the plan's;
- operating costs: every expense but investment against the plan's fixed + variable costs,
  and each category against its line of the plan (rent, staff, insurance…);
- occupancy: booked over available unit-hours against the plan's capacity lines (their
  units over their capacity, weighted by price, as `engine._needs` weighs them);
- members: subscriptions running at the month's end against the plan's member count.

A gap is told when it has lasted: the months at the end of the compared period where the
actual stays on the same side of the plan by at least `THRESHOLD` (10 %). The told gaps are
ranked by what they weigh (euros over those months; occupancy and members after the money).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tierslieux.core import formatting
from tierslieux.economics import engine
from tierslieux.economics import scenario as s

THRESHOLD = 0.10
MAX_TOLD = 5
COST_CATEGORIES = (
    "rent",
    "staff",
    "insurance",
    "maintenance",
    "subscriptions",
    "variable",
    "other",
)  # fmt: skip  (investment is financing, not an operating cost)
LABELS: dict[str, Promise] = {
    "memberships": gettext_lazy("Membership revenue"),
    "services": gettext_lazy("Services revenue"),
    "partnerships": gettext_lazy("Partnership revenue"),
    "side_activities": gettext_lazy("Side-activity revenue"),
    "revenue": gettext_lazy("Total revenue"),
    "grants": gettext_lazy("Grants"),
    "costs": gettext_lazy("Operating costs"),
    "cost:rent": gettext_lazy("Rent and charges"),
    "cost:staff": gettext_lazy("Staff costs"),
    "cost:insurance": gettext_lazy("Insurance"),
    "cost:maintenance": gettext_lazy("Maintenance"),
    "cost:subscriptions": gettext_lazy("Subscriptions and licences"),
    "cost:variable": gettext_lazy("Variable costs"),
    "cost:other": gettext_lazy("Other costs"),
    "occupancy": gettext_lazy("Occupancy"),
    "members": gettext_lazy("Members"),
}
MONEY, SHARE, COUNT = "money", "share", "count"


@dataclass(frozen=True)
class Actuals:
    """The place's monthly series from the plan's first month, oldest first, all the same
    length. Euros as floats (a comparison with an estimate); occupancy 0–1 or None when the
    place had no opening hours that month."""

    revenue_by_family: dict[str, list[float]]
    costs_by_category: dict[str, list[float]]
    grants: list[float]
    occupancy: list[float | None]
    members: list[int]

    @property
    def months(self) -> int:
        return len(self.grants)


@dataclass(frozen=True)
class Row:
    key: str
    label: Promise  # lazy: read in the language of the page that shows it
    unit: str  # money | share | count
    plan: list[float]
    actual: list[float | None]

    @property
    def gaps(self) -> list[float | None]:
        """Actual − plan each month (None when the actual is unknown)."""
        return [None if a is None else a - p for p, a in zip(self.plan, self.actual, strict=True)]

    @property
    def ratios(self) -> list[float | None]:
        """(Actual − plan) ÷ plan each month; None when unknown or the plan is 0."""
        return [
            None if a is None or not p else (a - p) / p
            for p, a in zip(self.plan, self.actual, strict=True)
        ]


@dataclass(frozen=True)
class Gap:
    """A lasting gap: `months` at the end of the period, by `ratio` on average (signed),
    worth `amount` (the sum of the monthly gaps, in the row's unit)."""

    row: Row
    months: int
    ratio: float
    amount: float

    @property
    def text(self) -> str:
        count = self.months
        gap = formatting.percent(round(abs(self.ratio) * 100))
        values = {"what": str(self.row.label), "gap": gap, "count": count}
        if self.ratio < 0:
            return (
                ngettext(
                    "%(what)s %(gap)s below the plan for %(count)s month",
                    "%(what)s %(gap)s below the plan for %(count)s months",
                    count,
                )
                % values
            )
        return (
            ngettext(
                "%(what)s %(gap)s above the plan for %(count)s month",
                "%(what)s %(gap)s above the plan for %(count)s months",
                count,
            )
            % values
        )


@dataclass(frozen=True)
class Comparison:
    months: list[date]  # the calendar months compared (first days)
    rows: list[Row]
    gaps: list[Gap]  # the told ones, the weightiest first

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)


def month_of(start: date, index: int) -> date:
    """The first day of the calendar month `index` months after `start`'s."""
    total = start.year * 12 + start.month - 1 + index
    return date(total // 12, total % 12 + 1, 1)


def plan_costs(plan: engine.Projection) -> dict[str, np.ndarray]:
    """The plan's operating costs by the ledger's categories, month by month."""
    scenario, horizon = plan.scenario, plan.months
    month_no = np.arange(1, horizon + 1)
    costs = {k: np.zeros(horizon) for k in COST_CATEGORIES}
    for c in scenario.fixed_costs:
        costs[c.category if c.category in costs else "other"] += c.monthly
    for p in scenario.staff:
        costs["staff"] += np.where(month_no >= p.start, p.fte * p.monthly_cost, 0.0)
    costs["variable"] += plan.variable_costs
    return costs


def plan_occupancy_and_members(plan: engine.Projection) -> tuple[np.ndarray, np.ndarray]:
    """The plan's occupancy (capacity lines' units over their capacity, weighted by price)
    and member count, month by month."""
    sim = engine.simulate(plan.scenario)
    horizon = plan.months
    full = sum(x.capacity * x.price for x in plan.scenario.revenue)
    sold = sum(
        (units[0] * x.price for units, x in zip(sim["line_units"], plan.scenario.revenue,
                                                 strict=True)),
        np.zeros(horizon),
    )  # fmt: skip
    occupancy = sold / full if full else np.zeros(horizon)
    members = sum((count[0] for count in sim["member_count"]), np.zeros(horizon))
    return occupancy, members


def _lasting(row: Row) -> Gap | None:
    """The gap of the months at the period's end on one side of the plan by ≥ THRESHOLD."""
    ratios = row.ratios
    if not ratios or ratios[-1] is None or abs(ratios[-1]) < THRESHOLD:
        return None
    sign = 1 if ratios[-1] > 0 else -1
    count = 0
    for ratio in reversed(ratios):
        if ratio is None or ratio * sign < THRESHOLD:
            break
        count += 1
    plan = sum(row.plan[-count:])
    actual = sum(a or 0.0 for a in row.actual[-count:])
    ratio = (actual - plan) / plan if plan else 0.0
    return Gap(row, count, ratio, actual - plan)


def compare(plan: engine.Projection, start: date, actuals: Actuals) -> Comparison:
    """The plan against the actuals over the months both cover, and the lasting gaps."""
    n = min(plan.months, actuals.months)

    def row(key: str, unit: str, planned: np.ndarray, actual: list[float | None]) -> Row:
        return Row(key, LABELS[key], unit, [float(x) for x in planned[:n]], actual[:n])

    grants = [float(x) for x in actuals.grants[:n]]
    rows = []
    for family in s.FAMILIES:
        series = [float(x) for x in actuals.revenue_by_family.get(family, [0.0] * n)[:n]]
        if family == s.PARTNERSHIPS:
            series = [a + g for a, g in zip(series, grants, strict=True)]
        rows.append(row(family, MONEY, plan.revenue_by_family[family], list(series)))
    total = [sum(r.actual[m] or 0.0 for r in rows) for m in range(n)]
    rows.append(row("revenue", MONEY, plan.revenue, list(total)))
    rows.append(row("grants", MONEY, plan.grants, list(grants)))
    planned_costs = plan_costs(plan)
    spent = {
        k: [float(x) for x in actuals.costs_by_category.get(k, [0.0] * n)[:n]]
        for k in COST_CATEGORIES
    }
    all_costs: list[float | None] = [sum(spent[k][m] for k in COST_CATEGORIES) for m in range(n)]
    # Costs are known up to the last month with an expense: a place that records none has
    # unknown costs, and a ledger imported up to September leaves the months after it unknown,
    # not costs of 0 € (a gap of "100 % under the plan" would pretend).
    known = max((m + 1 for m in range(n) if all_costs[m]), default=0)

    def up_to_known(series: list[float] | list[float | None]) -> list[float | None]:
        return [x if m < known else None for m, x in enumerate(series)]

    planned = plan.fixed_costs + plan.variable_costs
    rows.append(row("costs", MONEY, planned, up_to_known(all_costs)))
    rows += [
        row(f"cost:{k}", MONEY, planned_costs[k], up_to_known(spent[k])) for k in COST_CATEGORIES
    ]
    occupancy, members = plan_occupancy_and_members(plan)
    rows.append(row("occupancy", SHARE, occupancy, list(actuals.occupancy)))
    rows.append(row("members", COUNT, members, [float(x) for x in actuals.members]))
    found = [g for g in (_lasting(r) for r in rows) if g is not None]
    found.sort(key=lambda g: (g.row.unit != MONEY, -abs(g.amount if g.row.unit == MONEY
                                                          else g.ratio)))  # fmt: skip
    # The total and the costs' sum repeat their parts: tell them only when no part is told.
    parts = {"revenue": set(s.FAMILIES), "costs": {f"cost:{k}" for k in COST_CATEGORIES}}
    keys = {g.row.key for g in found}
    told = [g for g in found if not (parts.get(g.row.key, set()) & keys)]
    return Comparison([month_of(start, m) for m in range(n)], rows, told[:MAX_TOLD])


def explanations(comparison: Comparison) -> list[str]:
    """The told gaps in plain words, the weightiest first; one line when all is on plan."""
    if not comparison.months:
        return [_("The plan has not started yet: nothing to compare.")]
    told = [g.text for g in comparison.gaps]
    if not told:
        within = _("Every indicator is within %(gap)s of the plan in the last month.")
        told = [within % {"gap": formatting.percent(round(THRESHOLD * 100))}]
    costs = comparison.row("costs").actual
    if costs and costs[-1] is None:
        known = [m for m, x in enumerate(costs) if x is not None]
        if not known:
            told.append(_("No expense recorded: the costs are not compared."))
        else:
            last = formatting.day(comparison.months[known[-1]], "YEAR_MONTH_FORMAT")
            told.append(
                _("Expenses recorded up to %(month)s: the months after it are not compared.")
                % {"month": last}
            )
    return told
