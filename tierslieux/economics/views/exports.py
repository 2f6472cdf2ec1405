"""A scenario's workbook (XLSX) and its PDF summary, for the same readers as its page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.text import slugify

from tierslieux.economics import exports
from tierslieux.economics import scenario as sc
from tierslieux.economics.views.owner import Owner, owner_view
from tierslieux.economics.views.scenarios import report_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(name: str, ext: str) -> str:
    return f"{slugify(name)[:60] or 'scenario'}.{ext}"


@owner_view
def xlsx(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    try:
        body = exports.workbook(report_of(scenario), scenario.name)
    except sc.ScenarioError:
        return redirect(owner.url("advanced", scenario.pk))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(scenario.name, "xlsx")}"'
    return response


@owner_view
def pdf(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    try:
        body = exports.pdf(report_of(scenario), {"scenario": scenario, "owner": owner})
    except sc.ScenarioError:
        return redirect(owner.url("advanced", scenario.pk))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(scenario.name, "pdf")}"'
    return response
