"""The census in a real headless Chromium, on a 390 px phone: a visitor finds "Déclarez-le"
on the network's map, declares a place in project without an address, the network's
administrator accepts it from the moderation queue, and the place is on the map's list."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connections
from django.test import Client

from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Category, Place
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, width)


def test_a_visitor_declares_a_place_that_appears_once_accepted(live_server, browser):
    cache.clear()
    for code in Category.Code.values:
        Category.objects.get_or_create(code=code)
    network = f.network(name="Creuse", slug="creuse")
    f.place(network=network, name="Grange numérique", commune="Guéret", postcode="23000")
    admin = f.network_admin(network)
    client = Client()
    client.force_login(admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()

    visitor = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    visitor.goto(f"{live_server.url}/map/?network=creuse")
    visitor.get_by_role("link", name=re.compile("Déclarez-le")).click()
    visitor.wait_for_url("**/network/creuse/declare/")
    fits_a_phone(visitor)
    form = {
        "name": "La Grange Numérique",
        "postcode": "23000",
        "commune": "Guéret",
        "declarant_name": "Camille Martin",
        "declarant_email": "camille@example.org",
    }
    for name, value in form.items():
        visitor.locator(f"[name={name}]").fill(value)
    visitor.locator("[name=status]").select_option("project")
    visitor.locator("[name=location_type]").select_option("rural")
    visitor.locator("[name=legal_form]").select_option("association")
    visitor.locator("[name=categories][value=fablab]").check()
    # Swapped coordinates first: refused with the swap suggested, nothing stored.
    visitor.locator("[name=latitude]").fill("1.8717")
    visitor.locator("[name=longitude]").fill("46.1714")
    visitor.locator("[name=consent]").check()
    visitor.get_by_role("button", name="Envoyer la déclaration").click()
    visitor.wait_for_load_state()
    assert "semblent inversées" in visitor.content()
    fits_a_phone(visitor)
    visitor.locator("[name=latitude]").fill("")
    visitor.locator("[name=longitude]").fill("")
    visitor.locator("[name=consent]").check()
    visitor.get_by_role("button", name="Envoyer la déclaration").click()
    visitor.wait_for_url("**/declare/sent/")
    assert "camille@example.org" in visitor.content()
    fits_a_phone(visitor)
    assert Declaration.objects.get().status == "pending"
    assert not Place.objects.filter(name="La Grange Numérique").exists()
    connections.close_all()
    assert {m.to[0] for m in mail.outbox} == {"camille@example.org", admin.email}

    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    moderator = context.new_page()
    moderator.goto(f"{live_server.url}/network/creuse/")
    moderator.get_by_role("link", name=re.compile("1 déclaration attend")).click()
    moderator.wait_for_url("**/network/creuse/census/")
    fits_a_phone(moderator)
    assert "même nom, même commune" in moderator.content()  # the place already listed
    moderator.get_by_role("link", name="Fusionner avec ce lieu").click()
    fits_a_phone(moderator)
    moderator.go_back()
    moderator.get_by_role("link", name="Accepter…").click()
    fits_a_phone(moderator)
    moderator.get_by_role("button", name="Accepter et créer le lieu").click()
    moderator.wait_for_url("**/network/creuse/census/")
    assert "Acceptée" in moderator.content()
    context.close()

    visitor.goto(f"{live_server.url}/map/?network=creuse")
    rows = visitor.locator("tr.map-row a").all_inner_texts()
    assert "La Grange Numérique" in rows
    visitor.context.close()
    connections.close_all()
