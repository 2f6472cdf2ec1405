"""Bad input is refused with a clear reason and writes nothing.

Messages go through gettext (French by default, once the catalogue has them); assertions
read the English source strings under `english`, whatever the catalogue says."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tierslieux.billing import services
from tierslieux.billing.models import Customer, Invoice, InvoiceLine, InvoiceSequence
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf


def counts() -> tuple[int, ...]:
    return (
        Invoice.objects.count(),
        InvoiceLine.objects.count(),
        AuditEntry.objects.count(),
        InvoiceSequence.objects.count(),
        Customer.objects.count(),
    )


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert counts() == before, "a refusal wrote something"
    return error.value


def test_a_negative_quantity_on_an_invoice_is_refused_saying_why(place, coordinator, english):
    customer = f.customer(place)
    line = LineInput("Journée coworking", "-2", "20.00", "vat_20")

    error = refused(services.create_draft, actor=coordinator, customer=customer, lines=[line])

    assert error.code == "negative_quantity"
    assert error.messages == [
        "Line 1: the quantity -2 is negative; only a credit note has negative quantities."
    ]


def test_a_negative_quantity_added_to_a_draft_is_refused(place, coordinator):
    draft = f.draft(f.customer(place))

    error = refused(
        services.add_line,
        actor=coordinator,
        invoice=draft,
        description="Remboursement",
        quantity="-1",
        unit_price_net="10",
        tax_code="vat_20",
    )

    assert error.code == "negative_quantity"


def test_a_negative_quantity_written_behind_the_services_is_refused_at_issue(place, coordinator):
    draft = f.draft(f.customer(place), lines=[("Journée", "-1", "20.00", "vat_20")])

    error = refused(services.issue_invoice, actor=coordinator, invoice=draft)

    assert error.code == "negative_quantity"


def test_an_unknown_tax_rule_is_refused_naming_the_known_ones(place, coordinator, english):
    line = LineInput("Journée coworking", "1", "20.00", "vat_19_6")

    error = refused(
        services.create_draft, actor=coordinator, customer=f.customer(place), lines=[line]
    )

    assert error.code == "unknown_tax_rule"
    assert error.messages[0].startswith("Unknown tax rule “vat_19_6”; known rules: vat_20, ")


def test_the_database_refuses_a_line_with_an_unknown_tax_rule(place):
    draft = f.draft(f.customer(place))
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceLine.objects.filter(invoice=draft).update(tax_code="vat_19_6")


def test_an_empty_invoice_is_not_issued(place, coordinator, english):
    error = refused(
        services.issue_invoice, actor=coordinator, invoice=f.draft(f.customer(place), lines=())
    )

    assert error.code == "empty"
    assert error.messages == ["An empty invoice cannot be issued: add at least one line."]


def test_a_company_without_siren_is_not_invoiced(place, coordinator, english):
    company = f.customer(place, kind=Customer.Kind.COMPANY, siren="")

    error = refused(services.issue_invoice, actor=coordinator, invoice=f.draft(company))

    assert error.code == "buyer_siren"
    assert error.messages == [
        f"{company.name} is an organisation: an invoice to it gives its postal address and, "
        "in France, its SIREN. To fill in: SIREN."
    ]


def test_a_place_without_siret_cannot_issue(coordinator, place):
    place.siret = ""
    place.save()

    error = refused(services.issue_invoice, actor=coordinator, invoice=f.draft(f.customer(place)))

    assert error.code == "seller_siren"


def test_an_invalid_siren_is_refused_when_the_customer_is_created(place, coordinator):
    error = refused(
        services.create_customer,
        actor=coordinator,
        place=place,
        name="SARL Les Ateliers",
        kind=Customer.Kind.COMPANY,
        siren="123456789",
    )

    assert "siren" in error.message_dict


@pytest.mark.parametrize(
    ("quantity", "price", "code"),
    [
        ("0", "10", "zero_quantity"),
        ("1.2345", "10", "quantity_decimals"),
        ("1", "9.999", "price_decimals"),
        ("1", "-5", "negative_price"),
        ("un", "10", "not_a_number"),
    ],
)
def test_odd_quantities_and_prices_are_refused(place, coordinator, quantity, price, code):
    line = LineInput("Journée coworking", quantity, price, "vat_20")

    error = refused(
        services.create_draft, actor=coordinator, customer=f.customer(place), lines=[line]
    )

    assert error.code == code


def test_a_service_ending_before_it_starts_is_refused(place, coordinator):
    error = refused(
        services.create_draft,
        actor=coordinator,
        customer=f.customer(place),
        service_start=date(2027, 1, 31),
        service_end=date(2027, 1, 1),
    )

    assert error.code == "service_period"


def test_only_a_coordinator_of_the_place_manages_its_billing(place, coordinator):
    customer = f.customer(place)
    draft = f.draft(customer)
    other_place = f.place()
    strangers = [f.member(place), pf.staff(place), f.coordinator(other_place), pf.user()]

    for actor in strangers:
        with pytest.raises(PermissionDenied):
            services.issue_invoice(actor=actor, invoice=draft)
        with pytest.raises(PermissionDenied):
            services.create_customer(actor=actor, place=place, name="X")
        with pytest.raises(PermissionDenied):
            services.record_payment(
                actor=actor, customer=customer, amount="1", method="cash", date=date(2027, 1, 1)
            )

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert (
        services.create_customer(actor=coordinator, place=place, name="  Mme Durand ").name
        == "Mme Durand"
    )


def test_dates_in_messages_read_as_the_reader_writes_them(place, coordinator):
    error = refused(
        services.create_draft,
        actor=coordinator,
        customer=f.customer(place),
        service_start=date(2027, 1, 31),
        service_end=date(2027, 1, 1),
    )

    assert "31 janvier 2027" in error.messages[0]  # French by default


@pytest.mark.parametrize("ahead", [367, None])  # a year and a day; the last day of 9999
def test_an_invoice_dated_more_than_a_year_ahead_is_refused_and_spends_no_number(
    place, coordinator, english, ahead
):
    from datetime import timedelta

    draft = f.draft(f.customer(place))
    day = date(9999, 12, 31) if ahead is None else place.today() + timedelta(days=ahead)
    with pytest.raises(ValidationError) as refused:
        services.issue_invoice(actor=coordinator, invoice=draft, issue_date=day)
    assert refused.value.code == "too_far_ahead" and "more than a year ahead" in str(refused.value)
    draft.refresh_from_db()
    assert not draft.number and not InvoiceSequence.objects.filter(next_number__gt=1).exists()
