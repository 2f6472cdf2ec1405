"""The revenue dashboard: its arithmetic (pure), what it reads from the database (in a fixed
number of queries), and who may open it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from tierslieux.billing import revenue, revenue_queries, services
from tierslieux.billing.models import Customer, Funding
from tierslieux.billing.revenue import Amount, OpenItem
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as bf
from tierslieux.places.tests import factories as pf

# --- pure arithmetic ----------------------------------------------------------------------


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


# --- from the database --------------------------------------------------------------------


def _issue(actor, customer, lines, issue_date):
    draft = services.create_draft(actor=actor, customer=customer, lines=lines)
    return services.issue_invoice(actor=actor, invoice=draft, issue_date=issue_date)


def _line(price: str, family: str, code: str = "vat_20") -> LineInput:
    return LineInput("Ligne", "1", price, code, family=family)


@pytest.fixture
def books(db):
    place = bf.place()
    owner = bf.coordinator(place)
    alice = bf.customer(place, name="Alice")
    town = bf.customer(place, name="Mairie", kind=Customer.Kind.PUBLIC_BODY)
    _issue(owner, alice, [_line("999.00", "services")], date(2025, 12, 1))
    january = _issue(
        owner,
        alice,
        [_line("50.00", "memberships", "exempt_261_7_1b"), _line("100.00", "services")],
        date(2026, 1, 10),
    )
    _issue(owner, town, [_line("200.00", "services")], date(2026, 2, 3))
    services.create_credit_note(actor=owner, invoice=january, issue_date=date(2026, 2, 20))
    late = _issue(owner, alice, [_line("40.00", "side_activities")], date(2026, 3, 2))
    services.record_payment(
        actor=owner, customer=alice, amount="10.00", method="cash", date=date(2026, 3, 5)
    )
    Funding.objects.create(
        place=place, funder="Région", amount=D("300.00"), received_on=date(2026, 2, 14)
    )
    Funding.objects.create(
        place=place, funder="Mécène", public=False, amount=D("100.00"), received_on=date(2026, 2, 1)
    )
    return {"place": place, "owner": owner, "alice": alice, "late": late}


def test_the_dashboard_reads_invoices_credit_notes_and_fundings_of_the_year(books):
    data = revenue_queries.dashboard(books["place"], 2026, today=date(2026, 5, 1))
    r = data.revenue
    assert r.months[0].by_family == {
        "memberships": D("50.00"),
        "services": D("100.00"),
        "partnerships": D("0.00"),
        "side_activities": D("0.00"),
    }
    # February: the town's 200, the January invoice credited (−150), 400 of fundings.
    assert r.months[1].by_family == {
        "memberships": D("-50.00"),
        "services": D("100.00"),
        "partnerships": D("400.00"),
        "side_activities": D("0.00"),
    }
    assert r.months[2].by_family["side_activities"] == D("40.00")
    assert r.total == D("640.00")
    assert r.public == D("500.00")  # the town's invoice and the regional grant
    assert r.public_percent == D("78.1")
    assert data.years == [2026, 2025]


def test_receivables_are_the_issued_invoices_still_due_aged_by_due_date(books):
    data = revenue_queries.dashboard(books["place"], 2026, today=date(2026, 5, 1))
    rec = data.receivables
    # Still due: December's 1198.80 (the 10 paid went to it, the oldest), February's town
    # invoice 240.00, March's 48.00; January's was credited in full.
    assert rec.count == 3
    assert rec.total == D("1198.80") - D("10.00") + D("240.00") + D("48.00")
    assert rec.not_yet_due == D("0.00")
    by_label = {b.label: b.amount for b in rec.buckets}
    assert by_label == {
        "0–30": D("48.00"),  # due on 1 April (30 days' terms): 30 days late
        "31–60": D("240.00"),  # due on 5 March
        "61–90": D("0.00"),
        ">90": D("1188.80"),  # due on 31 December
    }
    assert rec.overdue == rec.total
    early = revenue_queries.dashboard(books["place"], 2026, today=date(2026, 4, 1)).receivables
    assert early.not_yet_due == D("48.00")  # due that very day: not overdue yet


def test_the_dashboard_takes_the_same_number_of_queries_whatever_the_volume(
    books, django_assert_num_queries
):
    place = books["place"]
    with django_assert_num_queries(5):
        revenue_queries.dashboard(place, 2026, today=date(2026, 5, 1))
    for day in (4, 5, 6):
        _issue(books["owner"], books["alice"], [_line("10.00", "services")], date(2026, 4, day))
    with django_assert_num_queries(5):
        data = revenue_queries.dashboard(place, 2026, today=date(2026, 5, 1))
    assert data.revenue.months[3].total == D("30.00")


# --- who may see it -----------------------------------------------------------------------


def _url(place) -> str:
    return reverse("revenue:dashboard", args=[place.slug])


def test_the_coordinator_sees_the_dashboard_of_a_chosen_year(books):
    client = Client()
    client.force_login(books["owner"])
    response = client.get(_url(books["place"]), {"year": "2026"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="revenue-table"' in page and 'id="receivables-table"' in page
    assert response.context["data"].year == 2026
    assert response.context["data"].revenue.total == D("640.00")
    assert client.get(_url(books["place"]), {"year": "nonsense"}).status_code == 200


@pytest.mark.parametrize("persona", ["staff", "member", "outsider", "other_coordinator"])
def test_nobody_else_opens_the_dashboard(books, persona):
    place = books["place"]
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(pf.place()),
    }[persona]()
    client = Client()
    client.force_login(user)
    response = client.get(_url(place))
    assert response.status_code == 403
    assert "Mairie" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(books):
    response = Client().get(_url(books["place"]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
