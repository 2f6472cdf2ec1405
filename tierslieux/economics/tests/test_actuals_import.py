"""A place's ledger: expenses and grants through the services (refusals naming the field),
and the accountant's CSV export read first, then written all or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tierslieux.core.models import AuditEntry
from tierslieux.economics import services_actuals as sa
from tierslieux.economics.models import Expense, Grant

EXPORT = (
    "date;libellé;montant;catégorie\n"
    "31/01/2027;Loyer janvier;1 234,56;Loyer et charges\n"
    "2027-01-15;Assurance;120.5;insurance\n"
    "05/02/2027;Ménage;80,00 €;Entretien\n"
)


def test_a_clean_export_is_read_on_a_dry_run_then_written_whole(
    place: Any, coordinator: Any
) -> None:
    dry = sa.import_expenses(actor=coordinator, place=place, text=EXPORT, dry_run=True)
    assert dry.written == 0 and dry.reading.refused == []
    assert [(x.number, x.amount, x.category) for x in dry.reading.lines] == [
        (2, Decimal("1234.56"), "rent"), (3, Decimal("120.5"), "insurance"),
        (4, Decimal("80.00"), "maintenance"),
    ]  # fmt: skip
    assert not Expense.objects.exists()
    done = sa.import_expenses(actor=coordinator, place=place, text=EXPORT, dry_run=False)
    assert done.written == 3
    assert Expense.objects.filter(place=place).count() == 3
    assert AuditEntry.objects.filter(action="economics.expense.import").count() == 3


def test_a_bad_line_is_refused_with_its_reason_and_nothing_is_written(
    place: Any, coordinator: Any
) -> None:
    bad = EXPORT + "31/02/2027;Fantôme;10,00;rent\n01/03/2027;Café;-5;other\nx;y\n"
    with translation.override("en"):
        result = sa.import_expenses(actor=coordinator, place=place, text=bad, dry_run=False)
    assert result.written == 0
    assert [(r.number, r.reason) for r in result.reading.refused] == [
        (5, "date: “31/02/2027” is no date such as 31/01/2026."),
        (6, "amount: more than 0 and at most 1 000 000 €, in cents."),
        (7, "2 columns where four are expected: date;label;amount;category."),
    ]
    assert not Expense.objects.exists()
    with pytest.raises(ValidationError) as refused:
        sa.import_expenses(actor=coordinator, place=place, text="\n\n", dry_run=True)
    assert refused.value.code == "file"


def test_expenses_and_grants_refuse_bad_input_naming_the_field(
    place: Any, coordinator: Any, member: Any
) -> None:
    def refusal(call: Any, **fields: Any) -> str:
        with pytest.raises(ValidationError) as error:
            call(actor=coordinator, place=place, **fields)
        return str(error.value.code)

    expense = {"date": date(2027, 1, 5), "category": "rent", "label": "Loyer", "amount": "10"}
    assert refusal(sa.add_expense, **(expense | {"amount": "0"})) == "amount"
    assert refusal(sa.add_expense, **(expense | {"amount": "1.234"})) == "amount"
    assert refusal(sa.add_expense, **(expense | {"amount": "abc"})) == "amount"
    assert refusal(sa.add_expense, **(expense | {"category": "beer"})) == "category"
    assert refusal(sa.add_expense, **(expense | {"label": " "})) == "label"
    assert refusal(sa.add_expense, **(expense | {"date": None})) == "date"
    grant = {"funder_kind": "region", "funder": "Région", "amount": "100",
             "first_month": date(2027, 3, 1), "last_month": date(2027, 2, 1)}  # fmt: skip
    assert refusal(sa.add_grant, **grant) == "last_month"
    assert refusal(sa.add_grant, **(grant | {"funder_kind": "bank"})) == "funder_kind"
    assert not Expense.objects.exists() and not Grant.objects.exists()
    with pytest.raises(PermissionDenied):
        sa.add_expense(actor=member, place=place, **expense)
    kept = sa.add_expense(actor=coordinator, place=place, **expense)
    sa.remove_expense(actor=coordinator, expense=kept)
    assert not Expense.objects.exists()
    assert AuditEntry.objects.filter(action="economics.expense.remove").count() == 1
    # The database holds the invariants too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Expense.objects.create(place=place, date=date(2027, 1, 1), category="rent", label="x",
                               amount=Decimal("-1"))  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.create(place=place, funder_kind="region", funder="R", amount=Decimal(1),
                             first_month=date(2027, 2, 1), last_month=date(2027, 1, 1))  # fmt: skip


def test_a_fec_is_imported_as_monthly_sums_by_category(place: Any, coordinator: Any) -> None:
    from tierslieux.economics.tests.test_actuals import FEC

    clean = FEC.rsplit("AC|Achats|6|", 1)[0]  # without the refund that outweighs its month
    done = sa.import_expenses(actor=coordinator, place=place, text=clean, dry_run=False)
    assert done.written == 2
    assert sorted(Expense.objects.values_list("category", "amount", "label")) == [
        ("investment", Decimal("1200.00"), "FEC 02/2027"),
        ("rent", Decimal("950.00"), "FEC 01/2027"),
    ]
