"""What the revenue dashboard reads, in a fixed number of queries whatever the volume: sums
grouped in the database (month × family × public), open invoices through
`queries.with_due`, and the first year that has figures. The arithmetic is `revenue`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Min, Sum
from django.db.models.functions import ExtractMonth

from tierslieux.billing import queries
from tierslieux.billing import revenue as rev
from tierslieux.billing.models import Customer, Funding, Invoice, InvoiceLine
from tierslieux.core.money import round_money
from tierslieux.places.models import Place

ISSUED = Invoice.Status.ISSUED


@dataclass(frozen=True)
class Dashboard:
    year: int
    years: list[int]  # the years the selector offers, latest first
    today: date
    revenue: rev.Revenue
    receivables: rev.Receivables


def revenue_amounts(place: Place, year: int) -> list[rev.Amount]:
    """Issued invoices' and credit notes' lines by issue month, and fundings by month received,
    summed per family and public origin (two queries)."""
    lines = (
        InvoiceLine.objects.filter(
            invoice__place=place, invoice__status=ISSUED, invoice__issue_date__year=year
        )
        .annotate(month=ExtractMonth("invoice__issue_date"), kind=F("invoice__customer__kind"))
        .values("month", "family", "kind")
        .annotate(net=Sum("net"))
        .order_by()
    )
    fundings = (
        Funding.objects.filter(place=place, received_on__year=year)
        .annotate(month=ExtractMonth("received_on"))
        .values("month", "family", "public")
        .annotate(net=Sum("amount"))
        .order_by()
    )
    amounts = [
        rev.Amount(
            row["month"],
            row["family"],
            round_money(row["net"]),
            public=row["kind"] == Customer.Kind.PUBLIC_BODY,
        )
        for row in lines
    ]
    amounts += [
        rev.Amount(row["month"], row["family"], round_money(row["net"]), public=row["public"])
        for row in fundings
    ]
    return amounts


def open_items(place: Place) -> list[rev.OpenItem]:
    """Issued invoices still due, with what they owe (`queries.with_due`; one query)."""
    rows = (
        queries.with_due(
            Invoice.objects.filter(place=place, status=ISSUED, kind=Invoice.Kind.INVOICE)
        )
        .filter(amount_due__gte=queries.DUST)  # type: ignore[misc]
        .values_list("amount_due", "due_date")
        .order_by()
    )
    return [rev.OpenItem(due=round_money(due), due_date=day) for due, day in rows]


def years_with_figures(place: Place, today: date) -> list[int]:
    """From the first year with an issued invoice or a funding to this year, latest first."""
    first_invoice = Invoice.objects.filter(place=place, status=ISSUED).aggregate(
        first=Min("issue_date")
    )["first"]
    first_funding = Funding.objects.filter(place=place).aggregate(first=Min("received_on"))["first"]
    first = min((d.year for d in (first_invoice, first_funding) if d), default=today.year)
    return list(range(max(today.year, first), min(first, today.year) - 1, -1))


def dashboard(place: Place, year: int | None = None, today: date | None = None) -> Dashboard:
    """The dashboard of a year (this year by default), in five queries."""
    today = today or place.today()
    year = year or today.year
    years = years_with_figures(place, today)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return Dashboard(
        year=year,
        years=years,
        today=today,
        revenue=rev.revenue(year, revenue_amounts(place, year)),
        receivables=rev.receivables(open_items(place), today),
    )
