"""The demo network's census: two declarations waiting in the moderation queue, one a new
place in project, the other a likely duplicate of La Quincaillerie (same commune, 40 m away)
so that the queue shows its duplicate search. Written as `Declaration` rows as the public
form leaves them; accepted or declined in a running demo, they stay so on the next load."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tierslieux.observatory import census
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Network

DECLARATIONS: list[dict[str, Any]] = [
    {
        "sheet": {
            "name": "Le Plateau partagé",
            "status": "project",
            "postcode": "23500",
            "commune": "Felletin",
            "country": "FR",
            "location_type": "rural",
            "legal_form": "association",
            "description": (
                "Un atelier partagé et un café associatif dans l’ancienne gare de Felletin, "
                "porté par des habitants et deux artisans de la laine ; ouverture prévue "
                "au printemps."
            ),
            "surface_m2": 180,
            "email": "bonjour@plateau-partage.example",
        },
        "categories": ["shared_workshop", "cultural_cafe"],
        "declarant_name": "Maëlle Rivière",
        "declarant_email": "maelle.riviere@plateau-partage.example",
        "declarant_role": "Porteuse du projet",
    },
    {
        "sheet": {
            "name": "Quincaillerie numérique",
            "status": "open",
            "address": "6 avenue de la Sénatorerie",
            "postcode": "23000",
            "commune": "Guéret",
            "country": "FR",
            "latitude": "46.171700",
            "longitude": "1.872100",
            "location_type": "city_centre",
            "legal_form": "association",
            "description": "Fablab et espace de travail partagé au centre de Guéret.",
            "website": "https://quincaillerie.example",
        },
        "categories": ["fablab", "coworking"],
        "declarant_name": "Jules Martin",
        "declarant_email": "jules.martin@example.org",
        "declarant_role": "Bénévole",
    },
]


def _decimal(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


def load_census(w: Any, network: Network) -> int:
    """The demo's declarations (by network and match key); their number."""
    for spec in DECLARATIONS:
        sheet = spec["sheet"]
        key = census.match_key(sheet["name"], sheet["postcode"])
        w.upsert(
            Declaration,
            {"network": network, "match_key": key},
            {
                "name": sheet["name"],
                "postcode": sheet["postcode"],
                "commune": sheet["commune"],
                "latitude": _decimal(sheet.get("latitude")),
                "longitude": _decimal(sheet.get("longitude")),
                "sheet": {**sheet, "categories": spec["categories"]},
                "declarant_name": spec["declarant_name"],
                "declarant_email": spec["declarant_email"],
                "declarant_role": spec["declarant_role"],
            },
        )
    return len(DECLARATIONS)
