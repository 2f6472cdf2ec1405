"""Calling the API as a persona: a bearer token, JSON bodies."""

from typing import Any

from django.test import Client

from tierslieux.accounts.services import create_api_token

API = "/api/v1"
VALID_SIRET = "73282932000074"  # passes the Luhn check


def bearer(user: Any) -> dict[str, str]:
    _, raw = create_api_token(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def patch(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.patch(url, data, content_type="application/json", headers=headers)


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, data, content_type="application/json", headers=headers)


def new_place_body(network_slug: str, **fields: Any) -> dict[str, Any]:
    return {
        "network": network_slug,
        "name": "La Fabrique",
        "status": "open",
        "postcode": "34000",
        "commune": "Montpellier",
        "location_type": "city_centre",
        "legal_form": "scic",
        "categories": ["fablab", "coworking"],
        **fields,
    }
