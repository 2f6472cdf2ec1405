"""Absurd input never crashes the API: every route of the API object (found in its OpenAPI
document, so a route added later is walked too), as the place's coordinator with a token and,
for the public reads, anonymously, gets values no client should send — a number beyond any
float (`1e309`), thirty nines, the years 1 and 9999, negative numbers, control characters,
the wrong type, no body, a body that is not JSON — one field at a time (query, path, body).
Every answer is JSON in the API's format, never a 500: a 4xx has a `detail` in French (the
default language; pydantic's English is translated), and a 422 names, among its `errors`,
the field that was sent wrong.

Each request runs in a savepoint rolled back after it, so an absurd value that is accepted
(a title "-1") leaves the next request the same target.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tests.test_access_walk import furnished_target
from tierslieux.accounts.services import create_api_token
from tierslieux.api import api

# JSON literals, written into the body as they are (1e309 and the thirty nines as numbers).
BODY_VALUES = [
    "1e309",
    "9" * 30,
    "-1",
    "-" + "9" * 30,
    '"1e309"',
    '"' + "9" * 30 + '"',
    '"0001-01-01T00:00:00+00:00"',
    '"9999-12-31T23:59:59+00:00"',
    '"0001-01-01"',
    '"9999-12-31"',
    '"a\\u0000b"',
    '"a\\nb\\u0007"',
    '"' + "x" * 20_000 + '"',
    "[]",
    "{}",
    "true",
    "null",
    "[1e309]",
    '["a\\u0000b"]',
]
QUERY_VALUES = [
    "1e309",
    "9" * 30,
    "-1",
    "0",
    "0001-01-01",
    "9999-12-31",
    "23:99",
    "a\x00b",
    "x" * 5_000,
    "",
]
PATH_VALUES = {"integer": ["9" * 30, "-1", "0"], "string": ["a%00b", "x" * 300, "%E9t%E9"]}
RAW_BODIES = ["", "{", "not json", "[]", '"text"', "1e309", '{"a": 1e309}', "\x00"]

# A valid request per route, that each case spoils in one field.
START, END = "2027-01-12T10:00:00+01:00", "2027-01-12T11:00:00+01:00"
QUERY = {
    "place": "{place}",
    "space": "atelier",
    "date": "2027-01-11",
    "days": "2",
    "duration": "60",
    "units": "1",
    "start": "10:00",
    "end": "11:00",
    "people": "1",
    "from": "2027-01-11",
    "to": "2027-01-13",
    "page": "1",
    "page_size": "10",
}


def operations() -> list[dict[str, Any]]:
    """Every operation of the API: method, path, parameters and the body's fields."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields: list[str] = []
            if body:
                refs = re.findall(r'"#/components/schemas/(\w+)"', json.dumps(body["schema"]))
                for ref in refs:
                    fields += list(components[ref].get("properties", {}))
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "params": operation.get("parameters", []),
                    "fields": fields,
                    "has_body": bool(body),
                    "public": not operation.get("security"),
                }
            )
    return found


OPERATIONS = operations()


def base_body(path: str, place: str) -> dict[str, Any]:
    """A body that the coordinator's request would pass."""
    if path.endswith("/move"):
        return {"start": START, "end": END}
    if "{booking_id}/" in path:
        return {}
    if path.startswith("/api/v1/bookings"):
        body = {"place": place, "space": "atelier", "start": START, "end": END, "title": "Essai"}
        if path.endswith("/series"):
            body.update({"freq": "weekly", "count": 2, "skip_conflicts": True})
        return body
    if path.endswith("/spaces"):
        return {"name": "Salle neuve", "kind": "meeting_room"}
    if "/spaces/" in path:
        return {"capacity": 4}
    if path == "/api/v1/places":
        return {
            "network": "walk-network",
            "name": "Lieu neuf",
            "status": "open",
            "postcode": "75001",
            "commune": "Paris",
            "location_type": "rural",
            "legal_form": "other",
        }
    return {"surface_m2": 120}


@pytest.fixture(scope="module")
def target(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        furnished = furnished_target()
        place = furnished["place"]
        place.network.slug = "walk-network"
        place.network.save(update_fields=["slug"])
        _token, raw = create_api_token(user=furnished["owner"], name="absurd")
        furnished["token"] = raw
        yield furnished
        transaction.set_rollback(True)


def _url(operation: dict[str, Any], values: dict[str, Any], spoiled: dict[str, str]) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: spoiled.get(m.group(1), str(values[m.group(1)])),
        operation["path"],
    )


