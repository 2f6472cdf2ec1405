"""Walk every back-office URL and every API route as people with no business there.

The URLs are discovered from the URL resolver and from the OpenAPI document, so a route added
later is walked too; an unknown path parameter fails the test until this file learns it.
"""

from __future__ import annotations

import json
import re
from datetime import date, time

import pytest
from django.core import serializers
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tierslieux.accounts.models import ApiToken, Organisation, Person, User
from tierslieux.accounts.services import create_api_token
from tierslieux.api import api
from tierslieux.places.models import (
    Equipment,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)
from tierslieux.places.tests import factories as f

GUARDED = [
    Place,
    Space,
    Equipment,
    OpeningHours,
    OpeningException,
    TeamMember,
    PlaceRole,
    Person,
    Organisation,
]

# What a malicious form would send: valid enough to pass validation if access let it through.
POST_PAYLOAD = {
    "name": "Piraté",
    "slug": "pirate",
    "status": "open",
    "postcode": "75001",
    "commune": "Paris",
    "country": "FR",
    "location_type": "rural",
    "timezone": "Europe/Paris",
    "legal_form": "other",
    "surface_m2": "1",
    "kind": "other",
    "capacity": "1",
    "units": "1",
    "first_name": "Pi",
    "last_name": "Rate",
    "role": "coordinator",
    "form": "hours",
    "day_0": "00:00-23:00",
    "team-TOTAL_FORMS": "1",
    "team-INITIAL_FORMS": "0",
    "team-0-role": "Pirate",
    "team-0-people": "1",
    "team-0-fte": "1",
}


def snapshot() -> str:
    """Every guarded row, and the tokens without their `last_used_at` bookkeeping."""
    rows = "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in GUARDED)
    tokens = list(ApiToken.objects.order_by("pk").values_list("pk", "user_id", "revoked_at"))
    return rows + repr(tokens)


def manage_patterns() -> list[str]:
    """Route strings of the back office, e.g. 'manage/<slug:slug>/spaces/<slug:space_slug>/'."""
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith("manage/"):
                    found.append(route)

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture
def target():
    """A fully furnished place that someone else will try to reach."""
    place = f.place(name="Cible")
    f.space(place, slug="atelier")
    owner = f.coordinator(place)
    member_role = PlaceRole.objects.create(place=place, person=f.user().person, role="member")
    exc = OpeningException.objects.create(
        place=place, start_date=date(2026, 12, 24), end_date=date(2026, 12, 31)
    )
    OpeningHours.objects.create(place=place, weekday=0, opens=time(9), closes=time(18))
    TeamMember.objects.create(place=place, role="Coordinatrice")
    return {
        "place": place,
        "owner": owner,
        "values": {
            "slug": place.slug,
            "space_slug": "atelier",
            "pk": exc.pk,
            "person_id": member_role.person_id,
            "role_id": member_role.pk,
        },
    }


def intruders(target_place: Place) -> dict[str, User]:
    return {
        "outsider": f.user(),
        "member": f.member(target_place),
        "other_coordinator": f.coordinator(f.place()),
    }


def fill(route: str, values: dict) -> str:
    def sub(match: re.Match) -> str:
        name = match.group(2)
        assert name in values, f"the access walk does not know the parameter {name!r}"
        return str(values[name])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def test_the_walk_covers_the_whole_back_office():
    routes = manage_patterns()
    assert len(routes) >= 15
    assert any("people" in r for r in routes) and any("spaces" in r for r in routes)


@pytest.mark.parametrize("persona", ["outsider", "member", "other_coordinator"])
def test_back_office_urls_answer_403_or_404_and_change_nothing(target, persona):
    client = Client()
    client.force_login(intruders(target["place"])[persona])
    before = snapshot()
    for route in manage_patterns():
        url = fill(route, target["values"])
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_PAYLOAD if method == "post" else None)
            assert response.status_code in (403, 404, 405), (persona, method, url)
            # 405 only for GET on POST-only views: they never reach the access check's write.
            if response.status_code == 405:
                assert method == "get"
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_login_everywhere_and_change_nothing(target):
    client = Client()
    before = snapshot()
    for route in manage_patterns():
        url = fill(route, target["values"])
        response = client.post(url, POST_PAYLOAD)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


def test_the_api_walk_covers_reads_and_writes():
    methods = {m for m, _ in api_operations()}
    assert {"GET", "POST", "PATCH", "DELETE"} <= methods


@pytest.mark.parametrize("persona", ["outsider", "member", "other_coordinator"])
def test_api_writes_answer_403_or_404_and_change_nothing(target, persona):
    user = intruders(target["place"])[persona]
    _token, raw = create_api_token(user=user, name="walk")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    before = snapshot()
    for method, path in api_operations():
        url = re.sub(r"\{(\w+)\}", lambda m: str(target["values"][m.group(1)]), path)
        body = {"name": "Piraté", "kind": "other"} if "spaces" in path else {"surface_m2": 1}
        response = client.generic(
            method, url, data=json.dumps(body), content_type="application/json"
        )
        if method == "GET":
            # Reads are public by design: they serve the public directory's fields only.
            assert response.status_code == 200, url
        elif method == "POST" and url == "/api/v1/places":
            assert response.status_code in (403, 404, 422), url
        else:
            assert response.status_code in (403, 404), (method, url, response.content)
    assert snapshot() == before


def test_api_writes_without_credentials_get_401(target):
    client = Client()
    before = snapshot()
    for method, path in api_operations():
        if method == "GET":
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: str(target["values"][m.group(1)]), path)
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code == 401, (method, url)
    assert snapshot() == before


def test_the_owner_can_do_what_intruders_cannot(target):
    """The same walk succeeds for the place's coordinator: the 403s above are real refusals."""
    client = Client()
    client.force_login(target["owner"])
    url = fill("manage/<slug:slug>/sheet/", target["values"])
    assert client.get(url).status_code == 200
