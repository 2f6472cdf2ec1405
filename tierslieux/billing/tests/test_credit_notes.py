"""Credit notes: negative, numbered at once in the same sequence, referring to the invoice,
never crediting more than remains."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tierslieux.billing import queries, services
from tierslieux.billing.integrity import verify
from tierslieux.billing.services import CreditLine
from tierslieux.billing.tests import factories as f

D = Decimal
DAY = date(2027, 1, 4)
MIXED = [
    ("Heures de coworking", "10", "12.50", "vat_20"),
    ("Formation", "1", "9.00", "vat_5_5"),
    ("Adhésion", "1", "10.00", "exempt_261_7_1b"),
]


@pytest.fixture
def customer(place):
    return f.customer(place)


@pytest.fixture
def invoice(coordinator, customer):
    return f.issued(coordinator, customer, MIXED, issue_date=DAY)


def credit(coordinator, invoice, *parts: CreditLine):
    return services.create_credit_note(
        actor=coordinator, invoice=invoice, lines=list(parts) if parts else None, issue_date=DAY
    )


def test_a_full_credit_note_mirrors_the_invoice_to_the_cent(coordinator, invoice):
    note = credit(coordinator, invoice)

    assert (note.kind, note.status, note.corrects_id, note.number) == (
        "credit_note",
        "issued",
        invoice.pk,
        "F-000002",
    )
    assert [(li.quantity, li.unit_price_net, li.net, li.tax_code) for li in note.lines.all()] == [
        (D("-10"), D("12.50"), D("-125.00"), "vat_20"),
        (D("-1"), D("9.00"), D("-9.00"), "vat_5_5"),
        (D("-1"), D("10.00"), D("-10.00"), "exempt_261_7_1b"),
    ]
    assert (note.total_net, note.total_tax, note.total_gross) == (
        -invoice.total_net,
        -invoice.total_tax,
        -invoice.total_gross,
    )
    assert invoice.total_gross == D("169.50")  # 144 + 25.00 + 0.50
    assert queries.settlement(invoice).due == 0
    assert services.payment_state(invoice) == "paid"
    assert queries.credit_balance(invoice.customer) == 0  # nothing was paid: nothing to give back


def test_a_partial_credit_note_by_quantity_credits_that_part(coordinator, invoice):
    note = credit(coordinator, invoice, CreditLine(position=1, quantity="3"))

    assert [(li.quantity, li.net, li.unit) for li in note.lines.all()] == [
        (D("-3"), D("-37.50"), "C62")
    ]
    assert (note.total_net, note.total_tax, note.total_gross) == (
        D("-37.50"),
        D("-7.50"),
        D("-45.00"),
    )
    assert queries.settlement(invoice).due == D("124.50")
    assert services.payment_state(invoice) == "partly_paid"


def test_a_reduction_credits_an_amount_of_a_line(coordinator, invoice):
    note = credit(coordinator, invoice, CreditLine(position=2, amount="4.00"))

    assert [(li.quantity, li.unit_price_net, li.net) for li in note.lines.all()] == [
        (D("-1"), D("4.00"), D("-4.00"))
    ]
    assert note.total_gross == D("-4.22")  # 4.00 + 5.5 % (0.22)


def test_credit_notes_never_credit_more_than_remains(coordinator, invoice):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        credit(coordinator, invoice, CreditLine(position=1, quantity="11"))
    assert error.value.code == "exceeds"
    assert error.value.messages == [
        "Line 1: 137.50\xa0€ cannot be credited, only 125.00\xa0€ remain uncredited."
    ]

    credit(coordinator, invoice, CreditLine(position=1, quantity="3"))
    with pytest.raises(ValidationError, match="87,50"):
        credit(coordinator, invoice, CreditLine(position=1, quantity="8"))
    with pytest.raises(ValidationError):  # two requests for one line add up
        credit(
            coordinator,
            invoice,
            CreditLine(position=1, quantity="4"),
            CreditLine(position=1, quantity="4"),
        )

    rest = credit(coordinator, invoice)
    assert next((li.quantity, li.unit_price_net) for li in rest.lines.all()) == (
        D("-1"),
        D("87.50"),
    )
    with pytest.raises(ValidationError) as error:
        credit(coordinator, invoice)
    assert error.value.code == "fully_credited"
    credited = sum(n.total_gross for n in invoice.credit_notes.all())
    assert credited == -invoice.total_gross


def test_partial_credits_close_to_the_cent_despite_rounding(coordinator, customer):
    invoice = f.issued(
        coordinator, customer, [("Photocopies", "27", "0.01", "vat_5_5")], issue_date=DAY
    )
    assert (invoice.total_net, invoice.total_tax) == (D("0.27"), D("0.01"))

    notes = [credit(coordinator, invoice, CreditLine(position=1, quantity="9")) for _ in range(3)]

    assert [n.total_tax for n in notes] == [D("0.00"), D("0.00"), D("-0.01")]
    assert sum(n.total_gross for n in notes) == -invoice.total_gross
    assert queries.settlement(invoice).due == 0


def test_a_credit_note_on_a_paid_invoice_becomes_the_customer_s_credit(
    coordinator, invoice, customer
):
    services.record_payment(
        actor=coordinator, customer=customer, amount="100", method="transfer", date=DAY
    )  # 69.50 still due

    credit(coordinator, invoice, CreditLine(position=1, quantity="5"))  # 75.00

    assert queries.settlement(invoice).due == 0
    assert queries.credit_balance(customer) == D("5.50")
    assert services.payment_state(invoice) == "paid"


def test_what_cannot_be_credited_is_refused_with_the_reason(coordinator, place, invoice, customer):
    draft = f.draft(customer)
    note = credit(coordinator, invoice, CreditLine(position=3, amount="1"))
    cases = [
        (draft, [], "not_issued"),
        (note, [], "credit_of_credit"),
        (invoice, [CreditLine(position=7, quantity="1")], "unknown_line"),
        (invoice, [CreditLine(position=1, quantity="1", amount="1")], "quantity_or_amount"),
        (invoice, [CreditLine(position=1)], "quantity_or_amount"),
        (invoice, [CreditLine(position=1, quantity="-1")], "credit_not_positive"),
        (invoice, [CreditLine(position=1, amount="0.005")], "credit_not_positive"),
    ]
    for target, parts, code in cases:
        with pytest.raises(ValidationError) as error:
            services.create_credit_note(
                actor=coordinator, invoice=target, lines=parts or None, issue_date=DAY
            )
        assert error.value.code == code


def test_credit_notes_join_the_hash_chain(coordinator, invoice):
    credit(coordinator, invoice, CreditLine(position=1, quantity="1"))
    credit(coordinator, invoice)

    report = verify(invoice.place)
    assert (report.checked, report.intact) == (3, True)
