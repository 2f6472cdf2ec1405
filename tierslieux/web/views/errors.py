"""Error pages (handler400/403/404/500): styled pages in the visitor's language, and the
API's own JSON format for any path under the API, so that a client never parses HTML.

The 500 page is rendered without the request: no session, no user, no database.
"""

from __future__ import annotations

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


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return api_error(request, 500, gettext("Server error: the team has been notified."))
    # No context and no request: the page must render even when the database is down.
    return HttpResponseServerError(loader.get_template("500.html").render())
