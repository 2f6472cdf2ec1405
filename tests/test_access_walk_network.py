"""The walk again, as the target's network: its administrator (the place granted nothing) and
its observer. A network sees the place's figures and its technical pages, never a customer, an
invoice, a booking's title or a member's e-mail; an observer reaches the figures only.

The URLs come from the same discovery as tests/test_access_walk.py, so a page added later is
walked here too and must either be in the lists below or refuse the network."""

from __future__ import annotations

import json
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve

from tests.test_access_walk import (
    CREATION,
    POST_PAYLOAD,
    SECRET,
    SECRET_CUSTOMER,
    SELF_SCOPED,
    all_patterns,
    api_body,
    api_operations,
    fill,
    furnished_target,
    manage_patterns,
    readable,
    snapshot,
)
from tierslieux.accounts.models import Person, User
from tierslieux.accounts.services import create_api_token
from tierslieux.places.models import NetworkGrant
from tierslieux.places.tests import factories as f

# The figures: what both the administrator and the observer read.
FIGURES = {
    "activity_manage:overview",
    "revenue:dashboard",
    "impact_manage:framework",
    "impact_manage:indicators",
    "impact_manage:indicators_csv",
    "impact_manage:indicators_json",
    "impact_manage:assessments",
    "impact_manage:assessment",
    "impact_manage:reports",
    "impact_manage:report",
    "impact_manage:report_pdf",
}
# The technical pages the administrator manages without the place's consent (no one's data).
TECHNICAL = {
    "places:manage",
    "places:manage_sheet",
    "places:manage_registers",
    "places:manage_hours",
    "places:manage_exception_remove",
    "places:manage_team",
    "places:manage_spaces",
    "places:manage_space_new",
    "places:manage_space",
    "places:manage_space_delete",
    "places:manage_space_restore",
    "places:manage_network_access",
}
# The network's own pages: the administrator's (census, moderation, observers, places) and
# what the observer reads (the list of places and the statistics).
NETWORK_PAGES = {
    "places:network_places",
    "places:network_place_new",
    "places:network_place_add",
    "places:network_place_remove",
    "places:network_observers",
    "places:network_observer_remove",
    "statistics:page",
    "statistics:csv",
    "census:queue",
    "census:accept",
    "census:merge",
    "census:decline",
    "census:duplicates",
    "census:merge_places",
    "imports:index",
    "imports:report",
    "imports:confirm",
    "surveys_network:list",
    "surveys_network:create",
    "impact_network:framework",
    "impact_network:reset",
    "impact_network:impact",
    "impact_network:axis_new",
    "impact_network:axis",
    "impact_network:commitment",
    "economics_network:list",
    "economics_network:new",
    "economics_network:compare",
}
# The network's impact pages: its matrix and indicators, read by administrators and observers.
IMPACT_PAGES = {
    "impact_network:matrix",
    "impact_network:matrix_place",
    "impact_network:matrix_impact",
    "impact_network:indicators",
    "impact_network:matrix_csv",
    "impact_network:matrix_json",
    "impact_network:indicators_csv",
    "impact_network:indicators_json",
}
NETWORK_PAGES |= IMPACT_PAGES
OBSERVED = {"places:network_places", "statistics:page", "statistics:csv", *IMPACT_PAGES}
OPEN = {"admin": FIGURES | TECHNICAL | NETWORK_PAGES, "observer": FIGURES | OBSERVED}
# API writes the administrator may make (the technical sheet and the spaces).
ADMIN_API_WRITES = re.compile(r"^/api/v1/places(/\{slug\}(/spaces(/\{space_slug\}(/\w+)?)?)?)?$")


