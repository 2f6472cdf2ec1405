"""A sale is drafted and issued in one transaction, with no billing permission asked (the
caller authorised it), and refuses what issuing refuses, leaving nothing behind."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tierslieux.billing.models import Customer, Invoice, InvoiceLine
from tierslieux.billing.services import LineInput, issue_sale
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")  # refusals read in English


DAY_PASS = LineInput("Pass journée", 1, "20.00", "vat_20", family="memberships")


def refused(**kwargs) -> ValidationError:
    before = (Invoice.objects.count(), InvoiceLine.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        issue_sale(**kwargs)
    after = (Invoice.objects.count(), InvoiceLine.objects.count(), AuditEntry.objects.count())
    assert after == before, "a refusal wrote something"
    return error.value


def test_a_member_s_sale_is_issued_at_once_with_a_number_and_audited():
    place = f.place()
    buyer = f.member(place)
    customer = f.customer(place)

    invoice = issue_sale(
        actor=buyer,
        customer=customer,
        lines=[DAY_PASS],
        service_start=date(2026, 11, 23),
        service_end=date(2026, 11, 23),
        issue_date=date(2026, 11, 23),
    )

    assert invoice.is_issued and invoice.number
    assert invoice.issue_date == date(2026, 11, 23)
    assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (
        Decimal("20.00"),
        Decimal("4.00"),
        Decimal("24.00"),
    )
    line = invoice.lines.get()
    assert (line.family, line.account, line.tax_rate) == ("memberships", "706000", Decimal("20"))
    assert invoice.service_start == invoice.service_end == date(2026, 11, 23)
    actions = set(
        AuditEntry.objects.filter(object_id=str(invoice.pk)).values_list("action", "actor")
    )
    assert actions == {("billing.invoice.sale", buyer.pk), ("billing.invoice.issue", buyer.pk)}


def test_sales_take_the_next_numbers_of_the_place_s_sequence():
    place = f.place()
    customer = f.customer(place)
    first = issue_sale(actor=None, customer=customer, lines=[DAY_PASS])
    second = issue_sale(actor=None, customer=customer, lines=[DAY_PASS, DAY_PASS])
    assert second.sequence_number == first.sequence_number + 1
    assert second.total_gross == Decimal("48.00")


def test_an_empty_sale_is_refused():
    customer = f.customer(f.place())
    error = refused(actor=None, customer=customer, lines=[])
    assert error.code == "empty"


def test_a_seller_without_siret_cannot_sell():
    customer = f.customer(f.place(siret=""))
    error = refused(actor=None, customer=customer, lines=[DAY_PASS])
    assert error.code == "seller_siren"
    assert "no SIRET" in error.messages[0]


def test_a_company_without_siren_is_refused():
    place = f.place()
    customer = f.customer(place, kind=Customer.Kind.COMPANY, siren="")
    error = refused(actor=None, customer=customer, lines=[DAY_PASS])
    assert error.code == "buyer_siren"
    assert customer.name in error.messages[0]


def test_a_bad_line_is_refused_like_on_a_draft():
    customer = f.customer(f.place())
    error = refused(actor=None, customer=customer, lines=[LineInput("Pass", -1, "20.00", "vat_20")])
    assert error.code == "negative_quantity"
    error = refused(actor=None, customer=customer, lines=[LineInput("Pass", 1, "20", "vat_99")])
    assert error.code == "unknown_tax_rule"


def test_a_service_period_ending_before_it_starts_is_refused():
    customer = f.customer(f.place())
    error = refused(
        actor=None,
        customer=customer,
        lines=[DAY_PASS],
        service_start=date(2026, 11, 23),
        service_end=date(2026, 11, 22),
    )
    assert error.code == "service_period"


def test_a_sale_dated_before_the_last_invoice_is_refused():
    place = f.place()
    customer = f.customer(place)
    issue_sale(actor=None, customer=customer, lines=[DAY_PASS], issue_date=date(2026, 11, 23))
    error = refused(actor=None, customer=customer, lines=[DAY_PASS], issue_date=date(2026, 11, 22))
    assert error.code == "chronology"
