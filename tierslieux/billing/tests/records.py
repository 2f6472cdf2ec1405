"""Shared by the `test_records_*` modules: a place with issued invoices and payments, and a
way to tamper with the database behind the services' back (as an intruder with SQL would)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from tierslieux.billing import services
from tierslieux.billing.models import Invoice, Payment
from tierslieux.billing.tests import factories as f
from tierslieux.places.models import Place


@dataclass
class Books:
    place: Place
    coordinator: Any
    invoices: list[Invoice]
    payments: list[Payment]


def books(slug: str = "la-fabrique") -> Books:
    """Three issued invoices of 24 €, two payments (10 € to the first, 20 € to the first
    and the second): the last invoice is unpaid, so nothing refers to it."""
    place = f.place(slug=slug, name="La Fabrique")
    boss = f.coordinator(place)
    customer = f.customer(place, name="Association Les Amis")
    invoices = [f.issued(boss, customer, issue_date=date(2027, 1, d)) for d in (4, 5, 6)]
    pay = services.record_payment
    payments = [
        pay(actor=boss, customer=customer, amount="10", method="transfer", date=date(2027, 1, 7)),
        pay(actor=boss, customer=customer, amount="20", method="cheque", date=date(2027, 1, 8)),
    ]
    return Books(place, boss, invoices, payments)


def sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@contextmanager
def behind_the_services_back(*tables: str) -> Iterator[None]:
    """On PostgreSQL the triggers would refuse: switch the tables' own triggers off inside
    the test's transaction (DDL is transactional there: the rollback restores them)."""
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        sql("SET CONSTRAINTS ALL DEFERRED")
    yield


def remove_last_invoice(books_: Books, *, rewind: bool) -> None:
    """What the auditor did: delete the last issued invoice, and maybe rewind the sequence."""
    last = books_.invoices[-1]
    with behind_the_services_back(
        "billing_invoice", "billing_invoiceline", "billing_invoicesequence"
    ):
        sql("DELETE FROM billing_invoiceline WHERE invoice_id = %s", last.pk)
        sql("DELETE FROM billing_invoice WHERE id = %s", last.pk)
        if rewind:
            sql(
                "UPDATE billing_invoicesequence SET next_number = %s WHERE place_id = %s",
                last.sequence_number,
                books_.place.pk,
            )