@pytest.fixture(scope="module")
def target(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        furnished = furnished_target()
        network = furnished["place"].network
        furnished["network"] = {
            "admin": f.network_admin(network),
            "observer": f.network_observer(network),
        }
        yield furnished
        transaction.set_rollback(True)


def leaks(target: dict) -> list[str]:
    """What no page may show the network: the booking's title, the customer's name, the
    member's, the invitee's, the applicant's and the visitor's e-mail addresses."""
    member = Person.objects.get(pk=target["values"]["person_id"])
    login = User.objects.get(person=member)
    found = {SECRET, SECRET_CUSTOMER, login.email, "invitee@example.org", "signup@example.org"}
    found |= {"visiteuse@example.org", member.email} - {""}
    return sorted(found)


def logged(target: dict, persona: str) -> Client:
    client = Client()
    client.force_login(target["network"][persona])
    return client


def assert_no_leak(target: dict, url: str, body: str) -> None:
    for secret in leaks(target):
        assert secret not in body, (url, secret)


@pytest.mark.parametrize("persona", ["admin", "observer"])
def test_the_back_office_opens_the_figures_and_refuses_private_pages(target, persona):
    client = logged(target, persona)
    before = snapshot()
    opened = set()
    for route in manage_patterns():
        url = fill(route, target["values"])
        name = resolve(url).view_name
        response = client.get(url)
        assert_no_leak(target, url, readable(response))
        if name in OPEN[persona]:
            # 409: the page explains why not (the network's own place cannot leave it).
            assert response.status_code in (200, 404, 405, 409), (persona, url)
            if response.status_code in (200, 409):
                opened.add(name)
            continue
        assert response.status_code in (403, 404, 405), (persona, url)
        response = client.post(url, POST_PAYLOAD)
        assert response.status_code in (403, 404, 405), (persona, "post", url)
    assert snapshot() == before
    # The refusals are the rule's, not a broken page: what is open does open.
    # The space's restore is POST only; an observer's removal takes a network role's id, and
    # the walk's `role_id` is a place role's.
    expected = OPEN[persona] - {"places:manage_space_restore", "places:network_observer_remove"}
    assert opened - {"places:network_observer_remove"} == expected, opened


@pytest.mark.parametrize("persona", ["admin", "observer"])
def test_no_page_of_the_site_shows_the_network_a_private_detail(target, persona):
    client = logged(target, persona)
    for route in all_patterns():
        if route.startswith("admin/"):
            continue
        try:
            url = fill(route, target["values"])
        except AssertionError:
            continue  # a parameter the walk has no value for (the root walk checks them)
        response = client.get(url, {"date": "2027-01-11"})
        if response.status_code == 200 and not response.streaming:
            assert_no_leak(target, url, readable(response))


@pytest.mark.parametrize("persona", ["admin", "observer"])
def test_the_api_serves_figures_and_refuses_the_rest(target, persona):
    _token, raw = create_api_token(user=target["network"][persona], name="walk")
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
            assert response.status_code in (200, 404), url
            assert_no_leak(target, url, readable(response))
            continue
        if persona == "admin" and ADMIN_API_WRITES.match(path):
            continue  # the technical sheet and the spaces: the administrator's to edit
        body = json.dumps(api_body(path, target))
        response = client.generic(method, url, data=body, content_type="application/json")
        if path in SELF_SCOPED:
            assert response.status_code == 200, url
        elif path in CREATION:
            assert response.status_code in (403, 404, 422), (url, response.content)
        else:
            assert response.status_code in (403, 404), (method, url, response.content)
    assert snapshot() == before
    figures = client.get(f"/api/v1/activity/{target['place'].slug}")
    assert figures.status_code == 200 and figures.json()["place"] == target["place"].slug


def test_the_leak_checks_can_fail_once_the_place_grants_its_network(target):
    """With the place's consent the administrator does read the customers; the observer
    still does not."""
    place = target["place"]
    NetworkGrant.objects.create(place=place, network_id=place.network_id)
    customers = fill("manage/<slug:slug>/billing/customers/", target["values"])
    admin = logged(target, "admin")
    assert SECRET_CUSTOMER in admin.get(customers).content.decode()
    assert logged(target, "observer").get(customers).status_code == 403
