"""A place's impact indicators for a year or a quarter (`/manage/<slug>/impact/indicators/`),
each with its definition, sources and limits beside it, and the same figures as CSV and
JSON. VIEW_FIGURES: figures only, no person behind them."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tierslieux.impact import indicator_rows, indicators, periods
from tierslieux.impact.indicator_defs import BY_KEY
from tierslieux.impact.services_assessment import first_year
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

CHOICES_YEARS = 6  # the chooser offers the current year and the five before it
QUARTERS = (
    (1, gettext_lazy("1st quarter %(year)s")),
    (2, gettext_lazy("2nd quarter %(year)s")),
    (3, gettext_lazy("3rd quarter %(year)s")),
    (4, gettext_lazy("4th quarter %(year)s")),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def chosen(request: HttpRequest, place: Place, warn: bool = True) -> periods.Period:
    """The period asked (`?period=2025` or `2025-Q1`); anything else, or a period to come,
    falls back to the current year, with a message on the page (`warn`; a download has no
    page to show it on)."""
    this_year = place.today().year
    text = request.GET.get("period", "")
    if not text:
        return periods.Period(this_year)
    try:
        period = periods.parse(text[:20])
    except ValueError:
        period = None
    if period is not None and period.year <= this_year:
        return period
    if warn:
        messages.warning(
            request,
            _("“%(text)s” is not a period to show: here is the current year.")
            % {"text": text[:20]},
        )
    return periods.Period(this_year)


def period_choices(place: Place) -> list[tuple[str, str]]:
    """Years and their quarters, the current year first, back to the place's first year."""
    last = place.today().year
    first = max(first_year(place), last - CHOICES_YEARS + 1)
    found = []
    for year in range(last, first - 1, -1):
        found.append((str(year), str(year)))
        found += [(f"{year}-Q{q}", str(label) % {"year": year}) for q, label in QUARTERS]
    return found


def _values(place: Place, period: periods.Period) -> dict[str, Any]:
    return indicators.compute(Place.objects.filter(pk=place.pk), period).get(place.pk, {})


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def page(request: HttpRequest, place: Place) -> HttpResponse:
    period = chosen(request, place)
    context = {
        "place": place,
        "period": period,
        "choices": period_choices(place),
        "families": indicator_rows.grouped(_values(place, period)),
    }
    return render(request, "impact/manage/indicators.html", context)


def _filename(place: Place, period: periods.Period, suffix: str) -> str:
    return f"{place.slug}-indicators-{period.code()}.{suffix}"


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def as_csv(request: HttpRequest, place: Place) -> HttpResponse:
    """`;`-separated, decimal comma, UTF-8 with a BOM (what a French spreadsheet opens);
    figures unformatted, their unit in its own column."""
    period = chosen(request, place, warn=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    columns = ("family", "key", "part", "label", "unit", "amount", "basis", "not_recorded")
    writer.writerow(columns)
    for row in indicator_rows.flat(_values(place, period)):
        writer.writerow([_csv_cell(row[c]) for c in columns])
    writer.writerow([])
    writer.writerow([_("Place"), _csv_cell(place.name)])
    writer.writerow([_("Period"), period.code()])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(place, period, "csv")}"'
    return response


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    raise TypeError(type(value).__name__)


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def as_json(request: HttpRequest, place: Place) -> HttpResponse:
    """The figures with their definitions, sources and limits."""
    period = chosen(request, place, warn=False)
    rows = indicator_rows.flat(_values(place, period))
    definitions = {
        key: {
            "label": str(d.label),
            "unit": d.unit,
            "definition": str(d.definition),
            "sources": list(d.sources),
            "limits": str(d.limits),
        }
        for key, d in BY_KEY.items()
    }
    document = {
        "place": place.slug,
        "period": period.code(),
        "first_day": period.first.isoformat(),
        "last_day": period.last.isoformat(),
        "figures": rows,
        "definitions": definitions,
    }
    body = json.dumps(document, ensure_ascii=False, indent=1, default=_json_number)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(place, period, "json")}"'
    return response
