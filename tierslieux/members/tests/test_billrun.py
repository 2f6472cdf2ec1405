"""The monthly bill run: the preview is what the confirmation issues, once per month, with
prorated subscriptions, pauses, gap-free numbers, allowances granted once."""

import io
from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tierslieux.billing.integrity import verify
from tierslieux.billing.models import Customer, Invoice, InvoiceSequence
from tierslieux.core.models import AuditEntry
from tierslieux.members.models import (
    BillRun,
    Charge,
    CreditEntry,
    Subscription,
    SubscriptionPause,
)
from tierslieux.members.services import billrun, subscriptions
from tierslieux.members.services.credits import grant_cycle
from tierslieux.members.services.sales import buy
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source

OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)
ISSUED = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _issued_today(clock):
    """October 2026 is billed on the day its invoices are dated."""
    clock.set(ISSUED)
    return clock


@pytest.fixture
def place(place):
    return f.collecting_by_sepa(place)


@pytest.fixture
def plan(place):
    return f.product(place, "plan", name="Résident", price_net="150.00")


def test_the_preview_is_what_the_confirmation_issues(place, coordinator, plan, clock):
    anna, bruno = f.person("Anna"), f.person("Bruno", "fr")
    f.subscription(plan, person=anna, start=date(2026, 1, 1))
    f.subscription(plan, person=bruno, start=date(2026, 10, 22))  # 10 days of 31
    company = f.customer(place, name="Zèbre SARL", kind=Customer.Kind.COMPANY)
    f.subscription(plan, person=f.person("Chloé"), customer=company, start=date(2026, 3, 1))
    anna_c, bruno_c = f.person_customer(place, anna), f.person_customer(place, bruno)
    f.charge(place, anna_c, date(2026, 10, 14))
    f.charge(place, anna_c, date(2026, 9, 30), price="10.00", quantity="1")  # missed last month
    f.charge(place, bruno_c, date(2026, 10, 31), price="12.50", quantity="1.5")
    f.charge(place, company, date(2026, 10, 5), price="80.00", quantity="1")
    f.charge(place, anna_c, date(2026, 11, 3))  # next month
    f.charge(place, bruno_c, date(2026, 10, 3), voided_at=clock.now())

    plan_ = billrun.preview(place, OCT)
    assert plan_.ready and plan_.problems == ()
    assert [c.customer.name for c in plan_.customers] == [
        "Anna Martin",
        "Bruno Martin",
        "Zèbre SARL",
    ]
    assert (plan_.invoice_count, plan_.line_count, plan_.subscription_count) == (3, 7, 3)
    assert Charge.objects.count() == 6  # the preview wrote nothing

    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    invoices = list(run.invoices.order_by("sequence_number"))
    assert [i.customer for i in invoices] == [c.customer for c in plan_.customers]
    for invoice, planned in zip(invoices, plan_.customers, strict=True):
        assert f.invoice_lines(invoice) == [
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
    assert run.confirmed_by == coordinator


def test_lines_speak_the_customer_s_language_and_say_the_proration(place, coordinator, plan):
    anna, chloe = f.person("Anna"), f.person("Chloé")
    f.subscription(plan, person=anna, start=date(2026, 10, 23))  # 9 of 31 days
    org = f.customer(place, name="Collectif", kind=Customer.Kind.ASSOCIATION, language="en")
    f.subscription(plan, person=chloe, customer=org, start=date(2026, 1, 1))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    by_customer = {i.customer.name: f.invoice_lines(i) for i in run.invoices.all()}
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


def test_a_customer_writing_french_gets_french_month_names(place, coordinator, plan):
    f.subscription(plan, person=f.person("Bruno", "fr"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert "octobre 2026" in f.invoice_lines(invoice)[0][0]


def test_a_second_run_for_the_month_issues_nothing_and_says_why(place, coordinator, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    f.subscription(plan, person=f.person("Bruno"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    before = (Invoice.objects.count(), Charge.objects.count(), CreditEntry.objects.count())
    with pytest.raises(ValidationError, match=r"October 2026 was confirmed on .*: 2 invoices") as e:
        billrun.confirm(actor=coordinator, place=place, month=date(2026, 10, 17), issue_date=ISSUED)
    assert e.value.code == "already_run"
    assert (Invoice.objects.count(), Charge.objects.count(), CreditEntry.objects.count()) == before
    assert InvoiceSequence.objects.get(place=place).next_number == 3
    problems = billrun.preview(place, OCT).problems
    assert [p.code for p in problems] == ["already_run"]
    assert BillRun.objects.get() == run


def test_a_run_that_bypassed_the_lock_meets_the_unique_constraint(place, coordinator, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    ready = billrun._plan(place, OCT)
    BillRun.objects.create(place=place, month=OCT, issue_date=ISSUED, invoice_count=4)
    with (
        mock.patch.object(billrun, "_plan", return_value=ready),
        pytest.raises(ValidationError, match="4 invoices were issued") as caught,
    ):
        billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "already_run"
    assert not Invoice.objects.exists() and not Charge.objects.exists()


def test_a_charge_added_after_the_run_is_billed_the_next_month(place, coordinator, plan, clock):
    anna = f.person_customer(place, f.person("Anna"))
    f.charge(place, anna, date(2026, 10, 10))
    billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    late = f.charge(place, anna, date(2026, 10, 30), price="30.00", quantity="1")
    nov = billrun.preview(place, NOV)
    assert [i.charge_id for c in nov.customers for i in c.items] == [late.pk]
    clock.set(date(2026, 12, 1))
    run = billrun.confirm(actor=coordinator, place=place, month=NOV)
    (invoice,) = run.invoices.all()
    late.refresh_from_db()
    assert late.invoice_line.invoice == invoice and invoice.issue_date == date(2026, 12, 1)


def test_subscriptions_are_charged_once_and_each_charge_points_at_its_line(
    place, coordinator, plan
):
    sub = f.subscription(plan, person=f.person("Anna"), start=date(2026, 10, 22))
    booking = f.charge(place, sub.customer, date(2026, 10, 25))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
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
    place, coordinator, plan
):
    whole = f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    SubscriptionPause.objects.create(
        subscription=whole, start=date(2026, 9, 20), end=date(2026, 11, 5)
    )
    part = f.subscription(plan, person=f.person("Bruno"), start=date(2026, 1, 1))
    SubscriptionPause.objects.create(
        subscription=part, start=date(2026, 10, 1), end=date(2026, 10, 10)
    )
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.customer == part.customer
    assert f.invoice_lines(invoice)[0][2] == D("101.61")  # 150 × 21 / 31
    grants = CreditEntry.objects.filter(reason=CreditEntry.Reason.GRANT)
    assert [(g.subscription, g.period_start, g.quantity) for g in grants] == [
        (part, date(2026, 10, 1), D("10.00"))
    ]


def test_allowances_are_granted_at_confirmation_not_at_preview(place, coordinator, plan):
    sub = f.subscription(plan, person=f.person("Anna"), start=date(2026, 10, 15))
    billrun.preview(place, OCT)
    assert not CreditEntry.objects.exists()
    billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
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


@pytest.mark.parametrize(
    ("kind", "start", "period"),
    [
        ("plan", date(2026, 10, 15), (date(2026, 10, 15), date(2026, 10, 31))),
        ("membership", date(2025, 10, 12), (date(2026, 10, 12), date(2027, 10, 11))),
    ],
)
def test_the_run_grants_exactly_what_grant_cycle_grants(place, coordinator, kind, start, period):
    """Monthly plans and yearly fees with credits alike: the run's bulk grant
    (`credits.grant_cycles`) writes what `grant_cycle` writes, audit included."""
    product = f.product(place, kind, wallet="desk_days", credits="12")
    sub = f.subscription(product, person=f.person("Anna"), start=start)
    sub = Subscription.objects.select_related("product").get(pk=sub.pk)  # as the run reads it
    point = transaction.savepoint()
    entry = grant_cycle(subscription=sub, period_start=period[0], period_end=period[1])
    expected = grant_fields(entry)
    trace = AuditEntry.objects.filter(action="credits.grant")
    expected_trace = list(trace.values_list("actor_id", "object_type", "place_id", "changes"))
    transaction.savepoint_rollback(point)
    billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    assert grant_fields(CreditEntry.objects.get(reason="grant")) == expected
    assert (
        list(trace.values_list("actor_id", "object_type", "place_id", "changes")) == expected_trace
    )


def test_a_period_already_charged_is_billed_once_and_still_granted(place, coordinator, plan):
    sub = f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    by_hand = f.charge(
        place, sub.customer, OCT, price="150.00", quantity="1",
        source=f"subscription:{sub.pk}:2026-10-01", subscription=sub,
    )  # fmt: skip
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.lines.count() == 1 and Charge.objects.count() == 1
    by_hand.refresh_from_db()
    assert by_hand.invoice_line.invoice == invoice
    assert CreditEntry.objects.get(reason="grant").period_start == OCT


def test_a_yearly_membership_is_billed_in_its_anniversary_month_only(place, coordinator):
    membership = f.product(place, "membership", name="Adhésion", price_net="50.00")
    sub = f.subscription(membership, person=f.person("Anna"), start=date(2025, 10, 12))
    other = f.subscription(membership, person=f.person("Bruno"), start=date(2025, 9, 12))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    (invoice,) = run.invoices.all()
    assert invoice.customer == sub.customer != other.customer
    assert f.invoice_lines(invoice) == [
        ("Adhésion — Oct. 12, 2026 to Oct. 11, 2027", D("1.000"), D("50.00"), "exempt_261_7_1b")
    ]
    assert invoice.lines.get().account == "756000" and invoice.lines.get().family == "memberships"


def test_a_membership_bought_at_the_desk_is_not_billed_again(place, coordinator):
    membership = f.product(place, "membership", name="Adhésion", price_net="50.00")
    anna = f.person("Anna")
    sale = buy(
        actor=coordinator,
        product=membership,
        person=anna,
        start=date(2026, 10, 5),
        issue_date=ISSUED,
    )
    assert sale.subscription is not None
    assert billrun.preview(place, OCT).customers == ()
    with pytest.raises(ValidationError, match="nothing to invoice") as caught:
        billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "nothing_to_bill"
    assert not BillRun.objects.exists()


def test_invoices_are_numbered_gap_free_and_the_chain_verifies(place, coordinator, plan):
    for n in range(5):
        sub = f.subscription(plan, person=f.person(f"P{n}"), start=date(2026, 1, 1))
        f.charge(place, sub.customer, date(2026, 10, 1 + n))
    f.customer(place)  # a customer with nothing to bill gets no invoice
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    numbers = list(
        run.invoices.order_by("sequence_number").values_list("sequence_number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    assert verify(place).intact
    call_command("verify_invoices", place=place.slug, stdout=io.StringIO())


def test_totals_per_customer_add_up_to_the_run_total(place, coordinator, plan):
    for n, price in enumerate(["10.00", "33.33", "0.07"]):
        sub = f.subscription(plan, person=f.person(f"P{n}"), start=date(2026, 1, 1))
        f.charge(place, sub.customer, date(2026, 10, 9), price=price, quantity="3")
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    invoices = list(run.invoices.all())
    for invoice in invoices:
        assert invoice.total_net == sum(line.net for line in invoice.lines.all())
        assert invoice.total_gross == invoice.total_net + invoice.total_tax
    assert run.total_gross == sum(i.total_gross for i in invoices)
    # 150 + 3 × 33.33 = 249.99 net, VAT 20 % = 50.00 (49.998 rounded on the sum)
    assert {i.total_gross for i in invoices} >= {D("299.99")}


def test_a_business_without_siren_refuses_the_whole_run_naming_it(place, coordinator, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    nameless = f.customer(place, name="Atelier Sans Siren", kind=Customer.Kind.COMPANY, siren="")
    f.subscription(plan, person=f.person("Bruno"), customer=nameless, start=date(2026, 1, 1))
    problems = billrun.preview(place, OCT).problems
    assert [(p.code, p.customer) for p in problems] == [("buyer_siren", nameless)]
    assert "Atelier Sans Siren" in str(problems[0])
    with pytest.raises(ValidationError, match=r"Atelier Sans Siren.*SIREN") as caught:
        billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    assert caught.value.code == "plan_problems"
    assert not Invoice.objects.exists() and not Charge.objects.exists()
    assert not CreditEntry.objects.exists() and not BillRun.objects.exists()


def test_a_place_without_siret_is_a_problem_of_the_preview(place, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    place.siret = ""
    place.save()
    assert [p.code for p in billrun.preview(place, OCT).problems] == ["seller_siren"]


def test_a_month_that_has_not_started_is_refused(place, coordinator, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    today = place.today()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    with pytest.raises(ValidationError, match="has not started") as caught:
        billrun.confirm(actor=coordinator, place=place, month=next_month)
    assert caught.value.code == "future_month"


def test_only_a_coordinator_confirms(place, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
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
            sub = f.subscription(plan, person=f.person("X"), start=date(2026, 1, 1))
            SubscriptionPause.objects.create(subscription=sub, start=OCT, end=date(2026, 10, 2))
            f.charge(place, sub.customer, date(2026, 10, 3))
            f.charge(place, f.customer(place), date(2026, 10, 4))

    add(2)
    few, invoices = count()
    add(20)
    many, more = count()
    assert (invoices, more) == (4, 44)
    assert many == few <= 9  # incl. the organisations' details its customers lack


def test_a_subscription_started_in_a_month_already_billed_is_billed_by_the_next_run(
    place, coordinator, plan, clock
):
    """October's run is confirmed; Anna then subscribes from 22 October: her 10 days of
    October are not forgotten, November's run bills them with November."""
    bruno = f.person("Bruno")
    f.subscription(plan, person=bruno, start=date(2026, 10, 1))
    billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    anna = f.person("Anna")
    sub = subscriptions.subscribe(
        actor=coordinator, product=plan, person=anna, start=date(2026, 10, 22)
    )
    (late,) = Charge.objects.filter(subscription=sub)
    assert (late.service_date, late.service_end) == (date(2026, 10, 22), date(2026, 10, 31))
    assert late.unit_price_net == D("48.39")  # 150 × 10 / 31, half-up
    assert "(prorated 10/31 days)" in late.description
    # The catch-up is idempotent: running it again writes nothing.
    assert billrun.charge_months_already_run(sub) == 0
    clock.set(date(2026, 11, 30))
    run = billrun.confirm(actor=coordinator, place=place, month=NOV)
    anna_invoice = run.invoices.get(customer__person=anna)
    assert [d for d, *_ in f.invoice_lines(anna_invoice)] == [
        late.description,  # October's days, in date order
        "Subscription Résident — November 2026",
    ]


def test_a_subscription_started_in_a_month_not_yet_billed_waits_for_its_run(
    place, coordinator, plan
):
    sub = subscriptions.subscribe(
        actor=coordinator, product=plan, person=f.person("Anna"), start=date(2026, 10, 22)
    )
    assert not Charge.objects.filter(subscription=sub).exists()
