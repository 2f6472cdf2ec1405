"""A network administrator's editor of the network's framework
(`/network/<network_slug>/impact/framework/`): the texts of impacts, axes, commitments and
levels, a new axis, and a reset to the default (asked first). The first edit copies the
default; its places then use the copy."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import form_status, submit
from tierslieux.impact import forms, services
from tierslieux.places import access
from tierslieux.places.models import Network


def _administered(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


def _back(network: Network) -> HttpResponse:
    return redirect("impact_network:framework", network_slug=network.slug)


@login_required
@require_http_methods(["GET", "HEAD"])
def framework(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _administered(request, network_slug)
    tree = services.framework_tree(services.framework_of_network(network))
    return render(request, "impact/network/framework.html", {"network": network, **tree})


def _edit_page(request: HttpRequest, network: Network, form: Any, heading: str) -> HttpResponse:
    context = {"network": network, "form": form, "heading": heading}
    return render(request, "impact/network/edit.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def impact_edit(request: HttpRequest, network_slug: str, impact_key: str) -> HttpResponse:
    key = impact_key
    network = _administered(request, network_slug)
    impact = services.framework_of_network(network).impacts.filter(key=key).first()
    if impact is None:
        raise Http404
    form = forms.ImpactEditForm(
        request.POST or None, initial={"title": impact.title, "conditions": impact.conditions}
    )
    if submit(
        request,
        form,
        lambda c: services.edit_impact(request.user, network, key, c["title"], c["conditions"]),
    ):
        messages.success(request, _("The impact is saved."))
        return _back(network)
    return _edit_page(request, network, form, impact.title)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def axis_edit(
    request: HttpRequest, network_slug: str, impact_key: str, axis_key: str | None = None
) -> HttpResponse:
    """Change an axis of the impact, or add one (no `axis_key`)."""
    key, axis = impact_key, axis_key
    network = _administered(request, network_slug)
    impact = services.framework_of_network(network).impacts.filter(key=key).first()
    found = impact.axes.filter(key=axis).first() if impact and axis else None
    if impact is None or (axis and found is None):
        raise Http404
    initial = {"title": found.title, "example": found.example} if found else {}
    form = forms.AxisForm(request.POST or None, initial=initial)

    def write(c: dict[str, Any]) -> object:
        if axis:
            return services.edit_axis(request.user, network, key, axis, c["title"], c["example"])
        return services.add_axis(request.user, network, key, c["title"], c["example"])

    if submit(request, form, write):
        messages.success(request, _("The axis is saved."))
        return _back(network)
    heading = found.title if found else _("A new axis: %(impact)s") % {"impact": impact.title}
    return _edit_page(request, network, form, heading)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def commitment_edit(request: HttpRequest, network_slug: str, commitment_key: str) -> HttpResponse:
    key = commitment_key
    network = _administered(request, network_slug)
    commitment = services.framework_of_network(network).commitments.filter(key=key).first()
    if commitment is None:
        raise Http404
    initial = {"title": commitment.title, "description": commitment.description}
    initial |= {f"level_{lv.level}": lv.text for lv in commitment.levels.all()}
    form = forms.CommitmentEditForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda c: services.edit_commitment(
            request.user, network, key, c["title"], c["description"], form.levels()
        ),
    ):
        messages.success(request, _("The commitment is saved."))
        return _back(network)
    return _edit_page(request, network, form, commitment.title)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reset(request: HttpRequest, network_slug: str) -> HttpResponse:
    """GET asks first; POST drops the network's copy (its places use the default again)."""
    network = _administered(request, network_slug)
    if request.method == "POST":
        services.reset_framework(request.user, network)
        messages.success(request, _("The network uses the default framework again."))
        return _back(network)
    return render(request, "impact/network/reset.html", {"network": network})
