"""The accountant's expense CSV as French spreadsheets and ledgers write it: separators, French
amounts with their no-break spaces, dates both ways, categories typed in words, and what a
file too big or not text at all gets (a precise refusal, never a 500)."""

from __future__ import annotations

import csv
import sys
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from tierslieux.economics import expense_csv
from tierslieux.economics import services_actuals as sa
from tierslieux.economics.forms_actuals import ImportForm
from tierslieux.economics.models import Expense

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def names(django_db_setup: Any) -> dict[str, str]:
    return sa.category_names()


def read(text: str, names: dict[str, str]) -> list[tuple[int, date, str, Decimal, str]]:
    reading = expense_csv.read(text, names)
    assert reading.refused == [], reading.refused
    return [(x.number, x.date, x.label, x.amount, x.category) for x in reading.lines]


def refused(text: str, names: dict[str, str]) -> list[tuple[int, str]]:
    with translation.override("en"):
        return [(r.number, r.reason) for r in expense_csv.read(text, names).refused]


def test_a_french_ledger_with_semicolons_reads_amounts_dates_and_words(
    names: dict[str, str],
) -> None:
    text = (
        "Date;Libellé;Montant;Catégorie\r\n"
        f"31/12/2026;Loyer décembre;1{NBSP}234,56{NBSP}€;Loyer\r\n"
        f"2026-12-31;Assurance multirisque;2{NNBSP}400,00;Assurances\r\n"
        "15.12.2026;Ménage;80,5;ENTRETIEN\r\n"
        "01-12-2026;Licence logiciel;25;Abonnements et licences\r\n"
        '02/12/2026;"Salaires; décembre";1.980,00;Charges de personnel\r\n'
        "03/12/2026;Fournitures;12.30;charges variables\r\n"
        "04/12/2026;Divers;9,99 €;Autres\r\n"
    )
    day = date(2026, 12, 31)
    assert read(text, names) == [
        (2, day, "Loyer décembre", Decimal("1234.56"), "rent"),
        (3, day, "Assurance multirisque", Decimal("2400.00"), "insurance"),
        (4, date(2026, 12, 15), "Ménage", Decimal("80.5"), "maintenance"),
        (5, date(2026, 12, 1), "Licence logiciel", Decimal("25"), "subscriptions"),
        (6, date(2026, 12, 2), "Salaires; décembre", Decimal("1980.00"), "staff"),
        (7, date(2026, 12, 3), "Fournitures", Decimal("12.30"), "variable"),
        (8, date(2026, 12, 4), "Divers", Decimal("9.99"), "other"),
    ]


def test_commas_separate_too_quoted_or_not_and_a_spreadsheet_s_empty_cells_are_ignored(
    names: dict[str, str],
) -> None:
    expected = [(2, date(2026, 12, 31), "Loyer", Decimal("1234.56"), "rent")]
    for line in (
        '31/12/2026,Loyer,"1 234,56",Loyer',
        "31/12/2026,Loyer,1 234,56,Loyer",  # unquoted: its cents are two digits
        "31/12/2026,Loyer,1234.56,rent,,",
    ):
        assert read(f"date,label,amount,category\n{line}\n", names) == expected, line
    assert read("31/12/2026;Loyer;1234,56;Loyer;;;\n", names)[0][3] == Decimal("1234.56")
    assert read("31/12/2026\tLoyer\t1 234,56\tLoyer\n", names)[0][3] == Decimal("1234.56")
    # A label with a comma, unquoted: five cells, and not an amount: refused, not misread.
    assert refused("31/12/2026,Loyer, janvier,1234.56,rent\n", names) == [
        (1, "5 columns where four are expected: date;label;amount;category.")
    ]


def test_an_iso_8859_15_file_s_euro_sign_is_read_through_the_page_s_decoding(
    names: dict[str, str],
) -> None:
    """Billing's own FEC is ISO 8859-15: the page reads its « € » and its « Œ » as such."""
    raw = "31/12/2026;Œuvre, décembre;1\u00a0234,56 €;Loyer\n".encode("iso-8859-15")
    upload = SimpleUploadedFile("frais.csv", raw)
    form = ImportForm(data={}, files=MultiValueDict({"file": [upload]}))
    assert form.is_valid()
    text = str(form.cleaned_data["text"])
    assert text.endswith("Œuvre, décembre;1\u00a0234,56 €;Loyer\n")
    assert read(text, names)[0][3] == Decimal("1234.56")
    assert read("31/12/2026;Loyer;1234,56 EUR;Loyer\n", names)[0][3] == Decimal("1234.56")


