"""Whose surveys a back-office page shows: a place's (`/manage/<slug>/surveys/`, the team with
`Perm.MANAGE_SURVEYS`) or a network's (`/network/<network_slug>/surveys/`, its administrators).
The builder and results pages are written once for both (`places.owners`); `Owner` gives them
the survey list, the URL namespace, the frame to extend and the arguments of their URLs."""

from __future__ import annotations

from django.db.models import QuerySet

from tierslieux.places import owners
from tierslieux.places.access import Perm
from tierslieux.surveys.models import Survey

__all__ = ["NETWORK_NAMESPACE", "PLACE_NAMESPACE", "Owner", "owner_view", "resolve"]

PLACE_NAMESPACE, NETWORK_NAMESPACE = "surveys_manage", "surveys_network"


class Owner(owners.Owner[Survey]):
    model, perm = Survey, Perm.MANAGE_SURVEYS
    namespaces = (PLACE_NAMESPACE, NETWORK_NAMESPACE)
    frames = ("backoffice/base.html", "base.html")  # results and paper entry extend these

    def surveys(self) -> QuerySet[Survey]:
        return self.owned()

    def survey(self, survey_id: int) -> Survey:
        """One of the owner's surveys, or 404 (another owner's, or an absurd id)."""
        return self.one(survey_id)


resolve = Owner.resolve
owner_view = owners.owner_view(Owner)
