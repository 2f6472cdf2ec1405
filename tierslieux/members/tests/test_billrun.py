"""The monthly bill run: the preview is what the confirmation issues, once per month, with
prorated subscriptions, pauses, gap-free numbers, and the SEPA file of mandated customers."""

import importlib.util
import io
import itertools
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from lxml import etree

from tierslieux.billing.integrity import verify
from tierslieux.billing.models import BillingProfile, Customer, Invoice, InvoiceSequence
from tierslieux.billing.services import record_payment
from tierslieux.core.models import AuditEntry
from tierslieux.members import billrun as planning
from tierslieux.members.models import (
    BillRun,
    Charge,
    CreditEntry,
    Subscription,
    SubscriptionPause,
)
from tierslieux.members.services import billrun, billrun_sepa, subscriptions
from tierslieux.members.services.credits import grant_cycle
from tierslieux.members.services.sales import buy
from tierslieux.members.tests import factories as f

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
ISSUED = date(2026, 11, 2)
_seq = itertools.count(1)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


@pytest.fixture(autouse=True)
def english():
    """Refusals read in their English source; each invoice speaks its customer's language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _issued_today(clock):
    """October 2026 is billed on the day its invoices are dated."""
    clock.set(ISSUED)
    return clock


@pytest.fixture
def place():
    place = f.place()
    BillingProfile.objects.create(
        place=place,
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        sepa_creditor_id="FR72ZZZ123456",
    )
    return place


@pytest.fixture
def boss(place):
    return f.coordinator(place)


@pytest.fixture
def plan(place):
    return f.product(place, "plan", name="Résident", price_net="150.00")


def person(first: str, language: str = "en"):
    user = f.user()
    user.language = language
    user.save()
    user.person.first_name, user.person.last_name = first, "Martin"
    user.person.save()
    return user.person


def customer_of(place, who):
    return f.person_customer(place, who)


def charge(place, customer, day, price="25.00", quantity="2", **fields):
    fields.setdefault("source", f"booking:{next(_seq)}")
    return Charge.objects.create(
        place=place,
        customer=customer,
        description=fields.pop("description", f"Salle — {day}"),
        quantity=D(quantity),
        unit="HUR",
        unit_price_net=D(price),
        tax_code="vat_20",
        service_date=day,
        **fields,
    )


def lines_of(invoice):
    return [
        (line.description, line.quantity, line.unit_price_net, line.tax_code)
        for line in invoice.lines.order_by("position")
    ]


def test_the_preview_is_what_the_confirmation_issues(place, boss, plan, clock):
    anna, bruno = person("Anna"), person("Bruno", "fr")
    f.subscription(plan, person=anna, start=date(2026, 1, 1))
    f.subscription(plan, person=bruno, start=date(2026, 10, 22))  # 10 days of 31
    company = f.customer(place, name="Zèbre SARL", kind=Customer.Kind.COMPANY)
    f.subscription(plan, person=person("Chloé"), customer=company, start=date(2026, 3, 1))
    anna_c, bruno_c = customer_of(place, anna), customer_of(place, bruno)
    charge(place, anna_c, date(2026, 10, 14))
    charge(place, anna_c, date(2026, 9, 30), price="10.00", quantity="1")  # missed last month
    charge(place, bruno_c, date(2026, 10, 31), price="12.50", quantity="1.5")
    charge(place, company, date(2026, 10, 5), price="80.00", quantity="1")
    charge(place, anna_c, date(2026, 11, 3))  # next month
    charge(place, bruno_c, date(2026, 10, 3), voided_at=clock.now())

    plan_ = billrun.preview(place, OCT)
    assert plan_.ready and plan_.problems == ()
    assert [c.customer.name for c in plan_.customers] == [
        "Anna Martin",
        "Bruno Martin",
        "Zèbre SARL",
    ]
    assert (plan_.invoice_count, plan_.line_count, plan_.subscription_count) == (3, 7, 3)
    assert Charge.objects.count() == 6  # the preview wrote nothing

    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    invoices = list(run.invoices.order_by("sequence_number"))
    assert [i.customer for i in invoices] == [c.customer for c in plan_.customers]
    for invoice, planned in zip(invoices, plan_.customers, strict=True):
        assert lines_of(invoice) == [
            (i.description, i.quantity, i.unit_price_net, i.tax_code) for i in planned.items
        ]
        assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (
            planned.total_net,
            planned.total_tax,
            planned.total_gross,
        )
        assert (invoice.service_start, invoice.service_end) == (
            planned.service_start,
            planned.service_end,
        )
    assert (run.invoice_count, run.total_gross, run.issue_date) == (3, plan_.total_gross, ISSUED)
    assert run.confirmed_by == boss


def test_lines_speak_the_customer_s_language_and_say_the_proration(place, boss, plan):
    anna, chloe = person("Anna"), person("Chloé")
    f.subscription(plan, person=anna, start=date(2026, 10, 23))  # 9 of 31 days
    org = f.customer(place, name="Collectif", kind=Customer.Kind.ASSOCIATION, language="en")
    f.subscription(plan, person=chloe, customer=org, start=date(2026, 1, 1))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    by_customer = {i.customer.name: lines_of(i) for i in run.invoices.all()}
    assert by_customer["Anna Martin"] == [
        (
            "Subscription Résident — October 2026 (prorated 9/31 days)",
            D("1.000"),
            D("43.55"),  # 150 × 9 / 31 = 43.548…
            "vat_20",
        )
    ]
    assert by_customer["Collectif"] == [
        ("Subscription Résident — October 2026 — Chloé Martin", D("1.000"), D("150.00"), "vat_20")
    ]


def test_a_customer_writing_french_gets_french_month_names(place, boss, plan):
    f.subscription(plan, person=person("Bruno", "fr"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert "octobre 2026" in lines_of(invoice)[0][0]


def test_a_second_run_for_the_month_issues_nothing_and_says_why(place, boss, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    f.subscription(plan, person=person("Bruno"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    before = (Invoice.objects.count(), Charge.objects.count(), CreditEntry.objects.count())
    with pytest.raises(ValidationError, match=r"October 2026 was confirmed on .*: 2 invoices") as e:
        billrun.confirm(actor=boss, place=place, month=date(2026, 10, 17), issue_date=ISSUED)
    assert e.value.code == "already_run"
    assert (Invoice.objects.count(), Charge.objects.count(), CreditEntry.objects.count()) == before
    assert InvoiceSequence.objects.get(place=place).next_number == 3
    problems = billrun.preview(place, OCT).problems
    assert [p.code for p in problems] == ["already_run"]
    assert BillRun.objects.get() == run


def test_a_run_that_bypassed_the_lock_meets_the_unique_constraint(place, boss, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    ready = billrun._plan(place, OCT)
    BillRun.objects.create(place=place, month=OCT, issue_date=ISSUED, invoice_count=4)
    with (
        mock.patch.object(billrun, "_plan", return_value=ready),
        pytest.raises(ValidationError, match="4 invoices were issued") as caught,
    ):
        billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "already_run"
    assert not Invoice.objects.exists() and not Charge.objects.exists()


def test_a_charge_added_after_the_run_is_billed_the_next_month(place, boss, plan, clock):
    anna = customer_of(place, person("Anna"))
    charge(place, anna, date(2026, 10, 10))
    billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    late = charge(place, anna, date(2026, 10, 30), price="30.00", quantity="1")
    nov = billrun.preview(place, NOV)
    assert [i.charge_id for c in nov.customers for i in c.items] == [late.pk]
    clock.set(date(2026, 12, 1))
    run = billrun.confirm(actor=boss, place=place, month=NOV)
    (invoice,) = run.invoices.all()
    late.refresh_from_db()
    assert late.invoice_line.invoice == invoice and invoice.issue_date == date(2026, 12, 1)


def test_subscriptions_are_charged_once_and_each_charge_points_at_its_line(place, boss, plan):
    sub = f.subscription(plan, person=person("Anna"), start=date(2026, 10, 22))
    booking = charge(place, sub.customer, date(2026, 10, 25))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    period = Charge.objects.get(source=f"subscription:{sub.pk}:2026-10-22")
    assert (period.subscription, period.service_date, period.service_end) == (
        sub,
        date(2026, 10, 22),
        date(2026, 10, 31),
    )
    assert (period.unit_price_net, period.quantity) == (D("48.39"), D("1.000"))  # 150 × 10/31
    booking.refresh_from_db()
    (invoice,) = run.invoices.all()
    assert [(c.invoice_line.invoice, c.invoice_line.position) for c in (period, booking)] == [
        (invoice, 1),
        (invoice, 2),
    ]


def test_a_paused_month_is_not_billed_nor_granted_and_a_partial_pause_is_prorated(
    place, boss, plan
):
    whole = f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    SubscriptionPause.objects.create(
        subscription=whole, start=date(2026, 9, 20), end=date(2026, 11, 5)
    )
    part = f.subscription(plan, person=person("Bruno"), start=date(2026, 1, 1))
    SubscriptionPause.objects.create(
        subscription=part, start=date(2026, 10, 1), end=date(2026, 10, 10)
    )
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.customer == part.customer
    assert lines_of(invoice)[0][2] == D("101.61")  # 150 × 21 / 31
    grants = CreditEntry.objects.filter(reason=CreditEntry.Reason.GRANT)
    assert [(g.subscription, g.period_start, g.quantity) for g in grants] == [
        (part, date(2026, 10, 1), D("10.00"))
    ]


def test_allowances_are_granted_at_confirmation_not_at_preview(place, boss, plan):
    sub = f.subscription(plan, person=person("Anna"), start=date(2026, 10, 15))
    billrun.preview(place, OCT)
    assert not CreditEntry.objects.exists()
    billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    grant = CreditEntry.objects.get(reason=CreditEntry.Reason.GRANT)
    assert (grant.subscription, grant.period_start, grant.expires_on) == (
        sub,
        date(2026, 10, 15),
        date(2026, 10, 31),
    )


def grant_fields(entry):
    return (
        *(entry.place_id, entry.person_id, entry.wallet, entry.quantity, entry.reason),
        *(entry.expires_on, entry.subscription_id, entry.period_start, entry.product_id),
        *(entry.reverses_id, entry.source, entry.note, entry.created_by_id),
    )


def test_the_run_grants_exactly_what_grant_cycle_grants(place, boss, plan):
    sub = f.subscription(plan, person=person("Anna"), start=date(2026, 10, 15))
    sub = Subscription.objects.select_related("product").get(pk=sub.pk)  # as the run reads it
    point = transaction.savepoint()
    entry = grant_cycle(
        subscription=sub, period_start=date(2026, 10, 15), period_end=date(2026, 10, 31)
    )
    expected = grant_fields(entry)
    trace = AuditEntry.objects.filter(action="credits.grant")
    expected_trace = list(trace.values_list("actor_id", "object_type", "place_id", "changes"))
    transaction.savepoint_rollback(point)
    billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    assert grant_fields(CreditEntry.objects.get(reason="grant")) == expected
    assert (
        list(trace.values_list("actor_id", "object_type", "place_id", "changes")) == expected_trace
    )


def test_a_period_already_charged_is_billed_once_and_still_granted(place, boss, plan):
    sub = f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    by_hand = charge(
        place, sub.customer, OCT, price="150.00", quantity="1",
        source=f"subscription:{sub.pk}:2026-10-01", subscription=sub,
    )  # fmt: skip
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.lines.count() == 1 and Charge.objects.count() == 1
    by_hand.refresh_from_db()
    assert by_hand.invoice_line.invoice == invoice
    assert CreditEntry.objects.get(reason="grant").period_start == OCT


def test_a_yearly_membership_is_billed_in_its_anniversary_month_only(place, boss):
    membership = f.product(place, "membership", name="Adhésion", price_net="50.00")
    sub = f.subscription(membership, person=person("Anna"), start=date(2025, 10, 12))
    other = f.subscription(membership, person=person("Bruno"), start=date(2025, 9, 12))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.customer == sub.customer != other.customer
    assert lines_of(invoice) == [
        ("Adhésion — Oct. 12, 2026 to Oct. 11, 2027", D("1.000"), D("50.00"), "exempt_261_7_1b")
    ]
    assert invoice.lines.get().account == "756000" and invoice.lines.get().family == "memberships"


def test_a_membership_bought_at_the_desk_is_not_billed_again(place, boss):
    membership = f.product(place, "membership", name="Adhésion", price_net="50.00")
    anna = person("Anna")
    sale = buy(
        actor=boss, product=membership, person=anna, start=date(2026, 10, 5), issue_date=ISSUED
    )
    assert sale.subscription is not None
    assert billrun.preview(place, OCT).customers == ()
    with pytest.raises(ValidationError, match="nothing to invoice") as caught:
        billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "nothing_to_bill"
    assert not BillRun.objects.exists()


def test_invoices_are_numbered_gap_free_and_the_chain_verifies(place, boss, plan):
    for n in range(5):
        sub = f.subscription(plan, person=person(f"P{n}"), start=date(2026, 1, 1))
        charge(place, sub.customer, date(2026, 10, 1 + n))
    f.customer(place)  # a customer with nothing to bill gets no invoice
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    numbers = list(
        run.invoices.order_by("sequence_number").values_list("sequence_number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    assert verify(place).intact
    call_command("verify_invoices", place=place.slug, stdout=io.StringIO())


def test_totals_per_customer_add_up_to_the_run_total(place, boss, plan):
    for n, price in enumerate(["10.00", "33.33", "0.07"]):
        sub = f.subscription(plan, person=person(f"P{n}"), start=date(2026, 1, 1))
        charge(place, sub.customer, date(2026, 10, 9), price=price, quantity="3")
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    invoices = list(run.invoices.all())
    for invoice in invoices:
        assert invoice.total_net == sum(line.net for line in invoice.lines.all())
        assert invoice.total_gross == invoice.total_net + invoice.total_tax
    assert run.total_gross == sum(i.total_gross for i in invoices)
    # 150 + 3 × 33.33 = 249.99 net, VAT 20 % = 50.00 (49.998 rounded on the sum)
    assert {i.total_gross for i in invoices} >= {D("299.99")}


def test_a_business_without_siren_refuses_the_whole_run_naming_it(place, boss, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    nameless = f.customer(place, name="Atelier Sans Siren", kind=Customer.Kind.COMPANY, siren="")
    f.subscription(plan, person=person("Bruno"), customer=nameless, start=date(2026, 1, 1))
    problems = billrun.preview(place, OCT).problems
    assert [(p.code, p.customer) for p in problems] == [("buyer_siren", nameless)]
    assert "Atelier Sans Siren" in str(problems[0])
    with pytest.raises(ValidationError, match=r"Atelier Sans Siren.*SIREN") as caught:
        billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "plan_problems"
    assert not Invoice.objects.exists() and not Charge.objects.exists()
    assert not CreditEntry.objects.exists() and not BillRun.objects.exists()


def test_a_place_without_siret_is_a_problem_of_the_preview(place, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    place.siret = ""
    place.save()
    assert [p.code for p in billrun.preview(place, OCT).problems] == ["seller_siren"]


def test_a_month_that_has_not_started_is_refused(place, boss, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    today = place.today()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError, match="has not started") as caught:
        billrun.confirm(actor=boss, place=place, month=next_month)
    assert caught.value.code == "future_month"


def test_only_a_coordinator_confirms(place, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    for who in (f.member(place), f.staff(place), f.coordinator(f.place())):
        with pytest.raises(PermissionDenied):
            billrun.confirm(actor=who, place=place, month=OCT, issue_date=ISSUED)
    assert not Invoice.objects.exists()


def test_the_preview_takes_a_handful_of_queries_whatever_the_members(place, plan):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            planned = billrun.preview(place, OCT)
        return len(queries), planned.invoice_count

    def add(n):
        for _ in range(n):
            sub = f.subscription(plan, person=person("X"), start=date(2026, 1, 1))
            SubscriptionPause.objects.create(subscription=sub, start=OCT, end=date(2026, 10, 2))
            charge(place, sub.customer, date(2026, 10, 3))
            charge(place, f.customer(place), date(2026, 10, 4))

    add(2)
    few, invoices = count()
    add(20)
    many, more = count()
    assert (invoices, more) == (4, 44)
    assert many == few <= 8


def test_the_plan_is_sorted_by_customer_name_with_subscriptions_first():
    class C:
        def __init__(self, pk, name, kind_business=False, siren=""):
            self.pk, self.name, self.is_business, self.siren = pk, name, kind_business, siren

    customers = {1: C(1, "zoé"), 2: C(2, "Émile"), 3: C(3, "Anna", True)}

    def item(customer, day, charge_id=None, sub=None, price="1.00"):
        return planning.Item(customer, "x", D(1), D(price), "vat_20", day, None, "C62", "706000",
                             "services", "", charge_id, sub)  # fmt: skip

    planned = planning.plan(
        OCT,
        [
            item(1, date(2026, 10, 9), 5),
            item(1, date(2026, 10, 1), 6),
            item(1, OCT, None, 7),
            item(2, OCT, 1),
            item(3, OCT, 2),
        ],
        customers,
    )
    assert [c.customer.name for c in planned.customers] == ["Anna", "zoé", "Émile"]
    assert [(i.charge_id, i.subscription_id) for i in planned.customers[1].items] == [
        (None, 7),
        (6, None),
        (5, None),
    ]
    assert [p.code for p in planned.problems] == ["buyer_siren"]
    assert planned.total_gross == D("6.00") and not planned.ready


# SEPA


def mandate(customer, n):
    customer.iban = "FR7630006000011234567890189"
    customer.bic = "AGRIFRPP882"
    customer.sepa_mandate_reference = f"RUM-{n}"
    customer.sepa_mandate_date = date(2026, 1, 15)
    customer.save()


def test_the_sepa_file_debits_only_mandated_customers_for_what_is_still_due(place, boss, plan):
    subs = [
        f.subscription(plan, person=person(name), start=date(2026, 1, 1))
        for name in ("Anna", "Bruno", "Chloé")
    ]
    mandate(subs[0].customer, 1)
    mandate(subs[1].customer, 2)
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    paid_part = run.invoices.get(customer=subs[1].customer)
    record_payment(
        actor=boss,
        customer=subs[1].customer,
        amount=D("100.00"),
        method="transfer",
        date=ISSUED,
        allocations=[(paid_part, D("100.00"))],
    )
    data = billrun_sepa.sepa_file(run, collection_date=date(2026, 11, 20))
    doc = etree.fromstring(data)
    found = {
        tx.xpath("string(p:Dbtr/p:Nm)", namespaces=NS): tx.xpath(
            "string(p:InstdAmt)", namespaces=NS
        )
        for tx in doc.xpath("//p:DrctDbtTxInf", namespaces=NS)
    }
    assert found == {"Anna Martin": "180.00", "Bruno Martin": "80.00"}
    assert doc.xpath("string(//p:ReqdColltnDt)", namespaces=NS) == "2026-11-20"
    assert doc.xpath("string(//p:MndtId)", namespaces=NS) == "RUM-1"
    schema = etree.XMLSchema(etree.parse(str(pain_008_schema())))
    schema.assertValid(doc)


def pain_008_schema() -> Path:
    spec = importlib.util.find_spec("sepaxml")
    assert spec is not None and spec.submodule_search_locations  # a dev dependency
    return Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.008.001.02.xsd"


def test_the_sepa_file_needs_the_place_s_creditor_id_and_someone_to_debit(place, boss, plan):
    sub = f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    with pytest.raises(ValidationError, match="No invoice of this run") as caught:
        billrun_sepa.sepa_file(run, collection_date=date(2026, 11, 20))
    assert caught.value.code == "nothing_to_collect"
    mandate(sub.customer, 1)
    BillingProfile.objects.filter(place=place).update(sepa_creditor_id="")
    with pytest.raises(ValidationError, match="creditor identifier") as caught:
        billrun_sepa.sepa_file(run, collection_date=date(2026, 11, 20))
    assert caught.value.code == "no_creditor"


# The command


def test_the_command_previews_then_confirms_as_a_coordinator(place, boss, plan):
    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    out = io.StringIO()
    call_command("bill_run", place=place.slug, month="2026-10", stdout=out)
    assert "Anna Martin" in out.getvalue() and "180.00" in out.getvalue()
    assert not Invoice.objects.exists()
    with pytest.raises(CommandError, match="--as"):
        call_command("bill_run", place=place.slug, month="2026-10", confirm=True, stdout=out)
    call_command(
        "bill_run", place=place.slug, month="2026-10", confirm=True, as_user=boss.email, stdout=out
    )
    assert BillRun.objects.get().invoice_count == 1
    with pytest.raises(CommandError, match="was confirmed on"):
        call_command(
            "bill_run", place=place.slug, month="2026-10", confirm=True, as_user=boss.email,
            stdout=out,
        )  # fmt: skip


# Sending the run's invoices by e-mail


def test_a_run_confirmed_with_send_mails_each_customer_with_an_address_after_commit(
    place, boss, plan, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tierslieux.billing.models import InvoiceDelivery

    anna, bruno = person("Anna"), person("Bruno", "fr")
    for who in (anna, bruno):
        f.subscription(plan, person=who, start=date(2026, 1, 1))
    company = f.customer(place, name="Zèbre SARL", kind=Customer.Kind.COMPANY)  # no e-mail
    f.subscription(plan, person=person("Chloé"), customer=company, start=date(2026, 1, 1))

    with django_capture_on_commit_callbacks() as callbacks:
        run = billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED, send=True)
    assert run.invoice_count == 3 and mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    number = dict(run.invoices.values_list("customer__name", "number"))
    anna_no, bruno_no = number["Anna Martin"], number["Bruno Martin"]
    sent = {m.to[0]: (m.subject, m.attachments[0][0]) for m in mail.outbox}
    assert sent == {
        anna.email: (f"Invoice {anna_no} — {place.name}", f"{anna_no}.pdf"),
        bruno.email: (f"Facture {bruno_no} — {place.name}", f"{bruno_no}.pdf"),
    }
    assert set(InvoiceDelivery.objects.values_list("invoice__customer__name", flat=True)) == {
        "Anna Martin",
        "Bruno Martin",
    }
    confirmed = AuditEntry.objects.get(action="members.billrun.confirm")
    assert confirmed.changes["sent"] == 2


def test_a_run_confirmed_without_send_mails_nobody(
    place, boss, plan, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tierslieux.billing.models import InvoiceDelivery

    f.subscription(plan, person=person("Anna"), start=date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    assert mail.outbox == [] and not InvoiceDelivery.objects.exists()


def test_a_subscription_started_in_a_month_already_billed_is_billed_by_the_next_run(
    place, boss, plan, clock
):
    """October's run is confirmed; Anna then subscribes from 22 October: her 10 days of
    October are not forgotten, November's run bills them with November."""
    bruno = person("Bruno")
    f.subscription(plan, person=bruno, start=date(2026, 10, 1))
    billrun.confirm(actor=boss, place=place, month=OCT, issue_date=ISSUED)
    anna = person("Anna")
    sub = subscriptions.subscribe(actor=boss, product=plan, person=anna, start=date(2026, 10, 22))
    (late,) = Charge.objects.filter(subscription=sub)
    assert (late.service_date, late.service_end) == (date(2026, 10, 22), date(2026, 10, 31))
    assert late.unit_price_net == D("48.39")  # 150 × 10 / 31, half-up
    assert "(prorated 10/31 days)" in late.description
    # The catch-up is idempotent: running it again writes nothing.
    assert billrun.charge_months_already_run(sub) == 0
    clock.set(date(2026, 11, 30))
    run = billrun.confirm(actor=boss, place=place, month=NOV)
    anna_invoice = run.invoices.get(customer__person=anna)
    assert [d for d, *_ in lines_of(anna_invoice)] == [
        late.description,  # October's days, in date order
        "Subscription Résident — November 2026",
    ]


def test_a_subscription_started_in_a_month_not_yet_billed_waits_for_its_run(place, boss, plan):
    sub = subscriptions.subscribe(
        actor=boss, product=plan, person=person("Anna"), start=date(2026, 10, 22)
    )
    assert not Charge.objects.filter(subscription=sub).exists()
