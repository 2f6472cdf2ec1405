"""The revenue dashboard of a place (Perm.VIEW_FIGURES: totals only, no customer's name): a
year of revenue by month and family, each family's share against the model's target, the
public-funding share and the receivables by age. Read-only."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from tierslieux.billing import revenue, revenue_queries
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(value: str | None) -> int | None:
    """The year asked for in the query string, or None (this year) when absent or absurd."""
    if value and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    return None


@require_safe
@place_view(Perm.VIEW_FIGURES)
def dashboard(request: HttpRequest, place: Place) -> HttpResponse:
    data = revenue_queries.dashboard(place, _year(request.GET.get("year")))
    return render(
        request,
        "billing/manage/revenue.html",
        {
            "place": place,
            "data": data,
            "rows": [(date(data.year, row.month, 1), row) for row in data.revenue.months],
            "public_max": revenue.PUBLIC_SHARE_MAX,
            "standing_labels": revenue.STANDING_LABELS,
        },
    )
