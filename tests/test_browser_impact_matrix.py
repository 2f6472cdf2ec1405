"""The network's impact matrix in a real headless Chromium, on a 390 px phone: an observer
reads the matrix, goes from a place to its confirmed assessment and from an impact to its
places, and reads the indicators; no page scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tierslieux.impact.tests import matrix_factories as mf
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)


def test_an_observer_reads_the_matrix_on_a_phone(live_server, browser) -> None:
    found = mf.small_network()
    observer = pf.network_observer(found["network"])
    client = Client()
    client.force_login(observer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()

    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/network/hauts/impact/matrix/")
    assert "Les impacts des lieux en 2025" in page.content()
    fits_a_phone(page)
    page.get_by_role("link", name="Épicerie des Tanneurs").click()
    page.wait_for_url("**/matrix/places/epicerie/2025/")
    assert mf.PUBLIC_QUOTE in page.inner_text("main")
    assert "ce lieu m'a sauvé" not in page.content()
    fits_a_phone(page)
    page.goto(f"{live_server.url}/network/hauts/impact/matrix/")
    page.locator("ol.impacts a[href*='/matrix/impacts/peer_learning/2025/']").click()
    page.wait_for_url("**/matrix/impacts/peer_learning/2025/")
    assert "Bliida" in page.inner_text("#verdict-yes")
    fits_a_phone(page)
    page.goto(f"{live_server.url}/network/hauts/impact/indicators/?year=2025")
    assert "(confirmé)" in page.content()
    fits_a_phone(page)
    context.close()