def _send(
    client: Client,
    operation: dict[str, Any],
    url: str,
    query: dict[str, str],
    body: str | None,
) -> Any:
    with transaction.atomic():
        if operation["method"] == "GET":
            response = client.get(url, query)
        else:
            if query:
                url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            response = client.generic(
                operation["method"], url, data=body or "", content_type="application/json"
            )
        transaction.set_rollback(True)
    return response


def _cases(operation: dict[str, Any], place: str) -> list[tuple[str, dict, dict, str | None]]:
    """(field spoiled, path values spoiled, query, raw body) for every case of a route."""
    names = {p["name"]: p for p in operation["params"]}
    query = {
        k: v.format(place=place)
        for k, v in QUERY.items()
        if k in names and names[k]["in"] == "query"
    }
    body = base_body(operation["path"], place)
    raw = json.dumps(body) if operation["has_body"] else None
    cases: list[tuple[str, dict, dict, str | None]] = [("", {}, query, raw)]
    for name, param in names.items():
        if param["in"] == "query":
            cases += [(name, {}, {**query, name: value}, raw) for value in QUERY_VALUES]
        elif param["in"] == "path":
            kind = param["schema"].get("type", "string")
            cases += [(name, {name: v}, query, raw) for v in PATH_VALUES[kind]]
    for field in operation["fields"]:
        for value in BODY_VALUES:
            spoiled = {k: v for k, v in body.items() if k != field}
            text = json.dumps(spoiled)[:-1]
            text += (", " if spoiled else "") + f'"{field}": {value}}}'
            cases.append((field, {}, query, text))
    if operation["method"] != "GET":
        cases += [("", {}, query, text) for text in RAW_BODIES]
    return cases


# What pydantic and ninja say when the API has not translated them (people read French).
ENGLISH = re.compile(r"Input should|should (?:be|have)|Value error|Field required|Cannot parse")
# A rule across two fields names the one to fix: a public share alone lacks its private one.
PARTNERS = {
    "investment_public_share": "investment_private_share",
    "operation_public_share": "operation_private_share",
}


def _problem(response: Any, field: str, base: set[str]) -> str | None:
    """What is wrong with the answer, if anything. `base`: the fields the unspoiled request
    is refused on, if it is (a request to reject a booking that awaits no approval is refused
    whatever its reason says)."""
    if response.status_code >= 500:
        return "crash"
    if not response.get("Content-Type", "").startswith("application/json"):
        return "not JSON"
    if response.status_code < 400:
        return None
    data = json.loads(response.content)
    if not isinstance(data, dict) or not data.get("detail"):
        return "no detail"
    said = [data["detail"], *(m for ms in (data.get("errors") or {}).values() for m in ms)]
    english = [m for m in said if ENGLISH.search(m)]
    if english:
        return f"not in French: {english}"
    if response.status_code == 422:
        errors = data.get("errors") or {}
        if not errors:
            return "422 without errors"
        named = {key.split(".")[0] for key in errors}
        if field and not named & {field, PARTNERS.get(field)} and named != base:
            return f"422 not naming {field}: {sorted(errors)}"
    return None


def _walk(client: Client, operation: dict[str, Any], target: dict[str, Any]) -> list[tuple]:
    place = target["place"].slug
    found = []
    base: set[str] = set()
    for field, path_values, query, body in _cases(operation, place):
        url = _url(operation, target["values"], path_values)
        response = _send(client, operation, url, query, body)
        if not field and response.status_code == 422 and not base:  # the unspoiled request
            base = {key.split(".")[0] for key in json.loads(response.content)["errors"]}
        problem = _problem(response, field if field not in path_values else "", base)
        if problem:
            value = query.get(field) or path_values.get(field) or (body or "")[-60:]
            found.append((problem, response.status_code, url[:60], field, value[:60]))
    return found


def _id(operation: dict[str, Any]) -> str:
    return f"{operation['method']} {operation['path']}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=_id)
def test_the_coordinator_s_absurd_input_gets_json_errors_naming_the_field(target, operation):
    client = Client(
        headers={"authorization": f"Bearer {target['token']}"}, raise_request_exception=False
    )
    problems = _walk(client, operation, target)
    assert problems == [], "\n".join(map(repr, problems))


@pytest.mark.parametrize("operation", [o for o in OPERATIONS if o["public"]], ids=_id)
def test_anonymous_absurd_input_on_public_routes_gets_json_errors(target, operation):
    problems = _walk(Client(raise_request_exception=False), operation, target)
    assert problems == [], "\n".join(map(repr, problems))


def test_the_walk_covers_every_route_and_every_body_field():
    assert len(OPERATIONS) >= 24
    fields = {field for operation in OPERATIONS for field in operation["fields"]}
    assert {"units", "start", "surface_m2", "capacity", "interval", "reason"} <= fields
