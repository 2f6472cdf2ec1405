"""The revenue dashboard's arithmetic: a year of revenue by month and by the four families of
the micro-centre model, each family's share against its target range, the share of public
funding, and receivables by age.

Pure (no ORM): `revenue_queries` reads the database into `Amount`s and `OpenItem`s, in a fixed
number of queries, so these sums can be tested without one.

- Revenue is net of tax: issued invoices' lines by issue month, credit notes subtracting (their
  lines are negative), plus fundings in the month they were received.
- Public funding share = (fundings from public funders + invoices to public bodies) ÷ total
  revenue; the model wants it at most 30 %, so a place does not hang on one grant.
- Receivables: what issued invoices still owe, the overdue part aged from the due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tierslieux.billing.models import Family
from tierslieux.core.money import round_money

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MONTHS = tuple(range(1, 13))
FAMILIES: tuple[str, ...] = tuple(Family.values)

# The micro-centre economic model: the share of total revenue each family should bring (%).
TARGETS: dict[str, tuple[Decimal, Decimal]] = {
    Family.MEMBERSHIPS: (Decimal(40), Decimal(50)),
    Family.SERVICES: (Decimal(20), Decimal(30)),
    Family.PARTNERSHIPS: (Decimal(20), Decimal(30)),
    Family.SIDE_ACTIVITIES: (Decimal(5), Decimal(10)),
}
PUBLIC_SHARE_MAX = Decimal(30)

BELOW, WITHIN, ABOVE = "below", "within", "above"
STANDING_LABELS = {BELOW: _("Below target"), WITHIN: _("Within target"), ABOVE: _("Above target")}

# Overdue age buckets, in days past the due date: (label, first day, last day or None).
BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–30", 1, 30),
    ("31–60", 31, 60),
    ("61–90", 61, 90),
    (">90", 91, None),
)


@dataclass(frozen=True)
class Amount:
    """Net revenue of one month and family (signed: a credit note's is negative). `public`:
    it comes from a public body or a public funder."""

    month: int
    family: str
    net: Decimal
    public: bool = False


@dataclass(frozen=True)
class MonthRow:
    month: int
    by_family: dict[str, Decimal]
    total: Decimal

    @property
    def cells(self) -> list[Decimal]:
        """The amounts in the order of `FAMILIES` (what a table row shows)."""
        return [self.by_family[f] for f in FAMILIES]


@dataclass(frozen=True)
class Share:
    family: str
    total: Decimal
    percent: Decimal | None  # None when there is no revenue at all
    low: Decimal
    high: Decimal

    @property
    def standing(self) -> str | None:
        if self.percent is None:
            return None
        if self.percent < self.low:
            return BELOW
        return ABOVE if self.percent > self.high else WITHIN

    @property
    def label(self) -> str:
        return str(Family(self.family).label)


@dataclass(frozen=True)
class Revenue:
    year: int
    months: tuple[MonthRow, ...]
    totals: dict[str, Decimal]
    total: Decimal
    shares: tuple[Share, ...]
    public: Decimal
    public_percent: Decimal | None

    @property
    def public_within(self) -> bool:
        return self.public_percent is None or self.public_percent <= PUBLIC_SHARE_MAX

    @property
    def total_cells(self) -> list[Decimal]:
        return [self.totals[f] for f in FAMILIES]


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (part * HUNDRED / whole).quantize(Decimal("0.1"))


def revenue(year: int, amounts: Iterable[Amount]) -> Revenue:
    """Sum the amounts into a month × family table with totals, shares and the public share.
    An unknown family or a month outside 1–12 is a programming error (ValueError)."""
    cells = {(m, f): ZERO for m in MONTHS for f in FAMILIES}
    public = ZERO
    for a in amounts:
        if (a.month, a.family) not in cells:
            raise ValueError(f"not a month and family of the dashboard: {a.month}, {a.family}")
        cells[a.month, a.family] += a.net
        if a.public:
            public += a.net
    cells = {key: round_money(value) for key, value in cells.items()}
    months = tuple(
        MonthRow(
            month=m,
            by_family={f: cells[m, f] for f in FAMILIES},
            total=sum((cells[m, f] for f in FAMILIES), ZERO),
        )
        for m in MONTHS
    )
    totals = {f: sum((cells[m, f] for m in MONTHS), ZERO) for f in FAMILIES}
    total = sum(totals.values(), ZERO)
    shares = tuple(Share(f, totals[f], percent(totals[f], total), *TARGETS[f]) for f in FAMILIES)
    public = round_money(public)
    return Revenue(
        year=year,
        months=months,
        totals=totals,
        total=total,
        shares=shares,
        public=public,
        public_percent=percent(public, total),
    )


@dataclass(frozen=True)
class OpenItem:
    """An issued invoice with something still due."""

    due: Decimal
    due_date: date


@dataclass(frozen=True)
class Bucket:
    label: str
    amount: Decimal
    count: int


@dataclass(frozen=True)
class Receivables:
    total: Decimal  # everything still due
    count: int
    not_yet_due: Decimal
    overdue: Decimal
    buckets: tuple[Bucket, ...]


def bucket_of(days_late: int) -> str | None:
    """The label of the age bucket of an invoice `days_late` past its due date (None: not
    late yet; an invoice due today is not overdue)."""
    for label, first, last in BUCKETS:
        if days_late >= first and (last is None or days_late <= last):
            return label
    return None


def receivables(items: Iterable[OpenItem], today: date) -> Receivables:
    amounts = {label: ZERO for label, _f, _l in BUCKETS}
    counts = {label: 0 for label, _f, _l in BUCKETS}
    total, not_yet_due, count = ZERO, ZERO, 0
    for item in items:
        if item.due <= 0:
            continue
        total += item.due
        count += 1
        label = bucket_of((today - item.due_date).days)
        if label is None:
            not_yet_due += item.due
        else:
            amounts[label] += item.due
            counts[label] += 1
    return Receivables(
        total=total,
        count=count,
        not_yet_due=not_yet_due,
        overdue=total - not_yet_due,
        buckets=tuple(Bucket(label, amounts[label], counts[label]) for label, _f, _l in BUCKETS),
    )
