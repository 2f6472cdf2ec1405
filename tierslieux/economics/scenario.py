"""A place's economic scenario: what it invests and how it is funded, what it costs, what it
earns, month by month over 36 to 60 months (issue 15). Frozen dataclasses, no ORM.

Conventions (written down in docs/economics.md):
- Months are counted from 1 (the opening month, `start`) to `horizon`; a line's `start` and
  `end` are such month numbers, both included.
- Money is in euros, as floats: a projection is an estimate, not an invoice (invoices keep
  Decimal, `core.money`). Percentages are entered as 0–100.
- VAT: the regime says how the amounts are read, nothing more. Under the franchise
  (`franchise`, art. 293 B CGI) the place charges no VAT and recovers none: prices are what
  customers pay, costs are what the place pays, VAT included. A place subject to VAT
  (`subject`) enters every amount excluding VAT: collected and deductible VAT pass through,
  and the timing of VAT returns (nor the VAT credit on the investment) is not modelled.
- Revenue is grouped in the seed's four families (micro-centre, "Sources de revenus"):
  memberships and subscriptions, services, partnerships, side activities.

`parse(data)` builds a Scenario from a dict (a TOML file, a form) and refuses bad input with
every error at once, each naming its field by a path such as `revenue[2].occupancy` (indices
from 0, as in JSON paths). The reading itself lives in `scenario_reading`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

# The seed's four families in its order ("Sources de revenus": "Adhésions et abonnements",
# "Services et prestations", "Partenariats", "Activités complémentaires"), with the keys and
# labels of billing's revenue `Family`, so that a place's invoices compare with its plan.
MEMBERSHIPS = "memberships"
SERVICES = "services"
PARTNERSHIPS = "partnerships"
SIDE = "side_activities"
FAMILIES = (MEMBERSHIPS, SERVICES, PARTNERSHIPS, SIDE)
FAMILY_LABELS = {
    MEMBERSHIPS: _("Memberships and subscriptions"),
    SERVICES: _("Services"),
    PARTNERSHIPS: _("Partnerships"),
    SIDE: _("Side activities"),
}
INVESTMENT_CATEGORIES = ("fit_out", "equipment", "furniture", "it", "other")
INVESTMENT_LABELS = {
    "fit_out": _("Fit-out"),
    "equipment": _("Technical equipment"),
    "furniture": _("Furniture"),
    "it": _("IT systems"),
    "other": _("Other investment"),
}
PUBLIC_SOURCES = ("eu", "state", "region", "departement", "town")
FUNDING_SOURCES = (*PUBLIC_SOURCES, "private", "own_funds")
SOURCE_LABELS = {
    "eu": _("European Union"),
    "state": _("State"),
    "region": _("Region"),
    "departement": _("Département"),
    "town": _("Town or grouping"),
    "private": _("Private"),
    "own_funds": _("Own funds"),
}
FIXED_CATEGORIES = ("rent", "insurance", "maintenance", "subscriptions", "other")
FIXED_LABELS = {
    "rent": _("Rent and charges"),
    "insurance": _("Insurance"),
    "maintenance": _("Maintenance"),
    "subscriptions": _("Subscriptions and licences"),
    "other": _("Other fixed costs"),
}
SHAPES = ("linear", "s")
VAT_REGIMES = ("franchise", "subject")
MEMBER_KINDS = ("people", "organisations")
PERIODS = ("month", "year")


@dataclass(frozen=True)
class Ramp:
    """How a line reaches its target: `months` to get there (0: at once), along a straight
    line or an S (slow start, fast middle, slow end: smoothstep 3x² − 2x³)."""

    months: int = 0
    shape: str = "linear"


@dataclass(frozen=True)
class Investment:
    category: str
    amount: float
    label: str = ""


@dataclass(frozen=True)
class Funding:
    """Money for the investment from one source, by amount or by share of the investment."""

    source: str
    amount: float
    label: str = ""


@dataclass(frozen=True)
class Loan:
    """Borrowed at opening, repaid by constant monthly instalments (an annuity) after
    `deferral` months in which only the interest is paid; `months` includes the deferral."""

    amount: float
    rate: float  # percent a year
    months: int
    deferral: int = 0
    lender: str = ""


@dataclass(frozen=True)
class FixedCost:
    category: str
    monthly: float
    label: str = ""


@dataclass(frozen=True)
class Staff:
    role: str
    fte: float
    monthly_cost: float  # employer's total cost of one FTE a month
    start: int = 1


@dataclass(frozen=True)
class VariableCost:
    """One of: `share` of the earned revenue (percent; grants excluded), `per_unit` euros for
    each unit sold of the revenue line named by `line`, or `monthly` euros that follow the
    activity (the seed's facilitators, communication, consumables are given by month)."""

    label: str
    share: float = 0.0
    per_unit: float = 0.0
    line: str = ""
    monthly: float = 0.0


@dataclass(frozen=True)
class RevenueLine:
    """Capacity (units a month: desks, days of a room, training places) × occupancy × price."""

    label: str
    family: str
    capacity: float
    occupancy: float  # percent at the end of the ramp-up
    price: float
    unit: str = ""
    ramp: Ramp = field(default_factory=Ramp)
    start: int = 1


@dataclass(frozen=True)
class Membership:
    """Members by count and fee; a yearly fee is spread over the months it covers."""

    label: str
    kind: str  # people | organisations
    count: float
    fee: float
    period: str = "year"
    ramp: Ramp = field(default_factory=Ramp)


@dataclass(frozen=True)
class Grant:
    """Operating money from one funder between two months (a three-year programme stops)."""

    label: str
    funder: str
    funder_kind: str  # a funding source: public ones count in the public-funding share
    per_year: float
    start: int
    end: int


@dataclass(frozen=True)
class InKind:
    """Valued but not cash: volunteer hours × a rate, or premises lent for a monthly value."""

    label: str
    hours_per_month: float = 0.0
    rate: float = 0.0
    monthly_value: float = 0.0

    @property
    def monthly(self) -> float:
        return self.hours_per_month * self.rate + self.monthly_value


@dataclass(frozen=True)
class SideActivity:
    """Sales of a side activity (food, shop, printing): the place earns its margin on them."""

    label: str
    monthly_sales: float
    margin: float  # percent kept by the place
    ramp: Ramp = field(default_factory=Ramp)


@dataclass(frozen=True)
class Scenario:
    name: str
    horizon: int  # months, 36–60
    start: str  # "YYYY-MM", the opening month
    vat: str = "franchise"
    investments: tuple[Investment, ...] = ()
    fundings: tuple[Funding, ...] = ()
    loans: tuple[Loan, ...] = ()
    fixed_costs: tuple[FixedCost, ...] = ()
    staff: tuple[Staff, ...] = ()
    variable_costs: tuple[VariableCost, ...] = ()
    revenue: tuple[RevenueLine, ...] = ()
    memberships: tuple[Membership, ...] = ()
    grants: tuple[Grant, ...] = ()
    in_kind: tuple[InKind, ...] = ()
    side_activities: tuple[SideActivity, ...] = ()

    @property
    def investment_total(self) -> float:
        return sum(i.amount for i in self.investments)


class ScenarioError(ValueError):
    """Every problem of a scenario at once: `errors` is a list of (path, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors))


def parse(data: Any) -> Scenario:
    """A Scenario from a dict, or ScenarioError naming every bad field."""
    from tierslieux.economics.scenario_reading import read

    return read(data)
