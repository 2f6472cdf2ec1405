"""Issuing a batch of invoices (the bill run's path): the very result of `issue_invoice` on
each, all or nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tierslieux.billing import services
from tierslieux.billing.integrity import verify
from tierslieux.billing.models import BillingProfile, Customer, Invoice, InvoiceSequence
from tierslieux.billing.services import BatchInvoice, LineInput, issue_batch
from tierslieux.billing.services.issuing import FROZEN_FIELDS
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")  # refusals read in English


NOW = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)
DAY = date(2026, 12, 1)


@pytest.fixture
def place(place):
    """The root persona, paid within 15 days and registered for VAT."""
    BillingProfile.objects.create(place=place, payment_terms_days=15, vat_number="FR40303265045")
    return place


def items(place):
    anna = f.customer(place, name="Anna Martin", language="en")
    atelier = f.customer(place, name="Atelier Bois", kind=Customer.Kind.COMPANY)
    mairie = f.customer(place, name="Mairie", kind=Customer.Kind.PUBLIC_BODY, siren="217500016")
    return [
        BatchInvoice(
            anna,
            [
                LineInput(
                    "Coworking — November 2026", "1", "150.00", "vat_20", family="memberships"
                ),
                LineInput("Meeting room", "2.5", "25.00", "vat_20", unit="HUR"),
            ],
            date(2026, 11, 1),
            date(2026, 11, 30),
        ),
        BatchInvoice(
            atelier,
            [
                LineInput("Adhésion 2026", "1", "50.00", "exempt_261_7_1b", account="756000"),
                LineInput("Repas", "3", "12.10", "vat_10"),
                LineInput("Livres", "1", "9.99", "vat_5_5"),
            ],
        ),
        BatchInvoice(mairie, [LineInput("Salle polyvalente", "1", "0.00", "vat_20")]),
    ]


def snapshot(invoice: Invoice) -> tuple:
    invoice = Invoice.objects.get(pk=invoice.pk)
    fields = [
        "kind",
        "status",
        "sequence_number",
        "number",
        "issue_date",
        "service_start",
        "service_end",
        "due_date",
        "payment_terms",
        "payment_terms_days",
        "late_penalty_rate",
        "seller",
        "buyer",
        "taxes",
        "total_net",
        "total_tax",
        "total_gross",
        "previous_hash",
        "hash",
        "issued_at",
        "customer_id",
    ]
    lines = list(
        invoice.lines.values_list(
            "position",
            "description",
            "quantity",
            "unit",
            "unit_price_net",
            "tax_code",
            "tax_rate",
            "net",
            "account",
            "family",
        )
    )
    return tuple(getattr(invoice, name) for name in fields), lines


def one_by_one(coordinator, batch):
    issued = []
    for item in batch:
        draft = services.create_draft(
            actor=coordinator,
            customer=item.customer,
            lines=item.lines,
            service_start=item.service_start,
            service_end=item.service_end,
            payment_terms=item.payment_terms,
            payment_terms_days=item.payment_terms_days,
            late_penalty_rate=item.late_penalty_rate,
        )
        issued.append(services.issue_invoice(actor=coordinator, invoice=draft, issue_date=DAY))
    return issued


def test_a_batch_gives_exactly_what_issuing_each_invoice_gives(place, coordinator, clock):
    f.issued(coordinator, f.customer(place), issue_date=date(2026, 11, 20))  # the chain goes on
    batch = items(place)
    clock.set(NOW)
    point = transaction.savepoint()
    expected = [snapshot(i) for i in one_by_one(coordinator, batch)]
    transaction.savepoint_rollback(point)
    assert InvoiceSequence.objects.get(place=place).next_number == 2
    got = [
        snapshot(i)
        for i in issue_batch(actor=coordinator, place=place, invoices=batch, issue_date=DAY)
    ]
    assert got == expected
    numbers = [row[0][3] for row in got]
    assert numbers == ["F-000002", "F-000003", "F-000004"]
    (english, company, public) = (row[0] for row in got)
    assert english[8] == "Payable within 15 days of the invoice date."
    assert english[7] == date(2026, 12, 16)
    assert company[16] == D("50.00") + D("36.30") + D("3.63") + D("9.99") + D("0.55")
    assert public[16] == D("0.00")
    assert verify(place).intact


def test_both_paths_freeze_the_same_fields_from_a_draft_with_its_own_terms(
    place, coordinator, clock
):
    """One function freezes an invoice: issued alone or in a bill run, the same draft (its
    own late-penalty rate, terms and delay included) gives the same frozen fields."""
    clock.set(NOW)
    anna = f.customer(place, name="Anna Martin")
    item = BatchInvoice(
        anna,
        [LineInput("Bureau fermé", "1", "300.00", "vat_20")],
        date(2026, 11, 1),
        date(2026, 11, 30),
        payment_terms="Virement à réception.",
        payment_terms_days=45,
        late_penalty_rate=D("12.50"),
    )
    point = transaction.savepoint()
    (alone,) = one_by_one(coordinator, [item])
    transaction.savepoint_rollback(point)
    (batched,) = issue_batch(actor=coordinator, place=place, invoices=[item], issue_date=DAY)

    alone_row = {name: getattr(alone, name) for name in FROZEN_FIELDS}
    batched_row = {
        name: getattr(Invoice.objects.get(pk=batched.pk), name) for name in FROZEN_FIELDS
    }
    assert batched_row == alone_row
    assert batched_row["late_penalty_rate"] == D("12.50")  # the draft's, not the profile's
    assert batched_row["due_date"] == date(2027, 1, 15)
    assert batched_row["payment_terms"] == "Virement à réception."
    assert batched_row["issued_at"] == NOW


def test_a_draft_without_its_own_rate_takes_the_profiles_on_both_paths(place, coordinator, clock):
    clock.set(NOW)
    item = BatchInvoice(f.customer(place), [LineInput("Bureau", "1", "10.00", "vat_20")])
    point = transaction.savepoint()
    (alone,) = one_by_one(coordinator, [item])
    transaction.savepoint_rollback(point)
    (batched,) = issue_batch(actor=coordinator, place=place, invoices=[item], issue_date=DAY)

    profile = BillingProfile.objects.get(place=place)
    assert alone.late_penalty_rate == batched.late_penalty_rate == profile.late_penalty_rate
    assert alone.due_date == batched.due_date == date(2026, 12, 16)


def test_the_chain_verifies_after_a_batch_and_goes_on_after_it(place, coordinator):
    invoices = issue_batch(actor=coordinator, place=place, invoices=items(place), issue_date=DAY)
    assert [i.sequence_number for i in invoices] == [1, 2, 3]
    assert invoices[0].previous_hash == "0" * 64
    assert [i.previous_hash for i in invoices[1:]] == [i.hash for i in invoices[:-1]]
    after = f.issued(coordinator, f.customer(place), issue_date=DAY)
    assert (after.number, after.previous_hash) == ("F-000004", invoices[-1].hash)
    report = verify(place)
    assert report.intact and report.checked == 4
    assert InvoiceSequence.objects.get(place=place).next_number == 5


def test_the_returned_invoices_are_issued_rows_that_refuse_any_change(place, coordinator):
    (invoice, *_rest) = issue_batch(
        actor=coordinator, place=place, invoices=items(place), issue_date=DAY
    )
    assert invoice.pk and invoice.is_issued and invoice.lines.count() == 2
    invoice.payment_terms = "changed"
    with pytest.raises(services.InvoiceImmutable):
        invoice.save()


def test_one_refusal_issues_nothing_and_spends_no_number(place, coordinator):
    batch = items(place)
    nameless = f.customer(place, name="Bâtiment SAS", kind=Customer.Kind.COMPANY, siren="")
    batch.insert(1, BatchInvoice(nameless, [LineInput("Bureau", "1", "300.00", "vat_20")]))
    with pytest.raises(ValidationError, match=r"Bâtiment SAS.*To fill in: SIREN\.") as caught:
        issue_batch(actor=coordinator, place=place, invoices=batch, issue_date=DAY)
    assert caught.value.code == "buyer_siren"
    assert not Invoice.objects.filter(place=place).exists()
    assert not AuditEntry.objects.filter(action="billing.invoice.issue").exists()
    assert f.issued(coordinator, f.customer(place), issue_date=DAY).number == "F-000001"


@pytest.mark.parametrize(
    ("lines", "code", "message"),
    [
        ([], "empty", "empty invoice"),
        ([LineInput("x", "-1", "10.00", "vat_20")], "negative_quantity", "negative"),
        ([LineInput("x", "1", "10.001", "vat_20")], "price_decimals", "in cents"),
        ([LineInput("x", "1", "10.00", "vat_7")], "unknown_tax_rule", "Unknown tax rule"),
        ([LineInput(" ", "1", "10.00", "vat_20")], "no_description", "no description"),
        ([LineInput("x", "1", "1", "vat_20", family="gifts")], "unknown_family", "family"),
    ],
)
def test_a_bad_invoice_in_the_batch_is_refused_naming_its_customer(
    place, coordinator, lines, code, message
):
    batch = [*items(place), BatchInvoice(f.customer(place, name="Zoé"), lines)]
    with pytest.raises(ValidationError, match=rf"Invoice for Zoé: .*{message}") as caught:
        issue_batch(actor=coordinator, place=place, invoices=batch, issue_date=DAY)
    assert caught.value.code == code
    assert not Invoice.objects.filter(place=place).exists()


def test_a_service_period_ending_before_it_starts_is_refused(place, coordinator):
    item = BatchInvoice(
        f.customer(place), [LineInput("x", "1", "1", "vat_20")], DAY, date(2026, 11, 1)
    )
    with pytest.raises(ValidationError, match="ends") as caught:
        issue_batch(actor=coordinator, place=place, invoices=[item], issue_date=DAY)
    assert caught.value.code == "service_period"


def test_a_customer_of_another_place_is_refused(place, coordinator):
    other = f.customer(f.place())
    item = BatchInvoice(other, [LineInput("x", "1", "1", "vat_20")])
    with pytest.raises(ValidationError, match="another place"):
        issue_batch(actor=coordinator, place=place, invoices=[item], issue_date=DAY)


def test_a_seller_without_siret_cannot_issue_a_batch(coordinator, place):
    place.siret = ""
    place.save()
    with pytest.raises(ValidationError, match="no SIRET") as caught:
        issue_batch(actor=coordinator, place=place, invoices=items(place), issue_date=DAY)
    assert caught.value.code == "seller_siren"


def test_a_closed_period_and_the_chronology_hold_for_a_batch(place, coordinator):
    services.close_period(
        actor=coordinator, place=place, start=date(2026, 1, 1), end=date(2026, 11, 30)
    )
    with pytest.raises(ValidationError, match="is closed"):
        issue_batch(
            actor=coordinator,
            place=place,
            invoices=items(place),
            issue_date=date(2026, 11, 30),
        )
    f.issued(coordinator, f.customer(place), issue_date=date(2026, 12, 5))
    with pytest.raises(ValidationError, match="Numbers follow dates") as caught:
        issue_batch(actor=coordinator, place=place, invoices=items(place), issue_date=DAY)
    assert caught.value.code == "chronology"
    assert Invoice.objects.filter(place=place, status="issued").count() == 1


def test_only_the_team_that_manages_billing_may_issue_a_batch(place):
    batch = items(place)
    for who in (f.member(place), f.coordinator(f.place())):
        with pytest.raises(PermissionDenied):
            issue_batch(actor=who, place=place, invoices=batch, issue_date=DAY)
    assert not Invoice.objects.exists()


def test_an_empty_batch_issues_nothing(place, coordinator):
    assert issue_batch(actor=coordinator, place=place, invoices=[], issue_date=DAY) == []
    assert f.issued(coordinator, f.customer(place), issue_date=DAY).number == "F-000001"


def test_each_issued_invoice_leaves_an_audit_entry(place, coordinator):
    invoices = issue_batch(actor=coordinator, place=place, invoices=items(place), issue_date=DAY)
    entries = AuditEntry.objects.filter(action="billing.invoice.issue").order_by("id")
    assert [(e.object_id, e.actor_id, e.place_id) for e in entries] == [
        (str(i.pk), coordinator.pk, place.pk) for i in invoices
    ]
    assert entries[0].changes["number"] == "F-000001"
    assert entries[0].changes["hash"] == invoices[0].hash
