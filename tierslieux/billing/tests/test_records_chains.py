"""Payments are hash-chained like invoices, and `verify_invoices` catches what the auditor
did: a payment or an allocation changed or removed, the last invoice removed, the sequence
rewound, the prefix changed after the first number."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tierslieux.billing import chain, services
from tierslieux.billing.integrity import verify
from tierslieux.billing.models import PaymentAllocation
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.records import (
    behind_the_services_back,
    books,
    remove_last_invoice,
    sql,
)


@pytest.fixture
def kept():
    return books()


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_invoices", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_payments_are_chained_when_recorded_and_the_books_verify(kept):
    first, second = kept.payments
    assert first.previous_hash == chain.GENESIS and second.previous_hash == first.hash
    parts = [(a.invoice.number, a.amount) for a in second.allocations.select_related("invoice")]
    assert sorted(parts) == [("F-000001", Decimal("14.00")), ("F-000002", Decimal("6.00"))]
    assert second.hash == chain.chain_hash(first.hash, chain.payment_payload(second, parts))

    assert run() == (0, "la-fabrique: 3 issued invoices, 2 payments, chain intact\n")


def test_a_payment_changed_behind_the_back_is_named(kept):
    first = kept.payments[0]
    with behind_the_services_back("billing_payment"):
        sql("UPDATE billing_payment SET amount = 1000 WHERE id = %s", first.pk)

    code, out = run()

    assert code == 1
    assert f"payment #{first.pk} of 2027-01-07: content changed since recorded" in out
    assert f"payment #{kept.payments[1].pk}" not in out  # the next one is not accused


def test_an_allocation_moved_to_another_invoice_is_caught(kept):
    allocation = PaymentAllocation.objects.get(payment=kept.payments[0])
    with behind_the_services_back("billing_paymentallocation"):
        sql(
            "UPDATE billing_paymentallocation SET invoice_id = %s WHERE id = %s",
            kept.invoices[2].pk,
            allocation.pk,
        )

    assert not verify(kept.place).intact
    assert f"payment #{kept.payments[0].pk}" in str(verify(kept.place).findings[0])


def test_a_removed_payment_breaks_the_chain_at_the_next(kept):
    first, second = kept.payments
    with behind_the_services_back("billing_payment", "billing_paymentallocation"):
        sql("DELETE FROM billing_paymentallocation WHERE payment_id = %s", first.pk)
        sql("DELETE FROM billing_payment WHERE id = %s", first.pk)

    findings = [str(x) for x in verify(kept.place).findings]

    assert findings == [f"payment #{second.pk} of 2027-01-08: chain broken: previous hash differs"]


def test_a_removed_last_invoice_is_caught_by_the_sequence(kept):
    remove_last_invoice(kept, rewind=False)

    code, out = run("--place", "la-fabrique")

    assert code == 1
    assert "F-000002: missing after it: number 3" in out


def test_a_rewound_sequence_is_caught(kept):
    with behind_the_services_back("billing_invoicesequence"):
        sql("UPDATE billing_invoicesequence SET next_number = 2 WHERE place_id = %s", kept.place.pk)

    assert [str(x) for x in verify(kept.place).findings] == [
        "F-000003: the sequence went back to 2"
    ]


def test_a_prefix_changed_after_the_first_number_is_caught(kept):
    """The auditor's F-000003 then ZZ-000004: the new number chains well, but leaves the
    series; and the sequence's prefix itself is compared with the series."""
    with behind_the_services_back("billing_invoicesequence"):
        sql("UPDATE billing_invoicesequence SET prefix = 'ZZ' WHERE place_id = %s", kept.place.pk)
    assert [str(x) for x in verify(kept.place).findings] == [
        "F-000003: the sequence's prefix became ZZ (was F)"
    ]
    customer = kept.invoices[0].customer
    f.issued(kept.coordinator, customer, issue_date=kept.invoices[-1].issue_date)

    code, out = run()

    assert code == 1
    assert "ZZ-000004: not in the series F of the first number" in out


def test_payments_alone_make_a_place_checked(place, coordinator):
    customer = f.customer(place)
    payment = services.record_payment(
        actor=coordinator, customer=customer, amount="5", method="cash", date=place.today()
    )

    assert payment.previous_hash == chain.GENESIS
    assert run() == (0, f"{place.slug}: 0 issued invoices, 1 payments, chain intact\n")
