"""Error pages (handler400/403/404/500): styled pages in the visitor's language, and the
API's own JSON format for any path under the API, so that a client never parses HTML.

The 500 page is rendered without the request: no session, no user, no database. An error of
the database's connection (PostgreSQL restarted, unreachable, SQLite locked) answers 503 with
`Retry-After` instead: nothing is wrong with the request, and the app reconnects by itself at
the next one (docs/PERFORMANCE.md, "Faults").
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext
from django.views import defaults

from tierslieux.api import api_error, is_api_request


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 400, gettext("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 403, gettext("You are not allowed to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 404, gettext("Not found."))
    return defaults.page_not_found(request, exception)


RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:  # the error, or what it was raised from
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls the handler while it handles the error: `sys.exc_info` holds it.
    if _database_unavailable(sys.exc_info()[1]):
        return _unavailable(request)
    if is_api_request(request):
        return api_error(request, 500, gettext("Server error: the team has been notified."))
    # No context and no request: the page must render even when the database is down.
    return HttpResponseServerError(loader.get_template("500.html").render())


def _unavailable(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        response = api_error(
            request,
            503,
            gettext("The service is briefly unavailable: nothing was recorded, try again."),
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
