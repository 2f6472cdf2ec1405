"""The hash chain catches a change made behind the services' back; `verify_invoices` names
the invoice and exits 1."""

from contextlib import contextmanager
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tierslieux.billing import chain
from tierslieux.billing.integrity import verify
from tierslieux.billing.models import Customer, Invoice, InvoiceLine
from tierslieux.billing.tests import factories as f


@contextmanager
def behind_the_services_back():
    """On PostgreSQL the trigger would refuse the change: switch it off inside the test's
    transaction (DDL is transactional there: the rollback switches it on again). ALTER TABLE
    waits for no deferred foreign-key check: run those first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE billing_invoice DISABLE TRIGGER billing_invoice_immutable")
            cursor.execute(
                "ALTER TABLE billing_invoiceline DISABLE TRIGGER billing_invoiceline_immutable"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield


@pytest.fixture
def place():
    return f.place(slug="la-fabrique")


@pytest.fixture
def invoices(place):
    boss = f.coordinator(place)
    customer = f.customer(place, name="Association Les Amis")
    return [f.issued(boss, customer, issue_date=date(2027, 1, d)) for d in (4, 5, 6, 7)]


def run(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_invoices", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_an_untouched_chain_is_intact(invoices, place):
    assert invoices[0].previous_hash == chain.GENESIS
    assert [i.previous_hash for i in invoices[1:]] == [i.hash for i in invoices[:-1]]

    assert run() == (0, "la-fabrique: 4 issued invoices, chain intact\n")


def test_a_total_changed_by_a_queryset_update_is_named_and_exits_1(invoices, place):
    with behind_the_services_back():
        Invoice.objects.filter(pk=invoices[1].pk).update(total_net=1, total_tax=0, total_gross=1)

    code, out = run()

    assert code == 1
    assert "la-fabrique: 4 issued invoices, TAMPERED" in out
    assert "F-000002: content changed since issue (hash differs)" in out
    assert "F-000001" not in out and "F-000003" not in out  # the neighbours are not accused


def test_a_line_or_a_buyer_changed_behind_the_back_is_caught(invoices):
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoices[2]).update(description="Autre chose")
        Invoice.objects.filter(pk=invoices[3].pk).update(
            buyer={**invoices[3].buyer, "name": "Quelqu'un d'autre"}
        )
        Customer.objects.update(name="Renommé")  # the live customer may change: not hashed

    findings = [str(x) for x in verify(invoices[0].place).findings]

    assert findings == [
        "F-000003: content changed since issue (hash differs)",
        "F-000004: content changed since issue (hash differs)",
    ]


def test_a_rehashed_forgery_breaks_the_link_to_the_next_invoice(invoices):
    forged = Invoice.objects.get(pk=invoices[1].pk)
    forged.total_net, forged.total_tax, forged.total_gross = 1, 0, 1
    lines = list(forged.lines.order_by("position"))
    with behind_the_services_back():
        Invoice.objects.filter(pk=forged.pk).update(
            total_net=1,
            total_tax=0,
            total_gross=1,
            hash=chain.chain_hash(forged.previous_hash, chain.payload(forged, lines)),
        )

    findings = [str(x) for x in verify(invoices[0].place).findings]

    assert findings == ["F-000003: chain broken: previous hash differs"]


def test_a_deleted_invoice_shows_as_missing_numbers(invoices):
    with behind_the_services_back():
        InvoiceLine.objects.filter(invoice=invoices[1])._raw_delete(connection.alias)
        Invoice.objects.filter(pk=invoices[1].pk)._raw_delete(connection.alias)
        InvoiceLine.objects.filter(invoice=invoices[3])._raw_delete(connection.alias)
        Invoice.objects.filter(pk=invoices[3].pk)._raw_delete(connection.alias)

    findings = [str(x) for x in verify(invoices[0].place).findings]

    assert findings == [
        "F-000003: missing before it: number 2",
        "F-000003: chain broken: previous hash differs",
        "F-000003: missing after it: number 4",
    ]


def test_place_limits_the_check_to_one_place(invoices, place):
    other = f.place(slug="le-tiers")
    f.issued(f.coordinator(other), f.customer(other))
    with behind_the_services_back():
        Invoice.objects.filter(pk=invoices[0].pk).update(issue_date=date(2027, 1, 3))

    assert run("--place", "le-tiers") == (0, "le-tiers: 1 issued invoices, chain intact\n")
    code, out = run()
    assert code == 1
    assert "le-tiers: 1 issued invoices, chain intact" in out
    assert "F-000001: content changed since issue" in out
    with pytest.raises(CommandError, match="nowhere"):
        call_command("verify_invoices", "--place", "nowhere", stdout=StringIO())
