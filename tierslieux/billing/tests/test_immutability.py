"""An issued invoice never changes and is never deleted: the services refuse with the reason,
the model refuses, and on PostgreSQL the database itself refuses."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from tierslieux.billing import services
from tierslieux.billing.models import (
    CustomerCreditEntry,
    Invoice,
    InvoiceImmutable,
    InvoiceLine,
)
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as f

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the immutability trigger exists on PostgreSQL only"
)


@pytest.fixture
def place():
    return f.place()


@pytest.fixture
def boss(place):
    return f.coordinator(place)


@pytest.fixture
def invoice(place, boss):
    return f.issued(boss, f.customer(place), issue_date=date(2027, 1, 4))


def snapshot(invoice: Invoice) -> tuple:
    row = Invoice.objects.values().get(pk=invoice.pk)
    lines = list(InvoiceLine.objects.filter(invoice=invoice).values())
    return row, lines


def test_the_services_refuse_to_change_or_delete_an_issued_invoice_and_say_why(boss, invoice):
    before = snapshot(invoice)
    calls = [
        lambda: services.update_draft(actor=boss, invoice=invoice, payment_terms="Comptant"),
        lambda: services.update_draft(
            actor=boss, invoice=invoice, lines=[LineInput("Autre", "1", "1", "vat_20")]
        ),
        lambda: services.add_line(
            actor=boss,
            invoice=invoice,
            description="Oubli",
            quantity="1",
            unit_price_net="5",
            tax_code="vat_20",
        ),
        lambda: services.delete_draft(actor=boss, invoice=invoice),
    ]

    for call in calls:
        with translation.override("en"), pytest.raises(InvoiceImmutable) as error:
            call()
        assert error.value.messages == [
            "Invoice F-000001 is issued: it can no longer change; issue a credit note."
        ]
    assert snapshot(invoice) == before


def test_the_model_refuses_to_save_or_delete_an_issued_invoice(invoice):
    before = snapshot(invoice)
    invoice.total_gross += 1

    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        invoice.delete()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.filter(pk=invoice.pk).delete()
    with pytest.raises(InvoiceImmutable):
        Invoice.objects.get(pk=invoice.pk).delete()

    assert snapshot(invoice) == before


def test_a_draft_can_still_change_and_be_deleted(place, boss):
    draft = services.create_draft(
        actor=boss,
        customer=f.customer(place),
        lines=[LineInput("Journée coworking", "1", "20", "vat_20")],
    )

    services.add_line(
        actor=boss,
        invoice=draft,
        description="Café",
        quantity="2",
        unit_price_net="1.50",
        tax_code="vat_10",
    )
    draft = services.update_draft(actor=boss, invoice=draft, service_start=date(2027, 1, 4))
    assert [li.net for li in draft.lines.all()] == [20, 3]
    services.delete_draft(actor=boss, invoice=draft)

    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=draft.pk).exists()


def test_the_credit_ledger_is_append_only(place, boss):
    customer = f.customer(place)
    services.record_payment(
        actor=boss, customer=customer, amount="10", method="cash", date=date(2027, 1, 4)
    )
    entry = CustomerCreditEntry.objects.get(customer=customer)

    entry.amount = 1000
    with pytest.raises(InvoiceImmutable):
        entry.save()
    with pytest.raises(InvoiceImmutable):
        entry.delete()


@on_postgresql
def test_the_database_refuses_any_update_or_delete_of_an_issued_invoice(invoice):
    before = snapshot(invoice)
    attempts = [
        lambda: Invoice.objects.filter(pk=invoice.pk).update(
            total_gross=0, total_net=0, total_tax=0
        ),
        lambda: Invoice.objects.filter(pk=invoice.pk).update(number="F-999999"),
        lambda: Invoice.objects.filter(pk=invoice.pk).update(status="draft"),
        lambda: InvoiceLine.objects.filter(invoice=invoice).update(unit_price_net=1),
        lambda: InvoiceLine.objects.filter(invoice=invoice)._raw_delete(connection.alias),
        lambda: InvoiceLine.objects.create(
            invoice=invoice,
            position=9,
            description="Ajout",
            quantity=1,
            unit_price_net=1,
            tax_code="vat_20",
            tax_rate=20,
            net=1,
        ),
        lambda: Invoice.objects.filter(pk=invoice.pk)._raw_delete(connection.alias),
    ]

    for attempt in attempts:
        with pytest.raises(IntegrityError, match="billing_invoice_immutable"), transaction.atomic():
            attempt()
    assert snapshot(invoice) == before


@on_postgresql
def test_the_database_still_lets_drafts_change_and_go(place):
    draft = f.draft(f.customer(place))

    Invoice.objects.filter(pk=draft.pk).update(payment_terms="Comptant")
    InvoiceLine.objects.filter(invoice=draft).update(description="Demi-journée")
    Invoice.objects.filter(pk=draft.pk).delete()

    assert not Invoice.objects.filter(pk=draft.pk).exists()
