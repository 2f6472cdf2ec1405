"""The network's observers (managed by its administrators) and a place's consent that its
network reads its management data (decided by the place's coordinator only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tierslieux.core.forms import attach_error, form_status
from tierslieux.places import access, network_services
from tierslieux.places.backoffice import Perm, place_view
from tierslieux.places.backoffice import render as backoffice_render
from tierslieux.places.forms_network import ObserverForm
from tierslieux.places.models import Network, NetworkGrant, NetworkRole, Place


def _administered(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def observers(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _administered(request, network_slug)
    form = ObserverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = network_services.add_observer(
                actor=request.user, network=network, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error, {"names_needed": "first_name"})
        else:
            messages.success(
                request,
                _("%(name)s now reads the network’s figures.") % {"name": role.person},
            )
            return redirect("places:network_observers", network_slug=network.slug)
    rows = network.roles.select_related("person").order_by("role", "person__last_name")
    return render(
        request,
        "places/network/observers.html",
        {"network": network, "roles": rows, "form": form},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove_observer(request: HttpRequest, network_slug: str, role_id: int) -> HttpResponse:
    """GET asks first; POST removes."""
    network = _administered(request, network_slug)
    role = get_object_or_404(
        NetworkRole.objects.select_related("person", "network"),
        pk=role_id,
        network=network,
        role=NetworkRole.Role.OBSERVER,
    )
    if request.method == "POST":
        network_services.remove_observer(actor=request.user, role=role)
        messages.success(
            request, _("%(name)s no longer reads the network’s figures.") % {"name": role.person}
        )
        return redirect("places:network_observers", network_slug=network.slug)
    return render(
        request, "places/network/observer_remove.html", {"network": network, "role": role}
    )


@place_view(Perm.VIEW_BACKOFFICE)
@require_http_methods(["GET", "HEAD"])
def network_access(request: HttpRequest, place: Place) -> HttpResponse:
    """What the network may read of the place; the coordinator changes it."""
    grant = (
        NetworkGrant.objects.filter(place=place, network_id=place.network_id)
        .select_related("granted_by")
        .first()
    )
    context = {
        "place": place,
        "grant": grant,
        "may_decide": access.is_coordinator(request.user, place),
    }
    return backoffice_render(request, "places/manage/network_access.html", context)


@place_view(Perm.VIEW_BACKOFFICE)
@require_POST
def change_network_access(request: HttpRequest, place: Place) -> HttpResponse:
    """POST `grant=1` to let the network's administrators read the management data, else
    withdraw it. Only the coordinator: anyone else gets 403 and nothing changes."""
    if request.POST.get("grant") == "1":
        network_services.grant_network(actor=request.user, place=place)
        messages.success(request, _("The network’s administrators may now read your data."))
    else:
        network_services.revoke_network(actor=request.user, place=place)
        messages.success(request, _("The network sees your aggregated figures only."))
    return redirect("places:manage_network_access", slug=place.slug)
