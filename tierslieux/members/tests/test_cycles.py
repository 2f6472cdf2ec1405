"""Billing periods of subscriptions (pure): calendar months prorated by days, pauses, yearly
memberships on their anniversaries."""

from datetime import date
from decimal import Decimal as D

import pytest

from tierslieux.members.cycles import (
    Period,
    add_years,
    monthly_period,
    next_unbilled_period,
    paused_days,
    periods_due,
    yearly_period,
)

pytestmark = pytest.mark.pure

NOV = date(2026, 11, 1)


def month(start, month_, end=None, price="150.00", pauses=()):
    return monthly_period(start=start, end=end, price=D(price), month=month_, pauses=pauses)


def test_a_full_calendar_month_bills_the_whole_price():
    assert month(date(2026, 1, 1), NOV) == Period(
        date(2026, 11, 1), date(2026, 11, 30), 30, 30, D("150.00"), False
    )


def test_the_month_may_be_given_by_any_of_its_days():
    assert month(date(2026, 1, 1), date(2026, 11, 17)) == month(date(2026, 1, 1), NOV)


@pytest.mark.parametrize(
    ("start", "billed", "amount"),
    [
        (date(2026, 11, 22), 9, D("45.00")),  # 150 × 9 / 30
        (date(2026, 11, 30), 1, D("5.00")),
        (date(2026, 11, 2), 29, D("145.00")),
        (date(2026, 11, 1), 30, D("150.00")),
    ],
)
def test_a_start_in_mid_month_is_prorated_by_days(start, billed, amount):
    found = month(start, NOV)
    assert (found.start, found.billed_days, found.amount) == (start, billed, amount)
    assert found.prorated is (billed != 30)


def test_proration_rounds_half_up_to_the_cent():
    # 100 × 1 / 31 = 3.2258… → 3.23; 10 × 15 / 31 = 4.8387… → 4.84; 0.10 × 5 / 20 → 0.025 → 0.03
    assert month(date(2026, 12, 31), date(2026, 12, 1), price="100.00").amount == D("3.23")
    assert month(date(2026, 12, 17), date(2026, 12, 1), price="10.00").amount == D("4.84")
    assert month(date(2026, 11, 26), NOV, price="0.10").amount == D("0.02")  # 0.0166…
    assert month(date(2026, 11, 16), NOV, price="0.15").amount == D("0.08")  # 0.075 half-up


def test_february_has_28_or_29_days():
    feb = month(date(2027, 2, 15), date(2027, 2, 1), price="140.00")
    assert (feb.billed_days, feb.days_in_period, feb.amount) == (14, 28, D("70.00"))
    leap = month(date(2028, 2, 15), date(2028, 2, 1), price="145.00")
    assert (leap.billed_days, leap.days_in_period, leap.amount) == (15, 29, D("75.00"))
    full = month(date(2027, 1, 31), date(2027, 2, 1))
    assert (full.billed_days, full.amount, full.prorated) == (28, D("150.00"), False)


def test_a_start_on_the_31st_bills_one_day_then_whole_months():
    start = date(2027, 1, 31)
    january = month(start, date(2027, 1, 1), price="155.00")
    assert (january.start, january.billed_days, january.amount) == (start, 1, D("5.00"))
    assert month(start, date(2027, 2, 1), price="155.00").amount == D("155.00")
    assert month(start, date(2027, 4, 1), price="155.00").amount == D("155.00")


def test_nothing_is_billed_before_the_start_or_after_the_end():
    assert month(date(2026, 12, 1), NOV) is None
    assert month(date(2026, 1, 1), NOV, end=date(2026, 10, 31)) is None
    assert periods_due(start=date(2026, 12, 1), end=None, period="month", price=1, month=NOV) == []


def test_a_cancellation_ending_in_mid_month_is_prorated():
    found = month(date(2026, 1, 1), NOV, end=date(2026, 11, 10))
    assert (found.start, found.end, found.billed_days, found.amount) == (
        date(2026, 11, 1),
        date(2026, 11, 10),
        10,
        D("50.00"),
    )


def test_a_start_and_an_end_in_the_same_month():
    found = month(date(2026, 11, 11), NOV, end=date(2026, 11, 20))
    assert (found.start, found.end, found.billed_days, found.amount) == (
        date(2026, 11, 11),
        date(2026, 11, 20),
        10,
        D("50.00"),
    )


def test_a_single_day_subscription():
    found = month(date(2026, 11, 5), NOV, end=date(2026, 11, 5))
    assert (found.billed_days, found.amount) == (1, D("5.00"))


def test_paused_days_are_not_billed():
    found = month(date(2026, 1, 1), NOV, pauses=[(date(2026, 11, 1), date(2026, 11, 15))])
    assert (found.start, found.end, found.billed_days, found.amount) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        15,
        D("75.00"),
    )


def test_a_pause_spanning_months_prorates_each_and_skips_the_month_paused_whole():
    pause = [(date(2026, 10, 20), date(2026, 12, 10))]
    october = month(date(2026, 1, 1), date(2026, 10, 1), price="155.00", pauses=pause)
    assert (october.billed_days, october.amount) == (19, D("95.00"))  # 1–19 of 31
    assert month(date(2026, 1, 1), NOV, pauses=pause) is None
    december = month(date(2026, 1, 1), date(2026, 12, 1), price="155.00", pauses=pause)
    assert (december.billed_days, december.amount) == (21, D("105.00"))  # 11–31 of 31
    assert december.start == date(2026, 12, 1)  # the cycle's key stays the covered start


