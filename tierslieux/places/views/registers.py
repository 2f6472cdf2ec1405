"""A place's identifiers in other registers (its sheet), and the places a network counts
beyond its own (a regional network lists the metropolitan network's places)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import attach_error, form_status
from tierslieux.places import access, membership_services
from tierslieux.places.backoffice import Perm, place_view
from tierslieux.places.backoffice import render as backoffice_render
from tierslieux.places.forms_registers import PlaceSearchForm, RegistersForm
from tierslieux.places.models import ExternalId, Network, NetworkMembership, Place
from tierslieux.places.queries import in_network, matching

SEARCH_LIMIT = 30


@place_view(Perm.EDIT_SHEET)
def place_registers(request: HttpRequest, place: Place) -> HttpResponse:
    ids = {e.scheme: e.value for e in ExternalId.objects.filter(place=place)}
    form = RegistersForm(request.POST or None, place_ids=ids)
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.set_external_ids(
                actor=request.user, place=place, values=form.values()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The identifiers are saved."))
            return redirect("places:manage_registers", slug=place.slug)
    others = [
        e
        for e in ExternalId.objects.filter(place=place)
        if e.scheme not in (ExternalId.BDTFL, ExternalId.MOVILAB)
    ]
    memberships = NetworkMembership.objects.filter(place=place).select_related("network")
    context = {"place": place, "form": form, "others": others, "memberships": memberships}
    return backoffice_render(request, "places/manage/registers.html", context, form)


def _administered(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_place(request: HttpRequest, network_slug: str) -> HttpResponse:
    """GET searches the places outside the network; POST adds the one chosen."""
    network = _administered(request, network_slug)
    if request.method == "POST":
        chosen = request.POST.get("place", "").strip()
        place = get_object_or_404(Place, pk=int(chosen) if chosen.isdecimal() else 0)
        membership_services.add_to_network(actor=request.user, network=network, place=place)
        messages.success(
            request,
            _("“%(place)s” is now counted by the network.") % {"place": place.name},
        )
        return redirect("places:network_places", network_slug=network.slug)
    form = PlaceSearchForm(request.GET or None)
    found: list[Place] = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        outside = Place.objects.exclude(in_network(network)).select_related("network")
        found = list(matching(outside, form.cleaned_data["q"]).order_by("name")[:SEARCH_LIMIT])
    return render(
        request,
        "places/network/add_place.html",
        {"network": network, "form": form, "found": found, "limit": SEARCH_LIMIT},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove_place(request: HttpRequest, network_slug: str, slug: str) -> HttpResponse:
    """GET asks first; POST stops counting a member place (never the network's own)."""
    network = _administered(request, network_slug)
    membership = get_object_or_404(
        NetworkMembership.objects.select_related("place"), network=network, place__slug=slug
    )
    if membership.place.network_id == network.pk:
        return render(
            request,
            "places/network/remove_place.html",
            {"network": network, "place": membership.place, "home": True},
            status=409,
        )
    if request.method == "POST":
        try:
            membership_services.remove_from_network(
                actor=request.user, network=network, place=membership.place
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("“%(place)s” is no longer counted by the network.")
                % {"place": membership.place.name},
            )
        return redirect("places:network_places", network_slug=network.slug)
    return render(
        request,
        "places/network/remove_place.html",
        {"network": network, "place": membership.place, "home": False},
    )
