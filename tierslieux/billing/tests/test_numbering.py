"""Numbers: sequential, gap-free, unique, chronological, one sequence per place."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tierslieux.billing import services
from tierslieux.billing.models import Invoice, InvoiceSequence
from tierslieux.billing.numbering import format_number
from tierslieux.billing.tests import factories as f


def test_issued_invoices_are_numbered_one_after_the_other(place, coordinator):
    customer = f.customer(place)

    numbers = [
        f.issued(coordinator, customer, issue_date=date(2027, 1, d)).number for d in (4, 5, 5)
    ]

    assert numbers == ["F-000001", "F-000002", "F-000003"]
    assert InvoiceSequence.objects.get(place=place).next_number == 4


def test_a_draft_has_no_number_until_it_is_issued(place, coordinator):
    invoice = f.draft(f.customer(place))
    assert invoice.number is None

    issued = services.issue_invoice(actor=coordinator, invoice=invoice, issue_date=date(2027, 1, 4))

    assert (issued.number, issued.sequence_number, issued.status) == ("F-000001", 1, "issued")


def test_each_place_has_its_own_sequence(place, coordinator):
    other = f.place()
    other_boss = f.coordinator(other)

    f.issued(coordinator, f.customer(place))
    f.issued(coordinator, f.customer(place))

    assert f.issued(other_boss, f.customer(other)).number == "F-000001"


def test_credit_notes_take_their_number_from_the_same_sequence(place, coordinator):
    invoice = f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))

    note = services.create_credit_note(
        actor=coordinator, invoice=invoice, issue_date=date(2027, 1, 5)
    )
    after = f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 6))

    assert (note.number, after.number) == ("F-000002", "F-000003")


def test_a_refused_issue_spends_no_number_the_next_success_takes_the_next_one(place, coordinator):
    customer = f.customer(place)
    f.issued(coordinator, customer, issue_date=date(2027, 1, 10))
    services.close_period(
        actor=coordinator, place=place, start=date(2027, 2, 1), end=date(2027, 2, 28)
    )

    refused = f.draft(customer)
    with pytest.raises(ValidationError) as error:
        services.issue_invoice(actor=coordinator, invoice=refused, issue_date=date(2027, 2, 14))
    empty = f.draft(customer, lines=())
    with pytest.raises(ValidationError):
        services.issue_invoice(actor=coordinator, invoice=empty, issue_date=date(2027, 3, 1))
    next_one = services.issue_invoice(
        actor=coordinator, invoice=f.draft(customer), issue_date=date(2027, 3, 1)
    )

    assert error.value.code == "closed_period"
    assert next_one.number == "F-000002"
    refused.refresh_from_db()
    assert (refused.status, refused.number) == ("draft", None)


def test_an_invoice_cannot_be_dated_before_the_last_issued_one(place, coordinator):
    customer = f.customer(place)
    f.issued(coordinator, customer, issue_date=date(2027, 3, 10))

    with pytest.raises(ValidationError) as error:
        f.issued(coordinator, customer, issue_date=date(2027, 3, 9))

    assert error.value.code == "chronology"
    assert "10 mars 2027" in error.value.messages[0]
    assert f.issued(coordinator, customer, issue_date=date(2027, 3, 10)).number == "F-000002"


def test_the_database_refuses_a_second_invoice_with_the_same_number(place, coordinator):
    first = f.issued(coordinator, f.customer(place))
    twin = f.draft(f.customer(place))

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=twin.pk).update(number=first.number)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=twin.pk).update(sequence_number=1)


def test_an_invoice_is_not_issued_twice(place, coordinator):
    invoice = f.issued(coordinator, f.customer(place))

    with pytest.raises(services.InvoiceImmutable):
        services.issue_invoice(actor=coordinator, invoice=invoice)

    assert InvoiceSequence.objects.get(place=place).next_number == 2


def test_the_prefix_is_the_sequence_s_and_numbers_keep_six_digits_at_least(place, coordinator):
    InvoiceSequence.objects.create(place=place, prefix="TL", next_number=999_999)
    customer = f.customer(place)

    assert f.issued(coordinator, customer).number == "TL-999999"
    assert f.issued(coordinator, customer).number == "TL-1000000"
    assert format_number("F", 123) == "F-000123"


def test_the_issue_date_defaults_to_today_where_the_place_is(place, coordinator, clock):
    place.timezone = "Pacific/Noumea"
    place.save()
    clock.set(datetime(2027, 3, 10, 20, 0, tzinfo=UTC))  # 11 March, 7:00 in Nouméa

    invoice = f.issued(coordinator, f.customer(place))

    assert invoice.issue_date == date(2027, 3, 11)
    assert invoice.due_date is not None
    assert (invoice.due_date - invoice.issue_date).days == 30
