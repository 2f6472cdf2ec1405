"""Tax rules and the arithmetic of an invoice's totals (pure; see docs/algorithms/tax.md).

The rule: each line's net amount is quantity × unit price rounded half-up to the cent; the
VAT of each rate is computed once on the sum of that rate's net amounts and rounded half-up
(not line by line); the gross total is net + VAT exactly. So net + tax = gross always, and
the VAT per rate shown on the invoice is the one the totals use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from tierslieux.core.money import round_money, to_decimal


@dataclass(frozen=True)
class TaxRule:
    code: str
    rate: Decimal  # percent
    label: Any  # a lazy translation: the label follows the reader's language
    # Legal mention printed on the invoice when the rule applies (exemptions).
    mention: str = ""
    # EN 16931 VAT category (S standard, Z zero rated, E exempt) and exemption reason code.
    category: str = "S"
    exemption_code: str = ""


RULES: dict[str, TaxRule] = {
    rule.code: rule
    for rule in (
        TaxRule("vat_20", Decimal("20"), _("VAT 20 %")),
        TaxRule("vat_10", Decimal("10"), _("VAT 10 %")),
        TaxRule("vat_5_5", Decimal("5.5"), _("VAT 5.5 %")),
        TaxRule("vat_2_1", Decimal("2.1"), _("VAT 2.1 %")),
        TaxRule("vat_0", Decimal("0"), _("VAT 0 %"), category="Z"),
        TaxRule(
            "franchise_293b",
            Decimal("0"),
            _("VAT not applicable (franchise)"),
            mention="TVA non applicable, art. 293 B du CGI",
            category="E",
            exemption_code="VATEX-FR-FRANCHISE",
        ),
        TaxRule(
            "exempt_261_7_1b",
            Decimal("0"),
            _("VAT exempt (non-profit organisation)"),
            mention="Exonération de TVA, art. 261-7-1° b du CGI",
            category="E",
            exemption_code="VATEX-EU-132",
        ),
    )
}


class UnknownTaxRule(ValueError):
    pass


def rule(code: str) -> TaxRule:
    try:
        return RULES[code]
    except KeyError:
        raise UnknownTaxRule(code) from None


@dataclass(frozen=True)
class LineAmount:
    quantity: Decimal
    unit_price: Decimal  # excluding tax
    tax_code: str

    @property
    def net(self) -> Decimal:
        return round_money(to_decimal(self.quantity) * to_decimal(self.unit_price))


@dataclass(frozen=True)
class TaxTotal:
    code: str
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal
    by_rule: tuple[TaxTotal, ...]
    mentions: tuple[str, ...]


def totals(lines: Iterable[LineAmount]) -> Totals:
    """Totals of an invoice (or a credit note: negative quantities or prices are fine)."""
    bases: dict[str, Decimal] = {}
    for line in lines:
        rule(line.tax_code)
        bases[line.tax_code] = bases.get(line.tax_code, Decimal("0.00")) + line.net
    by_rule = tuple(
        TaxTotal(code, RULES[code].rate, base, round_money(base * RULES[code].rate / 100))
        for code, base in sorted(bases.items(), key=lambda item: (-RULES[item[0]].rate, item[0]))
    )
    net = sum((t.base for t in by_rule), Decimal("0.00"))
    tax = sum((t.tax for t in by_rule), Decimal("0.00"))
    mentions = tuple(dict.fromkeys(RULES[t.code].mention for t in by_rule if RULES[t.code].mention))
    return Totals(net, tax, net + tax, by_rule, mentions)
