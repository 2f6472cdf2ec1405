"""The plan against the actuals, on a small plan whose months are computed by hand here:
services 500 € (10 seats × 50 % × 100 €), memberships 200 € (20 people × 120 € a year),
a Region grant of 100 € a month, rent 300 € and one FTE at 1 000 €."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from tierslieux.economics import actuals, engine, expense_csv, expense_fec, scenario

pytestmark = pytest.mark.pure


def plan() -> engine.Projection:
    data: dict[str, Any] = {
        "name": "Plan", "horizon": 36, "start": "2026-11",
        "revenue": [{"label": "Bureaux", "family": "services", "capacity": 10,
                     "occupancy": 50, "price": 100}],
        "memberships": [{"label": "Adhésions", "kind": "people", "count": 20, "fee": 120}],
        "grants": [{"label": "Région", "funder": "Région", "funder_kind": "region",
                    "per_year": 1200, "start": 1, "end": 36}],
        "fixed_costs": [{"category": "rent", "monthly": 300}],
        "staff": [{"role": "Coordinatrice", "fte": 1, "monthly_cost": 1000}],
    }  # fmt: skip
    return engine.project(scenario.parse(data))


def three_months(**changes: Any) -> actuals.Actuals:
    series: dict[str, Any] = {
        "revenue_by_family": {"services": [500.0, 300, 320], "memberships": [200.0] * 3},
        "costs_by_category": {"rent": [300.0] * 3, "staff": [1000.0, 1000, 1200]},
        "grants": [100.0] * 3,
        "occupancy": [0.5, 0.3, 0.3],
        "members": [20, 20, 20],
    }
    return actuals.Actuals(**(series | changes))


def test_the_gaps_month_by_month_are_the_actual_less_the_plan() -> None:
    c = actuals.compare(plan(), date(2026, 11, 1), three_months())
    assert c.months == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    services = c.row("services")
    assert services.plan == pytest.approx([500, 500, 500])
    assert services.gaps == pytest.approx([0, -200, -180])
    assert services.ratios == pytest.approx([0, -0.4, -0.36])
    # Partnerships: no invoice, the grant recorded counts as the plan counts its own.
    assert c.row("partnerships").actual == pytest.approx([100, 100, 100])
    assert c.row("partnerships").gaps == pytest.approx([0, 0, 0])
    assert c.row("revenue").plan == pytest.approx([800] * 3)
    assert c.row("revenue").actual == pytest.approx([800, 600, 620])
    assert c.row("costs").plan == pytest.approx([1300] * 3)
    assert c.row("costs").gaps == pytest.approx([0, 0, 200])
    assert c.row("cost:staff").plan == pytest.approx([1000] * 3)
    assert c.row("occupancy").plan == pytest.approx([0.5] * 3)
    assert c.row("members").plan == pytest.approx([20] * 3)


def test_the_lasting_gaps_are_told_the_weightiest_first_without_repeating_a_total() -> None:
    c = actuals.compare(plan(), date(2026, 11, 1), three_months())
    # Services: −40 % then −36 %, two months: (620 − 1 000) ÷ 1 000 = −38 %, 380 €.
    # Staff: +20 % in the last month, 200 €. Occupancy −40 % for two months, after the money.
    # The revenue's total and the costs' sum are not told: their parts are.
    assert [(g.row.key, g.months) for g in c.gaps] == [
        ("services", 2), ("cost:staff", 1), ("occupancy", 2)
    ]  # fmt: skip
    assert c.gaps[0].ratio == pytest.approx(-0.38)
    assert c.gaps[0].amount == pytest.approx(-380)
    with translation.override("en"):
        told = actuals.explanations(c)
    assert told[0] == "Services revenue 38\u00a0% below the plan for 2 months"
    assert told[1] == "Staff costs 20\u00a0% above the plan for 1 month"
    with translation.override("fr"):
        told = actuals.explanations(actuals.compare(plan(), date(2026, 11, 1), three_months()))
    assert told[0] == "Recettes de services 38\u00a0% sous le plan depuis 2\u00a0mois"


def test_no_expense_recorded_is_unknown_costs_not_a_gap() -> None:
    c = actuals.compare(plan(), date(2026, 11, 1), three_months(costs_by_category={}))
    assert c.row("costs").actual == [None, None, None]
    assert c.row("cost:rent").gaps == [None, None, None]
    assert [g.row.key for g in c.gaps] == ["services", "occupancy"]


def test_months_after_the_last_expense_recorded_are_unknown_not_a_gap() -> None:
    # A ledger imported up to December: January's costs are not known yet.
    stopped = three_months(costs_by_category={"rent": [300.0, 300, 0], "staff": [1000.0, 1200, 0]})
    c = actuals.compare(plan(), date(2026, 11, 1), stopped)
    assert c.row("costs").actual == [1300, 1500, None]
    assert c.row("cost:staff").actual == [1000, 1200, None]
    assert "cost:staff" not in [g.row.key for g in c.gaps]
    with translation.override("fr"):
        told = actuals.explanations(c)
    assert told[-1] == (
        "Dépenses enregistrées jusqu’en décembre 2026 : les mois suivants ne sont pas comparés."
    )
    with translation.override("en"):
        nothing = actuals.compare(plan(), date(2026, 11, 1), three_months(costs_by_category={}))
        assert actuals.explanations(nothing)[-1] == (
            "No expense recorded: the costs are not compared."
        )


def test_a_plan_on_track_or_not_started_says_so() -> None:
    on_plan = three_months(
        revenue_by_family={"services": [500.0] * 3, "memberships": [200.0] * 3},
        costs_by_category={"rent": [300.0] * 3, "staff": [1000.0] * 3},
        occupancy=[0.5, 0.5, None],
    )
    with translation.override("en"):
        c = actuals.compare(plan(), date(2026, 11, 1), on_plan)
        assert c.gaps == [] and c.row("occupancy").gaps[2] is None
        assert actuals.explanations(c) == [
            "Every indicator is within 10\u00a0% of the plan in the last month."
        ]
        empty = actuals.Actuals({}, {}, [], [], [])
        assert actuals.explanations(actuals.compare(plan(), date(2026, 11, 1), empty)) == [
            "The plan has not started yet: nothing to compare."
        ]


def test_the_csv_reader_takes_french_amounts_and_dates_and_says_why_it_refuses() -> None:
    assert expense_csv.parse_amount("1 234,56") == Decimal("1234.56")
    assert expense_csv.parse_amount("1\u202f234,56\u00a0€") == Decimal("1234.56")
    assert expense_csv.parse_amount("1.234,56") == Decimal("1234.56")
    assert expense_csv.parse_amount("12.5") == Decimal("12.5")
    assert expense_csv.parse_amount("douze") is None
    assert expense_csv.parse_date("31/01/2027") == date(2027, 1, 31)
    assert expense_csv.parse_date("2027-01-31") == date(2027, 1, 31)
    assert expense_csv.parse_date("31/01/1027") is None
    names = {"rent": "rent", "loyer et charges": "rent"}
    with translation.override("en"):
        read = expense_csv.read(
            "\ufeffDate,Label,Amount,Category\n"
            '31/01/2027,"Loyer, janvier",300,Loyer et charges\n'
            "31/01/2027,,300,rent\n"
            "31/01/2027,Café,300,bière\n",
            names,
        )
        binary = expense_csv.read("PK\x03\x04\x00", names)
    assert [(x.number, x.label) for x in read.lines] == [(2, "Loyer, janvier")]
    assert [(r.number, r.reason) for r in read.refused] == [
        (3, "label: it is empty."),
        (4, "category: “bière” is none of the categories listed."),
    ]
    assert binary.refused == [
        expense_csv.Refusal(1, "The file holds binary data: export it as CSV.")
    ]


FEC = (
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
    "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|"
    "Montantdevise|Idevise\n"
    "AC|Achats|1|20270105|613200|Locations|||F1|20270105|Loyer janvier|900,00|0,00||||||\n"
    "AC|Achats|1|20270105|401000|Fournisseurs|||F1|20270105|Loyer janvier|0,00|900,00||||||\n"
    "AC|Achats|2|20270120|614000|Charges locatives|||F2|20270120|Charges|100,00|0,00||||||\n"
    "AC|Achats|3|20270125|613200|Locations|||A1|20270125|Avoir|0,00|50,00||||||\n"
    "OD|Divers|4|20270131|681100|Dotations|||D1|20270131|Amortissement|300,00|0,00||||||\n"
    "AC|Achats|5|20270210|218300|Matériel|||F3|20270210|Ordinateur|1200,00|0,00||||||\n"
    "AC|Achats|6|20270215|616000|Assurance|||A2|20270215|Remboursement|0,00|80,00||||||\n"
)


def test_a_fec_s_charges_are_summed_by_month_and_category_corrections_netted() -> None:
    assert expense_fec.is_fec("\ufeff" + FEC) and not expense_fec.is_fec("date;label\n")
    labels = {"insurance": "Assurances"}
    with translation.override("fr"):
        read = expense_fec.read(FEC, labels)
    # January's rent: 900 + 100 of charges − the 50 credit note; depreciation (68) left out,
    # the supplier's side (401) too; the computer (21) is investment.
    assert [(x.date, x.category, x.amount) for x in read.lines] == [
        (date(2027, 1, 31), "rent", Decimal("950.00")),
        (date(2027, 2, 28), "investment", Decimal("1200.00")),
    ]
    assert [(r.number, r.reason) for r in read.refused] == [
        (8, "Assurances\u00a0: plus de crédit que de débit sur l’ensemble du fichier.")
    ]
    assert expense_fec.read("JournalCode|CompteNum\n", labels).refused[0].number == 1
