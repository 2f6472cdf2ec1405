"""Issuing many invoices at once (a bill run): the same checks, numbers, snapshots, totals
and hash chain as `issue_invoice` on each, in a few statements instead of a dozen each.

One transaction holding the place's sequence row: every invoice is built and checked in
Python first (a refusal spends no number and writes nothing), then the invoices are
inserted as drafts (totals, snapshots and hash already filled: the hash does not depend on
the row's id), their lines after them, and one UPDATE per batch of invoices issues them
(status, number, issue time): the PostgreSQL trigger of migration 0002 refuses lines
inserted into an issued invoice, and lets the UPDATE pass because each old row is a draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing import chain, snapshots, tax
from tierslieux.billing.models import Customer, Invoice, InvoiceLine
from tierslieux.billing.services.common import LineInput, lock_sequence, require
from tierslieux.billing.services.drafts import _check_period, _line
from tierslieux.billing.services.issuing import (
    _check_content,
    _check_date,
    _check_parties,
    freeze,
    last_issued,
)
from tierslieux.core import audit, clock
from tierslieux.core.batch import bulk_set
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

BATCH_SIZE = 500
# What issuing changes on the draft row; everything else (totals, snapshots, hash) is
# already in the draft as inserted: the hash does not depend on the row's id.
ISSUED_FIELDS = ["status", "sequence_number", "number", "issued_at"]


@dataclass(frozen=True)
class BatchInvoice:
    """One invoice to issue: its customer, its lines and the service period; optionally, as
    on a draft, its own payment terms and late-penalty rate (else the place's profile's)."""

    customer: Customer
    lines: list[LineInput] = field(default_factory=list)
    service_start: date | None = None
    service_end: date | None = None
    payment_terms: str = ""
    payment_terms_days: int | None = None
    late_penalty_rate: Decimal | None = None


def _for_customer(customer: Customer, error: ValidationError) -> ValidationError:
    """The refusal, naming whose invoice it is (one refusal stops the whole batch)."""
    reason = " ".join(error.messages)
    return ValidationError(
        _("Invoice for %(customer)s: %(reason)s"),
        code=getattr(error, "code", None) or "invalid",
        params={"customer": customer.name, "reason": reason},
    )


def _build(place: Place, item: BatchInvoice) -> tuple[Invoice, list[InvoiceLine], tax.Totals]:
    """A checked, unsaved invoice with its lines and totals (what `create_draft` and then
    `issue` would check), or the refusal naming the customer."""
    invoice = Invoice(
        place=place,
        customer=item.customer,
        service_start=item.service_start,
        service_end=item.service_end,
        payment_terms=item.payment_terms,
        payment_terms_days=item.payment_terms_days,
        late_penalty_rate=item.late_penalty_rate,
    )
    try:
        _check_period(item.service_start, item.service_end)
        lines = [_line(invoice, n, line) for n, line in enumerate(item.lines, start=1)]
        _check_content(invoice, lines)
        _check_parties(place, invoice)
        totals = tax.totals(
            tax.LineAmount(li.quantity, li.unit_price_net, li.tax_code) for li in lines
        )
        if totals.gross < 0:
            refuse(_("An invoice's total cannot be negative."), "negative_total")
    except ValidationError as error:
        raise _for_customer(item.customer, error) from None
    return invoice, lines, totals


@transaction.atomic
def issue_batch(
    *, actor: Actor, place: Place, invoices: Sequence[BatchInvoice], issue_date: date
) -> list[Invoice]:
    """Issue one invoice per item, numbered in the order given, all or none (see the module
    docstring). Returns the issued invoices; their lines are in the database."""
    require(actor, place)
    sequence = lock_sequence(place)
    if not invoices:
        return []
    if not place.siret:  # the seller's check, once, before naming any customer
        _check_parties(place, Invoice(place=place, customer=invoices[0].customer))
    last = last_issued(place)
    _check_date(place, issue_date, last[0] if last else None)

    profile = snapshots.profile_of(place)
    seller = snapshots.seller(place, profile)
    issued_at = clock.now()
    previous_hash = last[1] if last else chain.GENESIS
    number = sequence.next_number
    built: list[tuple[Invoice, list[InvoiceLine]]] = []
    for item in invoices:
        invoice, lines, totals = _build(place, item)
        freeze(
            invoice,
            lines,
            prefix=sequence.prefix,
            number=number,
            issue_date=issue_date,
            totals=totals,
            profile=profile,
            seller=seller,
            previous_hash=previous_hash,
            issued_at=issued_at,
        )
        previous_hash = invoice.hash
        built.append((invoice, lines))
        number += 1

    # Inserted as drafts, their lines next, then issued: see the module docstring.
    drafts = [_as_draft(invoice) for invoice, _lines in built]
    Invoice.objects.bulk_create(drafts, batch_size=BATCH_SIZE)
    for draft, (invoice, lines) in zip(drafts, built, strict=True):
        invoice.pk, invoice.created_at = draft.pk, draft.created_at
        invoice._state.adding, invoice._state.db = False, draft._state.db
        for line in lines:
            line.invoice = invoice
    InvoiceLine.objects.bulk_create(
        [line for _invoice, lines in built for line in lines], batch_size=BATCH_SIZE * 4
    )
    issued = [invoice for invoice, _lines in built]
    bulk_set(
        Invoice,
        ["sequence_number", "number"],
        [(i.pk, i.sequence_number, i.number) for i in issued],
        status=Invoice.Status.ISSUED,
        issued_at=issued_at,
    )
    sequence.next_number = number
    sequence.save(update_fields=["next_number"])
    _audit(actor, place, issued)
    return issued


def _as_draft(invoice: Invoice) -> Invoice:
    """The invoice's row as a draft: every field but the four that issuing sets."""
    draft = Invoice(
        **{
            f.attname: getattr(invoice, f.attname)
            for f in Invoice._meta.concrete_fields
            if f.attname not in ISSUED_FIELDS and not f.primary_key
        }
    )
    draft.status = Invoice.Status.DRAFT
    return draft


def _audit(actor: Actor, place: Place, invoices: list[Invoice]) -> None:
    """One entry per invoice, as `issue_invoice` leaves, marked as issued in a batch."""
    audit.record_many(
        actor=actor,
        entries=(
            audit.Change(
                f"billing.{invoice.kind}.issue",
                invoice,
                place.pk,
                {
                    "number": invoice.number,
                    "total_gross": invoice.total_gross,
                    "hash": invoice.hash,
                    "batch": True,
                },
            )
            for invoice in invoices
        ),
    )
