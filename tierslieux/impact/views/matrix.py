"""The network's impact pages (`/network/<network_slug>/impact/`): the matrix place × impact of
the confirmed assessments with its counts, one place's confirmed assessment, one impact's
places by verdict, and the network's indicators table. Read by the network's administrators
and observers; nothing here shows a record behind a figure (no booking, no person, no
testimony that is not publishable)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from tierslieux.impact import matrix
from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.indicator_defs import FAMILIES, INDICATORS, Value
from tierslieux.impact.views import matrix_common as common

FAMILY_LABELS = {
    "visits": gettext_lazy("Visits"),
    "members": gettext_lazy("Members"),
    "events": gettext_lazy("Events"),
    "audiences": gettext_lazy("Audiences"),
    "access": gettext_lazy("Free and solidarity access"),
    "occupancy": gettext_lazy("Occupancy"),
    "learning": gettext_lazy("Learning"),
    "jobs": gettext_lazy("Jobs"),
    "revenue": gettext_lazy("Revenue"),
    "surveys": gettext_lazy("Surveys"),
    "links": gettext_lazy("Links between organisations"),
}
READ = ["GET", "HEAD"]


def _matrix_rows(found: shapes.Matrix, labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "row": row,
            "cells": [(key, row.cells[key], labels[row.cells[key]]) for key, _t in found.impacts],
            "counts": [row.counts[v] for v in shapes.VERDICTS],
        }
        for row in found.rows
    ]


@login_required
@require_http_methods(READ)
def matrix_page(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The matrix for a year (the latest assessed by default), with its counts."""
    network = common.network_read(request, network_slug)
    choice = common.chosen(request, network)
    found = matrix.matrix(network, choice.year)
    labels = common.verdict_labels()
    context = {
        "network": network,
        "choice": choice,
        "method": common.matrix_method(),
        "matrix": found,
        "rows": _matrix_rows(found, labels),
        "verdicts": [(v, labels[v]) for v in shapes.VERDICTS],
        "counts": [
            (labels[v], [found.counts[key][v] for key, _t in found.impacts], found.totals[v])
            for v in shapes.VERDICTS
        ],
        "impacts": [
            (key, title, [(labels[v], found.counts[key][v]) for v in shapes.VERDICTS])
            for key, title in found.impacts
        ],
    }
    return render(request, "impact/network/matrix.html", context)


def public_report_url(slug: str, year: int) -> str:
    """The place's public report."""
    return reverse("impact:report", kwargs={"slug": slug, "year": year})


@login_required
@require_http_methods(READ)
def matrix_place(
    request: HttpRequest, network_slug: str, place_slug: str, year: int
) -> HttpResponse:
    """The network's read of one place's confirmed assessment (404 without one)."""
    network = common.network_read(request, network_slug)
    found = matrix.assessment_of(network, place_slug, year) if matrix.valid_year(year) else None
    if found is None:
        raise Http404
    labels = common.verdict_labels()
    parts = matrix.part_labels()
    assessment = found["assessment"]
    context = {
        "network": network,
        "year": year,
        **found,
        "verdicts": labels,
        "counts": [(labels[v], found["counts"][v]) for v in shapes.VERDICTS],
        "entries": [
            {
                "entry": entry,
                "label": labels[entry.verdict],
                "figures": [
                    (f.indicator, common.show(f.value, f.indicator.unit, parts))
                    for f in entry.figures
                ],
            }
            for entry in found["entries"]
        ],
        "figures": [
            (f.indicator, common.show(f.value, f.indicator.unit, parts), f.value)
            for f in found["figures"]
        ],
        "report_url": public_report_url(found["place"].slug, year) if assessment.public else "",
    }
    return render(request, "impact/network/matrix_place.html", context)


@login_required
@require_http_methods(READ)
def matrix_impact(
    request: HttpRequest, network_slug: str, impact_key: str, year: int
) -> HttpResponse:
    """One impact's places, by verdict, with the axes each showed."""
    network = common.network_read(request, network_slug)
    frame = matrix.frame(network)
    impact = frame.impact(impact_key)
    if impact is None or not matrix.valid_year(year):
        raise Http404
    found = matrix.matrix(network, year, frame)
    labels = common.verdict_labels()
    groups = [
        (
            verdict,
            labels[verdict],
            [(row, frame.axis_titles(impact_key, row.axes.get(impact_key, ()))) for row in rows],
        )
        for verdict, rows in found.places_by_verdict(impact_key).items()
    ]
    context = {"network": network, "year": year, "impact": impact, "groups": groups}
    return render(request, "impact/network/matrix_impact.html", context)


def _total(total: shapes.Total, unit: str, parts: dict[str, str]) -> tuple[str, str]:
    """The network's figure and how it is made ("median of the places, 3 places")."""
    if total.aggregate is None:
        return _("not added up"), ""
    if total.amount is None:
        return _("not recorded"), ""
    how = common.aggregate_labels()[total.aggregate]
    note = ngettext("%(how)s, %(n)s place", "%(how)s, %(n)s places", total.places) % {
        "how": how,
        "n": total.places,
    }
    return common.show(Value(total.amount), unit, parts), note


@login_required
@require_http_methods(READ)
def indicators_page(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The places × the indicators of one family, each figure with its source, the network's
    sum or median below, the definitions and limits after."""
    network = common.network_read(request, network_slug)
    choice = common.chosen(request, network, quarters=True)
    family = request.GET.get("family", "")
    family_error = ""
    if family not in FAMILIES:
        family_error = _("Unknown family of indicators: here are the visits.") if family else ""
        family = FAMILIES[0]
    table = matrix.network_indicators(network, choice.period)
    shown = [i for i in INDICATORS if i.family == family]
    parts = matrix.part_labels()
    sources = common.source_labels()
    rows = [
        {
            "row": row,
            "cells": [
                (
                    common.show(row.cells[i.key].value, i.unit, parts),
                    row.cells[i.key].source,
                    sources[row.cells[i.key].source],
                    row.cells[i.key].value,
                )
                for i in shown
            ],
        }
        for row in table.rows
    ]
    totals = [_total(table.totals[i.key], i.unit, parts) for i in shown]
    context = {
        "network": network,
        "choice": choice,
        "errors": [e for e in (choice.error, family_error) if e],
        "method": common.indicators_method(),
        "family": family,
        "families": [(f, FAMILY_LABELS.get(f, f)) for f in FAMILIES],
        "indicators": shown,
        "rows": rows,
        "totals": totals,
        "sources": table.sources,
        "query": f"year={choice.year}" + (f"&quarter={choice.quarter}" if choice.quarter else ""),
    }
    return render(request, "impact/network/matrix_indicators.html", context)
