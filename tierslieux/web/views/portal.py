"""Composition pages: the signed-in user's home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tierslieux.places import access
from tierslieux.places.models import PlaceRole


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The places the user manages, and the roles they hold elsewhere."""
    person = getattr(request.user, "person", None)
    roles = (
        PlaceRole.objects.filter(person=person).select_related("place").order_by("place__name")
        if person
        else PlaceRole.objects.none()
    )
    return render(
        request,
        "web/dashboard.html",
        {
            "managed": access.places_for(request.user).order_by("name"),
            "roles": roles,
            "networks": access.networks_seen(request.user),
        },
    )
