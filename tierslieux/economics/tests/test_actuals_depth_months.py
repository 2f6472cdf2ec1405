"""A year and a month of a running place, built once through the real services (bill runs,
invoices, a credit note, a funding, a grant, expenses, bookings), read by `actuals_data` and
set against a plan whose months are computed by hand (`actuals.compare`).

The plan, from December 2026: services 500 € a month (10 seats × 50 % × 100 €), memberships
200 € (20 people × 120 € a year), a Region grant of 100 € a month, rent 300 € and one FTE at
1 000 €. What the place did, month by month from December 2026 (index 0) to December 2027:

- services: 500 € invoiced each month to September, then 300, 300 + 100 (billed in error) and
  300, November's 100 credited in December: 300, 400, 200;
- memberships: the monthly bill run of two residents at 100 € from January, a third from March
  to June: 0, 200, 200, then 300 for four months, then 200;
- side activities: 80 € of bar on December's invoice; partnerships: the Département's 600 €
  received in June (billing's funding) and the Region's 1 200 € agreed over 2027 (a `Grant`);
- costs: rent 300 € every month, staff 1 000 € to September then 1 300 €, insurance 480 € in
  January; occupancy: the room booked four whole days in March, three in April.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import translation

from tierslieux.activity.queries import occupancy
from tierslieux.billing import services as billing
from tierslieux.billing.revenue_queries import dashboard
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as bf
from tierslieux.bookings.services.core import create_booking
from tierslieux.bookings.tests import factories as bkf
from tierslieux.core import clock as core_clock
from tierslieux.economics import actuals, actuals_data, engine, scenario
from tierslieux.economics import services_actuals as sa
from tierslieux.members.models import Subscription
from tierslieux.members.services import billrun
from tierslieux.members.tests import factories as mf
from tierslieux.places.tests import factories as pf

PARIS = ZoneInfo("Europe/Paris")
START = date(2026, 12, 1)
MONTHS = 13  # December 2026 to December 2027
INVOICED = [500.0] * 10 + [300, 300, 300]
SERVICES = [500.0] * 10 + [300, 400, 200]
MEMBERSHIPS = [0.0, 200, 200, 300, 300, 300, 300, 200, 200, 200, 200, 200, 200]
PARTNERSHIPS = [0.0] * 6 + [600] + [0] * 6  # June 2027
SIDE = [0.0] * 12 + [80]
MEMBERS = [0, 2, 2, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2]


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS)


def month(n: int) -> date:
    """The first day of month n of the place's year (0: December 2026)."""
    return actuals.month_of(START, n)


def plan() -> engine.Projection:
    data: dict[str, Any] = {
        "name": "Plan", "horizon": 36, "start": "2026-12",
        "revenue": [{"label": "Bureaux", "family": "services", "capacity": 10,
                     "occupancy": 50, "price": 100}],
        "memberships": [{"label": "Adhésions", "kind": "people", "count": 20, "fee": 120}],
        "grants": [{"label": "Région", "funder": "Région", "funder_kind": "region",
                    "per_year": 1200, "start": 1, "end": 36}],
        "fixed_costs": [{"category": "rent", "monthly": 300}],
        "staff": [{"role": "Coordinatrice", "fte": 1, "monthly_cost": 1000}],
    }  # fmt: skip
    return engine.project(scenario.parse(data))


def _invoice(coordinator: Any, customer: Any, day: date, *lines: LineInput) -> Any:
    core_clock.freeze(at(day))
    draft = billing.create_draft(actor=coordinator, customer=customer, lines=lines)
    return billing.issue_invoice(actor=coordinator, invoice=draft, issue_date=day)


def _room(price: str) -> LineInput:
    return LineInput("Location de bureaux", "1", price, "vat_20", family="services")


def _build() -> dict[str, Any]:
    place = mf.collecting_by_sepa(bf.place(name="La Fabrique"))
    coordinator = pf.coordinator(place)
    bkf.open_every_day(place)
    room = bkf.room(place, bookable=True, name="Salle Jaurès")
    bkf.rules(room, max_minutes=720)
    customer = bf.customer(place, name="Coopérative Oxalis")
    product = mf.product(place, "plan", price_net="100.00", wallet="", credits=None)
    for name in ("Anna", "Bruno"):
        mf.subscription(product, person=mf.person(name), start=date(2027, 1, 1))
    mf.subscription(product, person=mf.person("Chloé"), start=date(2027, 3, 1),
                    end=date(2027, 6, 30))  # fmt: skip
    _invoice(coordinator, customer, date(2026, 12, 10), _room("500.00"))
    erroneous: Any = None
    for n in range(1, MONTHS):
        first = month(n)
        core_clock.freeze(at(first))
        billrun.confirm(actor=coordinator, place=place, month=first, issue_date=first)
        bar = [LineInput("Bar", "1", "80.00", "vat_20", family="side_activities")] * (n == 12)
        _invoice(coordinator, customer, first.replace(day=10), _room(f"{INVOICED[n]:.2f}"), *bar)
        if n == 11:  # November: 100 € billed in error…
            erroneous = _invoice(coordinator, customer, first.replace(day=12), _room("100.00"))
    december = month(12).replace(day=15)
    core_clock.freeze(at(december))  # …credited in December
    billing.create_credit_note(actor=coordinator, invoice=erroneous, issue_date=december)
    billing.record_funding(actor=coordinator, place=place, funder="Département de l'Aude",
                           amount="600.00", received_on=date(2027, 6, 18))  # fmt: skip
    sa.add_grant(actor=coordinator, place=place, funder_kind="region", funder="Région Occitanie",
                 amount="1200", first_month=date(2027, 1, 1),
                 last_month=date(2027, 12, 1))  # fmt: skip
    csv = ["date;libellé;montant;catégorie", "20/01/2027;Assurance multirisque;480,00;Assurance"]
    for n in range(MONTHS):
        end = actuals_data.month_end(month(n))
        csv.append(f"{end:%d/%m/%Y};Loyer;300,00;Loyer")
        csv.append(f"{end:%d/%m/%Y};Salaires;{1000 if n < 10 else 1300},00;Salaires")
    done = sa.import_expenses(actor=coordinator, place=place, text="\n".join(csv), dry_run=False)
    assert done.written == 27, done.reading.refused
    core_clock.freeze(at(date(2027, 2, 20)))
    for day in (date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 30),
                date(2027, 4, 6), date(2027, 4, 13), date(2027, 4, 20)):  # fmt: skip
        create_booking(actor=coordinator, space=room, start=at(day, 8), end=at(day, 20))
    core_clock.freeze(at(date(2028, 1, 10)))
    return {"place": place, "read": actuals_data.read(place, START, MONTHS)}


