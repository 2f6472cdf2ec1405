"""What the organisation-booking API tests share: "La Halle" at a pinned now, its Jaurès room,
and the requests (a logged-in client, a JSON post, a booking's body on `DAY`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import Space

API = "/api/v1/bookings"
DAY = "2027-03-02"  # a Tuesday, no holiday, within the horizon


@pytest.fixture(autouse=True)
def pinned(clock: Any) -> Any:
    clock.set(at("2026-12-01", 8))
    return clock


@pytest.fixture
def place():
    return bf.open_place(name="La Halle")


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaurès", slug="jaures", capacity=6)
    bf.rules(space, cancellation_deadline_hours=24)
    mf.room_rate(space, "non_member", "hour", "40.00")
    return space


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def body(space: Space, start: int = 10, end: int = 12, **fields: Any) -> dict[str, Any]:
    return {
        "place": space.place.slug,
        "space": space.slug,
        "start": f"{DAY}T{start:02}:00:00+01:00",
        "end": f"{DAY}T{end:02}:00:00+01:00",
        **fields,
    }
