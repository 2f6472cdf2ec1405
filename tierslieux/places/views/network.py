"""The network's pages: the network's places, and opening a new one.

The list is read by the network's administrators and observers (an observer reaches each
place's figures only); opening a place is for administrators (and superusers). A coordinator
manages one place from its back office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tierslieux.core.forms import attach_error, form_status
from tierslieux.places import access, network_services
from tierslieux.places.forms_network import NewPlaceForm
from tierslieux.places.models import Network, Place
from tierslieux.places.queries import in_network


def _network(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


@login_required
def places(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_seen(request.user, network)
    rows = (
        Place.objects.filter(in_network(network))
        .select_related("network")
        .order_by("name")
        .prefetch_related("categories")
    )
    context = {
        "network": network,
        "places": rows,
        "administers": access.is_network_admin(request.user, network),
    }
    return render(request, "places/network/places.html", context)


@login_required
def new_place(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = NewPlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = _open(request, network, form)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("The place “%(name)s” is open: complete its technical sheet.")
                % {"name": place.name},
            )
            return redirect("places:manage_sheet", slug=place.slug)
    return render(
        request,
        "places/network/new_place.html",
        {"network": network, "form": form},
        status=form_status(form),
    )


def _open(request: HttpRequest, network: Network, form: NewPlaceForm) -> Place:
    """The place and its first coordinator, or nothing at all."""
    return network_services.open_place(
        actor=request.user,
        network=network,
        categories=form.category_codes(),
        coordinator=form.coordinator(),
        **form.place_fields(),
    )
