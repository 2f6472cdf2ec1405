"""Payments, their allocation to invoices, and the customer's credit.

Payments of one customer are serialised on the customer's row, so two payments never
allocate the same amount due twice. What a payment does not settle becomes credit: never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing import chain, queries
from tierslieux.billing.models import (
    Customer,
    CustomerCreditEntry,
    Invoice,
    Payment,
    PaymentAllocation,
)
from tierslieux.billing.services.common import decimal, require
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import money
from tierslieux.core.money import round_money
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

ZERO = Decimal("0.00")


def _positive_cents(value: Any, what: str) -> Decimal:
    amount = decimal(value, what)
    if amount <= 0 or amount != round_money(amount):
        refuse(
            _("%(what)s must be a positive amount in cents, not %(value)s."),
            "amount_not_positive",
            what=what,
            value=money(amount),
        )
    return amount


def _plan(
    customer: Customer,
    amount: Decimal,
    allocations: Iterable[tuple[Invoice, Decimal | int | str]] | None,
) -> list[tuple[Invoice, Decimal]]:
    """Which invoices the payment settles, and how much of each."""
    open_invoices = queries.open_invoices(customer)
    if allocations is None:
        plan, rest = [], amount
        for invoice, due in open_invoices:  # oldest first
            if rest == 0:
                break
            part = min(rest, due)
            plan.append((invoice, part))
            rest -= part
        return plan
    due_of = {invoice.pk: (invoice, due) for invoice, due in open_invoices}
    plan = []
    for invoice, value in allocations:
        part = _positive_cents(value, _("An allocation"))
        if invoice.pk not in due_of:
            refuse(
                _("Nothing is due from this customer on %(invoice)s."),
                "nothing_due",
                invoice=str(invoice),
            )
        fresh, due = due_of.pop(invoice.pk)
        if part > due:
            refuse(
                _("Only %(due)s is due on %(invoice)s, not %(part)s."),
                "allocation_exceeds_due",
                due=money(due),
                invoice=fresh.number,
                part=money(part),
            )
        plan.append((fresh, part))
    if sum((part for _, part in plan), ZERO) > amount:
        refuse(_("The allocations exceed the payment."), "allocations_exceed_payment")
    return plan


def _chain_head(place_id: int) -> str:
    """The hash of the place's last payment, under a lock on the place's row (taken last:
    the lock order of docs/algorithms/numbering.md), so two payments of one place never
    chain after the same one (the unique constraint would refuse the second)."""
    Place.objects.select_for_update().filter(pk=place_id).values_list("pk").get()
    last = Payment.objects.filter(place_id=place_id).order_by("-id").values("hash").first()
    return last["hash"] if last else chain.GENESIS


@transaction.atomic
def record_payment(
    *,
    actor: Actor,
    customer: Customer,
    amount: Decimal | int | str,
    method: str,
    date: date,
    reference: str = "",
    allocations: Iterable[tuple[Invoice, Decimal | int | str]] | None = None,
) -> Payment:
    """Record money received. Without `allocations`, it settles the customer's oldest unpaid
    issued invoices first; whatever remains becomes the customer's credit."""
    require(actor, customer.place)
    amount = _positive_cents(amount, _("A payment"))
    if method not in Payment.Method.values:
        refuse(_("Unknown payment method “%(method)s”."), "unknown_method", method=method)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    plan = _plan(customer, amount, allocations)
    payment = Payment(
        place_id=customer.place_id,
        customer=customer,
        date=date,
        amount=amount,
        method=method,
        reference=reference,
        recorded_by_id=actor.pk if actor.is_authenticated else None,
        created_at=clock.now(),
        previous_hash=_chain_head(customer.place_id),
    )
    payment.hash = chain.chain_hash(
        payment.previous_hash,
        chain.payment_payload(payment, ((invoice.number or "", part) for invoice, part in plan)),
    )
    payment.save()
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(payment=payment, invoice=invoice, amount=part) for invoice, part in plan
    )
    rest = amount - sum((part for _, part in plan), ZERO)
    if rest > 0:
        CustomerCreditEntry.objects.create(
            place_id=customer.place_id,
            customer=customer,
            amount=rest,
            reason=CustomerCreditEntry.Reason.OVERPAYMENT,
            payment=payment,
        )
    audit.record(
        actor=actor,
        action="billing.payment.record",
        obj=payment,
        place_id=customer.place_id,
        changes={
            "amount": amount,
            "method": method,
            "allocations": {invoice.number: part for invoice, part in plan},
            "credit": rest,
            "hash": payment.hash,
        },
    )
    return payment


@transaction.atomic
def apply_credit(*, actor: Actor, customer: Customer, invoice: Invoice) -> CustomerCreditEntry:
    """Settle what is due on one invoice with the customer's credit, as far as it goes."""
    require(actor, customer.place)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if invoice.customer_id != customer.pk:
        refuse(_("This invoice is not this customer's."), "other_customer")
    if not invoice.is_issued or invoice.kind != Invoice.Kind.INVOICE:
        refuse(_("Credit settles issued invoices only."), "not_issued")
    due = queries.settlement(invoice).due
    credit = queries.credit_balance(customer)
    if due == 0:
        refuse(_("Nothing is due on %(invoice)s."), "nothing_due", invoice=invoice.number)
    if credit <= 0:
        refuse(_("%(customer)s has no credit."), "no_credit", customer=customer.name)
    entry = CustomerCreditEntry.objects.create(
        place_id=customer.place_id,
        customer=customer,
        amount=-min(due, credit),
        reason=CustomerCreditEntry.Reason.APPLIED,
        invoice=invoice,
    )
    audit.record(
        actor=actor,
        action="billing.credit.apply",
        obj=entry,
        place_id=customer.place_id,
        changes={"invoice": invoice.number, "amount": entry.amount},
    )
    return entry
