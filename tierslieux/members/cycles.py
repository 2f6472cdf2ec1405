"""Which period of a subscription a month's bill run invoices, and for how much (pure).

- A **monthly** plan bills calendar months. The period of month M is the part of M the
  subscription covers: from its start (or the 1st) to its end (or the last day). A start or
  an end inside the month prorates the price by days: price × billed days / days in the
  month, rounded half-up to the cent (`core.money.round_money`). Paused days are not billed
  either; a month paused whole (or not covered at all) has no period.
- A **yearly** membership bills once a year, in the month of its start and of each
  anniversary, for the 12 months from that day, at the full price: a membership fee is not
  prorated, and pauses do not apply to it (an association's fee is due for the year,
  whether or not the member comes). A start on 29 February has its anniversaries on
  28 February in common years. A cancelled membership is billed no more after its end.

A period's `start` is the key of the cycle: `Charge.source` is
"subscription:<id>:<start>" and credit grants are unique per (subscription, start).
See docs/algorithms/billrun.md.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tierslieux.core.money import round_money, to_decimal

MONTH = "month"
YEAR = "year"


@dataclass(frozen=True)
class Period:
    """One period to bill: the days it covers, the days billed and the amount."""

    start: date  # first day covered (the cycle's key)
    end: date  # last day covered (inclusive)
    billed_days: int  # covered days not paused (monthly plans); the period's days (yearly)
    days_in_period: int  # the month's days (monthly plans); the year's days (yearly)
    amount: Decimal
    prorated: bool  # True when less than the full price is billed

    @property
    def key(self) -> str:
        return self.start.isoformat()


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _days(start: date, end: date) -> int:
    return (end - start).days + 1 if end >= start else 0


def paused_days(start: date, end: date, pauses: Iterable[tuple[date, date]]) -> int:
    """Days of [start, end] inside at least one pause (pauses may overlap)."""
    clipped = sorted(
        (max(p_start, start), min(p_end, end)) for p_start, p_end in pauses if p_end >= p_start
    )
    total, reach = 0, start - timedelta(days=1)  # `reach`: last day already counted
    for p_start, p_end in clipped:
        if p_end <= reach:
            continue
        p_start = max(p_start, reach + timedelta(days=1))
        total += _days(p_start, p_end)
        reach = p_end
    return total


def monthly_period(
    *,
    start: date,
    end: date | None,
    price: Decimal | int | str,
    month: date,
    pauses: Iterable[tuple[date, date]] = (),
) -> Period | None:
    """The part of `month` a monthly plan covers, prorated by billed days; None when the
    plan does not cover the month or is paused on every day of it covers."""
    month_start, month_end = first_of_month(month), last_of_month(month)
    covered_start = max(start, month_start)
    covered_end = month_end if end is None else min(end, month_end)
    if covered_end < covered_start:
        return None
    in_month = _days(month_start, month_end)
    billed = _days(covered_start, covered_end) - paused_days(covered_start, covered_end, pauses)
    if billed <= 0:
        return None
    price = to_decimal(price)
    amount = price if billed == in_month else round_money(price * billed / in_month)
    return Period(covered_start, covered_end, billed, in_month, amount, billed != in_month)


def yearly_period(
    *, start: date, end: date | None, price: Decimal | int | str, month: date
) -> Period | None:
    """The membership year starting in `month` (its start or an anniversary), at the full
    price; None when no year starts in that month or the membership ended before."""
    years = month.year - start.year
    if years < 0:
        return None
    anniversary = add_years(start, years)
    if first_of_month(anniversary) != first_of_month(month):
        return None
    if end is not None and end < anniversary:
        return None
    last = add_years(start, years + 1) - timedelta(days=1)
    length = _days(anniversary, last)
    return Period(anniversary, last, length, length, round_money(price), False)


def periods_due(
    *,
    start: date,
    end: date | None,
    period: str,
    price: Decimal | int | str,
    month: date,
    pauses: Iterable[tuple[date, date]] = (),
) -> list[Period]:
    """The periods of a subscription to bill in `month` (none or one, as a list so a caller
    never assumes more or less). `period` is "month" or "year"; pauses are inclusive
    (start, end) pairs and apply to monthly plans only."""
    if period == MONTH:
        found = monthly_period(start=start, end=end, price=price, month=month, pauses=pauses)
    elif period == YEAR:
        found = yearly_period(start=start, end=end, price=price, month=month)
    else:
        raise ValueError(f"unknown billing period {period!r}")
    return [found] if found is not None else []


def next_unbilled_period(
    *,
    start: date,
    end: date | None,
    period: str,
    price: Decimal | int | str,
    from_month: date,
    pauses: Iterable[tuple[date, date]] = (),
    billed: Iterable[str] = (),
    horizon: int = 25,
) -> Period | None:
    """The first period of a subscription, in `from_month` (the first month no bill run has
    billed yet) or later, that is not billed already (its key is not in `billed`: a membership
    sold at the desk); None when the subscription ends first, or within `horizon` months."""
    done = set(billed)
    pauses = list(pauses)
    month = max(first_of_month(start), first_of_month(from_month))
    for _ in range(horizon):
        if end is not None and month > end:
            return None
        for found in periods_due(
            start=start, end=end, period=period, price=price, month=month, pauses=pauses
        ):
            if found.key not in done:
                return found
        month = last_of_month(month) + timedelta(days=1)
    return None
