"""An accountant's FEC as French software exports it (EBP, Sage, Cegid, Quadra, Pennylane), read
the way an accountant would check it: each month's sum by category computed by hand here.

The year's first quarter of a small place, entry by entry (the supplier's or the bank's side,
class 4 and 5, is written too and must be left out, as the sales, class 7, and the opening
« à nouveaux », which restate last year's fixed assets):

| month | rent | other | insurance | variable | staff | subscriptions | maintenance | investment |
|---|---|---|---|---|---|---|---|---|
| 01 | 1 200 + 150 | 89,90 + 12,50 | 480 − 60 (March's refund) | 210,35 + 85,40 − 30 | 2 100 + 880 | 39,99 + 25 | | |
| 02 | 1 200 + 150 | 360 | | 149,90 − 5,40 | 2 100 + 880 | | 120 | 1 299 |
| 03 | 1 200 + 150 | | (− 60: carried back) | | 2 100 + 880 + 450 (621) | | | |

Depreciation (681) and the book value of an asset sold (675) are no cash: left out.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from tierslieux.economics import actuals_data, expense_csv, expense_fec
from tierslieux.economics import services_actuals as sa
from tierslieux.economics.forms_actuals import ImportForm
from tierslieux.economics.models import ExpenseCategory

Entry = tuple[str, str, str, str, str]
HEADER = (
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
)  # fmt: skip
JOURNALS = {"AN": "A nouveaux", "AC": "Achats", "BQ": "Banque", "SA": "Salaires",
            "OD": "Opérations diverses", "VT": "Ventes"}  # fmt: skip
ACCOUNTS = {
    "613200": "Locations immobilières", "614000": "Charges locatives",
    "613500": "Locations mobilières", "616000": "Primes d'assurance",
    "606100": "Fournitures non stockables (eau, énergie)", "606400": "Fournitures administratives",
    "606300": "Petit équipement", "609000": "Rabais, remises et ristournes obtenus",
    "641100": "Salaires", "645100": "Cotisations URSSAF", "627000": "Services bancaires",
    "626000": "Frais postaux et de télécommunications", "651000": "Redevances pour licences",
    "615600": "Maintenance", "622600": "Honoraires", "218300": "Matériel de bureau et informatique",
    "218400": "Mobilier", "281830": "Amortissements du matériel", "681100": "Dotations",
    "675000": "Valeurs comptables des éléments d'actif cédés", "706000": "Prestations de services",
    "411000": "Clients", "401000": "Fournisseurs", "421000": "Personnel - rémunérations dues",
    "512000": "Banque", "621400": "Personnel détaché ou prêté", "106000": "Réserves",
}  # fmt: skip
COUNTERPART = {"AC": "401000", "BQ": "512000", "SA": "421000", "OD": "281830", "VT": "411000"}
# (journal, day, account, label, amount): a positive amount debits the account, a negative one
# credits it; the counterpart (401, 512, 421…) takes the other side.
ENTRIES = [
    ("AC", "20270105", "613200", "Loyer janvier", "1200"),
    ("AC", "20270105", "614000", "Charges locatives janvier", "150"),
    ("AC", "20270110", "613500", "Location photocopieur", "89.90"),
    ("AC", "20270112", "616000", "Assurance multirisque 2027", "480"),
    ("AC", "20270115", "606100", "Électricité janvier", "210.35"),
    ("AC", "20270118", "606400", "Fournitures de bureau", "85.40"),
    ("AC", "20270125", "606400", "Avoir fournitures", "-30"),
    ("AC", "20270120", "626000", "Box internet", "39.99"),
    ("AC", "20270120", "651000", "Licence logiciel de réservation", "25"),
    ("SA", "20270131", "641100", "Salaires janvier", "2100"),
    ("SA", "20270131", "645100", "URSSAF janvier", "880"),
    ("BQ", "20270131", "627000", "Frais bancaires", "12.50"),
    ("VT", "20270131", "706000", "Locations de bureaux janvier", "-1500"),
    ("OD", "20270131", "681100", "Dotation aux amortissements", "250"),
    ("AC", "20270205", "613200", "Loyer février", "1200"),
    ("AC", "20270205", "614000", "Charges locatives février", "150"),
    ("AC", "20270210", "615600", "Maintenance informatique", "120"),
    ("AC", "20270212", "218300", "Ordinateur portable", "1299"),
    ("AC", "20270214", "606300", "Petit équipement", "149.90"),
    ("AC", "20270214", "609000", "Remise fournisseur", "-5.40"),
    ("AC", "20270220", "622600", "Honoraires expert-comptable", "360"),
    ("SA", "20270228", "641100", "Salaires février", "2100"),
    ("SA", "20270228", "645100", "URSSAF février", "880"),
    ("AC", "20270305", "613200", "Loyer mars", "1200"),
    ("AC", "20270305", "614000", "Charges locatives mars", "150"),
    ("AC", "20270310", "616000", "Remboursement assureur", "-60"),
    ("OD", "20270315", "675000", "Cession ancien mobilier", "300"),
    ("SA", "20270331", "641100", "Salaires mars", "2100"),
    ("SA", "20270331", "645100", "URSSAF mars", "880"),
    ("AC", "20270331", "621400", "Coordinatrice mise à disposition", "450"),
]  # fmt: skip
OPENING = [("AN", "20270101", "218300", "A nouveau", "4500"),
           ("AN", "20270101", "218400", "A nouveau", "3000")]  # fmt: skip
JAN, FEB, MAR = date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)
EXPECTED = {
    (JAN, "rent"): "1350.00", (JAN, "other"): "102.40", (JAN, "insurance"): "420.00",
    (JAN, "variable"): "265.75", (JAN, "staff"): "2980.00", (JAN, "subscriptions"): "64.99",
    (FEB, "rent"): "1350.00", (FEB, "other"): "360.00", (FEB, "variable"): "144.50",
    (FEB, "staff"): "2980.00", (FEB, "maintenance"): "120.00", (FEB, "investment"): "1299.00",
    (MAR, "rent"): "1350.00", (MAR, "staff"): "3430.00",
}  # fmt: skip
LABELS = {key: str(label) for key, label in ExpenseCategory.choices}


def comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def fec_lines(entries: Sequence[Entry], *, signed: bool = False) -> list[list[str]]:
    """Each entry's two sides, 18 columns (or Montant and Sens instead of Debit and Credit)."""
    rows = []
    for number, (journal, day, account, label, amount) in enumerate(entries, start=1):
        value = Decimal(amount)
        other = "106000" if journal == "AN" else COUNTERPART[journal]
        for side, signed_value in ((account, value), (other, -value)):
            debit = signed_value if signed_value > 0 else Decimal(0)
            credit = -signed_value if signed_value < 0 else Decimal(0)
            sides = (
                [comma(abs(signed_value)), "D" if signed_value > 0 else "C"]
                if signed else [comma(debit), comma(credit)]
            )  # fmt: skip
            aux = ("F0042", "Bailleur SCI Les Halles") if side == "401000" else ("", "")
            piece = f"P{number:04}"
            rows.append([journal, JOURNALS[journal], str(number), day, side, ACCOUNTS[side],
                         *aux, piece, day, label, *sides, "", "", day, "", ""])  # fmt: skip
    return rows


