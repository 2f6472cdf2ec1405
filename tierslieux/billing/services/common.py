"""What the billing services share (members' services too): the access check, the checks of
a line, input shapes, the lock. Refusals: `core.errors.refuse`; texts: `core.formatting`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from tierslieux.billing import tax
from tierslieux.billing.models import (
    MAX_PRICE,
    MAX_QUANTITY,
    Invoice,
    InvoiceImmutable,
    InvoiceSequence,
)
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import amount, money
from tierslieux.core.money import to_decimal
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place


@dataclass(frozen=True)
class LineInput:
    """A line to put on a draft. `unit`: UN/ECE rec. 20 (C62 one, HUR hour, DAY day)."""

    description: str
    quantity: Decimal | int | str
    unit_price_net: Decimal | int | str
    tax_code: str
    unit: str = "C62"
    account: str = "706000"
    family: str = "services"


@dataclass(frozen=True)
class CreditLine:
    """Part of an invoice line to credit: a quantity of it, or a net amount (a reduction)."""

    position: int
    quantity: Decimal | int | str | None = None
    amount: Decimal | int | str | None = None


def require(actor: Actor, place: Place) -> None:
    access.require(actor, place, Perm.MANAGE_BILLING)


def refuse_issued(invoice: Invoice) -> NoReturn:
    raise InvoiceImmutable(
        _("Invoice %(number)s is issued: it can no longer change; issue a credit note."),
        code="issued",
        params={"number": invoice.number},
    )


def decimal(value: Any, what: str) -> Decimal:
    try:
        return to_decimal(value)
    except (InvalidOperation, ValueError):
        refuse(_("%(what)s is not a number: “%(value)s”."), "not_a_number", what=what, value=value)


def check_line(
    kind: str, position: int, quantity: Decimal, unit_price_net: Decimal
) -> tuple[Decimal, Decimal]:
    """Quantities have at most 3 decimals, prices 2; on an invoice both are positive (a
    correction is a credit note, made by `create_credit_note`); neither a quantity nor a
    line's amount goes beyond the bounds a person would expect (`MAX_QUANTITY`,
    `MAX_PRICE`)."""
    if quantity != quantity.quantize(Decimal("0.001")):
        refuse(
            _("Line %(position)s: a quantity has at most 3 decimals (“%(quantity)s”)."),
            "quantity_decimals",
            position=position,
            quantity=quantity,
        )
    if unit_price_net != unit_price_net.quantize(Decimal("0.01")):
        refuse(
            _("Line %(position)s: a unit price is in cents (“%(price)s”)."),
            "price_decimals",
            position=position,
            price=unit_price_net,
        )
    if abs(quantity) > MAX_QUANTITY:
        refuse(
            _("Line %(position)s: a quantity is at most %(maximum)s (“%(quantity)s”)."),
            "quantity_too_large",
            position=position,
            maximum=amount(MAX_QUANTITY),
            quantity=quantity,
        )
    if abs(unit_price_net) > MAX_PRICE or abs(quantity * unit_price_net) > MAX_PRICE:
        refuse(
            _("Line %(position)s: a line is at most %(maximum)s excl. VAT (“%(price)s” each)."),
            "price_too_large",
            position=position,
            maximum=money(MAX_PRICE),
            price=unit_price_net,
        )
    if kind == Invoice.Kind.INVOICE:
        if quantity < 0:
            refuse(
                _(
                    "Line %(position)s: the quantity %(quantity)s is negative; only a credit "
                    "note has negative quantities."
                ),
                "negative_quantity",
                position=position,
                quantity=quantity,
            )
        if quantity == 0:
            refuse(
                _("Line %(position)s: the quantity is zero."), "zero_quantity", position=position
            )
        if unit_price_net < 0:
            refuse(
                _(
                    "Line %(position)s: the unit price %(price)s is negative; lower the price "
                    "or issue a credit note."
                ),
                "negative_price",
                position=position,
                price=unit_price_net,
            )
    return quantity, unit_price_net


def check_tax_code(code: str) -> tax.TaxRule:
    try:
        return tax.rule(code)
    except tax.UnknownTaxRule:
        refuse(
            _("Unknown tax rule “%(code)s”; known rules: %(known)s."),
            "unknown_tax_rule",
            code=code,
            known=", ".join(tax.RULES),
        )


def lock_sequence(place: Place) -> InvoiceSequence:
    """The place's sequence row, locked until the transaction ends (created at first use;
    two first uses racing meet on its unique place, and the loser reads the winner's row)."""
    sequence = InvoiceSequence.objects.select_for_update().filter(place=place).first()
    if sequence is None:
        InvoiceSequence.objects.get_or_create(place=place)
        sequence = InvoiceSequence.objects.select_for_update().get(place=place)
    return sequence
