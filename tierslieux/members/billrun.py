"""Planning a month's bill run (pure: no ORM): what each customer's invoice will hold.

The inputs are the lines to bill — pending charges, and subscription periods not charged
yet — and the customers they belong to; the plan is one invoice per customer, customers
sorted by name, each invoice's subscription lines first and then the charges by date, with
its totals computed by the billing tax rule (`billing.tax.totals`), and the problems that
would make the run refuse. `services.billrun` reads the database into these inputs; the
preview shows the plan, the confirmation issues it. See docs/algorithms/billrun.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tierslieux.billing import buyer, tax
from tierslieux.core.validators import validate_siren

ZERO = Decimal("0.00")


class CustomerLike(buyer.BuyerLike, Protocol):
    pk: Any


@dataclass(frozen=True)
class Item:
    """One line to bill: a pending charge (`charge_id`), or a subscription's period that
    the confirmation records as a charge first (`charge_id` None, `source` its key)."""

    customer_id: int
    description: str
    quantity: Decimal
    unit_price_net: Decimal
    tax_code: str
    service_date: date
    service_end: date | None = None
    unit: str = "C62"
    account: str = "706000"
    family: str = "services"
    source: str = ""
    charge_id: int | None = None
    subscription_id: int | None = None
    person_id: int | None = None

    @property
    def net(self) -> Decimal:
        return tax.LineAmount(self.quantity, self.unit_price_net, self.tax_code).net

    @property
    def is_subscription(self) -> bool:
        return self.subscription_id is not None

    @property
    def last_day(self) -> date:
        return self.service_end or self.service_date


@dataclass(frozen=True)
class Problem:
    """Why the run would be refused; `customer` names whom to fix, when it is one."""

    message: str
    customer: Any = None
    code: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CustomerPlan:
    """One invoice to issue."""

    customer: Any  # CustomerLike
    items: tuple[Item, ...]
    totals: tax.Totals

    @property
    def service_start(self) -> date:
        return min(item.service_date for item in self.items)

    @property
    def service_end(self) -> date:
        return max(item.last_day for item in self.items)

    @property
    def total_net(self) -> Decimal:
        return self.totals.net

    @property
    def total_tax(self) -> Decimal:
        return self.totals.tax

    @property
    def total_gross(self) -> Decimal:
        return self.totals.gross


@dataclass(frozen=True)
class BillRunPlan:
    """What a month's run would issue, and what stops it (`problems`, empty when ready)."""

    month: date
    customers: tuple[CustomerPlan, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def invoice_count(self) -> int:
        return len(self.customers)

    @property
    def line_count(self) -> int:
        return sum(len(c.items) for c in self.customers)

    @property
    def subscription_count(self) -> int:
        return sum(1 for c in self.customers for item in c.items if item.is_subscription)

    @property
    def charge_count(self) -> int:
        return self.line_count - self.subscription_count

    @property
    def total_net(self) -> Decimal:
        return sum((c.totals.net for c in self.customers), ZERO)

    @property
    def total_tax(self) -> Decimal:
        return sum((c.totals.tax for c in self.customers), ZERO)

    @property
    def total_gross(self) -> Decimal:
        return sum((c.totals.gross for c in self.customers), ZERO)


def _item_order(item: Item) -> tuple[int, date, int, str]:
    return (0 if item.is_subscription else 1, item.service_date, item.charge_id or 0, item.source)


def customer_problem(customer: CustomerLike) -> Problem | None:
    """What would make issuing to this customer refuse (the buyer's checks of issuing)."""
    missing = buyer.missing_details(customer)
    if missing:  # the same check as issuing's: an organisation's address and SIREN
        return Problem(
            buyer.before_the_run(customer, missing), customer, buyer.missing_code(missing)
        )
    if customer.siren:
        try:
            validate_siren(customer.siren)
        except ValidationError:
            return Problem(
                _("The SIREN of %(customer)s is not valid (%(siren)s): correct it before the run.")
                % {"customer": customer.name, "siren": customer.siren},
                customer,
                "buyer_siren",
            )
    return None


def plan(
    month: date,
    items: Iterable[Item],
    customers: dict[int, Any],
    *,
    problems: Iterable[Problem] = (),
) -> BillRunPlan:
    """Group the items by customer (`customers`: id → CustomerLike) into invoices sorted by
    customer name, and list what would refuse the run: `problems` known to the caller
    (the place's own), then each customer that cannot be invoiced."""
    grouped: dict[int, list[Item]] = {}
    for item in items:
        grouped.setdefault(item.customer_id, []).append(item)
    invoices = []
    found = list(problems)
    for customer_id, lines in grouped.items():
        customer = customers[customer_id]
        lines.sort(key=_item_order)
        totals = tax.totals(
            tax.LineAmount(li.quantity, li.unit_price_net, li.tax_code) for li in lines
        )
        invoices.append(CustomerPlan(customer, tuple(lines), totals))
        problem = customer_problem(customer)
        if problem is not None:
            found.append(problem)
    invoices.sort(key=lambda c: (c.customer.name.casefold(), c.customer.pk))
    place_wide = [p for p in found if p.customer is None]
    per_customer = sorted(
        (p for p in found if p.customer is not None),
        key=lambda p: (p.customer.name.casefold(), p.customer.pk),
    )
    return BillRunPlan(month, tuple(invoices), (*place_wide, *per_customer))