def test_a_bad_amount_or_date_is_refused_naming_its_line(names: dict[str, str]) -> None:
    lines = [
        "31/12/2026;Avoir;-12,00;Loyer",
        "31/12/2026;Rien;0,00;Loyer",
        "31/12/2026;Millième;12,345;Loyer",
        "31/12/2026;Anglais;1,234.56;Loyer",  # thousands by a comma: refused, not 1,23 €
        "31/12/2026;Trop;1 000 000,01;Loyer",
        "31/12/2026;Douze;douze;Loyer",
        "31/02/2027;Février;10;Loyer",
        "2026-13-01;Treizième mois;10;Loyer",
        "00/01/2027;Jour zéro;10;Loyer",
        "30/12/1899;Date zéro d'Excel;10;Loyer",
        "31/12/26;Année sur deux chiffres;10;Loyer",
        "31/12/2026;;10;Loyer",
    ]
    cents = "amount: more than 0 and at most 1 000 000 €, in cents."
    assert refused("\n".join(lines), names) == [
        (1, cents), (2, cents), (3, cents), (4, cents), (5, cents),
        (6, "amount: “douze” is no amount such as 1 234,56."),
        (7, "date: “31/02/2027” is no date such as 31/01/2026."),
        (8, "date: “2026-13-01” is no date such as 31/01/2026."),
        (9, "date: “00/01/2027” is no date such as 31/01/2026."),
        (10, "date: “30/12/1899” is no date such as 31/01/2026."),
        (11, "date: “31/12/26” is no date such as 31/01/2026."),
        (12, "label: it is empty."),
    ]  # fmt: skip


def test_the_words_an_accountant_types_and_those_refused(names: dict[str, str]) -> None:
    accepted = {
        "Loyer": "rent", "LOYERS": "rent", "Charges locatives": "rent",
        "Assurance": "insurance", "assurances": "insurance", "Entretien": "maintenance",
        "Maintenance": "maintenance", "Salaires": "staff", "Personnel": "staff",
        "Charges de personnel": "staff", "Abonnement": "subscriptions", "Achats": "variable",
        "Investissement": "investment", "Investissements": "investment", "Autre": "other",
        "Loyer et charges": "rent", "Rent and charges": "rent", "rent": "rent",
        "Fournitures": "variable", "Énergie": "rent", "Honoraires": "other", "URSSAF": "staff",
        "Entretien et réparations": "maintenance", "Frais bancaires": "other",
        "Licences": "subscriptions", "Location": "rent", "Frais de personnel": "staff",
    }  # fmt: skip
    text = "".join(f"31/12/2026;{word};10;{word}\n" for word in accepted)
    assert [x[4] for x in read(text, names)] == list(accepted.values())
    words = ["Boissons", "Cotisations", "Déplacements", "Divers"]
    assert refused("".join(f"31/12/2026;x;10;{w}\n" for w in words), names) == [
        (n, f"category: “{w}” is none of the categories listed.")
        for n, w in enumerate(words, start=1)
    ]


def test_the_import_page_lists_the_categories_the_refusal_points_to(
    place: Any, coordinator: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    url = f"/manage/{place.slug}/economics/expenses/import/"
    upload = SimpleUploadedFile("frais.csv", "31/12/2026;Café;10;Boissons\n".encode())
    page = client.post(url, {"file": upload}).content.decode()
    assert "catégorie\u00a0: «\u00a0Boissons\u00a0» n’est aucune des catégories" in page
    # The words recognised are listed by category, as the page's French reads them.
    assert "Loyer et charges\u00a0: charges locatives, chauffage, eau, électricité, énergie" in page
    for label in ("Loyer et charges", "Assurances", "Maintenance", "Autre"):
        assert label in page.split("Catégories")[1].split("</p>")[0], label
    assert not Expense.objects.exists()


def test_a_5_mb_file_is_refused_by_the_page_and_by_the_reader(
    names: dict[str, str], place: Any, coordinator: Any
) -> None:
    line = "31/12/2026;Fournitures de bureau et petit matériel pour l’atelier;12,50;Achats\n"
    text = line * (5_000_000 // len(line.encode()) + 1)
    assert len(text.encode()) > 5_000_000
    upload = SimpleUploadedFile("big.csv", text.encode())
    form = ImportForm(data={}, files=MultiValueDict({"file": [upload]}))
    assert not form.is_valid()
    assert form.errors["file"] == ["2\u00a0Mo au plus\u00a0: découpez le fichier."]
    reading = expense_csv.read(text, names)  # it stops at line 5 001
    assert len(reading.lines) == 5000
    assert refused(text, names)[-1] == (5001, "At most 5 000 lines a file: split it.")
    # An opened quote, in a big file or a small one, whatever the csv module's field limit
    # (process-wide: other code may raise it): told on its line, not a 500.
    told = [(2, 'A quote (") opens a field and is never closed: check the file.')]
    for rest in (line * 3000, line * 3):
        quoted = line + '31/12/2026;"Fournitures;12,50;Achats\n' + rest
        assert refused(quoted, names) == told
        limit = csv.field_size_limit(sys.maxsize)
        try:
            assert refused(quoted, names) == told
        finally:
            csv.field_size_limit(limit)


def test_a_file_that_is_not_text_is_refused_with_a_reason(
    names: dict[str, str], place: Any, coordinator: Any
) -> None:
    assert refused("PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", names) == [
        (1, "The file holds binary data: export it as CSV.")
    ]
    client = Client()
    client.force_login(coordinator)
    url = f"/manage/{place.slug}/economics/expenses/import/"
    for raw in (b"PK\x03\x04\x14\x00\x06\x00\x08\x00xl/workbook.xml\x00\x00",  # an XLSX
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x90\x81\x9d"):  # fmt: skip
        response = client.post(url, {"file": SimpleUploadedFile("export.xlsx", raw)})
        assert response.status_code == 422
    assert not Expense.objects.exists()