def fec(entries: Sequence[Entry], sep: str = "|", end: str = "\n", signed: bool = False) -> str:
    header = list(HEADER)
    if signed:
        header[11:13] = ["Montant", "Sens"]
    return end.join(sep.join(row) for row in [header, *fec_lines(entries, signed=signed)]) + end


def sums(reading: expense_csv.Reading) -> dict[tuple[date, str], str]:
    return {(x.date, x.category): str(x.amount) for x in reading.lines}


def test_a_quarter_s_fec_gives_each_month_s_sum_by_category_computed_by_hand() -> None:
    reading = expense_fec.read(fec(OPENING + ENTRIES), LABELS)
    assert reading.refused == []
    assert sums(reading) == EXPECTED
    assert {x.label for x in reading.lines} == {"FEC 01/2027", "FEC 02/2027", "FEC 03/2027"}
    # Nothing from the opening entries (7 500 € of last year's assets), the sales (706), the
    # depreciation (681), the book value of the furniture sold (675).
    assert sum(x.amount for x in reading.lines) == sum(Decimal(v) for v in EXPECTED.values())


@pytest.mark.parametrize(
    ("sep", "end", "signed"),
    [("\t", "\r\n", False), ("|", "\r\n", True), ("\t", "\n", True)],
    ids=["tab-crlf", "pipe-montant-sens", "tab-montant-sens"],
)
def test_the_tab_and_the_montant_sens_layouts_read_the_same(
    sep: str, end: str, signed: bool
) -> None:
    reading = expense_fec.read(fec(OPENING + ENTRIES, sep, end, signed), LABELS)
    assert reading.refused == [] and sums(reading) == EXPECTED


