"""Sending issued invoices to customers by e-mail.

A sending is an `InvoiceDelivery` row (the issued invoice itself never changes); the e-mail
leaves from the worker (`tasks.deliver_invoice`), enqueued once the row is committed, so a
transaction that fails sends nothing and a request never waits for the mail server.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing.models import Invoice, InvoiceDelivery
from tierslieux.billing.services.common import require
from tierslieux.billing.tasks import deliver_invoice
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor

CHUNK = 5000  # ids per IN (…) list, well under SQLite's limit of bound parameters
ACTION = "billing.invoice.send"


def _requester(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse_draft(invoice: Invoice) -> None:
    if not invoice.is_issued:
        refuse(
            _("%(invoice)s is a draft: issue it before sending it (a draft has no number)."),
            "draft",
            invoice=str(invoice),
        )


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _enqueue(ids: list[int]) -> None:
    def enqueue() -> None:
        for pk in ids:
            deliver_invoice.enqueue(pk)

    transaction.on_commit(enqueue)


@transaction.atomic
def send_invoice(*, actor: Actor, invoice: Invoice, to: str | None = None) -> InvoiceDelivery:
    """Queue the e-mail of an issued invoice or credit note with its PDF, to `to` or else
    the customer's address."""
    require(actor, invoice.place)
    invoice = Invoice.objects.select_related("customer").get(pk=invoice.pk)
    _refuse_draft(invoice)
    address = (to or "").strip() or invoice.customer.email
    if not address:
        refuse(
            _(
                "%(customer)s has no e-mail address: enter one, or add it to the customer's "
                "account."
            ),
            "no_email",
            customer=invoice.customer.name,
        )
    if not _valid(address):
        refuse(_("“%(address)s” is not a valid e-mail address."), "invalid_email", address=address)
    delivery = InvoiceDelivery.objects.create(
        invoice=invoice, to=address, requested_by=_requester(actor)
    )
    audit.record(
        actor=actor,
        action=ACTION,
        obj=delivery,
        place_id=invoice.place_id,
        changes={"invoice": invoice.number, "to": address},
    )
    _enqueue([delivery.pk])
    return delivery


@transaction.atomic
def send_to_customer(*, actor: Actor, invoice: Invoice) -> InvoiceDelivery | None:
    """Queue the e-mail of an issued invoice or credit note to its customer, without the
    access check: for a sale its caller authorised (as `issue_sale`). A customer without a
    valid address is skipped (None), as `send_invoices` skips them."""
    invoice = Invoice.objects.select_related("customer").get(pk=invoice.pk)
    _refuse_draft(invoice)
    address = invoice.customer.email
    if not _valid(address):
        return None
    delivery = InvoiceDelivery.objects.create(
        invoice=invoice, to=address, requested_by=_requester(actor)
    )
    audit.record(
        actor=actor,
        action=ACTION,
        obj=delivery,
        place_id=invoice.place_id,
        changes={"invoice": invoice.number, "to": address},
    )
    _enqueue([delivery.pk])
    return delivery


@transaction.atomic
def send_invoices(*, actor: Actor, invoices: Iterable[Invoice]) -> int:
    """Queue the e-mail of each issued invoice whose customer has a valid address (a bill
    run's, say); the others are skipped. Returns how many were queued. A draft among them is
    refused, and then nothing is queued."""
    ids = sorted({invoice.pk for invoice in invoices})
    found: list[Invoice] = []
    for start in range(0, len(ids), CHUNK):
        found += Invoice.objects.filter(pk__in=ids[start : start + CHUNK]).select_related(
            "place", "customer"
        )
    for place in {invoice.place_id: invoice.place for invoice in found}.values():
        require(actor, place)
    for invoice in found:
        _refuse_draft(invoice)
    requester = _requester(actor)
    deliveries = InvoiceDelivery.objects.bulk_create(
        (
            InvoiceDelivery(invoice=invoice, to=invoice.customer.email, requested_by=requester)
            for invoice in found
            if _valid(invoice.customer.email)
        ),
        batch_size=1000,
    )
    places = {invoice.pk: invoice.place_id for invoice in found}
    audit.record_many(
        actor=actor,
        entries=(
            audit.Change(
                ACTION,
                delivery,
                places[delivery.invoice_id],
                {"invoice": delivery.invoice.number, "to": delivery.to},
            )
            for delivery in deliveries
        ),
    )
    _enqueue([delivery.pk for delivery in deliveries])
    return len(deliveries)
