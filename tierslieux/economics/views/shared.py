"""A scenario read through its read-only link (`services.share`): the town or the funder the
team sent it to reads the verdict, the figures and the charts, and downloads the summary, with
no account. The key is the only credential: an unknown or withdrawn one is 404, the page is
kept out of search engines and never tells the key to another site."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tierslieux.economics import exports, services
from tierslieux.economics import scenario as sc
from tierslieux.economics.models import Scenario
from tierslieux.economics.report import Report
from tierslieux.economics.views.owner import Owner, owner_view
from tierslieux.economics.views.scenarios import report_of

KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _shared(key: str) -> tuple[Scenario, Report, Owner]:
    """The scenario behind a live key, its figures and owner; else 404 (as while its team
    corrects a scenario that no longer reads: nothing to read meanwhile)."""
    if not KEY.fullmatch(key):  # a made key's alphabet only: "%00" never reaches the database
        raise Http404
    try:
        scenario = Scenario.objects.select_related("place", "network").get(share_key=key)
        report = report_of(scenario)
    except (Scenario.DoesNotExist, sc.ScenarioError):
        raise Http404 from None
    return scenario, report, Owner(scenario.place, scenario.network)


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def read(request: HttpRequest, share_key: str) -> HttpResponse:
    scenario, report, owner = _shared(share_key)
    context = {"scenario": scenario, "owner": owner, "report": report, "key": share_key}
    return _private(render(request, "economics/shared.html", context))


def summary(request: HttpRequest, share_key: str) -> HttpResponse:
    scenario, report, owner = _shared(share_key)
    body = exports.pdf(report, {"scenario": scenario, "owner": owner})
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="scenario.pdf"'
    return _private(response)


@owner_view
@require_POST
def share(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    if request.POST.get("action") == "withdraw":
        services.unshare(actor=request.user, scenario=scenario)
    else:
        services.share(actor=request.user, scenario=scenario)
    return redirect(owner.url("detail", scenario.pk) + "#share")
