"""Template filters for money documents: a tax rule's or a unit's label instead of its code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from tierslieux.billing import tax
from tierslieux.billing.pdf import unit_label

register = template.Library()


@register.filter
def tax_label(code: str) -> Any:
    """“TVA 20 %” for "vat_20"; an unknown code is shown as is."""
    try:
        return tax.rule(code).label
    except tax.UnknownTaxRule:
        return code


@register.filter
def with_tax(price_net: Decimal | None, code: str) -> Decimal | None:
    """The price including tax of one unit at `price_net` under the rule `code`."""
    if price_net is None:
        return None
    try:
        return tax.totals([tax.LineAmount(Decimal("1"), Decimal(price_net), code)]).gross
    except tax.UnknownTaxRule:
        return None


@register.filter
def unit(code: str, quantity: Decimal | int = 2) -> str:
    """“heures” for "HUR" (agreeing with `quantity`); an unknown code is shown as is."""
    return unit_label(code, Decimal(quantity))