def test_an_opening_journal_is_left_out_by_its_name_too() -> None:
    """Sage names it RAN, Cegid ANO; some tools keep a code of their own but call it so."""
    rows = fec_lines(OPENING + ENTRIES[:1])
    names = [("RAN", "Report à nouveau"), ("ANO", "A-nouveaux"), ("OUV", "Ouverture"),
             ("J00", "Journal des à-nouveaux"), ("99", "Écritures d'ouverture")]  # fmt: skip
    for code, name in names:
        changed = [[code, name, *r[2:]] if r[0] == "AN" else r for r in rows]
        text = "\n".join("\t".join(r) for r in [list(HEADER), *changed])
        assert sums(expense_fec.read(text, LABELS)) == {(JAN, "rent"): "1200.00"}, code


def decoded(raw: bytes) -> str:
    """The text the import page reads from an uploaded file (utf-8 then Windows-1252)."""
    form = ImportForm(data={}, files=MultiValueDict({"file": [SimpleUploadedFile("FEC.txt", raw)]}))
    assert form.is_valid(), form.errors
    return str(form.cleaned_data["text"])


def test_a_windows_1252_file_and_a_utf8_one_with_its_bom_read_alike() -> None:
    text = fec(OPENING + ENTRIES, "\t", "\r\n")
    for raw in (text.encode("cp1252"), text.encode("iso-8859-15"), b"\xef\xbb\xbf" + text.encode()):
        read = decoded(raw)
        assert expense_fec.is_fec(read)
        assert "Électricité janvier" in read
        assert sums(expense_fec.read(read, LABELS)) == EXPECTED


def test_broken_lines_are_refused_by_their_number_and_nothing_else_is_lost(english: None) -> None:
    rows = ["|".join(r) for r in [list(HEADER), *fec_lines(ENTRIES[:4])]]
    rows[3] = rows[3].rsplit("|", 7)[0]  # the charges: 11 columns, no amount
    rows[5] = rows[5].replace("|20270110|", "|20271310|", 1)  # the 13th month
    rows[7] = rows[7].replace("|480,00|", "|4 8O,00|", 1)  # a letter O for a zero
    rows.insert(8, '"Bureau Vallée ' + rows[1][2:])  # an unclosed quote swallows nothing
    reading = expense_fec.read("\n".join(rows) + "\n", LABELS)
    assert [(r.number, r.reason) for r in reading.refused] == [
        (4, "11 columns where the header has 18."),
        (6, "EcritureDate: a date written YYYYMMDD."),
        (8, "Debit or Credit: no amount such as 1234,56."),
    ]
    assert sums(reading) == {(JAN, "rent"): "2400.00"}  # the rent, then the quoted copy


def test_a_tab_fec_read_on_the_page_then_confirmed_is_written_whole(
    place: Any, coordinator: Any
) -> None:
    """The page carries the text back in a field that strips it: the last line loses its
    empty Montantdevise and Idevise, and is read all the same."""
    text = fec(OPENING + ENTRIES, "\t", "\r\n")
    assert sums(expense_fec.read(text.rstrip(), LABELS)) == EXPECTED
    client = Client()
    client.force_login(coordinator)
    url = f"/manage/{place.slug}/economics/expenses/import/"
    upload = SimpleUploadedFile("FEC.txt", text.encode("cp1252"))
    page = client.post(url, {"file": upload})
    assert page.status_code == 200 and "FEC 03/2027" in page.content.decode()
    body = urlencode({"text": text, "confirm": "True"})  # as a browser sends the hidden form
    done = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert done.status_code == 302
    assert place.expenses.count() == len(EXPECTED)


def test_a_category_that_is_a_credit_over_the_whole_file_is_refused(english: None) -> None:
    labels = {key: str(label) for key, label in ExpenseCategory.choices}
    reading = expense_fec.read(fec([*ENTRIES[:2], ENTRIES[25]]), labels)
    assert [(r.number, r.reason) for r in reading.refused] == [
        (6, "Insurance: more credit than debit over the whole file.")
    ]
    # A month's credit carried back, then forward when no month comes before it.
    refund_first = [ENTRIES[25], ("AC", "20270410", "616000", "Assurance", "100")]
    assert sums(expense_fec.read(fec(refund_first), LABELS)) == {
        (date(2027, 4, 30), "insurance"): "40.00"
    }


def test_a_month_over_the_most_an_expense_holds_is_refused_not_a_500(
    place: Any, coordinator: Any, english: None
) -> None:
    building = [("AC", "20270105", "218300", "Bâtiment", "600000"),
                ("AC", "20270106", "218300", "Aménagements", "400000.01")]  # fmt: skip
    done = sa.import_expenses(actor=coordinator, place=place, text=fec(building), dry_run=False)
    assert done.written == 0
    assert [(r.number, r.reason) for r in done.reading.refused] == [
        (2, "01/2027, Investment: more than 1 000 000 € in one month, more than an expense "
            "may hold.")
    ]  # fmt: skip


