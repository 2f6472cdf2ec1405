"""The kit for pages written once for a place and for a network: a place's surveys or
scenarios (`/manage/<slug>/…`, its team with a permission) and a network's
(`/network/<network_slug>/…`, its administrators) share their views and templates. An app
says what differs in a subclass of `Owner`, then takes the rest from here:

    class Owner(owners.Owner[Scenario]):
        model, perm = Scenario, Perm.MANAGE_BILLING
        namespaces = ("economics_manage", "economics_network")
        frames = ("economics/frame_place.html", "economics/frame_network.html")

    owner_view = owners.owner_view(Owner)

    @owner_view
    def scenarios(request, owner): ...
        return owners.render(request, owner, "economics/list.html", {...}, form)

The owned model has a `place` and a `network` foreign key (exactly one set); `render` adds
the owner, its frame and, for a place, `can` (the back office's tabs), and answers 422 when
a submitted form holds errors, as `places.backoffice.render` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render as django_render
from django.urls import reverse

from tierslieux.core.forms import Form, form_status
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.backoffice import capabilities
from tierslieux.places.models import Network, Place

__all__ = ["Owner", "owner_view", "render"]

M = TypeVar("M", bound=models.Model)
OwnerT = TypeVar("OwnerT", bound="Owner[Any]")
View = Callable[..., HttpResponse]
MAX_PK = 2**63  # beyond a bigint: the database could not even compare such an id


@dataclass(frozen=True)
class Owner(Generic[M]):
    """A place or a network (exactly one), and what it owns of `model`. Subclasses set the
    class attributes: the model, the permission a place's team needs, the URL namespaces and
    the templates the pages extend (each a pair: for a place, for a network)."""

    place: Place | None
    network: Network | None

    model: ClassVar[type[models.Model]]
    perm: ClassVar[Perm]
    namespaces: ClassVar[tuple[str, str]]
    frames: ClassVar[tuple[str, str]]

    def __post_init__(self) -> None:
        if (self.place is None) == (self.network is None):
            raise ValueError("an owner is a place or a network, exactly one")

    @classmethod
    def resolve(cls, request: HttpRequest, slug: str = "", network_slug: str = "") -> Self:
        """The owner named by the URL, once the user holds `perm` on the place or administers
        the network (else 403; unknown: 404). Views are behind `login_required`."""
        if slug:
            place = get_object_or_404(Place, slug=slug)
            access.require(request.user, place, cls.perm)
            return cls(place, None)
        if network_slug:
            network = get_object_or_404(Network, slug=network_slug)
            access.require_network_admin(request.user, network)
            return cls(None, network)
        raise Http404

    @property
    def _which(self) -> int:
        return 0 if self.place is not None else 1

    @property
    def name(self) -> str:
        return (self.place or self.network).name  # type: ignore[union-attr]

    @property
    def slug(self) -> str:
        return (self.place or self.network).slug  # type: ignore[union-attr]

    @property
    def namespace(self) -> str:
        return self.namespaces[self._which]

    @property
    def frame(self) -> str:
        """The template the pages extend: the place's back office, or a network's page."""
        return self.frames[self._which]

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"{self.namespace}:{name}", args=[self.slug, *args])

    def owned(self) -> QuerySet[M]:
        """The owner's rows of `model`."""
        owner = {"place": self.place} if self.place is not None else {"network": self.network}
        return cast("QuerySet[M]", self.model._default_manager.filter(**owner))

    def one(self, pk: int) -> M:
        """One of the owner's rows, or 404: another owner's is not found here, nor an id
        beyond any key (which the database could not even compare)."""
        if not 0 < pk < MAX_PK:
            raise Http404
        return get_object_or_404(self.owned().select_related("place", "network"), pk=pk)

    def context(self, request: HttpRequest) -> dict[str, Any]:
        """What the frame needs: `place` and `can` for the back office, `network` otherwise."""
        context: dict[str, Any] = {"owner": self, "network": self.network}
        if self.place is not None:
            context["place"] = self.place
            context["can"] = capabilities(request.user, self.place)
        return context


def owner_view(kind: type[OwnerT]) -> Callable[[View], View]:
    """Login, then the owner from `slug` or `network_slug` (`kind.resolve`: 404, 403); the
    view receives the owner instead of the slugs."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(
            request: HttpRequest, slug: str = "", network_slug: str = "", **kwargs: Any
        ) -> HttpResponse:
            return view(request, kind.resolve(request, slug, network_slug), **kwargs)

        return wrapper

    return decorate


def render(
    request: HttpRequest,
    owner: Owner[Any],
    template: str,
    context: dict[str, Any],
    *forms: Form | None,
) -> HttpResponse:
    """A page in the owner's frame; 422 when one of `forms` was submitted with errors (nothing
    was written), else 200."""
    full = {**owner.context(request), "frame": owner.frame, **context}
    return django_render(request, template, full, status=form_status(*forms))
