"""Issuing: the checks, the number from the locked sequence, the snapshots, the totals, the
hash chain; and closing periods (docs/algorithms/numbering.md).

Everything happens in one transaction that holds the place's sequence row: the checks that
depend on other invoices (chronology, closed periods) run under that lock, and the number is
taken last, so a refusal or any failure rolls back before a number is spent: no gaps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.billing import buyer, chain, queries, snapshots, tax
from tierslieux.billing.models import (
    BillingProfile,
    ClosedPeriod,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
)
from tierslieux.billing.numbering import format_number
from tierslieux.billing.services.common import (
    check_line,
    check_tax_code,
    lock_sequence,
    refuse_issued,
    require,
)
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import day
from tierslieux.core.types import Actor
from tierslieux.core.validators import validate_siren
from tierslieux.places.models import Place

Kind = Invoice.Kind


def _check_content(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    if not lines:
        refuse(_("An empty invoice cannot be issued: add at least one line."), "empty")
    for line in lines:
        rule = check_tax_code(line.tax_code)
        if line.tax_rate != rule.rate:
            refuse(
                _("Line %(position)s: the rate %(rate)s %% is not the rule's (%(expected)s %%)."),
                "rate_mismatch",
                position=line.position,
                rate=line.tax_rate,
                expected=rule.rate,
            )
        check_line(invoice.kind, line.position, line.quantity, line.unit_price_net)


def _check_parties(place: Place, invoice: Invoice) -> None:
    if not place.siret:
        refuse(
            _("The place has no SIRET: an invoice must name the seller's SIREN."),
            "seller_siren",
        )
    customer = invoice.customer
    if customer.place_id != place.pk:
        refuse(_("This customer belongs to another place."), "other_place")
    missing = buyer.missing_details(customer)
    if missing:  # an organisation's postal address and SIREN (billing/buyer.py)
        refuse(
            buyer.refusal(),
            buyer.missing_code(missing),
            customer=customer.name,
            missing=buyer.missing_labels(missing),
        )
    if customer.siren:
        validate_siren(customer.siren)


# An invoice dated further ahead is a typing error (and its due date would leave the calendar).
FURTHEST_AHEAD = timedelta(days=366)


def _check_date(place: Place, issue_date: date, last_date: date | None) -> None:
    if issue_date > place.today() + FURTHEST_AHEAD:
        refuse(
            _("An invoice cannot be dated %(day)s: more than a year ahead."),
            "too_far_ahead",
            day=day(issue_date),
        )
    period = queries.closed_period_containing(place, issue_date)
    if period is not None:
        refuse(
            _("The period from %(start)s to %(end)s is closed: nothing can be issued on %(day)s."),
            "closed_period",
            start=day(period.start),
            end=day(period.end),
            day=day(issue_date),
        )
    if last_date is not None and issue_date < last_date:
        refuse(
            _(
                "Numbers follow dates: the last invoice was issued on %(last)s, so this one "
                "cannot be dated %(day)s."
            ),
            "chronology",
            last=day(last_date),
            day=day(issue_date),
        )


def _payment_terms(invoice: Invoice, days: int) -> str:
    if invoice.payment_terms:
        return invoice.payment_terms
    if invoice.kind == Kind.CREDIT_NOTE:
        return ""
    with translation.override(invoice.customer.language):
        if days == 0:
            return _("Payable on receipt.")
        return _("Payable within %(days)s days of the invoice date.") % {"days": days}


# Every field issuing sets on an invoice: `freeze` sets them all, for one invoice or a batch.
FROZEN_FIELDS = (
    "status",
    "sequence_number",
    "number",
    "issue_date",
    "due_date",
    "payment_terms",
    "late_penalty_rate",
    "seller",
    "buyer",
    "taxes",
    "total_net",
    "total_tax",
    "total_gross",
    "issued_at",
    "previous_hash",
    "hash",
)


def freeze(
    invoice: Invoice,
    lines: list[InvoiceLine],
    *,
    prefix: str,
    number: int,
    issue_date: date,
    totals: tax.Totals,
    profile: BillingProfile,
    seller: dict[str, Any],
    previous_hash: str,
    issued_at: datetime,
) -> None:
    """Set the `FROZEN_FIELDS` of a checked draft, numbered `number` in the series `prefix`
    and chained after `previous_hash`: the one place where an invoice is frozen, whether
    issued alone (`issue`) or in a bill run (`batch.issue_batch`). The draft's own terms and
    late-penalty rate win over the place's profile."""
    days = 0 if invoice.kind == Kind.CREDIT_NOTE else invoice.payment_terms_days
    days = profile.payment_terms_days if days is None else days
    invoice.status = Invoice.Status.ISSUED
    invoice.sequence_number = number
    invoice.number = format_number(prefix, number)
    invoice.issue_date = issue_date
    invoice.due_date = issue_date + timedelta(days=days)
    invoice.payment_terms = _payment_terms(invoice, days)
    if invoice.late_penalty_rate is None:
        invoice.late_penalty_rate = profile.late_penalty_rate
    invoice.seller = dict(seller)
    invoice.buyer = snapshots.buyer(invoice.customer)
    invoice.taxes = queries.tax_rows(totals.by_rule)
    invoice.total_net, invoice.total_tax, invoice.total_gross = totals.net, totals.tax, totals.gross
    invoice.issued_at = issued_at
    invoice.previous_hash = previous_hash
    invoice.hash = chain.chain_hash(previous_hash, chain.payload(invoice, lines))


