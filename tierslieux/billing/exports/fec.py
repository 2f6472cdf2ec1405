"""The FEC (fichier des écritures comptables) of article A47 A-1 of the Livre des procédures
fiscales, built from issued documents alone (pure: no ORM). See
docs/algorithms/accounting-exports.md.

Choices, as the article asks them to be described: one record per line, fields separated by a
tab, records by CR LF; characters in ISO 8859-15 (one of the three sets the article lists;
UTF-8 is available on request); dates YYYYMMDD; amounts with a comma, no thousands separator,
always positive, Debit and Credit both filled ("0,00" on the unused side); Montantdevise and
Idevise empty since every amount is in euros. Entries come in chronological order of
validation; EcritureNum runs 1, 2, 3… within each journal.

The labels (JournalLib, CompteLib, EcritureLib) are French on purpose: the FEC is a French
fiscal file read by the tax administration and the place's accountant, not a page of the app.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from tierslieux.billing.documents import InvoiceDoc, PaymentDoc
from tierslieux.core.money import round_money

FEC_COLUMNS: tuple[str, ...] = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
ENCODING = "iso-8859-15"
RECORD_SEPARATOR = "\r\n"
FIELD_SEPARATOR = "\t"
ZERO = Decimal("0.00")

# Revenue accounts of the plan comptable général a tiers-lieu uses, by prefix (longest wins).
REVENUE_LABELS: dict[str, str] = {
    "706": "Prestations de services",
    "7061": "Prestations de services - locations d'espaces",
    "707": "Ventes de marchandises",
    "708": "Produits des activités annexes",
    "7083": "Locations diverses",
    "7088": "Autres produits d'activités annexes",
    "74": "Subventions d'exploitation",
    "756": "Cotisations",
    "758": "Produits divers de gestion courante",
}
METHOD_LABELS: dict[str, str] = {
    "cash": "espèces",
    "cheque": "chèque",
    "transfer": "virement",
    "card": "carte",
    "sepa_debit": "prélèvement SEPA",
    "helloasso": "HelloAsso",
}


@dataclass(frozen=True)
class ChartOfAccounts:
    """The accounts the exports post to; a place's accountant may ask for others."""

    customers: str = "411000"
    customers_label: str = "Clients"
    vat_collected: str = "445710"
    vat_label: str = "TVA collectée"
    bank: str = "512000"
    bank_label: str = "Banque"
    cash: str = "530000"
    cash_label: str = "Caisse"
    # A VAT account per tax code (e.g. {"vat_20": "445712"}); codes not listed use vat_collected.
    vat_accounts: Mapping[str, str] = field(default_factory=dict)
    # Payment methods posted to the cash account rather than the bank.
    cash_methods: frozenset[str] = frozenset({"cash"})
    revenue_labels: Mapping[str, str] = field(default_factory=lambda: dict(REVENUE_LABELS))

    def revenue_label(self, account: str) -> str:
        prefixes = [p for p in self.revenue_labels if account.startswith(p)]
        return self.revenue_labels[max(prefixes, key=len)] if prefixes else "Produits"


DEFAULT_CHART = ChartOfAccounts()


class UnbalancedEntry(ValueError):
    """A document whose lines, taxes and totals disagree: it must never reach the books."""


@dataclass(frozen=True)
class _Posting:
    account: str
    account_label: str
    aux: str
    aux_label: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class _Entry:
    journal: str
    journal_label: str
    day: date
    piece_ref: str
    label: str
    postings: tuple[_Posting, ...]


def document_sign(doc: InvoiceDoc) -> int:
    """+1 for an invoice; -1 for a credit note written with positive amounts (the usual French
    presentation). A credit note already written with negative amounts keeps +1, so either
    convention gives the same signed figures."""
    return -1 if doc.kind == "credit_note" and doc.total_gross > 0 else 1


