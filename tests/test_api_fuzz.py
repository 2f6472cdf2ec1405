"""The API fuzzed against its own OpenAPI document (schemathesis): for every operation, a fixed
number of generated requests, each sent anonymously, with a member's token and with the
coordinator's token, through the WSGI application (no server). No answer is a 5xx, and every
answer conforms to the document: a declared status code, the declared content type and a body
matching the declared schema.

Generation is derandomized and bounded (`EXAMPLES` per operation, no shrinking), so the run is
reproducible and its time known. Half the examples keep the generated values, half point at
the furnished place (its slug, its space, its booking, a day next week), so that the answers
are not all 404s and 422s.
Each request runs in a savepoint rolled back after it: every example meets the same place.

PostgreSQL only: its constraints and triggers are the real ones, and one pass is enough.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.walk_target import furnished_target
from tierslieux.accounts.services import create_api_token
from tierslieux.api import api
from tierslieux.core import clock
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.postgres_only

EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
OPERATIONS = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
]


@pytest.fixture(scope="module")
def fuzz(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The furnished place, a member's and the coordinator's tokens, and the loaded document.

    Django closes "old" connections around each request, which inside the test's transaction
    would close the connection itself; the test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            furnished = furnished_target()
            place = furnished["place"]
            _t, member_token = create_api_token(user=f.member(place), name="fuzz")
            _t, owner_token = create_api_token(user=furnished["owner"], name="fuzz")
            values = furnished["values"]
            yield {
                "schema": schemathesis.openapi.from_wsgi(
                    "/api/v1/openapi.json", get_wsgi_application()
                ),
                "headers": [
                    {},
                    {"Authorization": f"Bearer {member_token}"},
                    {"Authorization": f"Bearer {owner_token}"},
                ],
                "known": {
                    "slug": values["slug"],
                    "space_slug": values["space_slug"],
                    "booking_id": values["booking_id"],
                    "place": values["slug"],
                    "space": values["space_slug"],
                    "network": values["network_slug"],
                    "date": (clock.today() + timedelta(days=7)).isoformat(),
                },
            }
            transaction.set_rollback(True)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms(fuzz: dict[str, Any], method: str, path: str) -> None:
    operation = fuzz["schema"][path][method]
    known = fuzz["known"]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), aimed=st.booleans())
    def fuzzed(case: Any, aimed: bool) -> None:
        if aimed:
            for values in (case.path_parameters, case.query, case.body):
                if isinstance(values, dict):
                    values.update({k: v for k, v in known.items() if k in values})
        for headers in fuzz["headers"]:
            with transaction.atomic():
                response = case.call(headers=headers)
                transaction.set_rollback(True)
            case.validate_response(response, checks=CHECKS, headers=headers)

    fuzzed()
