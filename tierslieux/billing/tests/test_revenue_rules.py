"""The revenue dashboard's arithmetic (`billing.revenue`): pure, no database. What it reads
from the database and who may open it: `test_revenue`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tierslieux.billing import revenue
from tierslieux.billing.revenue import Amount, OpenItem

pytestmark = pytest.mark.pure


def test_amounts_are_summed_per_month_and_family_and_a_credit_note_subtracts():
    r = revenue.revenue(
        2026,
        [
            Amount(1, "memberships", D("100.00")),
            Amount(1, "memberships", D("50.00")),
            Amount(1, "services", D("30.00")),
            Amount(3, "services", D("-10.00")),  # a credit note in March
            Amount(3, "partnerships", D("20.00"), public=True),
        ],
    )
    january, march = r.months[0], r.months[2]
    assert january.by_family["memberships"] == D("150.00")
    assert january.total == D("180.00")
    assert march.cells == [D("0.00"), D("-10.00"), D("20.00"), D("0.00")]
    assert r.months[1].total == D("0.00")
    assert r.totals == {
        "memberships": D("150.00"),
        "services": D("20.00"),
        "partnerships": D("20.00"),
        "side_activities": D("0.00"),
    }
    assert r.total == D("190.00")
    assert sum((m.total for m in r.months), D(0)) == r.total


def test_each_share_is_set_against_its_target_range():
    r = revenue.revenue(
        2026,
        [
            Amount(5, "memberships", D("450.00")),
            Amount(5, "services", D("350.00")),
            Amount(6, "partnerships", D("200.00")),
        ],
    )
    shares = {s.family: s for s in r.shares}
    assert shares["memberships"].percent == D("45.0")
    assert shares["memberships"].standing == revenue.WITHIN
    assert (shares["memberships"].low, shares["memberships"].high) == (D(40), D(50))
    assert shares["services"].percent == D("35.0")
    assert shares["services"].standing == revenue.ABOVE
    assert shares["partnerships"].standing == revenue.WITHIN
    assert shares["side_activities"].percent == D("0.0")
    assert shares["side_activities"].standing == revenue.BELOW
    assert [s.family for s in r.shares] == list(revenue.FAMILIES)


def test_the_public_share_counts_public_fundings_and_invoices_to_public_bodies():
    r = revenue.revenue(
        2026,
        [
            Amount(1, "memberships", D("600.00")),
            Amount(2, "services", D("100.00"), public=True),  # invoiced to a town hall
            Amount(2, "partnerships", D("300.00"), public=True),  # a regional grant
        ],
    )
    assert r.public == D("400.00")
    assert r.public_percent == D("40.0")
    assert not r.public_within
    smaller = revenue.revenue(
        2026, [Amount(1, "memberships", D("700")), Amount(2, "partnerships", D("300"), True)]
    )
    assert smaller.public_percent == D("30.0") and smaller.public_within


def test_a_year_without_revenue_has_no_shares():
    r = revenue.revenue(2026, [])
    assert r.total == D("0.00")
    assert all(s.percent is None and s.standing is None for s in r.shares)
    assert r.public_percent is None and r.public_within


def test_an_amount_outside_the_table_is_refused():
    with pytest.raises(ValueError):
        revenue.revenue(2026, [Amount(13, "services", D("1"))])
    with pytest.raises(ValueError):
        revenue.revenue(2026, [Amount(1, "lottery", D("1"))])


@pytest.mark.parametrize(
    ("days", "label"),
    [(-5, None), (0, None), (1, "0–30"), (30, "0–30"), (31, "31–60"), (60, "31–60"),
     (61, "61–90"), (90, "61–90"), (91, ">90"), (400, ">90")],
)  # fmt: skip
def test_overdue_invoices_fall_in_age_buckets_from_their_due_date(days, label):
    assert revenue.bucket_of(days) == label


def test_receivables_split_what_is_not_yet_due_from_the_overdue_buckets():
    today = date(2026, 6, 30)
    r = revenue.receivables(
        [
            OpenItem(D("10.00"), date(2026, 7, 15)),  # not yet due
            OpenItem(D("20.00"), date(2026, 6, 30)),  # due today: not overdue
            OpenItem(D("30.00"), date(2026, 6, 1)),  # 29 days
            OpenItem(D("40.00"), date(2026, 4, 30)),  # 61 days
            OpenItem(D("50.00"), date(2025, 12, 1)),  # > 90 days
            OpenItem(D("0.00"), date(2025, 1, 1)),  # settled: ignored
        ],
        today,
    )
    assert (r.total, r.count) == (D("150.00"), 5)
    assert r.not_yet_due == D("30.00")
    assert r.overdue == D("120.00")
    assert [(b.label, b.amount, b.count) for b in r.buckets] == [
        ("0–30", D("30.00"), 1),
        ("31–60", D("0.00"), 0),
        ("61–90", D("40.00"), 1),
        (">90", D("50.00"), 1),
    ]
