"""What a running place actually did, month by month from its plan's first month: the series
`actuals.compare` sets against the plan. Reads only; a fixed number of queries per year.

- Revenue by family: billing's own reading (`billing.revenue_queries.revenue_amounts`, the
  revenue dashboard's): issued invoices and credit notes by issue month, net of tax, and
  billing's fundings in the month received, but for those linked to a `Grant` (a
  `GrantReceipt`): the grant counts them, over its agreed months, so they are taken out of
  their month and family here and the same money is counted once.
- Costs by category: the expenses recorded (`Expense`), by their date's month.
- Grants: each `Grant` spread evenly over its months, first and last included (what
  `actuals.compare` adds to the partnerships family).
- Occupancy: `activity.queries.occupancy` (booked over open unit-hours of bookable spaces; a
  percentage there, a share 0–1 here as in the plan).
- Members: the holders (people and organisations) of a subscription running at the month's
  last day, as the observatory counts them.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractMonth, ExtractYear

from tierslieux.activity.queries import occupancy
from tierslieux.billing.revenue_queries import revenue_amounts
from tierslieux.economics import scenario as s
from tierslieux.economics.actuals import Actuals, month_of
from tierslieux.economics.models import Expense, ExpenseCategory, Grant, GrantReceipt
from tierslieux.members.models import Subscription
from tierslieux.places.models import Place


def plan_start(scenario: s.Scenario) -> date:
    """The plan's first month (its `start`, "YYYY-MM"), as that month's first day."""
    year, month = scenario.start.split("-")
    return date(int(year), int(month), 1)


def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def _index(start: date, year: int, month: int) -> int:
    return (year - start.year) * 12 + month - start.month


def month_count(start: date, last: date, horizon: int) -> int:
    """Months from `start`'s to `last`'s, both included, at most the plan's horizon."""
    return max(0, min(horizon, _index(start, last.year, last.month) + 1))


def read(place: Place, start: date, months: int) -> Actuals:
    """The place's series over `months` months from `start`'s month."""
    if months <= 0:
        return Actuals({}, {}, [], [], [])
    last = month_of(start, months - 1)
    last_day = month_end(last)
    revenue = _revenue(place, start, months)
    costs = {category: [0.0] * months for category in ExpenseCategory.values}
    spent = (
        Expense.objects.filter(place=place, date__gte=start, date__lte=last_day)
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in spent:
        costs[row["category"]][_index(start, row["year"], row["month"])] += float(row["total"])
    grants = [0.0] * months
    agreed = Grant.objects.filter(place=place, first_month__lte=last, last_month__gte=start)
    for grant in agreed:
        first = _index(start, grant.first_month.year, grant.first_month.month)
        end = _index(start, grant.last_month.year, grant.last_month.month)
        monthly = float(grant.amount) / (end - first + 1)
        for n in range(max(first, 0), min(end, months - 1) + 1):
            grants[n] += monthly
    shares = occupancy([place], last, months)[place.pk].shares
    return Actuals(
        revenue_by_family=revenue,
        costs_by_category=costs,
        grants=grants,
        occupancy=[None if x is None else float(x) / 100 for x in shares],  # percent → 0–1
        members=_members(place, start, months),
    )


def _revenue(place: Place, start: date, months: int) -> dict[str, list[float]]:
    """Billing's revenue by family and month, less the fundings that pay a grant (summed in
    Decimal, so that taking a funding out leaves exactly what else came in that month).
    Two queries a year, and one for the linked fundings."""
    last = month_of(start, months - 1)
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for year in range(start.year, last.year + 1):
        for amount in revenue_amounts(place, year):
            n = _index(start, year, amount.month)
            if 0 <= n < months:
                totals[amount.family, n] += amount.net
    linked = (
        GrantReceipt.objects.filter(
            funding__place=place,
            funding__received_on__gte=start,
            funding__received_on__lte=month_end(last),
        )
        .annotate(
            year=ExtractYear("funding__received_on"), month=ExtractMonth("funding__received_on")
        )
        .values("year", "month", "funding__family")
        .annotate(total=Sum("funding__amount"))
        .order_by()
    )
    for row in linked:
        totals[row["funding__family"], _index(start, row["year"], row["month"])] -= row["total"]
    return {family: [float(totals[family, n]) for n in range(months)] for family in s.FAMILIES}


def _members(place: Place, start: date, months: int) -> list[int]:
    """Holders of a running subscription at each month's last day (one query)."""
    last = month_of(start, months - 1)
    rows = list(
        Subscription.objects.filter(place=place, start__lte=month_end(last))
        .exclude(end__lt=start)
        .values_list("person_id", "organisation_id", "start", "end")
    )
    counts = []
    for n in range(months):
        day = month_end(month_of(start, n))
        holders = {
            (person, organisation)
            for person, organisation, begins, ends in rows
            if begins <= day and (ends is None or ends >= day)
        }
        counts.append(len(holders))
    return counts
