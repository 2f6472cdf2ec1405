"""Template filters for money documents: a tax rule's label instead of its code."""

from __future__ import annotations

from typing import Any

from django import template

from tierslieux.billing import tax

register = template.Library()


@register.filter
def tax_label(code: str) -> Any:
    """“TVA 20 %” for "vat_20"; an unknown code is shown as is."""
    try:
        return tax.rule(code).label
    except tax.UnknownTaxRule:
        return code
