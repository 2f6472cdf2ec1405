"""The site's own assets: the API docs page works offline, the favicon, the messages."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.staticfiles import finders
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

PAGE = '{% extends "base.html" %}{% block content %}<h1>Page</h1>{% endblock %}'
ASSET = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_api_docs_page_loads_nothing_from_another_host(client):
    response = client.get(reverse("api-v1:openapi-view"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assets = ASSET.findall(page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    # No online validator either: the page works offline.
    assert '"validatorUrl": null' in page


def test_the_api_docs_assets_are_served_by_the_app(client):
    page = client.get(reverse("api-v1:openapi-view")).content.decode()
    for asset in ASSET.findall(page):
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_favicon_is_linked_and_found(client):
    page = client.get(reverse("places:directory")).content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page
    found = finders.find("web/favicon.svg")
    assert found and "<svg" in Path(found).read_text(encoding="utf-8")


def test_messages_are_shown_inside_the_content_column(rf: RequestFactory, member):
    request = rf.get("/")
    request.user = member
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    messages.success(request, "Réservation enregistrée.")
    page = Template(PAGE).render(RequestContext(request))
    main = page[page.index("<main") : page.index("</main>")]
    assert '<p class="message success">Réservation enregistrée.</p>' in main
