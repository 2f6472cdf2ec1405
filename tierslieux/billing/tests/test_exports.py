"""Accounting exports over hand-built documents: FEC, CSV and XLSX (SEPA direct debits:
`test_exports_sepa`). Pure: no database."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from tierslieux.billing.documents import InvoiceDoc, LineDoc, PaymentDoc, TaxLineDoc
from tierslieux.billing.exports import (
    FEC_COLUMNS,
    UnbalancedEntry,
    fec_file,
    fec_filename,
    fec_lines,
    invoices_csv,
    invoices_xlsx,
    payments_csv,
)
from tierslieux.billing.exports.fec import clean_text
from tierslieux.billing.tests.parties import COMPANY, PERSON, SELLER

D = Decimal
pytestmark = pytest.mark.pure


@pytest.fixture(autouse=True)
def _english():
    """Sheet headers and SEPA errors are translated; read them in their English source."""
    with translation.override("en"):
        yield


def line(position: int, net: str, code: str, rate: str, account: str = "706000") -> LineDoc:
    return LineDoc(
        position=position,
        description=f"Line {position}",
        quantity=D("1"),
        unit="C62",
        unit_price_net=D(net),
        tax_code=code,
        tax_rate=D(rate),
        net=D(net),
        account=account,
    )


def tax(code: str, rate: str, base: str, amount: str, category: str = "S") -> TaxLineDoc:
    return TaxLineDoc(code, D(rate), category, "", "", D(base), D(amount))


VAT_INVOICE = InvoiceDoc(
    kind="invoice",
    number="F2025-0001",
    issue_date=date(2025, 3, 3),
    service_start=date(2025, 3, 1),
    service_end=date(2025, 3, 31),
    due_date=date(2025, 4, 2),
    seller=SELLER,
    buyer=COMPANY,
    lines=(
        line(1, "200.00", "vat_20", "20"),
        line(2, "50.00", "vat_20", "20"),
        line(3, "10.00", "vat_5_5", "5.5", account="707000"),
    ),
    taxes=(tax("vat_20", "20", "250.00", "50.00"), tax("vat_5_5", "5.5", "10.00", "0.55")),
    total_net=D("260.00"),
    total_tax=D("50.55"),
    total_gross=D("310.55"),
    customer_account="411C0001",
)
FRANCHISE_INVOICE = InvoiceDoc(
    kind="invoice",
    number="F2025-0002",
    issue_date=date(2025, 3, 5),
    service_start=date(2025, 3, 5),
    service_end=date(2025, 3, 5),
    due_date=date(2025, 3, 5),
    seller=SELLER,
    buyer=PERSON,
    lines=(line(1, "30.00", "franchise_293b", "0", account="756000"),),
    taxes=(
        TaxLineDoc(
            "franchise_293b",
            D("0"),
            "E",
            "VATEX-FR-FRANCHISE",
            "TVA non applicable, art. 293 B du CGI",
            D("30.00"),
            D("0.00"),
        ),
    ),
    total_net=D("30.00"),
    total_tax=D("0.00"),
    total_gross=D("30.00"),
    amount_paid=D("30.00"),
    customer_account="411C0002",
)
CREDIT_NOTE = dataclasses.replace(
    VAT_INVOICE,
    kind="credit_note",
    number="F2025-0003",
    issue_date=date(2025, 3, 10),
    corrects_number="F2025-0001",
)
PAYMENTS = (
    PaymentDoc(
        "P-0001",
        date(2025, 3, 6),
        COMPANY.name,
        "411C0001",
        "transfer",
        D("310.55"),
        ("F2025-0001",),
    ),
    PaymentDoc(
        "P-0002", date(2025, 3, 5), PERSON.name, "411C0002", "cash", D("30.00"), ("F2025-0002",)
    ),
)
INVOICES = (VAT_INVOICE, FRANCHISE_INVOICE, CREDIT_NOTE)


def read_fec(data: bytes) -> list[dict[str, str]]:
    text = data.decode("iso-8859-15")
    assert text.endswith("\r\n")
    records = [record.split("\t") for record in text[:-2].split("\r\n")]
    assert all(len(record) == 18 for record in records)
    assert records[0] == list(FEC_COLUMNS)
    return [dict(zip(FEC_COLUMNS, record, strict=True)) for record in records[1:]]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def entry_of(rows: list[dict[str, str]], piece: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        (r["CompteNum"], r["CompteLib"], r["CompAuxNum"]): (r["Debit"], r["Credit"])
        for r in rows
        if r["PieceRef"] == piece
    }


# FEC


def test_the_fec_has_the_18_columns_of_the_law_in_order_with_its_header():
    assert FEC_COLUMNS == (
        "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
        "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
        "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
    )  # fmt: skip
    rows = read_fec(fec_file(INVOICES, PAYMENTS))
    assert len(rows) == len(fec_lines(INVOICES, PAYMENTS)) == 5 + 2 + 5 + 2 + 2


def test_debits_equal_credits_for_every_entry_and_for_the_file():
    rows = read_fec(fec_file(INVOICES, PAYMENTS))
    by_entry: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        by_entry[row["JournalCode"], row["EcritureNum"]] += amount(row["Debit"]) - amount(
            row["Credit"]
        )
    assert len(by_entry) == 5
    assert all(balance == 0 for balance in by_entry.values())
    assert sum(amount(r["Debit"]) for r in rows) == sum(amount(r["Credit"]) for r in rows)


def test_an_invoice_debits_the_customer_and_credits_revenue_per_account_and_vat_per_rate():
    entry = entry_of(read_fec(fec_file(INVOICES, PAYMENTS)), "F2025-0001")
    assert entry == {
        ("411000", "Clients", "411C0001"): ("310,55", "0,00"),
        ("706000", "Prestations de services", ""): ("0,00", "250,00"),
        ("707000", "Ventes de marchandises", ""): ("0,00", "10,00"),
        ("445710", "TVA collectée 20 %", ""): ("0,00", "50,00"),
        ("445710", "TVA collectée 5,5 %", ""): ("0,00", "0,55"),
    }


def test_a_franchise_invoice_has_no_vat_line():
    entry = entry_of(read_fec(fec_file(INVOICES, PAYMENTS)), "F2025-0002")
    assert entry == {
        ("411000", "Clients", "411C0002"): ("30,00", "0,00"),
        ("756000", "Cotisations", ""): ("0,00", "30,00"),
    }


def test_a_credit_note_reverses_the_entry_of_its_invoice():
    rows = read_fec(fec_file(INVOICES, PAYMENTS))
    invoice, credit_note = entry_of(rows, "F2025-0001"), entry_of(rows, "F2025-0003")
    assert credit_note == {key: (credit, debit) for key, (debit, credit) in invoice.items()}
    label = next(r["EcritureLib"] for r in rows if r["PieceRef"] == "F2025-0003")
    assert label.startswith("Avoir F2025-0003") and "F2025-0001" in label


def test_a_credit_note_written_with_negative_amounts_gives_the_same_entry():
    def negated(doc: InvoiceDoc) -> InvoiceDoc:
        return dataclasses.replace(
            doc,
            lines=tuple(dataclasses.replace(li, net=-li.net) for li in doc.lines),
            taxes=tuple(dataclasses.replace(t, base=-t.base, tax=-t.tax) for t in doc.taxes),
            total_net=-doc.total_net,
            total_tax=-doc.total_tax,
            total_gross=-doc.total_gross,
        )

    assert fec_lines([negated(CREDIT_NOTE)], []) == fec_lines([CREDIT_NOTE], [])


def test_payments_go_to_the_bank_journal_debiting_512_or_530_for_cash():
    rows = [r for r in read_fec(fec_file(INVOICES, PAYMENTS)) if r["JournalCode"] == "BQ"]
    assert entry_of(rows, "P-0001") == {
        ("512000", "Banque", ""): ("310,55", "0,00"),
        ("411000", "Clients", "411C0001"): ("0,00", "310,55"),
    }
    assert entry_of(rows, "P-0002") == {
        ("530000", "Caisse", ""): ("30,00", "0,00"),
        ("411000", "Clients", "411C0002"): ("0,00", "30,00"),
    }
    assert {r["CompAuxLib"] for r in rows if r["CompAuxNum"]} == {
        "Atelier Bois & Fer",
        "Chloé Müller",
    }


def test_entries_are_numbered_per_journal_and_listed_in_chronological_order():
    rows = read_fec(fec_file(INVOICES, PAYMENTS))
    order = list(dict.fromkeys((r["JournalCode"], r["EcritureNum"], r["PieceRef"]) for r in rows))
    assert order == [
        ("VT", "1", "F2025-0001"),
        ("VT", "2", "F2025-0002"),
        ("BQ", "1", "P-0002"),
        ("BQ", "2", "P-0001"),
        ("VT", "3", "F2025-0003"),
    ]
    assert [r["ValidDate"] for r in rows] == sorted(r["ValidDate"] for r in rows)


def test_amounts_have_a_decimal_comma_and_dates_are_yyyymmdd():
    big = dataclasses.replace(
        FRANCHISE_INVOICE,
        lines=(line(1, "1234.56", "franchise_293b", "0"),),
        total_net=D("1234.56"),
        total_gross=D("1234.56"),
    )
    rows = read_fec(fec_file([big], []))
    assert rows[0]["Debit"] == "1234,56"
    for row in rows:
        assert re.fullmatch(r"\d+,\d\d", row["Debit"]) and re.fullmatch(r"\d+,\d\d", row["Credit"])
        for column in ("EcritureDate", "PieceDate", "ValidDate"):
            assert datetime.strptime(row[column], "%Y%m%d").date() == date(2025, 3, 5)  # noqa: DTZ007
        assert row["Montantdevise"] == row["Idevise"] == row["EcritureLet"] == ""


def test_text_fields_lose_tabs_and_characters_outside_iso_8859_15():
    buyer = dataclasses.replace(PERSON, name="Łukasz\tl’Œuvre\n😀")
    data = fec_file([dataclasses.replace(FRANCHISE_INVOICE, buyer=buyer)], [])
    rows = read_fec(data)
    assert rows[0]["CompAuxLib"] == "Lukasz l'Œuvre ?"
    assert clean_text("l’été\t😀", "utf-8") == "l’été 😀"


def test_a_document_whose_totals_disagree_with_its_lines_is_refused():
    wrong = dataclasses.replace(VAT_INVOICE, total_gross=D("310.56"))
    with pytest.raises(UnbalancedEntry, match="F2025-0001"):
        fec_lines([wrong], [])


def test_the_fec_file_is_named_after_the_siren_and_the_closing_date():
    assert fec_filename("123 456 789", date(2025, 12, 31)) == "123456789FEC20251231.txt"
    with pytest.raises(ValueError, match="9 digits"):
        fec_filename("12345", date(2025, 12, 31))


# CSV and XLSX


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_invoices_csv_opens_with_semicolons_and_its_totals_match():
    header, *rows = read_csv(invoices_csv(INVOICES))
    gross = header.index("Gross")
    assert [r[0] for r in rows] == ["F2025-0001", "F2025-0002", "F2025-0003"]
    assert [r[gross] for r in rows] == ["310,55", "30,00", "-310,55"]
    assert sum(amount(r[gross]) for r in rows) == D("30.00")
    assert rows[0][header.index("Issue date")] == "03/03/2025"
    assert "Base, VAT 20 %" in header and "VAT 5.5 %" in header
    assert rows[0][header.index("VAT 5.5 %")] == "0,55"


def test_the_payments_csv_lists_each_payment_with_its_method():
    header, *rows = read_csv(payments_csv(PAYMENTS))
    assert header[:2] == ["Reference", "Date"]
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("P-0002", "Cash", "30,00"),
        ("P-0001", "Bank transfer", "310,55"),
    ]
    assert sum(amount(r[5]) for r in rows) == D("340.55")


def test_a_customer_name_that_looks_like_a_formula_stays_text():
    evil = dataclasses.replace(PERSON, name='=HYPERLINK("http://x")')
    doc = dataclasses.replace(FRANCHISE_INVOICE, buyer=evil)
    header, row = read_csv(invoices_csv([doc]))
    assert row[header.index("Customer")].startswith("'=")
    sheet = openpyxl.load_workbook(io.BytesIO(invoices_xlsx([doc], []))).worksheets[0]
    assert sheet.cell(row=2, column=7).data_type == "s"


def test_the_workbook_has_two_sheets_with_real_numbers_and_dates_and_a_frozen_header():
    book = openpyxl.load_workbook(io.BytesIO(invoices_xlsx(INVOICES, PAYMENTS)))
    invoices, payments = book.worksheets
    assert (invoices.title, payments.title) == ("Invoices", "Payments")
    assert invoices.freeze_panes == payments.freeze_panes == "A2"
    header = [cell.value for cell in invoices[1]]
    gross = header.index("Gross") + 1
    values = [invoices.cell(row=r, column=gross) for r in range(2, 5)]
    assert all(isinstance(c.value, int | float) and c.number_format == "#,##0.00" for c in values)
    assert round(sum(c.value for c in values), 2) == 30.0
    issued = invoices.cell(row=2, column=header.index("Issue date") + 1)
    assert issued.value == datetime(2025, 3, 3) and issued.number_format == "DD/MM/YYYY"  # noqa: DTZ001
    assert invoices.column_dimensions["G"].width > 10
    assert [c.value for c in payments["F"]][1:] == [30, 310.55]
