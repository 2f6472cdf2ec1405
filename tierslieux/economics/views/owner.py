"""Whose scenarios a page shows: a place's (`/manage/<slug>/economics/`, its finances: the
team with `Perm.MANAGE_BILLING`, as `places.backoffice.place_view` checks it; a network's
administrators only while the place grants it) or a network's (`/network/<network_slug>/
economics/`, the projects its administrators model with towns and project holders). The
pages are written once for both, as the surveys' are (`surveys.views.owner`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render as django_render
from django.urls import reverse

from tierslieux.core.forms import Form, form_status
from tierslieux.economics.models import Scenario
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.backoffice import capabilities
from tierslieux.places.models import Network, Place

PLACE_NAMESPACE, NETWORK_NAMESPACE = "economics_manage", "economics_network"


@dataclass(frozen=True)
class Owner:
    place: Place | None
    network: Network | None

    @property
    def name(self) -> str:
        return (self.place or self.network).name  # type: ignore[union-attr]

    @property
    def namespace(self) -> str:
        return PLACE_NAMESPACE if self.place is not None else NETWORK_NAMESPACE

    @property
    def frame(self) -> str:
        if self.place is not None:
            return "economics/frame_place.html"
        return "economics/frame_network.html"

    @property
    def slug(self) -> str:
        return (self.place or self.network).slug  # type: ignore[union-attr]

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=[self.slug, *args])

    def scenarios(self) -> QuerySet[Scenario]:
        if self.place is not None:
            return Scenario.objects.filter(place=self.place)
        return Scenario.objects.filter(network=self.network)

    def scenario(self, pk: int) -> Scenario:
        """One of the owner's scenarios, or 404 (another owner's is not found here; an id
        beyond any key, which the database could not even compare, neither)."""
        if not 0 < pk < 2**63:
            raise Http404
        return get_object_or_404(self.scenarios().select_related("place", "network"), pk=pk)


def resolve(request: HttpRequest, slug: str = "", network_slug: str = "") -> Owner:
    """The owner named by the URL once the user may read its scenarios (else 403; unknown
    place or network: 404)."""
    if slug:
        place = get_object_or_404(Place, slug=slug)
        access.require(request.user, place, Perm.MANAGE_BILLING)
        return Owner(place, None)
    if network_slug:
        network = get_object_or_404(Network, slug=network_slug)
        if not access.is_network_admin(request.user, network):
            raise PermissionDenied
        return Owner(None, network)
    raise Http404


def owner_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login, then the owner from `slug` or `network_slug`; the view receives the owner."""

    @login_required
    @wraps(view)
    def wrapper(
        request: HttpRequest, slug: str = "", network_slug: str = "", **kwargs: Any
    ) -> HttpResponse:
        return view(request, resolve(request, slug, network_slug), **kwargs)

    return wrapper


def render(
    request: HttpRequest, owner: Owner, template: str, context: dict[str, Any], *forms: Form | None
) -> HttpResponse:
    """A page in the owner's frame; 422 when one of `forms` was submitted with errors."""
    context = {"owner": owner, "network": owner.network, "frame": owner.frame, **context}
    if owner.place is not None:
        context["place"] = owner.place
        context["can"] = capabilities(request.user, owner.place)
    return django_render(request, template, context, status=form_status(*forms))
