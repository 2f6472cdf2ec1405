"""Walk every back-office URL and every API route as people with no business there.

The URLs are discovered from the URL resolver and from the OpenAPI document, so a route added
later is walked too; an unknown path parameter fails the test until this file learns it.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.walk_target import (  # noqa: F401 (re-exported to the other walks)
    GUARDED,
    SECRET,
    SECRET_CUSTOMER,
    furnished_target,
    intruders,
    snapshot,
)
from tierslieux.accounts.models import User
from tierslieux.accounts.services import create_api_token
from tierslieux.api import api

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


def manage_patterns() -> list[str]:
    """Route strings that act on a place's or a booking's data: the back office, and the
    booker's own booking pages, e.g. 'manage/<slug:slug>/spaces/<slug:space_slug>/'."""
    return [
        r
        for r in all_patterns()
        if r.startswith("manage/")
        or ("booking_id" in r and not r.startswith("api/"))
        or (r.startswith("me/") and "invoice_id" in r)
        or "registration_id" in r
        or (r.startswith("network/") and not r.endswith(("declare/", "declare/sent/")))
    ]


def all_patterns() -> list[str]:
    found = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture(scope="module")
def target(django_db_setup, django_db_blocker):
    """A fully furnished place, with a booking, that someone else will try to reach; built
    once for the module inside a transaction rolled back at its end (each test runs in its
    own savepoint, and checks that it changed nothing)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield furnished_target()
        transaction.set_rollback(True)


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
            # 405: a method the view does not take at all (it never reaches a write).
            assert response.status_code in (403, 404, 405), (persona, method, url)
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


# Routes that act only on the caller's own data: any logged-in person may call them.
SELF_SCOPED = {
    "/api/v1/bookings/mine",
    "/api/v1/bookings/mine/feed",
    "/api/v1/bookings/mine/feed/reset",
}
# Creation routes answer 422 when the body is refused (here: the space is for the team only).
CREATION = {"/api/v1/places", "/api/v1/bookings", "/api/v1/bookings/series"}


def api_body(path: str, target: dict) -> dict:
    """A body that would pass validation if access let it through."""
    start, end = "2027-01-12T10:00:00+01:00", "2027-01-12T11:00:00+01:00"
    if path.endswith("/move"):
        return {"start": start, "end": end}
    if "{booking_id}/" in path or path.endswith("/reset"):
        return {}
    if path.startswith("/api/v1/bookings"):
        return {
            "place": target["place"].slug,
            "space": "atelier",
            "start": start,
            "end": end,
            "title": "Piraté",
            "freq": "weekly",
            "count": 2,
            "skip_conflicts": True,
        }
    if "spaces" in path:
        return {"name": "Piraté", "kind": "other"}
    return {"surface_m2": 1}


@pytest.mark.parametrize("persona", ["outsider", "member", "other_coordinator"])
def test_api_routes_refuse_intruders_leak_nothing_and_change_nothing(target, persona):
    user = intruders(target["place"])[persona]
    _token, raw = create_api_token(user=user, name="walk")
    client = Client(headers={"authorization": f"Bearer {raw}"})
    query = {
        "place": target["place"].slug,
        "space": "atelier",
        "date": "2027-01-11",
        "duration": 60,
        "start": "10:00",
        "end": "11:00",
    }
    before = snapshot()
    for method, path in api_operations():
        url = re.sub(r"\{(\w+)\}", lambda m: str(target["values"][m.group(1)]), path)
        if method == "GET":
            response = client.get(url, query)
            # Reads serve public fields; the target's private booking never shows.
            assert response.status_code in (200, 404), url
            assert SECRET not in response.content.decode(), url
            continue
        response = client.generic(
            method, url, data=json.dumps(api_body(path, target)), content_type="application/json"
        )
        if path in SELF_SCOPED:
            assert response.status_code == 200, url
        elif path in CREATION:
            assert response.status_code in (403, 404, 422), (url, response.content)
        else:
            assert response.status_code in (403, 404), (method, url, response.content)
    assert snapshot() == before


def readable(response) -> str:
    """What a person reads in an answer: a PDF's text (a report), any other body decoded."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        from io import BytesIO

        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    return response.content.decode()


def test_no_page_shows_the_target_booking_to_an_intruder(target):
    client = Client()
    client.force_login(intruders(target["place"])["outsider"])
    for route in all_patterns():
        if route.startswith("admin/") or (
            "<" in route.replace("<slug:slug>", "")
            and not any(
                name in route
                for name in (
                    "space_slug",
                    "booking_id",
                    "pk",
                    "person_id",
                    "invoice_id",
                    "customer_id",
                    "subscription_id",
                    "run_id",
                )
            )
        ):
            continue
        try:
            url = fill(route, target["values"])
        except AssertionError:
            continue  # a parameter the walk has no value for (checked elsewhere)
        response = client.get(url, {"date": "2027-01-11"})
        if response.status_code == 200 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            assert SECRET not in readable(response), url
            assert SECRET_CUSTOMER not in readable(response), url


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


def test_the_owner_sees_the_secret_where_intruders_do_not(target):
    """The leak checks above can fail: the team does see the title on the calendar."""
    client = Client()
    client.force_login(target["owner"])
    url = fill("bookings/<slug:slug>/calendar/", target["values"])
    assert SECRET in client.get(url, {"date": "2027-01-11"}).content.decode()
    client.force_login(intruders(target["place"])["outsider"])
    page = client.get(url, {"date": "2027-01-11"})
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_the_owner_sees_the_customer_and_its_invoice_where_intruders_do_not(target):
    """The money pages' leak check can fail: the team does see the customer's name."""
    client = Client()
    client.force_login(target["owner"])
    customers = fill("manage/<slug:slug>/billing/customers/", target["values"])
    assert SECRET_CUSTOMER in client.get(customers).content.decode()
    pdf = fill("manage/<slug:slug>/billing/invoices/<int:invoice_id>/pdf/", target["values"])
    assert client.get(pdf)["Content-Type"] == "application/pdf"
    member = User.objects.get(person__pk=target["values"]["person_id"])
    client.force_login(member)
    own = fill("me/<slug:slug>/invoices/<int:invoice_id>/pdf/", target["values"])
    assert client.get(own)["Content-Type"] == "application/pdf"
    for persona, intruder in intruders(target["place"]).items():
        client.force_login(intruder)
        assert client.get(own).status_code == 404, persona


def test_the_public_report_shows_no_private_testimony(target):
    """The target's year is confirmed and published; its testimony has no consent."""
    client = Client()
    slug, year = target["values"]["slug"], target["values"]["year"]
    for name in ("impact:report", "impact:report_pdf"):
        response = client.get(reverse(name, kwargs={"slug": slug, "year": year}))
        assert response.status_code == 200, name
        text = readable(response)
        assert target["place"].name in text and SECRET not in text, name
