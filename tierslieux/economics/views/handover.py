"""A network's project handed over to the place it became (`services.hand_over`): the
network's administrator picks the place; its team finds the plan among its scenarios."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import submit
from tierslieux.economics import services
from tierslieux.economics.forms import HandOverForm
from tierslieux.economics.models import Scenario
from tierslieux.economics.views.owner import Owner, owner_view, render


@owner_view
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    if owner.network is None:
        raise Http404
    scenario = owner.scenario(scenario_id)
    form = HandOverForm(owner.network, request.POST or None)
    made: list[Scenario] = []

    def write(data: dict) -> None:
        made.append(services.hand_over(actor=request.user, scenario=scenario, place=data["place"]))

    if submit(request, form, write, {"place": "place"}):
        copy_ = made[0]
        return redirect("economics_manage:detail", copy_.place.slug, copy_.pk)  # type: ignore[union-attr]
    context = {"scenario": scenario, "form": form}
    return render(request, owner, "economics/hand_over.html", context, form)
