"""Fixtures of the billing pages' tests: a place that invoices, its coordinator logged in
(`team`), a customer, and books in every state (today is fixed: "overdue" is stable)."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings

from tierslieux.billing import services
from tierslieux.billing.models import (
    Customer,
)
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.views.support import (
    SIXTY,
    TODAY,
)


@pytest.fixture(autouse=True)
def _today(clock):
    """The pages read "today" in the place's time zone: fixed, so "overdue" is stable."""
    clock.set(TODAY)


@pytest.fixture
def customer(place):
    return f.customer(place, name="Association Les Amis")


@pytest.fixture
def team(client, coordinator):
    """The place's coordinator, logged in."""
    client.force_login(coordinator)
    return client


@pytest.fixture
def english(client):
    """Assertions read the English source strings, whatever the catalogues say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def books(place, coordinator, customer):
    """A draft, an issued invoice with a payment, a credit note."""
    draft = f.draft(customer)
    issued = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 10))
    services.record_payment(
        actor=coordinator, customer=customer, amount="10.00", method="cash", date=date(2027, 1, 12)
    )
    other = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 11))
    note = services.create_credit_note(
        actor=coordinator, invoice=other, issue_date=date(2027, 1, 11)
    )
    return {"draft": draft, "issued": issued, "note": note}


@pytest.fixture
def ledger(place, coordinator, customer):
    """Four invoices of Les Amis in four payment states, one of another customer, a draft."""
    company = f.customer(place, name="Coopérative Octopus", kind=Customer.Kind.COMPANY)
    unpaid = f.issued(
        coordinator, customer, SIXTY, issue_date=date(2027, 1, 5)
    )  # due 4 Feb: overdue
    partly = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 2, 10))  # due 12 March
    paid = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 2, 11))
    other = f.issued(
        coordinator, company, [("Salle", "2", "100.00", "vat_20")], issue_date=date(2027, 2, 12)
    )
    services.record_payment(
        actor=coordinator,
        customer=customer,
        amount="80.00",
        method="transfer",
        date=date(2027, 2, 20),
        allocations=[(partly, "20.00"), (paid, "60.00")],
    )
    draft = f.draft(customer)
    return {
        "unpaid": unpaid,
        "partly": partly,
        "paid": paid,
        "other": other,
        "draft": draft,
        "company": company,
    }
