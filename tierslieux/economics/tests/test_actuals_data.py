"""The reader of a place's actual months, on a small fixture computed by hand: a plan from
December 2026 read over three months (December, January, February)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tierslieux.billing import services as billing
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as bf
from tierslieux.bookings.tests import factories as bkf
from tierslieux.economics import actuals_data, services_actuals
from tierslieux.members.tests import factories as mf


def test_the_reader_sums_invoices_expenses_grants_and_members_by_month(
    place: Any, coordinator: Any, clock: Any
) -> None:
    clock.set(datetime(2027, 3, 15, 10, tzinfo=ZoneInfo("Europe/Paris")))
    bkf.open_every_day(place)
    bkf.room(place, bookable=True)
    customer = bf.customer(place)
    draft = billing.create_draft(
        actor=coordinator, customer=customer,
        lines=[LineInput("Salle", "1", "100.00", "vat_20", family="services"),
               LineInput("Adhésion", "1", "30.00", "vat_20", family="memberships")],
    )  # fmt: skip
    billing.issue_invoice(actor=coordinator, invoice=draft, issue_date=date(2027, 1, 10))
    add = services_actuals.add_expense
    add(actor=coordinator, place=place, date=date(2027, 1, 31), category="rent",
        label="Loyer janvier", amount="300.00")  # fmt: skip
    add(actor=coordinator, place=place, date=date(2026, 12, 5), category="investment",
        label="Mobilier", amount="1000.00")  # fmt: skip
    add(actor=coordinator, place=place, date=date(2026, 11, 30), category="rent",
        label="Avant le plan", amount="999.00")  # fmt: skip
    grant = services_actuals.add_grant
    # 1 200 € over twelve months (October to September): 100 € a month.
    grant(actor=coordinator, place=place, funder_kind="region", funder="Région",
          amount="1200", first_month=date(2026, 10, 1), last_month=date(2027, 9, 1))  # fmt: skip
    grant(actor=coordinator, place=place, funder_kind="town", funder="Mairie",
          amount="50", first_month=date(2027, 2, 14), last_month=date(2027, 2, 1))  # fmt: skip
    product = mf.product(place)
    mf.subscription(product, start=date(2026, 12, 15))
    mf.subscription(product, start=date(2027, 1, 1), end=date(2027, 1, 31))

    start = date(2026, 12, 1)
    assert actuals_data.month_count(start, date(2027, 2, 28), 36) == 3
    assert actuals_data.month_count(start, date(2026, 11, 30), 36) == 0
    found = actuals_data.read(place, start, 3)
    assert found.revenue_by_family["services"] == [0, 100, 0]
    assert found.revenue_by_family["memberships"] == [0, 30, 0]
    assert found.costs_by_category["rent"] == [0, 300, 0]  # November's is before the plan
    assert found.costs_by_category["investment"] == [1000, 0, 0]
    assert found.grants == pytest.approx([100, 100, 150])
    assert found.members == [1, 2, 1]  # the second one ended on 31 January
    assert found.occupancy == [0.0, 0.0, 0.0]  # open every day, nothing booked
    assert sum(e.amount for e in place.expenses.all()) == Decimal("2299.00")
    assert actuals_data.read(place, start, 0).months == 0