def test_overlapping_and_out_of_range_pauses_count_each_day_once():
    pauses = [
        (date(2026, 11, 5), date(2026, 11, 10)),
        (date(2026, 11, 8), date(2026, 11, 12)),
        (date(2026, 11, 10), date(2026, 11, 10)),
        (date(2026, 9, 1), date(2026, 9, 30)),
    ]
    assert paused_days(date(2026, 11, 1), date(2026, 11, 30), pauses) == 8  # 5–12
    assert month(date(2026, 1, 1), NOV, pauses=pauses).billed_days == 22


def test_a_pause_before_the_start_in_the_same_month_changes_nothing():
    found = month(date(2026, 11, 21), NOV, pauses=[(date(2026, 11, 1), date(2026, 11, 20))])
    assert (found.billed_days, found.amount) == (10, D("50.00"))


def test_a_start_in_mid_month_paused_to_the_end_bills_nothing():
    pause = [(date(2026, 11, 22), date(2027, 1, 31))]
    assert month(date(2026, 11, 22), NOV, pauses=pause) is None


def test_a_free_plan_bills_a_zero_period():
    assert month(date(2026, 11, 16), NOV, price="0.00").amount == D("0.00")


# Yearly memberships


def year(start, month_, end=None, price="50.00"):
    return yearly_period(start=start, end=end, price=D(price), month=month_)


def test_a_membership_bills_its_first_year_in_its_start_month_unprorated():
    found = year(date(2026, 11, 22), NOV)
    assert found == Period(date(2026, 11, 22), date(2027, 11, 21), 365, 365, D("50.00"), False)


def test_a_membership_bills_again_on_each_anniversary_month_only():
    start = date(2025, 3, 15)
    assert year(start, date(2026, 3, 1)).start == date(2026, 3, 15)
    assert year(start, date(2027, 3, 1)).end == date(2028, 3, 14)
    assert year(start, date(2027, 3, 1)).billed_days == 366  # 2027-03-15 to 2028-03-14
    for other in (date(2026, 2, 1), date(2026, 4, 1), date(2025, 2, 1), NOV):
        assert year(start, other) is None


def test_a_membership_started_on_29_february_renews_on_28_february():
    start = date(2028, 2, 29)
    assert add_years(start, 1) == date(2029, 2, 28)
    assert year(start, date(2029, 2, 1)).start == date(2029, 2, 28)
    assert year(start, date(2028, 2, 1)).end == date(2029, 2, 27)
    assert year(start, date(2032, 2, 1)).start == date(2032, 2, 29)


def test_a_membership_started_on_the_31st_keeps_its_day():
    start = date(2026, 1, 31)
    assert year(start, date(2027, 1, 1)).start == date(2027, 1, 31)
    assert year(start, date(2026, 2, 1)) is None


def test_a_cancelled_membership_is_not_renewed_but_its_current_year_is_not_prorated():
    start = date(2025, 11, 10)
    assert year(start, NOV, end=date(2026, 11, 9)) is None
    assert year(start, NOV, end=date(2026, 11, 10)).amount == D("50.00")
    current = year(start, date(2025, 11, 1), end=date(2026, 2, 1))
    assert (current.amount, current.end) == (D("50.00"), date(2026, 11, 9))


def test_pauses_do_not_apply_to_yearly_fees():
    found = periods_due(
        start=date(2026, 11, 1),
        end=None,
        period="year",
        price=D("50.00"),
        month=NOV,
        pauses=[(date(2026, 11, 1), date(2027, 3, 1))],
    )
    assert [p.amount for p in found] == [D("50.00")]


def test_periods_due_dispatches_by_period_and_refuses_an_unknown_one():
    monthly = periods_due(start=date(2026, 11, 22), end=None, period="month", price=150, month=NOV)
    assert [(p.key, p.amount) for p in monthly] == [("2026-11-22", D("45.00"))]
    with pytest.raises(ValueError, match="unknown billing period"):
        periods_due(start=NOV, end=None, period="", price=1, month=NOV)


@pytest.mark.parametrize(
    ("period", "start", "end", "from_month", "billed", "expected"),
    [
        # the first month no run has billed, when the plan started before it
        ("month", date(2026, 1, 1), None, date(2026, 3, 1), (), date(2026, 3, 1)),
        # a plan started mid-month: its prorated first period starts on its first day
        ("month", date(2026, 3, 10), None, date(2026, 3, 1), (), date(2026, 3, 10)),
        # a plan that starts later: its start
        ("month", date(2026, 5, 10), None, date(2026, 3, 1), (), date(2026, 5, 10)),
        # a plan that ended before the month to bill: nothing more
        ("month", date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1), (), None),
        # a period already charged (backdated into a run month): the one after
        ("month", date(2026, 1, 1), None, date(2026, 3, 1), ("2026-03-01",), date(2026, 4, 1)),
        # a yearly membership: its next anniversary from the month to bill
        ("year", date(2025, 9, 1), None, date(2026, 3, 1), (), date(2026, 9, 1)),
        # sold at the desk this month (its year charged): next year's
        ("year", date(2026, 3, 5), None, date(2026, 3, 1), ("2026-03-05",), date(2027, 3, 5)),
        # 29 February: the anniversary falls on 28 February in common years
        ("year", date(2024, 2, 29), None, date(2026, 3, 1), (), date(2027, 2, 28)),
    ],
)
def test_the_next_unbilled_period_follows_the_runs_and_what_is_charged(
    period, start, end, from_month, billed, expected
):
    found = next_unbilled_period(
        start=start, end=end, period=period, price="10", from_month=from_month, billed=billed
    )
    assert (found.start if found else None) == expected


def test_a_month_paused_whole_is_skipped():
    found = next_unbilled_period(
        start=date(2026, 1, 1),
        end=None,
        period="month",
        price="10",
        from_month=date(2026, 3, 1),
        pauses=[(date(2026, 3, 1), date(2026, 3, 31))],
    )
    assert found is not None and found.start == date(2026, 4, 1)
