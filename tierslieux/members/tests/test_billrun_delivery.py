"""After the bill run: the SEPA direct-debit file of mandated customers, the command that
previews and confirms, the invoices e-mailed when asked."""

import importlib.util
import io
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from lxml import etree

from tierslieux.billing.models import BillingProfile, Customer, Invoice
from tierslieux.billing.services import record_payment
from tierslieux.core.models import AuditEntry
from tierslieux.members.models import BillRun
from tierslieux.members.services import billrun, billrun_sepa
from tierslieux.members.tests import factories as f

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source

OCT = date(2026, 10, 1)
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


# SEPA


def mandate(customer, n):
    customer.iban = "FR7630006000011234567890189"
    customer.bic = "AGRIFRPP882"
    customer.sepa_mandate_reference = f"RUM-{n}"
    customer.sepa_mandate_date = date(2026, 1, 15)
    customer.save()


def test_the_sepa_file_debits_only_mandated_customers_for_what_is_still_due(
    place, coordinator, plan
):
    subs = [
        f.subscription(plan, person=f.person(name), start=date(2026, 1, 1))
        for name in ("Anna", "Bruno", "Chloé")
    ]
    mandate(subs[0].customer, 1)
    mandate(subs[1].customer, 2)
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    paid_part = run.invoices.get(customer=subs[1].customer)
    record_payment(
        actor=coordinator,
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


def test_the_sepa_file_needs_the_place_s_creditor_id_and_someone_to_debit(place, coordinator, plan):
    sub = f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    run = billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    with pytest.raises(ValidationError, match="No invoice of this run") as caught:
        billrun_sepa.sepa_file(run, collection_date=date(2026, 11, 20))
    assert caught.value.code == "nothing_to_collect"
    mandate(sub.customer, 1)
    BillingProfile.objects.filter(place=place).update(sepa_creditor_id="")
    with pytest.raises(ValidationError, match="creditor identifier") as caught:
        billrun_sepa.sepa_file(run, collection_date=date(2026, 11, 20))
    assert caught.value.code == "no_creditor"


# The command


def test_the_command_previews_then_confirms_as_a_coordinator(place, coordinator, plan):
    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    out = io.StringIO()
    call_command("bill_run", place=place.slug, month="2026-10", stdout=out)
    assert "Anna Martin" in out.getvalue() and "180.00" in out.getvalue()
    assert not Invoice.objects.exists()
    with pytest.raises(CommandError, match="--as"):
        call_command("bill_run", place=place.slug, month="2026-10", confirm=True, stdout=out)
    call_command(
        "bill_run",
        place=place.slug,
        month="2026-10",
        confirm=True,
        as_user=coordinator.email,
        stdout=out,
    )
    assert BillRun.objects.get().invoice_count == 1
    with pytest.raises(CommandError, match="was confirmed on"):
        call_command(
            "bill_run", place=place.slug, month="2026-10", confirm=True, as_user=coordinator.email,
            stdout=out,
        )  # fmt: skip


# Sending the run's invoices by e-mail


def test_a_run_confirmed_with_send_mails_each_customer_with_an_address_after_commit(
    place, coordinator, plan, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tierslieux.billing.models import InvoiceDelivery

    anna, bruno = f.person("Anna"), f.person("Bruno", "fr")
    for who in (anna, bruno):
        f.subscription(plan, person=who, start=date(2026, 1, 1))
    company = f.customer(place, name="Zèbre SARL", kind=Customer.Kind.COMPANY)  # no e-mail
    f.subscription(plan, person=f.person("Chloé"), customer=company, start=date(2026, 1, 1))

    with django_capture_on_commit_callbacks() as callbacks:
        run = billrun.confirm(
            actor=coordinator, place=place, month=OCT, issue_date=ISSUED, send=True
        )
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
    place, coordinator, plan, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tierslieux.billing.models import InvoiceDelivery

    f.subscription(plan, person=f.person("Anna"), start=date(2026, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        billrun.confirm(actor=coordinator, place=place, month=OCT, issue_date=ISSUED)
    assert mail.outbox == [] and not InvoiceDelivery.objects.exists()
