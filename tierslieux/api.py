"""The HTTP API (/api/v1/): composition root, and one error format for every failure.

Errors are `{"detail": "<summary>", "errors": {"field": ["message", ...]}}` (`errors` only
for 422), in the request's language, so that clients show messages as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, reverse
from django.utils.translation import gettext, gettext_noop
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tierslieux.activity.api import router as activity_router
from tierslieux.bookings.api import router as bookings_router
from tierslieux.core.formatting import day
from tierslieux.places.api import router as places_router


class API(NinjaAPI):
    """ninja's API whose 405 (a known path, another method) answers in the API's format."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return patterns, app_name, namespace


def _json_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        refused = _null_characters(request)
        if refused is not None:
            return refused
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _error(request, 405, gettext("Method not allowed."))
            response["Allow"] = allowed
        return response

    return wrapped


NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _null_characters(request: HttpRequest) -> HttpResponse | None:
    """A NUL character, which no text holds and PostgreSQL refuses in any query, answers
    before any view: 404 in the path (nothing is named so), else 422 naming the field."""
    if NUL in request.path:
        return _error(request, 404, gettext("Not found."))
    fields = {key for key, values in request.GET.lists() if _holds_nul([key, *values])}
    if request.content_type == "application/json" and (
        b"\\u0000" in request.body or b"\x00" in request.body
    ):
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None  # not JSON: ninja answers 400
        if isinstance(data, dict):
            fields |= {key for key, value in data.items() if _holds_nul([key, value])}
        elif _holds_nul(data):
            fields.add(NON_FIELD_ERRORS)
    if not fields:
        return None
    message = str(ProhibitNullCharactersValidator.message)
    return _invalid(request, {field.replace(NUL, ""): [message] for field in sorted(fields)})


api = API(
    title="tierslieux API",
    version="1",
    description="Places of the network, their technical sheet and spaces; bookings.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Served from ninja's own static files ("ninja" is an installed app), never a CDN; no
    # online validator: the page works offline.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("/places", places_router)
api.add_router("/bookings", bookings_router)
api.add_router("/activity", activity_router)

# Pydantic speaks English only; these types get messages that Django already translates.
PYDANTIC_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "extra_forbidden": gettext_noop("Unknown field."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_parsing": gettext_noop("Enter a number."),
    "float_type": gettext_noop("Enter a number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "decimal_type": gettext_noop("Enter a number."),
    "finite_number": gettext_noop("Enter a number."),
    "date_parsing": gettext_noop("Enter a valid date."),
    "datetime_parsing": gettext_noop("Enter a valid date/time."),
    "datetime_from_date_parsing": gettext_noop("Enter a valid date/time."),
    "datetime_type": gettext_noop("Enter a valid date/time."),
    "timezone_aware": gettext_noop(
        "Date-times must carry their time zone (e.g. 2026-03-02T10:00:00+01:00)."
    ),
    "date_from_datetime_parsing": gettext_noop("Enter a valid date."),
    "date_type": gettext_noop("Enter a valid date."),
    "time_parsing": gettext_noop("Enter a valid time."),
    "time_type": gettext_noop("Enter a valid time."),
    "list_type": gettext_noop("Enter a list of values."),
    "string_type": gettext_noop("Enter a valid value."),
    "bool_parsing": gettext_noop("Enter a valid value."),
    "bool_type": gettext_noop("Enter a valid value."),
    "int_parsing_size": gettext_noop("Enter a whole number."),
    "date_from_datetime_inexact": gettext_noop("Enter a valid date."),
    "model_attributes_type": gettext_noop("Send a JSON object."),
    "model_type": gettext_noop("Send a JSON object."),
    "dict_type": gettext_noop("Send a JSON object."),
    "json_invalid": gettext_noop("The body is not valid JSON."),
}
# ninja's own refusals, translated where `http_error` answers them.
NINJA_MESSAGES = (gettext_noop("Cannot parse request body"),)
# ctx key -> message, for the limits whose value the message quotes.
PYDANTIC_LIMITS = {
    "string_too_long": (
        "max_length",
        gettext_noop("Ensure this value has at most %(limit_value)s characters."),
    ),
    "too_long": (
        "max_length",
        gettext_noop("Ensure this list has at most %(limit_value)s items."),
    ),
    "greater_than_equal": (
        "ge",
        gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    ),
    "less_than_equal": (
        "le",
        gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    ),
}


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def is_api_request(request: HttpRequest) -> bool:
    """Whether the path is under the API, routed or not (the site's error handlers ask)."""
    return request.path.startswith(reverse("api-v1:api-root"))


def api_error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """An error in the API's format, for the site's handlers (unknown path, crash)."""
    return _error(request, status, detail)


def _invalid(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    return _error(request, 422, gettext("The data sent is not valid."), errors=errors)


def validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's refusal as the API writes it: messages by field, `__all__` for the rest.
    (The one reading of a ValidationError's shape for the API; pages use
    `core.forms.attach_error`.)"""
    if hasattr(exc, "error_dict"):
        return {field: list(messages) for field, messages in exc.message_dict.items()}
    return {NON_FIELD_ERRORS: list(exc.messages)}


@api.exception_handler(DjangoValidationError)
def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the data: name each field with its messages."""
    return _invalid(request, validation_errors(exc))


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """The request did not match the schema: same format as a service's refusal."""
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        # ("body", "payload", "surface_m2") -> "surface_m2"; ("query", "page") -> "page".
        path = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = ".".join(path) or NON_FIELD_ERRORS
        errors.setdefault(field, []).append(_pydantic_message(item))
    return _invalid(request, errors)


def _pydantic_message(item: dict[str, Any]) -> str:
    kind = item.get("type", "")
    if kind in PYDANTIC_MESSAGES:
        return gettext(PYDANTIC_MESSAGES[kind])
    ctx = item.get("ctx") or {}
    if kind in PYDANTIC_LIMITS:
        key, message = PYDANTIC_LIMITS[kind]
        return gettext(message) % {"limit_value": ctx.get(key)}
    if kind == "date_range":  # bookings.api_schemas: a day too far from today's calendar
        first, last = (date.fromisoformat(ctx[k]) for k in ("first", "last"))
        return gettext("Enter a date between %(first)s and %(last)s.") % {
            "first": day(first),
            "last": day(last),
        }
    return str(item.get("msg"))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, gettext("You are not allowed to do this."))


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, gettext("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, gettext("Authentication required: a token or a session."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in exc.message:
        return _error(request, 403, gettext("CSRF verification failed. Request aborted."))
    return _error(request, exc.status_code, gettext(exc.message))
