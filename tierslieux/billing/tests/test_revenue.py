"""The revenue dashboard: what it reads from the database (in a fixed number of queries),
and who may open it. Its arithmetic: `test_revenue_rules`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tierslieux.billing import revenue_queries, services
from tierslieux.billing.models import Customer, Funding
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as bf
from tierslieux.places.tests import factories as pf

# --- from the database --------------------------------------------------------------------


def _issue(actor, customer, lines, issue_date):
    draft = services.create_draft(actor=actor, customer=customer, lines=lines)
    return services.issue_invoice(actor=actor, invoice=draft, issue_date=issue_date)


def _line(price: str, family: str, code: str = "vat_20") -> LineInput:
    return LineInput("Ligne", "1", price, code, family=family)


@pytest.fixture(scope="module")
def books(django_db_setup, django_db_blocker):
    """A year of books, written once for the module (its tests only read them, or write in
    their own savepoint) and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _books()
        transaction.set_rollback(True)


def _books():
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


@pytest.mark.parametrize("persona", ["staff", "network_observer"])
def test_the_team_and_the_network_read_the_totals(books, persona):
    """Totals and no one's name (Perm.VIEW_FIGURES): the team and the network read them."""
    place = books["place"]
    user = {
        "staff": lambda: pf.staff(place),
        "network_observer": lambda: pf.network_observer(place.network),
    }[persona]()
    client = Client()
    client.force_login(user)
    assert client.get(_url(place)).status_code == 200


@pytest.mark.parametrize("persona", ["member", "outsider", "other_coordinator"])
def test_nobody_else_opens_the_dashboard(books, persona):
    place = books["place"]
    user = {
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
