"""The VAT of a credit note, so that credits never exceed the invoice (pure; see
docs/algorithms/tax.md, "Credit notes").

A credit note's lines are computed like any invoice's (`tax.totals`, amounts negative). But
VAT rounded on each partial credit note could add up to more than the invoice's VAT for a
rate (three credits of 0.10 at 5.5 % give 3 × 0.01, the invoice's 0.30 gave 0.02). So, per
rate, in absolute value: a credit note's VAT never exceeds what remains of the invoice's
VAT, and the credit note that credits the last of a rate's base takes exactly the VAT that
remains. A fully credited invoice then sums to zero to the cent, whatever the path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from tierslieux.billing.tax import TaxTotal, Totals

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Remaining:
    """What remains uncredited of one rate of an invoice (positive amounts)."""

    base: Decimal
    tax: Decimal


def credit_totals(computed: Totals, remaining: Mapping[str, Remaining]) -> Totals:
    """`computed`: `tax.totals` of the credit note's (negative) lines; `remaining`: per tax
    code, what remains of the invoice. Bases must not exceed what remains (checked per line
    by the caller); VAT is capped and completed as the module says."""
    by_rule = []
    for t in computed.by_rule:
        left = remaining.get(t.code, Remaining(ZERO, ZERO))
        base, tax = -t.base, -t.tax
        if base > left.base:
            raise ValueError(f"{t.code}: crediting {base} where {left.base} remains")
        tax = left.tax if base == left.base else min(tax, left.tax)
        by_rule.append(TaxTotal(t.code, t.rate, t.base, -tax))
    net = sum((t.base for t in by_rule), ZERO)
    tax_total = sum((t.tax for t in by_rule), ZERO)
    return Totals(net, tax_total, net + tax_total, tuple(by_rule), computed.mentions)
