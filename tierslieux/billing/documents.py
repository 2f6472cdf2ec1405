"""What an issued invoice says, as plain frozen data: the one input of the PDF, the Factur-X
XML and the accounting exports, so those stay pure and testable without the database.

`services` builds an `InvoiceDoc` from an issued invoice's frozen snapshots (seller and buyer
copied at issue) and its lines; nothing here reads the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    postcode: str
    city: str
    country: str = "FR"  # ISO 3166-1 alpha-2
    siren: str = ""  # 9 digits; the seller always has one, a business customer too
    siret: str = ""
    vat_number: str = ""  # intra-community VAT number, e.g. FR40123456789
    email: str = ""
    is_business: bool = False  # a business customer: SIREN and the 40 EUR indemnity apply
    iban: str = ""  # the seller's, for transfers; the debtor's, for direct debits
    bic: str = ""
    sepa_creditor_id: str = ""  # the seller's ICS, for direct debits


@dataclass(frozen=True)
class LineDoc:
    position: int
    description: str
    quantity: Decimal
    unit: str  # UN/ECE rec. 20 code: "C62" one, "HUR" hour, "DAY" day, "MON" month
    unit_price_net: Decimal
    tax_code: str  # a key of tax.RULES
    tax_rate: Decimal  # percent
    net: Decimal  # quantity × unit price, rounded half-up to the cent
    account: str = "706000"  # revenue account of the chart of accounts (FEC)


@dataclass(frozen=True)
class TaxLineDoc:
    tax_code: str
    rate: Decimal
    category: str  # EN 16931: S, Z, E
    exemption_code: str
    exemption_mention: str
    base: Decimal
    tax: Decimal


@dataclass(frozen=True)
class InvoiceDoc:
    kind: str  # "invoice" or "credit_note"
    number: str
    issue_date: date
    service_start: date
    service_end: date
    due_date: date
    seller: Party
    buyer: Party
    lines: tuple[LineDoc, ...]
    taxes: tuple[TaxLineDoc, ...]
    total_net: Decimal
    total_tax: Decimal
    total_gross: Decimal
    amount_paid: Decimal = Decimal("0.00")
    currency: str = "EUR"
    payment_terms: str = ""
    # The SEPA mandate reference (RUM) when this invoice is collected by direct debit: with the
    # seller's creditor ID it makes the Factur-X payment means 59 (BT-89).
    mandate_reference: str = ""
    late_penalty_rate: Decimal = Decimal("0")  # percent a year
    fixed_recovery_indemnity: bool = False  # 40 EUR, business customers only
    corrects_number: str = ""  # a credit note names the invoice it corrects
    corrects_issue_date: date | None = None  # and its issue date (BT-26, French e-invoicing)
    customer_account: str = ""  # the buyer's auxiliary account (FEC CompAuxNum), as on payments
    language: str = "fr"
    logo_path: str = ""  # a file path or data URL of the place's logo, for the PDF
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def amount_due(self) -> Decimal:
        return self.total_gross - self.amount_paid

    @property
    def currency_symbol(self) -> str:
        """What a reader sees after an amount: € for EUR, else the ISO code."""
        return {"EUR": "€"}.get(self.currency, self.currency)


@dataclass(frozen=True)
class PaymentDoc:
    """A payment received, for the accounting exports."""

    reference: str
    date: date
    customer_name: str
    customer_account: str  # auxiliary account, e.g. "411" + customer id
    method: str  # cash, cheque, transfer, card, sepa_debit, helloasso
    amount: Decimal
    invoice_numbers: tuple[str, ...] = ()
