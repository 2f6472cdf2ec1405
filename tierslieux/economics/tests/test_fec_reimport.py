"""A FEC is a period's whole accounts: imported again it adds nothing, and a corrected one
replaces the month sums that changed, so that no month is ever counted twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from tierslieux.core.models import AuditEntry
from tierslieux.economics import services_actuals as sa
from tierslieux.economics.models import Expense

HEADER = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
    "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|"
    "Montantdevise|Idevise\n"
)


def fec(insurance: str) -> str:
    """January's rent 900 € and insurance, February's rent 900 €, with their suppliers."""
    entries = [("20270105", "613200", "900,00"), ("20270110", "616000", insurance),
               ("20270205", "613200", "900,00")]  # fmt: skip
    lines = []
    for n, (day, account, amount) in enumerate(entries, start=1):
        lines.append(f"AC|Achats|{n}|{day}|{account}|Compte|||F{n}|{day}|Pièce|{amount}|0,00||||||")
        lines.append(
            f"AC|Achats|{n}|{day}|401000|Fournisseurs|||F{n}|{day}|Pièce|0,00|{amount}||||||"
        )
    return HEADER + "\n".join(lines) + "\n"


def months(place: Any) -> dict[tuple[str, str], Decimal]:
    return {(f"{e.date:%m}", e.category): e.amount for e in Expense.objects.filter(place=place)}


def test_the_same_fec_twice_adds_nothing_and_a_corrected_one_replaces_its_month(
    place: Any, coordinator: Any
) -> None:
    first = sa.import_expenses(actor=coordinator, place=place, text=fec("120,00"), dry_run=False)
    assert first.written == 3 and first.fec
    before = months(place)
    assert before == {("01", "rent"): Decimal("900.00"), ("01", "insurance"): Decimal("120.00"),
                      ("02", "rent"): Decimal("900.00")}  # fmt: skip
    again = sa.import_expenses(actor=coordinator, place=place, text=fec("120,00"), dry_run=True)
    assert len(again.already) == 3 and again.replaced == {}
    sa.import_expenses(actor=coordinator, place=place, text=fec("120,00"), dry_run=False)
    assert months(place) == before and Expense.objects.filter(place=place).count() == 3
    # The accountant corrected January's insurance: 150 € instead of 120 €.
    corrected = sa.import_expenses(actor=coordinator, place=place, text=fec("150,00"), dry_run=True)
    insurance = next(x for x in corrected.reading.lines if x.category == "insurance")
    assert corrected.replaced == {insurance.number: Decimal("120.00")}
    assert len(corrected.already) == 2
    done = sa.import_expenses(actor=coordinator, place=place, text=fec("150,00"), dry_run=False)
    assert done.written == 1
    assert months(place) == before | {("01", "insurance"): Decimal("150.00")}
    assert Expense.objects.filter(place=place).count() == 3
    replaced = AuditEntry.objects.get(action="economics.expense.replace")
    assert replaced.changes["amount"] in ("120.00", 120, Decimal("120.00"))


def test_a_csv_s_lines_already_recorded_are_pointed_out_and_imported_when_confirmed(
    place: Any, coordinator: Any
) -> None:
    # Two identical purchases on one day are possible in a ledger: the team decides.
    text = "31/01/2027;Ramettes de papier;12,00;Fournitures\n"
    sa.import_expenses(actor=coordinator, place=place, text=text, dry_run=False)
    again = sa.import_expenses(actor=coordinator, place=place, text=text, dry_run=True)
    assert again.already == [1] and not again.fec
    sa.import_expenses(actor=coordinator, place=place, text=text, dry_run=False)
    assert Expense.objects.filter(place=place).count() == 2


def test_the_page_says_what_a_corrected_fec_replaces(place: Any, coordinator: Any) -> None:
    sa.import_expenses(actor=coordinator, place=place, text=fec("120,00"), dry_run=False)
    client = Client()
    client.force_login(coordinator)
    url = f"/manage/{place.slug}/economics/expenses/import/"
    page = client.post(url, {"text": fec("150,00")}).content.decode()
    assert "Un FEC corrigé" in page and "remplace 120,00\u00a0€" in page
    assert "Importer 1\u00a0ligne" in page or "Importer 1 ligne" in page
    same = client.post(url, {"text": fec("120,00")}).content.decode()
    assert "Rien de nouveau à importer" in same
    confirmed = client.post(url, {"text": fec("150,00"), "confirm": "on"})
    assert confirmed.status_code == 302
    assert months(place)[("01", "insurance")] == Decimal("150.00")