def test_empty_and_headless_files_are_refused_by_the_service(place: Any, coordinator: Any) -> None:
    for text in ("", "\ufeff", "\r\n", "|".join(HEADER) + "\r\n"):
        with pytest.raises(ValidationError) as refused:
            sa.import_expenses(actor=coordinator, place=place, text=text, dry_run=True)
        assert refused.value.code == "file", repr(text)
    accented = fec(ENTRIES).replace("|Debit|Credit|", "|Débit|Crédit|", 1)
    assert sums(expense_fec.read(accented, LABELS)) == sums(expense_fec.read(fec(ENTRIES), LABELS))
    headless = fec(ENTRIES).replace("|Debit|Credit|", "|Mvt D|Mvt C|", 1)
    with translation.override("en"):
        reading = sa.import_expenses(actor=coordinator, place=place, text=headless, dry_run=True)
    assert [r.reason for r in reading.reading.refused] == [
        "The FEC's header lacks the columns debit, credit."
    ]


def csv_of(entries: Sequence[Entry]) -> str:
    """The same charges as the accountant's CSV, one expense a line, French labels."""
    names = {"613200": "Loyer", "614000": "Loyer", "613500": "Autres", "616000": "Assurance",
             "606100": "Achats", "606400": "Achats", "606300": "Achats", "641100": "Salaires",
             "645100": "Salaires", "627000": "Autres", "626000": "Abonnements",
             "651000": "Abonnements", "615600": "Entretien", "218300": "Investissement",
             "621400": "Personnel", "622600": "Autres"}  # fmt: skip
    lines = ["date;libellé;montant;catégorie"]
    for _journal, day, account, label, amount in entries:
        when = f"{day[6:]}/{day[4:6]}/{day[:4]}"
        lines.append(f"{when};{label};{comma(Decimal(amount))};{names[account]}")
    return "\n".join(lines) + "\n"


def test_a_fec_and_a_csv_of_the_same_expenses_give_the_same_months(
    place: Any, other_place: Any, coordinator: Any, other_coordinator: Any
) -> None:
    cashless = ("68", "67", "70")
    charges = [e for e in ENTRIES if not e[4].startswith("-") and e[2][:2] not in cashless]
    from_fec = sa.import_expenses(actor=coordinator, place=place, text=fec(charges), dry_run=False)
    from_csv = sa.import_expenses(
        actor=other_coordinator, place=other_place, text=csv_of(charges), dry_run=False
    )
    assert from_csv.reading.refused == [] and from_fec.reading.refused == []
    assert (from_fec.written, from_csv.written) == (14, len(charges))
    start = date(2027, 1, 1)
    mine, theirs = actuals_data.read(place, start, 3), actuals_data.read(other_place, start, 3)
    assert mine.costs_by_category == theirs.costs_by_category
    assert mine.costs_by_category["rent"] == [1350, 1350, 1350]
    assert mine.costs_by_category["insurance"] == [480, 0, 0]
    # The same FEC again: every month pointed out as imported already.
    again = sa.import_expenses(actor=coordinator, place=place, text=fec(charges), dry_run=True)
    assert len(again.already) == 14


def ten_thousand_lines() -> str:
    """A busy year: 5 000 entries (10 000 lines), purchases spread over the twelve months."""
    accounts = ["606400", "613200", "616000", "626000", "641100", "706000", "627000", "615600"]
    entries = []
    for n in range(5000):
        month, day = n // 8 % 12 + 1, n % 28 + 1
        journal = "VT" if accounts[n % 8] == "706000" else "AC"
        entries.append((journal, f"2027{month:02}{day:02}", accounts[n % 8], f"Pièce {n}",
                        f"{n % 97 + 1}.{n % 100:02}"))  # fmt: skip
    return fec(entries, "\t", "\r\n")


def test_ten_thousand_lines_are_read_on_a_dry_run(place: Any, coordinator: Any) -> None:
    # Its time is measured by bench/economics_import_bench.py, not asserted here.
    text = ten_thousand_lines()
    assert text.count("\r\n") == 10_001
    dry = sa.import_expenses(actor=coordinator, place=place, text=text, dry_run=True)
    assert dry.reading.refused == [] and dry.written == 0
    assert len(dry.reading.lines) == 12 * 7  # seven charge categories… of accounts, by month
    expected = sum(
        Decimal(f"{n % 97 + 1}.{n % 100:02}") for n in range(5000) if n % 8 != 5
    )  # every charge once, the sales (706) aside
    assert sum(x.amount for x in dry.reading.lines) == expected
