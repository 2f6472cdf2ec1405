"""Who manages a survey: the place's team (`Perm.MANAGE_SURVEYS`, which a place may grant its
network), or a network's administrators for the network's own surveys."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.surveys.models import Survey


def can_manage(actor: Any, survey: Survey) -> bool:
    if survey.place_id is not None:
        return access.has_perm(actor, survey.place, Perm.MANAGE_SURVEYS)  # type: ignore[arg-type]
    return survey.network_id is not None and access.is_network_admin(actor, survey.network_id)


def require_manage(actor: Any, survey: Survey) -> None:
    if not can_manage(actor, survey):
        raise PermissionDenied
