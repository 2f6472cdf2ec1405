"""Whose surveys a back-office page shows: a place's (`/manage/<slug>/surveys/`, the team with
`Perm.MANAGE_SURVEYS`) or a network's (`/network/<network_slug>/surveys/`, its administrators).
The builder and results pages are written once for both; `Owner` gives them the survey list,
the URL namespace, the frame to extend and the arguments of their URLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.backoffice import capabilities
from tierslieux.places.models import Network, Place
from tierslieux.surveys.models import Survey

PLACE_NAMESPACE, NETWORK_NAMESPACE = "surveys_manage", "surveys_network"


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
        """The template the pages extend: the place's back office, or the site's page."""
        return "backoffice/base.html" if self.place is not None else "base.html"

    @property
    def slug(self) -> str:
        return (self.place or self.network).slug  # type: ignore[union-attr]

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=[self.slug, *args])

    def surveys(self) -> QuerySet[Survey]:
        if self.place is not None:
            return Survey.objects.filter(place=self.place)
        return Survey.objects.filter(network=self.network)

    def survey(self, survey_id: int) -> Survey:
        """One of the owner's surveys, or 404 (another owner's survey is not found here)."""
        return get_object_or_404(self.surveys().select_related("place", "network"), pk=survey_id)

    def context(self, request: HttpRequest) -> dict[str, Any]:
        """What the frame needs: `place` and `can` for the back office, `network` otherwise."""
        context: dict[str, Any] = {"owner": self, "network": self.network}
        if self.place is not None:
            context["place"] = self.place
            context["can"] = capabilities(request.user, self.place)
        return context


def resolve(request: HttpRequest, slug: str = "", network_slug: str = "") -> Owner:
    """The owner named by the URL, once the user may manage its surveys (else 403; unknown:
    404). Views are behind `login_required`."""
    if slug:
        place = get_object_or_404(Place, slug=slug)
        if not access.has_perm(request.user, place, Perm.MANAGE_SURVEYS):
            raise PermissionDenied
        return Owner(place, None)
    if network_slug:
        network = get_object_or_404(Network, slug=network_slug)
        if not access.is_network_admin(request.user, network):
            raise PermissionDenied
        return Owner(None, network)
    raise Http404
