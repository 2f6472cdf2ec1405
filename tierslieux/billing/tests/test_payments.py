"""Payments: partial, full, oldest invoices first, overpayment kept as credit, balances."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tierslieux.billing import queries, services
from tierslieux.billing.models import CustomerCreditEntry, Payment, PaymentAllocation
from tierslieux.billing.tests import factories as f

D = Decimal
DAY = date(2027, 2, 1)
SIXTY = [("Bureau fermé, février", "1", "50.00", "vat_20")]  # 60.00 with VAT


@pytest.fixture
def customer(place):
    return f.customer(place)


def pay(coordinator, customer, amount, **kwargs):
    kwargs.setdefault("method", "transfer")
    kwargs.setdefault("date", DAY)
    return services.record_payment(actor=coordinator, customer=customer, amount=amount, **kwargs)


def test_a_partial_payment_leaves_the_rest_due(coordinator, customer):
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)

    pay(coordinator, customer, "25.00", method="cheque", reference="Chèque 1234567")

    assert services.payment_state(invoice) == "partly_paid"
    assert queries.settlement(invoice).due == D("35.00")
    assert services.invoice_document(invoice).amount_paid == D("25.00")
    assert services.invoice_document(invoice).amount_due == D("35.00")


def test_a_full_payment_settles_the_invoice(coordinator, customer):
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)
    assert services.payment_state(invoice) == "unpaid"

    pay(coordinator, customer, "25.00")
    pay(coordinator, customer, "35.00", method="card")

    assert services.payment_state(invoice) == "paid"
    assert queries.customer_balance(customer) == queries.Balance(due=D("0.00"), credit=D("0.00"))
    assert not CustomerCreditEntry.objects.exists()


def test_a_payment_settles_the_oldest_invoices_first(coordinator, customer):
    first = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 5))
    second = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 20))
    third = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 2, 1))

    payment = pay(coordinator, customer, "100.00")

    assert [
        (a.invoice_id, a.amount) for a in payment.allocations.order_by("invoice__sequence_number")
    ] == [
        (first.pk, D("60.00")),
        (second.pk, D("40.00")),
    ]
    assert [services.payment_state(i) for i in (first, second, third)] == [
        "paid",
        "partly_paid",
        "unpaid",
    ]


def test_an_overpayment_becomes_credit_never_lost(coordinator, customer):
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)

    payment = pay(coordinator, customer, "100.00", method="helloasso")

    assert services.payment_state(invoice) == "paid"
    entry = CustomerCreditEntry.objects.get(customer=customer)
    assert (entry.amount, entry.reason, entry.payment_id) == (D("40.00"), "overpayment", payment.pk)
    assert queries.credit_balance(customer) == D("40.00")


def test_a_payment_with_nothing_due_is_all_credit_and_credit_settles_the_next_invoice(
    coordinator, customer
):
    pay(coordinator, customer, "70.00", method="cash")
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)

    entry = services.apply_credit(actor=coordinator, customer=customer, invoice=invoice)

    assert entry.amount == D("-60.00")
    assert services.payment_state(invoice) == "paid"
    assert services.invoice_document(invoice).amount_paid == D("60.00")
    assert queries.customer_balance(customer) == queries.Balance(due=D("0.00"), credit=D("10.00"))
    with pytest.raises(ValidationError) as error:
        services.apply_credit(actor=coordinator, customer=customer, invoice=invoice)
    assert error.value.code == "nothing_due"


def test_credit_goes_as_far_as_it_goes(coordinator, customer):
    pay(coordinator, customer, "20.00")
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)

    services.apply_credit(actor=coordinator, customer=customer, invoice=invoice)

    assert queries.settlement(invoice).due == D("40.00")
    assert queries.credit_balance(customer) == 0
    with pytest.raises(ValidationError) as error:
        services.apply_credit(actor=coordinator, customer=customer, invoice=invoice)
    assert error.value.code == "no_credit"


def test_explicit_allocations_settle_the_invoices_named(coordinator, customer):
    first = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 5))
    second = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 20))

    pay(coordinator, customer, "70.00", allocations=[(second, "60.00"), (first, "5.00")])

    assert queries.settlement(first).due == D("55.00")
    assert queries.settlement(second).due == D("0.00")
    assert queries.credit_balance(customer) == D("5.00")


def test_allocations_that_do_not_fit_are_refused_and_nothing_is_recorded(
    coordinator, customer, place
):
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=DAY)
    someone_else = f.customer(place)
    theirs = f.issued(coordinator, someone_else, SIXTY, issue_date=DAY)
    cases = [
        ({"amount": "0"}, "amount_not_positive"),
        ({"amount": "-5"}, "amount_not_positive"),
        ({"amount": "10.001"}, "amount_not_positive"),
        ({"amount": "10", "method": "bitcoin"}, "unknown_method"),
        ({"amount": "100", "allocations": [(invoice, "61")]}, "allocation_exceeds_due"),
        ({"amount": "10", "allocations": [(invoice, "20")]}, "allocations_exceed_payment"),
        ({"amount": "10", "allocations": [(theirs, "10")]}, "nothing_due"),
        ({"amount": "10", "allocations": [(invoice, "0")]}, "amount_not_positive"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as error:
            pay(coordinator, customer, **kwargs)
        assert error.value.code == code
    assert not Payment.objects.exists()
    assert not PaymentAllocation.objects.exists()
    assert not CustomerCreditEntry.objects.exists()


def test_each_customer_has_a_balance_of_what_they_owe_and_their_credit(coordinator, place):
    alice, bob, carol = f.customer(place), f.customer(place), f.customer(place)
    f.issued(coordinator, alice, SIXTY, issue_date=DAY)
    f.issued(coordinator, alice, SIXTY, issue_date=DAY)
    f.issued(coordinator, bob, SIXTY, issue_date=DAY)
    pay(coordinator, alice, "90.00")
    pay(coordinator, bob, "75.00")

    assert queries.customer_balance(alice) == queries.Balance(due=D("30.00"), credit=D("0.00"))
    assert queries.customer_balance(bob) == queries.Balance(due=D("0.00"), credit=D("15.00"))
    assert queries.customer_balance(bob).net == D("-15.00")
    assert queries.customer_balance(carol) == queries.Balance(due=D("0.00"), credit=D("0.00"))
    assert [inv.number for inv, _ in queries.open_invoices(alice)] == ["F-000002"]
