"""The network's matrix and indicators as files: CSV (`;`-separated, decimal comma, UTF-8 with a
BOM, as the observatory's and billing's exports: what a French spreadsheet opens) and JSON
(the year, the framework's keys and titles, the method, per place slug). Same readers as the
pages; a year or quarter that makes no sense answers 400 naming the parameter."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from tierslieux.impact import matrix
from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.indicator_defs import Value
from tierslieux.impact.views import matrix_common as common
from tierslieux.places.models import Network

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
READ = ["GET", "HEAD"]


def _text(value: Any) -> str:
    """A cell: decimals with a comma, text a spreadsheet would run as a formula defused."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([_text(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _file(body: bytes, network: Network, name: str, kind: str) -> HttpResponse:
    content_type = "text/csv" if kind == "csv" else "application/json"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-{name}.{kind}"'
    return response


def _bad(choice: common.Choice) -> HttpResponse:
    return HttpResponse(
        f"year: {choice.error}", status=400, content_type="text/plain; charset=utf-8"
    )


def _json(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


# --- The matrix -----------------------------------------------------------------------------


def _read_matrix(request: HttpRequest, network_slug: str) -> tuple[Network, common.Choice]:
    network = common.network_read(request, network_slug)
    choice = common.chosen(request, network)
    return network, choice


@login_required
@require_http_methods(READ)
def matrix_csv(request: HttpRequest, network_slug: str) -> HttpResponse:
    network, choice = _read_matrix(request, network_slug)
    if choice.error:
        return _bad(choice)
    found = matrix.matrix(network, choice.year)
    labels = common.verdict_labels()
    titles = [title for _key, title in found.impacts]
    rows: list[list[Any]] = [
        [_("Place"), _("Identifier"), *titles, *(labels[v] for v in shapes.VERDICTS)]
    ]
    for row in found.rows:
        verdicts = [labels[row.cells[key]] for key, _t in found.impacts]
        rows.append([row.name, row.slug, *verdicts, *(row.counts[v] for v in shapes.VERDICTS)])
    rows.append([])
    for verdict in shapes.VERDICTS:
        counts = [found.counts[key][verdict] for key, _t in found.impacts]
        rows.append([_("Places: %(verdict)s") % {"verdict": labels[verdict]}, "", *counts])
    rows += [
        [],
        [_("Year"), choice.year],
        [pgettext("impact assessment", "Method"), common.matrix_method()],
    ]
    return _file(_csv(rows), network, f"impact-matrix-{choice.year}", "csv")


@login_required
@require_http_methods(READ)
def matrix_json(request: HttpRequest, network_slug: str) -> HttpResponse:
    network, choice = _read_matrix(request, network_slug)
    if choice.error:
        return _bad(choice)
    found = matrix.matrix(network, choice.year)
    data = {
        "network": network.slug,
        "year": choice.year,
        "method": common.matrix_method(),
        "verdicts": common.verdict_labels(),
        "impacts": [{"key": key, "title": title} for key, title in found.impacts],
        "counts": found.counts,
        "places": {
            row.slug: {
                "name": row.name,
                "confirmed": row.confirmed,
                "verdicts": row.cells,
                "axes": {key: list(axes) for key, axes in row.axes.items()},
                "counts": row.counts,
            }
            for row in found.rows
        },
    }
    return _file(_json(data), network, f"impact-matrix-{choice.year}", "json")


# --- The indicators -------------------------------------------------------------------------


def _flat(amount: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A composite amount as (part, number) pairs: "services / share"."""
    if not isinstance(amount, Mapping):
        return [(prefix, amount)]
    found: list[tuple[str, Any]] = []
    for key, value in amount.items():
        found += _flat(value, f"{prefix} / {key}" if prefix else str(key))
    return found


def _value_json(value: Value, source: str) -> dict[str, Any]:
    return {
        "amount": value.amount,
        "basis": value.basis,
        "reason": str(value.reason) if value.amount is None else "",
        "source": source,
    }


@login_required
@require_http_methods(READ)
def indicators_csv(request: HttpRequest, network_slug: str) -> HttpResponse:
    """One line per place, indicator and part: long, so a spreadsheet's pivot table reads it;
    the network's figures after an empty line."""
    network = common.network_read(request, network_slug)
    choice = common.chosen(request, network, quarters=True)
    if choice.error:
        return _bad(choice)
    table = matrix.network_indicators(network, choice.period)
    sources = common.source_labels()
    rows: list[list[Any]] = [
        [
            _("Place"),
            _("Identifier"),
            _("Indicator"),
            _("Key"),
            _("Part"),
            _("Unit"),
            _("Value"),
            _("Basis"),
            _("Source"),
            _("Not recorded because"),
        ]
    ]
    for row in table.rows:
        for i in table.indicators:
            cell = row.cells[i.key]
            head = [row.name, row.slug, str(i.label), i.key]
            tail = [sources[cell.source], ""]
            if cell.value.amount is None:
                rows.append(
                    [*head, "", i.unit, None, None, sources[cell.source], cell.value.reason]
                )
                continue
            for part, amount in _flat(cell.value.amount):
                rows.append([*head, part, i.unit, amount, cell.value.basis, *tail])
    aggregates = common.aggregate_labels()
    rows += [[], [_("Indicator"), _("Key"), _("Unit"), _("Network"), _("How"), _("Places")]]
    for i in table.indicators:
        total = table.totals[i.key]
        how = aggregates[total.aggregate]
        rows.append([str(i.label), i.key, i.unit, total.amount, how, total.places])
    rows += [
        [],
        [_("Period"), choice.period.code()],
        [pgettext("impact assessment", "Method"), common.indicators_method()],
    ]
    return _file(_csv(rows), network, f"impact-indicators-{choice.period.code()}", "csv")


@login_required
@require_http_methods(READ)
def indicators_json(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = common.network_read(request, network_slug)
    choice = common.chosen(request, network, quarters=True)
    if choice.error:
        return _bad(choice)
    table = matrix.network_indicators(network, choice.period)
    data = {
        "network": network.slug,
        "year": choice.year,
        "quarter": choice.quarter,
        "period": choice.period.code(),
        "method": common.indicators_method(),
        "indicators": [
            {
                "key": i.key,
                "label": str(i.label),
                "unit": i.unit,
                "definition": str(i.definition),
                "sources": list(i.sources),
                "limits": str(i.limits),
                "aggregate": shapes.aggregate_of(i.unit),
            }
            for i in table.indicators
        ],
        "totals": {
            key: {"aggregate": t.aggregate, "amount": t.amount, "places": t.places}
            for key, t in table.totals.items()
        },
        "places": {
            row.slug: {
                "name": row.name,
                "confirmed": row.confirmed,
                "values": {k: _value_json(c.value, c.source) for k, c in row.cells.items()},
            }
            for row in table.rows
        },
    }
    return _file(_json(data), network, f"impact-indicators-{choice.period.code()}", "json")
