"""The legal records are refused by the database itself on PostgreSQL, whatever code writes
raw SQL: the audit log, the ledger, issued invoices, payments and allocations, closed
periods, and the sequence (never back, never deleted, its prefix fixed after the first
number). The models refuse the same on every database."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tierslieux.billing import services
from tierslieux.billing.models import ClosedPeriod, InvoiceSequence, Payment, PaymentAllocation
from tierslieux.billing.tests.records import books, sql
from tierslieux.core.append_only import AppendOnlyError

REFUSED = [
    "UPDATE core_auditentry SET action = 'x'",
    "DELETE FROM core_auditentry",
    "UPDATE billing_customercreditentry SET amount = amount + 1",
    "DELETE FROM billing_customercreditentry",
    "UPDATE billing_invoice SET total_net = 0, total_tax = 0, total_gross = 0",
    "DELETE FROM billing_invoice WHERE sequence_number = 3",
    "UPDATE billing_invoiceline SET description = 'x'",
    "UPDATE billing_payment SET amount = amount + 1",
    "UPDATE billing_payment SET recorded_by_id = recorded_by_id + 1",  # only to NULL
    "DELETE FROM billing_payment",
    "UPDATE billing_paymentallocation SET amount = amount + 1",
    "DELETE FROM billing_paymentallocation",
    "UPDATE billing_closedperiod SET \"end\" = '2027-12-31'",
    "DELETE FROM billing_closedperiod",
    "UPDATE billing_invoicesequence SET prefix = 'ZZ'",
    "UPDATE billing_invoicesequence SET next_number = next_number - 1",
    "DELETE FROM billing_invoicesequence",
]


@pytest.fixture
def kept():
    kept = books()
    services.record_payment(  # settles the rest, 58 € of credit
        actor=kept.coordinator,
        customer=kept.invoices[0].customer,
        amount="100",
        method="cash",
        date=date(2027, 2, 1),
    )
    services.close_period(
        actor=kept.coordinator, place=kept.place, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    return kept


@pytest.mark.postgres_only
def test_postgresql_refuses_raw_sql_on_the_legal_records(kept):
    refused = []
    for statement in REFUSED:
        try:
            with transaction.atomic():
                sql(statement)
        except IntegrityError as error:
            refused.append(statement)
            assert "append_only" in str(error) or "billing_invoice" in str(error), statement
    assert refused == REFUSED

    # What stays allowed: a sequence moving forward, a deleted user's id set to NULL.
    with transaction.atomic():
        sql("UPDATE billing_invoicesequence SET next_number = next_number + 1")
        sql("UPDATE billing_payment SET recorded_by_id = NULL")
    assert InvoiceSequence.objects.get(place=kept.place).next_number == 5


@pytest.mark.postgres_only
def test_postgresql_lets_the_prefix_change_before_the_first_number(place, coordinator):
    services.set_invoice_prefix(actor=coordinator, place=place, prefix="FAC")
    services.set_invoice_prefix(actor=coordinator, place=place, prefix="FA")

    assert InvoiceSequence.objects.get(place=place).prefix == "FA"


def test_the_models_refuse_to_change_or_delete_payments_and_closed_periods(kept):
    payment, period = kept.payments[0], ClosedPeriod.objects.get()
    allocation = PaymentAllocation.objects.filter(payment=payment).first()
    for call in (
        payment.save,
        payment.delete,
        allocation.save,
        allocation.delete,
        period.save,
        period.delete,
        lambda: Payment.objects.update(amount=1),
        lambda: ClosedPeriod.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            call()