def _posting(
    account: str,
    label: str,
    amount: Decimal,
    *,
    debit_side: bool,
    aux: str = "",
    aux_label: str = "",
) -> _Posting | None:
    """A signed amount on its natural side; a negative one goes to the other side."""
    amount = round_money(amount)
    if amount == 0:
        return None
    on_debit = debit_side == (amount > 0)
    value = abs(amount)
    return _Posting(
        account, label, aux, aux_label, value if on_debit else ZERO, ZERO if on_debit else value
    )


def _rate(rate: Decimal) -> str:
    text = f"{rate.normalize():f}"
    return text.replace(".", ",")


def _invoice_entry(
    doc: InvoiceDoc, journal: str, journal_label: str, chart: ChartOfAccounts
) -> _Entry:
    sign = document_sign(doc)
    aux = doc.customer_account
    aux_label = doc.buyer.name if aux else ""
    postings: list[_Posting | None] = [
        _posting(
            chart.customers,
            chart.customers_label,
            sign * doc.total_gross,
            debit_side=True,
            aux=aux,
            aux_label=aux_label,
        )
    ]
    revenue: dict[str, Decimal] = {}
    for line in doc.lines:
        revenue[line.account] = revenue.get(line.account, ZERO) + line.net
    for account, net in sorted(revenue.items()):
        postings.append(
            _posting(account, chart.revenue_label(account), sign * net, debit_side=False)
        )
    for tax in sorted(doc.taxes, key=lambda t: (-t.rate, t.tax_code)):
        account = chart.vat_accounts.get(tax.tax_code, chart.vat_collected)
        label = f"{chart.vat_label} {_rate(tax.rate)} %"
        postings.append(_posting(account, label, sign * tax.tax, debit_side=False))
    kept = tuple(p for p in postings if p is not None)
    debit = sum((p.debit for p in kept), ZERO)
    credit = sum((p.credit for p in kept), ZERO)
    if debit != credit:
        raise UnbalancedEntry(
            f"{doc.number}: debits {debit} and credits {credit} differ: "
            "its lines, taxes and gross total disagree"
        )
    what = "Avoir" if doc.kind == "credit_note" else "Facture"
    label = f"{what} {doc.number} {doc.buyer.name}"
    if doc.corrects_number:
        label += f" (corrige {doc.corrects_number})"
    return _Entry(journal, journal_label, doc.issue_date, doc.number, label, kept)


def _payment_entry(
    payment: PaymentDoc, journal: str, journal_label: str, chart: ChartOfAccounts
) -> _Entry:
    in_cash = payment.method in chart.cash_methods
    account, account_label = (
        (chart.cash, chart.cash_label) if in_cash else (chart.bank, chart.bank_label)
    )
    postings = (
        _posting(account, account_label, payment.amount, debit_side=True),
        _posting(
            chart.customers,
            chart.customers_label,
            payment.amount,
            debit_side=False,
            aux=payment.customer_account,
            aux_label=payment.customer_name if payment.customer_account else "",
        ),
    )
    label = f"Règlement {METHOD_LABELS.get(payment.method, payment.method)} {payment.customer_name}"
    if payment.invoice_numbers:
        label += " " + ", ".join(payment.invoice_numbers)
    kept = tuple(p for p in postings if p is not None)
    return _Entry(journal, journal_label, payment.date, payment.reference, label, kept)


def clean_text(value: str, encoding: str = ENCODING) -> str:
    """One field's text: no tab or line break (they are separators), and only characters the
    chosen character set has; the others become their nearest plain letter, else "?"."""
    value = " ".join(value.split())
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return value
    out = []
    for char in value:
        char = _PUNCTUATION.get(char, char)
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            try:
                base.encode(encoding)
                char = base or "?"
            except UnicodeEncodeError:
                char = "?"
        out.append(char)
    return "".join(out)


