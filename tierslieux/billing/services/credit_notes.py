"""Credit notes: the only correction of an issued invoice (docs/algorithms/tax.md).

A credit note names the invoice it corrects, takes the next number of the same sequence at
once, and its lines are negative. What remains uncredited is tracked per invoice line (in net
amount), so no sequence of credit notes can credit more than the invoice; the VAT is capped
per rate by `crediting.credit_totals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tierslieux.billing import crediting, queries, tax
from tierslieux.billing.models import Customer, CustomerCreditEntry, Invoice, InvoiceLine
from tierslieux.billing.services.common import CreditLine, decimal, lock_sequence, require
from tierslieux.billing.services.issuing import issue
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import money
from tierslieux.core.money import round_money
from tierslieux.core.types import Actor

ZERO = Decimal("0.00")
Part = tuple[InvoiceLine, Decimal, Decimal, str]  # (credited line, quantity < 0, price, unit)


def _left_per_line(original: Invoice, lines: list[InvoiceLine]) -> dict[int, Decimal]:
    """Net amount of each line not yet credited (credit lines are negative)."""
    credited = dict(
        InvoiceLine.objects.filter(corrects_line__invoice=original, invoice__status="issued")
        .values("corrects_line")
        .annotate(s=Sum("net"))
        .values_list("corrects_line", "s")
    )
    return {li.pk: li.net + round_money(credited.get(li.pk) or ZERO) for li in lines}


def _everything_left(lines: list[InvoiceLine], left: dict[int, Decimal]) -> list[Part]:
    """A line never credited is mirrored; a line partly credited gives −1 × what remains."""
    return [
        (li, -li.quantity, li.unit_price_net, li.unit)
        if left[li.pk] == li.net
        else (li, Decimal(-1), left[li.pk], "C62")
        for li in lines
        if left[li.pk] > 0
    ]


def _requested(
    original: Invoice,
    lines: list[InvoiceLine],
    left: dict[int, Decimal],
    wanted: Iterable[CreditLine],
) -> list[Part]:
    by_position = {li.position: li for li in lines}
    parts: list[Part] = []
    for item in wanted:
        line = by_position.get(item.position)
        if line is None:
            refuse(
                _("Invoice %(number)s has no line %(position)s."),
                "unknown_line",
                number=original.number,
                position=item.position,
            )
        if (item.quantity is None) == (item.amount is None):
            refuse(
                _("Line %(position)s: credit either a quantity or an amount."),
                "quantity_or_amount",
                position=item.position,
            )
        if item.quantity is not None:
            quantity = decimal(item.quantity, _("The quantity"))
            price, unit = line.unit_price_net, line.unit
            net = round_money(quantity * price)
        else:
            quantity, price, unit = Decimal(1), decimal(item.amount, _("The amount")), "C62"
            net = price
        if quantity <= 0 or net <= 0 or price != round_money(price):
            refuse(
                _("Line %(position)s: what is credited is given as a positive quantity or amount."),
                "credit_not_positive",
                position=item.position,
            )
        if net > left[line.pk]:
            refuse(
                _(
                    "Line %(position)s: %(amount)s cannot be credited, only %(left)s remain "
                    "uncredited."
                ),
                "exceeds",
                position=item.position,
                amount=money(net),
                left=money(left[line.pk]),
            )
        left[line.pk] -= net
        parts.append((line, -quantity, price, unit))
    return parts


def _remaining_taxes(original: Invoice) -> dict[str, crediting.Remaining]:
    remaining = {
        r["code"]: crediting.Remaining(Decimal(r["base"]), Decimal(r["tax"]))
        for r in original.taxes
    }
    notes = original.credit_notes.filter(status=Invoice.Status.ISSUED)
    for taxes in notes.values_list("taxes", flat=True):
        for r in taxes:
            was = remaining[r["code"]]
            remaining[r["code"]] = crediting.Remaining(
                was.base + Decimal(r["base"]), was.tax + Decimal(r["tax"])
            )
    return remaining


@transaction.atomic
def create_credit_note(
    *,
    actor: Actor,
    invoice: Invoice,
    lines: Iterable[CreditLine] | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Credit the whole invoice (what remains of it) or the given parts, and issue the credit
    note at once. On an invoice already paid, what the credit note cannot settle becomes the
    customer's credit."""
    require(actor, invoice.place)
    return credit_invoice(actor=actor, invoice=invoice, lines=lines, issue_date=issue_date)


@transaction.atomic
def credit_invoice(
    *,
    actor: Actor,
    invoice: Invoice,
    lines: Iterable[CreditLine] | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """`create_credit_note` without the access check, for a sale its caller authorised
    (as `issue_sale`): an attendee cancelling a paid seat is credited without the team."""
    # Payments and credit notes of one customer are serialised on the customer's row.
    Customer.objects.select_for_update().filter(pk=invoice.customer_id).first()
    original = Invoice.objects.select_related("place", "customer").get(pk=invoice.pk)
    if not original.is_issued:
        refuse(
            _("Only an issued invoice is credited; a draft can still be changed or deleted."),
            "not_issued",
        )
    if original.kind != Invoice.Kind.INVOICE:
        refuse(_("A credit note cannot itself be credited."), "credit_of_credit")
    originals = list(original.lines.order_by("position"))
    left = _left_per_line(original, originals)
    parts = (
        _everything_left(originals, left)
        if lines is None
        else _requested(original, originals, left, lines)
    )
    if not parts:
        refuse(
            _("Invoice %(number)s is already fully credited."),
            "fully_credited",
            number=original.number,
        )
    before = queries.settlement(original)

    sequence = lock_sequence(original.place)
    note = Invoice.objects.create(
        place=original.place,
        customer=original.customer,
        kind=Invoice.Kind.CREDIT_NOTE,
        corrects=original,
        service_start=original.service_start,
        service_end=original.service_end,
        late_penalty_rate=original.late_penalty_rate,
        payment_terms_days=0,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=note,
            position=n,
            description=line.description,
            quantity=quantity,
            unit=unit,
            unit_price_net=price,
            tax_code=line.tax_code,
            tax_rate=line.tax_rate,
            net=round_money(quantity * price),
            account=line.account,
            family=line.family,
            corrects_line=line,
        )
        for n, (line, quantity, price, unit) in enumerate(parts, start=1)
    )
    computed = tax.totals(tax.LineAmount(q, p, line.tax_code) for line, q, p, _u in parts)
    totals = crediting.credit_totals(computed, _remaining_taxes(original))
    issue(actor, note, sequence, issue_date, totals)

    surplus = -note.total_gross - before.due
    if surplus > 0:
        CustomerCreditEntry.objects.create(
            place=note.place,
            customer=note.customer,
            amount=surplus,
            reason=CustomerCreditEntry.Reason.CREDIT_NOTE,
            invoice=note,
        )
    return note
