"""How the indicators are laid out for the pages and flattened for the exports: composite
figures (audiences, revenue mix, modal split) as sentences on a page and one row per entry,
with its own unit, in a file; "not recorded" keeps its reason and has no amount."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from tierslieux.impact import indicator_rows
from tierslieux.impact.indicator_defs import BY_KEY, Value, missing

pytestmark = pytest.mark.pure

NBSP = "\u00a0"
VALUES = {
    "audiences": Value(
        {"children": {"events": 1, "participants": 3}, "seniors": {"events": 0, "participants": 0}}
    ),
    "revenue_mix": Value({"services": {"amount": D("300.00"), "share": D("42.9")}}),
    "modal_split": Value({"car": D("30.0"), "bike": D("70.0")}, basis=2),
    "revenue_total": Value(D("1234.50")),
    "volunteer_hours": missing(BY_KEY["volunteer_hours"].limits),
}


def test_the_page_writes_figures_in_french():
    with translation.override("fr"):
        rows = {r.indicator.key: r for _f, rs in indicator_rows.grouped(VALUES) for r in rs}
    assert rows["audiences"].lines == [
        f"Enfants{NBSP}: 1 événement, 3 participants",
        f"Seniors{NBSP}: 0 événement, 0 participant",
    ]
    assert rows["revenue_mix"].lines == [
        f"Prestations de services{NBSP}: 300,00{NBSP}€ (42,9{NBSP}%)"
    ]
    assert rows["modal_split"].lines == [
        f"Voiture seul{NBSP}: 30{NBSP}%",
        f"Vélo{NBSP}: 70{NBSP}%",
    ]
    assert rows["revenue_total"].text == f"1{NBSP}234,50{NBSP}€"
    assert not rows["volunteer_hours"].recorded and rows["volunteer_hours"].text == ""


def test_families_keep_the_definitions_order():
    with translation.override("fr"):
        grouped = indicator_rows.grouped(VALUES)
        families = [str(f) for f, _rows in grouped]
    assert families == ["Membres et bénévoles", "Publics", "Recettes", "Enquêtes"]
    keys = [r.indicator.key for _f, rows in grouped for r in rows]
    assert keys == sorted(keys, key=list(BY_KEY).index)


def test_the_export_rows():
    rows = {(r["key"], r["part"]): r for r in indicator_rows.flat(VALUES)}
    assert rows[("audiences", "children.events")]["amount"] == 1
    assert rows[("audiences", "children.participants")]["unit"] == "people"
    with translation.override("en"):
        money = indicator_rows.flat(VALUES)
    assert next(r for r in money if r["part"] == "services.amount") == {
        "family": "revenue", "key": "revenue_mix", "label": "Revenue mix", "basis": None,
        "not_recorded": "", "part": "services.amount", "unit": "eur", "amount": D("300.00"),
    }  # fmt: skip
    assert rows[("revenue_mix", "services.share")]["unit"] == "percent"
    assert rows[("modal_split", "bike")]["amount"] == D("70.0")
    assert rows[("modal_split", "bike")]["basis"] == 2
    assert rows[("revenue_total", "")]["unit"] == "eur"
    hours = rows[("volunteer_hours", "")]
    assert hours["amount"] is None and hours["not_recorded"]
