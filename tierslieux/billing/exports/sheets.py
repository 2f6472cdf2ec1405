"""Invoices and payments as spreadsheets for the place and its accountant (pure: no ORM).

CSV files are for French Excel: semicolons, UTF-8 with a byte-order mark (without it Excel reads
ANSI and garbles accents), decimal commas, dates DD/MM/YYYY. The XLSX holds real numbers and
real dates with a display format, so sums and filters work. Credit notes carry negative amounts
in both, so a column's sum is the period's revenue. Text that a spreadsheet would take for a
formula (starting with = + - @) is kept as text: a customer's name must never run in Excel.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tierslieux.billing.documents import InvoiceDoc, PaymentDoc
from tierslieux.billing.exports.fec import document_sign, format_amount
from tierslieux.billing.tax import RULES

Cell = str | Decimal | date

METHODS: dict[str, Any] = {
    "cash": gettext_lazy("Cash"),
    "cheque": gettext_lazy("Cheque"),
    "transfer": gettext_lazy("Bank transfer"),
    "card": gettext_lazy("Card"),
    "sepa_debit": gettext_lazy("SEPA direct debit"),
    "helloasso": "HelloAsso",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def _tax_codes(invoices: Sequence[InvoiceDoc]) -> list[tuple[str, Decimal]]:
    seen = {(t.tax_code, t.rate) for doc in invoices for t in doc.taxes}
    return sorted(seen, key=lambda item: (-item[1], item[0]))


def invoices_table(invoices: Iterable[InvoiceDoc]) -> Table:
    """One row per invoice or credit note, with the base and VAT of each rate (for the VAT
    return), amounts signed."""
    docs = sorted(invoices, key=lambda d: (d.issue_date, d.number))
    codes = _tax_codes(docs)
    headers = [
        _("Number"),
        _("Type"),
        _("Issue date"),
        _("Service start"),
        _("Service end"),
        _("Due date"),
        _("Customer"),
        _("Customer account"),
        _("Customer SIREN"),
        _("Customer VAT number"),
        _("Corrects invoice"),
        _("Net"),
        _("VAT"),
        _("Gross"),
        _("Paid"),
        _("Amount due"),
        _("Currency"),
    ]
    for code, rate in codes:
        label = str(RULES[code].label) if code in RULES else code
        headers.append(_("Base, %(tax)s") % {"tax": label})
        if rate:
            headers.append(label)
    rows: list[list[Cell]] = []
    for doc in docs:
        sign = document_sign(doc)
        row: list[Cell] = [
            doc.number,
            _("Credit note") if doc.kind == "credit_note" else _("Invoice"),
            doc.issue_date,
            doc.service_start,
            doc.service_end,
            doc.due_date,
            doc.buyer.name,
            doc.customer_account,
            doc.buyer.siren,
            doc.buyer.vat_number,
            doc.corrects_number,
            sign * doc.total_net,
            sign * doc.total_tax,
            sign * doc.total_gross,
            sign * doc.amount_paid,
            sign * doc.amount_due,
            doc.currency,
        ]
        by_code = {(t.tax_code, t.rate): t for t in doc.taxes}
        for key in codes:
            tax = by_code.get(key)
            row.append(sign * tax.base if tax else Decimal("0.00"))
            if key[1]:
                row.append(sign * tax.tax if tax else Decimal("0.00"))
        rows.append(row)
    return Table(_("Invoices"), headers, rows)


def payments_table(payments: Iterable[PaymentDoc]) -> Table:
    headers = [
        _("Reference"),
        _("Date"),
        _("Customer"),
        _("Customer account"),
        _("Method"),
        _("Amount"),
        _("Invoices"),
    ]
    rows: list[list[Cell]] = [
        [
            p.reference,
            p.date,
            p.customer_name,
            p.customer_account,
            str(METHODS.get(p.method, p.method)),
            p.amount,
            ", ".join(p.invoice_numbers),
        ]
        for p in sorted(payments, key=lambda p: (p.date, p.reference))
    ]
    return Table(_("Payments"), headers, rows)


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str:
    if isinstance(value, Decimal):
        return format_amount(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return _safe_text(value)


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def invoices_csv(invoices: Iterable[InvoiceDoc]) -> bytes:
    return table_csv(invoices_table(invoices))


def payments_csv(payments: Iterable[PaymentDoc]) -> bytes:
    return table_csv(payments_table(payments))


MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"


def _sheet(ws: Any, table: Table) -> None:
    ws.title = table.title[:31]
    ws.append(table.headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in table.headers]
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, Decimal):
                cell.number_format = MONEY_FORMAT
                shown = len(format_amount(value)) + 2
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
                shown = 10
            else:
                cell.data_type = "s"  # never a formula, whatever the text starts with
                shown = len(value)
            widths[c - 1] = max(widths[c - 1], shown)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def invoices_xlsx(invoices: Iterable[InvoiceDoc], payments: Iterable[PaymentDoc]) -> bytes:
    """A workbook with two sheets, invoices then payments."""
    workbook = Workbook()
    _sheet(workbook.active, invoices_table(invoices))
    _sheet(workbook.create_sheet(), payments_table(payments))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
