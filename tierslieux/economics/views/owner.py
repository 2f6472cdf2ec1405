"""Whose scenarios a page shows: a place's (`/manage/<slug>/economics/`, its finances: the
team with `Perm.MANAGE_BILLING`, as `places.backoffice.place_view` checks it; a network's
administrators only while the place grants it) or a network's (`/network/<network_slug>/
economics/`, the projects its administrators model with towns and project holders). The
pages are written once for both, as the surveys' are, with `places.owners`."""

from __future__ import annotations

from django.db.models import QuerySet

from tierslieux.economics.models import Scenario
from tierslieux.places import owners
from tierslieux.places.access import Perm

__all__ = ["NETWORK_NAMESPACE", "PLACE_NAMESPACE", "Owner", "owner_view", "render", "resolve"]

PLACE_NAMESPACE, NETWORK_NAMESPACE = "economics_manage", "economics_network"


class Owner(owners.Owner[Scenario]):
    model, perm = Scenario, Perm.MANAGE_BILLING
    namespaces = (PLACE_NAMESPACE, NETWORK_NAMESPACE)
    frames = ("economics/frame_place.html", "economics/frame_network.html")

    def scenarios(self) -> QuerySet[Scenario]:
        return self.owned().select_related("handed_to")

    def scenario(self, pk: int) -> Scenario:
        """One of the owner's scenarios, or 404 (another owner's, or an absurd id)."""
        return self.one(pk)


resolve = Owner.resolve
owner_view = owners.owner_view(Owner)
render = owners.render
