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
from tierslieux.core.append_only import AppendOnlyError

# The immutability trigger exists on PostgreSQL only: the SQLite pass leaves these tests out.
on_postgresql = pytest.mark.postgres_only


@pytest.fixture
def invoice(place, coordinator):
    return f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))


def snapshot(invoice: Invoice) -> tuple:
    row = Invoice.objects.values().get(pk=invoice.pk)
    lines = list(InvoiceLine.objects.filter(invoice=invoice).values())
    return row, lines


def test_the_services_refuse_to_change_or_delete_an_issued_invoice_and_say_why(
    coordinator, invoice
):
    before = snapshot(invoice)
    calls = [
        lambda: services.update_draft(actor=coordinator, invoice=invoice, payment_terms="Comptant"),
        lambda: services.update_draft(
            actor=coordinator, invoice=invoice, lines=[LineInput("Autre", "1", "1", "vat_20")]
        ),
        lambda: services.add_line(
            actor=coordinator,
            invoice=invoice,
            description="Oubli",
            quantity="1",
            unit_price_net="5",
            tax_code="vat_20",
        ),
        lambda: services.delete_draft(actor=coordinator, invoice=invoice),
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


def test_a_draft_can_still_change_and_be_deleted(place, coordinator):
    draft = services.create_draft(
        actor=coordinator,
        customer=f.customer(place),
        lines=[LineInput("Journée coworking", "1", "20", "vat_20")],
    )

    services.add_line(
        actor=coordinator,
        invoice=draft,
        description="Café",
        quantity="2",
        unit_price_net="1.50",
        tax_code="vat_10",
    )
    draft = services.update_draft(actor=coordinator, invoice=draft, service_start=date(2027, 1, 4))
    assert [li.net for li in draft.lines.all()] == [20, 3]
    services.delete_draft(actor=coordinator, invoice=draft)

    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert not InvoiceLine.objects.filter(invoice_id=draft.pk).exists()


def test_the_credit_ledger_is_append_only(place, coordinator):
    customer = f.customer(place)
    services.record_payment(
        actor=coordinator, customer=customer, amount="10", method="cash", date=date(2027, 1, 4)
    )
    entry = CustomerCreditEntry.objects.get(customer=customer)
    ledger = CustomerCreditEntry.objects.filter(pk=entry.pk)

    entry.amount = 1000
    with pytest.raises(AppendOnlyError) as error:
        entry.save()
    assert error.value.messages == ["Le registre des avoirs clients n’accepte que des ajouts."]
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ledger.update(amount=1000)
    with pytest.raises(AppendOnlyError):
        ledger.delete()
    with pytest.raises(AppendOnlyError):
        CustomerCreditEntry.objects.bulk_update([entry], ["amount"])
    assert ledger.values_list("amount", flat=True).get() == 10


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
def test_the_database_refuses_any_update_or_delete_of_a_credit_entry(place, coordinator):
    customer = f.customer(place)
    services.record_payment(
        actor=coordinator, customer=customer, amount="10", method="cash", date=date(2027, 1, 4)
    )
    entry = CustomerCreditEntry.objects.get(customer=customer)
    table = CustomerCreditEntry._meta.db_table
    attempts = [
        f"UPDATE {table} SET amount = 1000 WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ]

    for sql in attempts:
        with (
            pytest.raises(IntegrityError, match="append_only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert CustomerCreditEntry.objects.values_list("amount", flat=True).get(pk=entry.pk) == 10


@on_postgresql
def test_the_database_still_lets_drafts_change_and_go(place):
    draft = f.draft(f.customer(place))

    Invoice.objects.filter(pk=draft.pk).update(payment_terms="Comptant")
    InvoiceLine.objects.filter(invoice=draft).update(description="Demi-journée")
    Invoice.objects.filter(pk=draft.pk).delete()

    assert not Invoice.objects.filter(pk=draft.pk).exists()
