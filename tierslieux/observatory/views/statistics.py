"""The network's statistics page and its CSV downloads (one per table).

Read by the network's administrators and superusers (`may_read_statistics`); the figures of
the places that run on tierslieux are aggregates, with the "secret statistique" applied.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from tierslieux.core import clock, formatting
from tierslieux.observatory import charts, figures
from tierslieux.observatory.statistics import (
    Cell,
    Period,
    Table,
    network_statistics,
    parse_period,
    places_of,
)
from tierslieux.observatory.territory import (
    BadParameter,
    Territory,
    epci_choices,
    parse_territory,
)
from tierslieux.places import access, communes
from tierslieux.places.models import Network

YEARS_OFFERED = 10
BAD_PARAMETER_STATUS = 400
PARAMETERS = ("departement", "epci", "commune", "period")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def may_read_statistics(user: Any, network: Network) -> bool:
    """Who reads a network's statistics: its administrators and observers, superusers; the
    figures are aggregates, secret under three places, so reading them needs no grant."""
    return access.sees_network(user, network)


def _network(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    if not may_read_statistics(request.user, network):
        raise PermissionDenied
    return network


def _params(request: HttpRequest, network: Network) -> tuple[Territory, Period]:
    params = {key: request.GET.get(key, "") for key in PARAMETERS}
    return parse_territory(params), parse_period(params["period"], clock.today())


def _tables(network: Network, territory: Territory, period: Period) -> dict[str, Any]:
    stats = network_statistics(network, territory)
    # Only the places the network runs: a member place's activity is its own network's.
    own = places_of(network, territory).filter(network=network)
    running, app_tables = figures.network_figures(own, period)
    for table in app_tables:
        table.blank = _("secret")
    return {"stats": stats, "running": running, "app_tables": app_tables}


def _cell(value: Cell, blank: str) -> str:
    if value is None:
        return blank
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return formatting.number(value)
    return str(value)


def _chart(table: Table) -> str:
    series = table.series()
    if not table.chart or not series:
        return ""
    draw = charts.donut_chart if table.chart == "donut" else charts.bar_chart
    return draw(table.title, series)


def _shown(table: Table) -> dict[str, Any]:
    return {
        "table": table,
        "rows": [[_cell(cell, table.blank) for cell in row] for row in table.rows],
        "chart": _chart(table),
    }


def _bad(request: HttpRequest, network: Network, error: BadParameter) -> HttpResponse:
    """The page with the form as it was sent, the wrong field marked and its message."""
    sent = {key: request.GET.get(key, "")[:120] for key in PARAMETERS}
    code = sent["departement"].strip().upper()
    context = {
        "network": network,
        "error": error,
        "years": _years(),
        "values": sent,
        "vintage": communes.VINTAGE,
        "epcis": epci_choices(code) if error.name != "departement" else [],
    }
    return render(request, "observatory/statistics.html", context, status=BAD_PARAMETER_STATUS)


def _years() -> list[int]:
    this_year = clock.today().year
    return list(range(this_year, this_year - YEARS_OFFERED, -1))


@login_required
def statistics(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    try:
        territory, period = _params(request, network)
    except BadParameter as error:
        return _bad(request, network, error)
    data = _tables(network, territory, period)
    context = {
        "network": network,
        "territory": territory,
        "values": territory,
        "vintage": communes.VINTAGE,
        "epcis": epci_choices(territory.departement, territory.epci),
        "period": period,
        "years": _years(),
        "places": data["stats"].places,
        "running": data["running"],
        "tables": [_shown(t) for t in data["stats"].tables],
        "app_tables": [_shown(t) for t in data["app_tables"]],
        "query": request.GET.urlencode(),
    }
    return render(request, "observatory/statistics.html", context)


def _csv_text(value: Cell, blank: str) -> str:
    if value is None:
        return blank
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _period_text(period: Period) -> str:
    if period.year:
        return str(period.year)
    return f"{formatting.day(period.first)} – {formatting.day(period.last)}"


def table_csv(
    table: Table, territory: Territory | None = None, period: Period | None = None
) -> bytes:
    """`;`-separated, decimal comma, UTF-8 with a BOM: what a French spreadsheet opens. After
    the table and an empty line, what it covers ("Territoire;CA Le Grand Narbonne")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_csv_text(cell, table.blank) for cell in row] for row in table.rows)
    if territory is not None:
        writer.writerow([])
        writer.writerow([_("Territory"), _csv_text(territory.label(), "")])
    if period is not None:
        writer.writerow([_("Period"), _period_text(period)])
    return buffer.getvalue().encode("utf-8-sig")


@login_required
def statistics_csv(request: HttpRequest, network_slug: str, key: str) -> HttpResponse:
    network = _network(request, network_slug)
    try:
        territory, period = _params(request, network)
    except BadParameter as error:
        return HttpResponse(
            f"{error.name}: {error.message}",
            status=BAD_PARAMETER_STATUS,
            content_type="text/plain; charset=utf-8",
        )
    data = _tables(network, territory, period)
    found = [t for t in [*data["stats"].tables, *data["app_tables"]] if t.key == key]
    if not found:
        raise Http404
    body = table_csv(found[0], territory, period)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    filename = "-".join(p for p in (network.slug, key, territory.slug()) if p) + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
