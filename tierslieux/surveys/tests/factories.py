"""Surveys for tests: a small mobility-like questionnaire, published, owned by a place or a
network."""

from __future__ import annotations

from typing import Any

from tierslieux.accounts.models import User
from tierslieux.places.models import Network, Place
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services
from tierslieux.surveys.models import Survey

DEFINITION: dict[str, Any] = {
    "sections": [
        {
            "key": "trip",
            "title": "Votre trajet",
            "questions": [
                {
                    "key": "mode",
                    "kind": "single",
                    "label": "Comment venez-vous le plus souvent ?",
                    "required": True,
                    "other": True,
                    "choices": [
                        {"key": "car", "label": "Voiture"},
                        {"key": "bike", "label": "Vélo"},
                        {"key": "foot", "label": "À pied"},
                    ],
                },
                {
                    "key": "km",
                    "kind": "number",
                    "label": "Distance aller (km)",
                    "minimum": 0,
                    "maximum": 200,
                    "condition": {"question": "mode", "any_of": ["car"]},
                },
                {
                    "key": "happy",
                    "kind": "scale",
                    "label": "Êtes-vous satisfait du lieu ?",
                    "minimum": 1,
                    "maximum": 5,
                },
                {
                    "key": "words",
                    "kind": "text",
                    "label": "Un mot pour l’équipe ?",
                    "multiline": True,
                },
            ],
        }
    ]
}


def manager(owner: Place | Network) -> User:
    """Someone who may manage the owner's surveys."""
    if isinstance(owner, Place):
        return pf.coordinator(owner)
    return pf.network_admin(owner)


def survey(
    owner: Place | Network,
    *,
    definition: dict[str, Any] | None = None,
    publish: bool = True,
    actor: User | None = None,
    **fields: Any,
) -> Survey:
    actor = actor or manager(owner)
    owned = {"place": owner} if isinstance(owner, Place) else {"network": owner}
    created = services.create_survey(
        actor=actor,
        title=fields.pop("title", "Venir au lieu"),
        definition=DEFINITION if definition is None else definition,
        **owned,
        **fields,
    )
    if publish:
        created = services.publish(actor=actor, survey=created)
    return created