_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u202f": " ",
    "\u2009": " ",
    "Ł": "L",
    "ł": "l",
    "Đ": "D",
    "đ": "d",
    "ı": "i",
}


def format_amount(amount: Decimal) -> str:
    """1234.5 → "1234,50": comma, two decimals, no thousands separator."""
    return f"{round_money(amount):f}".replace(".", ",")


def format_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def fec_lines(
    invoices: Iterable[InvoiceDoc],
    payments: Iterable[PaymentDoc],
    *,
    journal_sales: str = "VT",
    journal_sales_label: str = "Ventes",
    journal_bank: str = "BQ",
    journal_bank_label: str = "Banque",
    chart: ChartOfAccounts = DEFAULT_CHART,
    encoding: str = ENCODING,
) -> list[list[str]]:
    """The FEC's records (without the header line), in chronological order of validation.

    An issued invoice is final, so its entry is validated on its issue date (ValidDate =
    EcritureDate); a payment on the day it was received. Lettering is left to the accountant.
    """
    entries = [
        _invoice_entry(doc, journal_sales, journal_sales_label, chart)
        for doc in sorted(invoices, key=lambda d: (d.issue_date, d.number))
    ] + [
        _payment_entry(payment, journal_bank, journal_bank_label, chart)
        for payment in sorted(payments, key=lambda p: (p.date, p.reference))
    ]
    entries = [entry for entry in entries if entry.postings]
    numbers: dict[str, int] = {}
    numbered: list[tuple[int, _Entry]] = []
    for entry in entries:  # already chronological within each journal
        numbers[entry.journal] = numbers.get(entry.journal, 0) + 1
        numbered.append((numbers[entry.journal], entry))
    order = {journal_sales: 0, journal_bank: 1}
    numbered.sort(key=lambda item: (item[1].day, order.get(item[1].journal, 2), item[0]))

    def text(value: str) -> str:
        return clean_text(value, encoding)

    rows: list[list[str]] = []
    for number, entry in numbered:
        day = format_date(entry.day)
        for p in entry.postings:
            rows.append(
                [
                    text(entry.journal),
                    text(entry.journal_label),
                    str(number),
                    day,
                    text(p.account),
                    text(p.account_label),
                    text(p.aux),
                    text(p.aux_label),
                    text(entry.piece_ref),
                    day,
                    text(entry.label),
                    format_amount(p.debit),
                    format_amount(p.credit),
                    "",
                    "",
                    day,
                    "",
                    "",
                ]
            )
    return rows


def fec_file(
    invoices: Iterable[InvoiceDoc],
    payments: Iterable[PaymentDoc],
    *,
    journal_sales: str = "VT",
    journal_sales_label: str = "Ventes",
    journal_bank: str = "BQ",
    journal_bank_label: str = "Banque",
    chart: ChartOfAccounts = DEFAULT_CHART,
    encoding: str = ENCODING,
) -> bytes:
    """The whole file: the header line, then `fec_lines`, tab-separated, CR LF, encoded."""
    rows = fec_lines(
        invoices,
        payments,
        journal_sales=journal_sales,
        journal_sales_label=journal_sales_label,
        journal_bank=journal_bank,
        journal_bank_label=journal_bank_label,
        chart=chart,
        encoding=encoding,
    )
    lines = [FIELD_SEPARATOR.join(FEC_COLUMNS)]
    lines += [FIELD_SEPARATOR.join(row) for row in rows]
    return (RECORD_SEPARATOR.join(lines) + RECORD_SEPARATOR).encode(encoding)


def fec_filename(siren: str, closing_date: date) -> str:
    """`<SIREN>FEC<YYYYMMDD>.txt`, the name the administration expects (closing date of the
    financial year)."""
    siren = siren.replace(" ", "")
    if len(siren) != 9 or not siren.isdigit():
        raise ValueError(f"a SIREN has 9 digits, not {siren!r}")
    return f"{siren}FEC{format_date(closing_date)}.txt"
