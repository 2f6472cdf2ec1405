"""Error pages with DEBUG off: styled, translated, with a way back; JSON under the API."""

from __future__ import annotations

import pytest
from django.conf import settings as site_settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from tierslieux import urls as site_urls
from tierslieux.web.views import errors


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def database_down(request: HttpRequest) -> HttpResponse:
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:  # what a library that wraps it does
        raise RuntimeError("the query failed") from error


# The site's URLs, two views that fail, and the site's handlers.
urlpatterns = [
    path("test-crash/", crash),
    path("test-forbidden/", forbidden),
    path("test-database-down/", database_down),
    path("api/v1/test-database-down", database_down),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def crashing_client() -> Client:
    client = Client()
    client.raise_request_exception = False
    return client


def ways_back(page: str) -> None:
    assert f'href="{reverse("places:directory")}"' in page
    assert f'href="{reverse("web:dashboard")}"' in page
    assert 'href="/static/web/site.css"' in page


def test_an_unknown_page_answers_404_in_french_with_a_way_back(client):
    response = client.get("/nulle-part/", **FRENCH)
    page = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page introuvable" in page and 'lang="fr"' in page
    ways_back(page)


def test_the_404_page_speaks_english_too(client):
    response = client.get("/nowhere/", **ENGLISH)
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'lang="en"' in page
    ways_back(page)


def test_a_refused_page_answers_403_in_french_and_in_english(client, member):
    client.force_login(member)
    french = client.get("/test-forbidden/", **FRENCH)
    assert french.status_code == 403
    assert "Accès refusé" in french.content.decode()
    ways_back(french.content.decode())
    client.cookies[site_settings.LANGUAGE_COOKIE_NAME] = "en"  # as the language switcher does
    english = client.get("/test-forbidden/")
    assert english.status_code == 403
    assert "Access denied" in english.content.decode()


def test_a_back_office_page_of_another_place_is_the_styled_403(client, place, other_coordinator):
    client.force_login(other_coordinator)
    response = client.get(reverse("places:manage", args=[place.slug]), **FRENCH)
    assert response.status_code == 403
    assert 'class="error-page"' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Un problème est survenu de notre côté"), ("en", "Something went wrong")],
)
def test_a_crash_answers_the_styled_500(crashing_client, member, language, text):
    crashing_client.force_login(member)
    crashing_client.cookies[site_settings.LANGUAGE_COOKIE_NAME] = language
    response = crashing_client.get("/test-crash/")
    page = response.content.decode()
    assert response.status_code == 500
    assert text in page
    ways_back(page)
    # Rendered without the request: no user's menu, no form needing a session.
    assert "csrfmiddlewaretoken" not in page and "logout" not in page


def test_the_500_page_needs_neither_the_database_nor_the_user(rf, django_assert_num_queries):
    request = rf.get("/test-crash/")  # no session, no user: the handler must not ask
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "500" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Le service est momentanément indisponible"), ("en", "briefly unavailable")],
)
def test_a_lost_database_answers_503_with_a_time_to_retry(crashing_client, language, text):
    crashing_client.cookies[site_settings.LANGUAGE_COOKIE_NAME] = language
    response = crashing_client.get("/test-database-down/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert text in response.content.decode()


def test_the_api_answers_503_in_json_when_the_database_is_lost(crashing_client):
    response = crashing_client.get("/api/v1/test-database-down", **ENGLISH)
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {
        "detail": "The service is briefly unavailable: nothing was recorded, try again."
    }


def test_an_expired_form_is_the_styled_csrf_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("logout"), **FRENCH)
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


# --- The API answers its own JSON format, never an HTML page --------------------------------


@pytest.mark.parametrize("url", ["/api/v1/nowhere", "/api/v1/places/a/b/c/d", "/api/v1/places/"])
def test_an_unknown_api_path_answers_json_404(client, url):
    response = client.get(url, **ENGLISH)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Not found."}


def test_the_api_404_is_translated(client):
    response = client.get("/api/v1/nulle-part", **FRENCH)
    assert response.status_code == 404
    assert response.json() == {"detail": "Introuvable."}


def test_a_crash_in_the_api_answers_json_500(crashing_client, monkeypatch):
    monkeypatch.setattr("tierslieux.places.api._sheet", crash)
    response = crashing_client.get("/api/v1/places/la-fabrique", **ENGLISH)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Server error: the team has been notified."}


def test_an_api_object_not_found_stays_json(client):
    response = client.get("/api/v1/places/does-not-exist", **ENGLISH)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_known_api_path_with_another_method_answers_json_405(client):
    response = client.delete("/api/v1/places", **ENGLISH)
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "Method not allowed."}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
