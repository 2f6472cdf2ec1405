"""The bill run's plan (`members.billrun`), a pure function: customers by name, each one's
subscriptions first then charges by date, and the problems that refuse the run."""

from datetime import date
from decimal import Decimal as D

import pytest

from tierslieux.members import billrun as planning

pytestmark = pytest.mark.pure

OCT = date(2026, 10, 1)


def test_the_plan_is_sorted_by_customer_name_with_subscriptions_first():
    class C:
        def __init__(self, pk, name, kind_business=False, siren=""):
            self.pk, self.name, self.siren = pk, name, siren
            self.kind = "company" if kind_business else "individual"
            self.address, self.postcode, self.city, self.country = "1 rue", "11100", "X", "FR"

    customers = {1: C(1, "zoé"), 2: C(2, "Émile"), 3: C(3, "Anna", True)}

    def item(customer, day, charge_id=None, sub=None, price="1.00"):
        return planning.Item(customer, "x", D(1), D(price), "vat_20", day, None, "C62", "706000",
                             "services", "", charge_id, sub)  # fmt: skip

    planned = planning.plan(
        OCT,
        [
            item(1, date(2026, 10, 9), 5),
            item(1, date(2026, 10, 1), 6),
            item(1, OCT, None, 7),
            item(2, OCT, 1),
            item(3, OCT, 2),
        ],
        customers,
    )
    assert [c.customer.name for c in planned.customers] == ["Anna", "zoé", "Émile"]
    assert [(i.charge_id, i.subscription_id) for i in planned.customers[1].items] == [
        (None, 7),
        (6, None),
        (5, None),
    ]
    assert [p.code for p in planned.problems] == ["buyer_siren"]
    assert planned.total_gross == D("6.00") and not planned.ready