@pytest.fixture(scope="module")
def year(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield _build()
        finally:
            core_clock.freeze(None)
            transaction.set_rollback(True)


def test_the_revenue_by_family_is_billing_s_own_dashboard_month_by_month(
    year: dict[str, Any],
) -> None:
    found: actuals.Actuals = year["read"]
    assert found.revenue_by_family["services"] == pytest.approx(SERVICES)
    assert found.revenue_by_family["memberships"] == pytest.approx(MEMBERSHIPS)
    assert found.revenue_by_family["partnerships"] == pytest.approx(PARTNERSHIPS)
    assert found.revenue_by_family["side_activities"] == pytest.approx(SIDE)
    board = {y: dashboard(year["place"], y, date(2028, 1, 10)).revenue.months for y in (2026, 2027)}
    for n in range(MONTHS):
        first = month(n)
        row = board[first.year][first.month - 1]
        for family, amount in row.by_family.items():
            assert found.revenue_by_family[family][n] == pytest.approx(float(amount)), (n, family)


def test_the_costs_grants_and_members_month_by_month(year: dict[str, Any]) -> None:
    found: actuals.Actuals = year["read"]
    assert found.costs_by_category["rent"] == [300.0] * MONTHS
    assert found.costs_by_category["staff"] == [1000.0] * 10 + [1300.0] * 3
    assert found.costs_by_category["insurance"] == [0.0, 480.0] + [0.0] * 11
    assert found.grants == pytest.approx([0.0] + [100.0] * 12)
    assert found.members == MEMBERS
    # As the observatory counts them: subscriptions running at each month's last day.
    for n, expected in enumerate(MEMBERS):
        end = actuals_data.month_end(month(n))
        running = Subscription.objects.filter(place=year["place"], start__lte=end).exclude(
            end__lt=end
        )
        assert running.count() == expected, n


def test_the_occupancy_is_activity_s_month_by_month(year: dict[str, Any]) -> None:
    """Four whole days in March, open 30 days (Easter Monday, 29 March, is a public holiday),
    three in April, open 30 days; every other month nothing."""
    found: actuals.Actuals = year["read"]
    shares = occupancy([year["place"]], month(12), MONTHS)[year["place"].pk].shares
    assert [x == 0 for x in found.occupancy] == [n not in (3, 4) for n in range(MONTHS)]
    assert [x == 0 for x in shares] == [n not in (3, 4) for n in range(MONTHS)]
    # A share 0–1, as the plan's: activity's percentage divided by 100.
    assert found.occupancy[3] == pytest.approx(4 / 30, abs=1e-3)
    assert found.occupancy[4] == pytest.approx(3 / 30, abs=1e-3)
    assert found.occupancy == [None if x is None else float(x) / 100 for x in shares]


def test_the_gaps_are_told_as_an_accountant_would_tell_them(year: dict[str, Any]) -> None:
    c = actuals.compare(plan(), START, year["read"])
    assert c.months == [month(n) for n in range(MONTHS)]
    assert c.row("services").plan == pytest.approx([500.0] * MONTHS)
    assert c.row("partnerships").plan == pytest.approx([100.0] * MONTHS)
    assert c.row("partnerships").actual == pytest.approx(
        [0.0, 100, 100, 100, 100, 100, 700, 100, 100, 100, 100, 100, 100]
    )
    assert c.row("costs").actual == pytest.approx([1300.0, 1780] + [1300] * 8 + [1600] * 3)
    money = [(g.row.key, g.months, round(g.ratio, 4), round(g.amount, 2)) for g in c.gaps[:2]]
    # Staff: 1 300 against 1 000 for three months, +900 €; services: 300 + 400 + 200 against
    # 1 500 for three months, −600 €. The totals are not told: their parts are.
    assert money == [("cost:staff", 3, 0.3, 900.0), ("services", 3, -0.4, -600.0)]
    # Members: 28 member-months (from 0 in December) against 20 × 13 = 260, every month.
    members = c.gaps[-1]
    assert (members.row.key, members.months) == ("members", 13)
    assert members.ratio == pytest.approx((28 - 260) / 260)
    assert [g.row.key for g in c.gaps] == ["cost:staff", "services", "occupancy", "members"]
    # The plan's 50 % every month against 4/30 in March, 3/30 in April, none otherwise.
    assert (c.gaps[2].months, round(c.gaps[2].ratio, 4)) == (13, -0.9642)
    with translation.override("fr"):
        told = actuals.explanations(c)
    assert told[:2] == [
        "Charges de personnel 30\u00a0% au-dessus du plan depuis 3\u00a0mois",
        "Recettes de services 40\u00a0% sous le plan depuis 3\u00a0mois",
    ]
    assert told[3] == "Membres 89\u00a0% sous le plan depuis 13\u00a0mois"