def last_issued(place: Place) -> tuple[date | None, str] | None:
    """The issue date and hash of the place's last issued invoice (None before the first)."""
    return (
        Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
        .order_by("-sequence_number")
        .values_list("issue_date", "hash")
        .first()
    )


def issue(
    actor: Actor,
    invoice: Invoice,
    sequence: InvoiceSequence,
    issue_date: date | None,
    totals: tax.Totals | None = None,
) -> Invoice:
    """Issue a draft already locked (with its place's sequence): check, number, freeze.
    `totals` overrides the computed ones (a credit note's capped VAT)."""
    place = invoice.place
    lines = list(invoice.lines.order_by("position"))
    _check_content(invoice, lines)
    _check_parties(place, invoice)
    issue_date = issue_date or place.today()
    last = last_issued(place)
    _check_date(place, issue_date, last[0] if last else None)
    if totals is None:
        totals = tax.totals(
            tax.LineAmount(li.quantity, li.unit_price_net, li.tax_code) for li in lines
        )
    if invoice.kind == Kind.INVOICE and totals.gross < 0:
        refuse(_("An invoice's total cannot be negative."), "negative_total")

    profile = snapshots.profile_of(place)
    freeze(
        invoice,
        lines,
        prefix=sequence.prefix,
        number=sequence.next_number,
        issue_date=issue_date,
        totals=totals,
        profile=profile,
        seller=snapshots.seller(place, profile),
        previous_hash=last[1] if last else chain.GENESIS,
        issued_at=clock.now(),
    )
    invoice.save()
    sequence.next_number += 1
    sequence.save(update_fields=["next_number"])
    audit.record(
        actor=actor,
        action=f"billing.{invoice.kind}.issue",
        obj=invoice,
        place_id=place.pk,
        changes={
            "number": invoice.number,
            "total_gross": invoice.total_gross,
            "hash": invoice.hash,
        },
    )
    return invoice


@transaction.atomic
def issue_invoice(*, actor: Actor, invoice: Invoice, issue_date: date | None = None) -> Invoice:
    """Give a draft its number and freeze it (see the module docstring). `issue_date`
    defaults to today in the place's time zone."""
    require(actor, invoice.place)
    if invoice.kind == Kind.CREDIT_NOTE:
        refuse(_("A credit note is issued when it is created."), "credit_note")
    sequence = lock_sequence(invoice.place)
    fresh = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("place", "customer")
        .get(pk=invoice.pk)
    )
    if fresh.is_issued:
        refuse_issued(fresh)
    return issue(actor, fresh, sequence, issue_date)


@transaction.atomic
def close_period(*, actor: Actor, place: Place, start: date, end: date) -> ClosedPeriod:
    """Close [start, end] (inclusive): nothing more can be issued on those dates. Takes the
    sequence lock, so no invoice is being issued inside the period meanwhile."""
    require(actor, place)
    if end < start:
        refuse(_("The period ends before it starts."), "period_order")
    lock_sequence(place)
    period = ClosedPeriod.objects.create(place=place, start=start, end=end)
    audit.record(
        actor=actor,
        action="billing.period.close",
        obj=period,
        place_id=place.pk,
        changes={"start": start, "end": end},
    )
    return period
