"""Issue 15 in a real headless Chromium, on a 390 px phone screen: a project holder (a
network's administrator, modelling a town's project on the network's pages) creates a
scenario from the micro-centre template, raises the rent, then lowers it, and sees the
break-even month and the verdict move both ways."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connections
from django.urls import reverse

from tierslieux.accounts.tests.factories import PASSWORD
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def verdict_of(page) -> tuple[str, str]:
    """The verdict's heading and the break-even month, as the page says them."""
    box = page.locator("#verdict")
    return box.locator("h2").inner_text(), box.locator("[data-break-even]").inner_text()


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_project_holder_changes_the_rent_and_the_verdict_moves(live_server, browser, place):
    holder = pf.network_admin(place.network)
    connections.close_all()
    new = reverse("economics_network:new", args=[place.network.slug])
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={quote(new, safe='')}")
    page.get_by_label("Adresse e-mail").fill(holder.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{new}")
    assert fits(page)

    page.get_by_label("Micro-centre, type (le milieu des fourchettes)").check()
    page.get_by_label("Nom").fill("Felletin, hypothèse centrale")
    page.get_by_label("Projet").fill("Tiers-lieu de Felletin (projet)")
    page.get_by_label("Mois d’ouverture").fill("2027-01")
    page.get_by_role("button", name="Créer le scénario").click()
    page.wait_for_selector("#verdict")
    heading, month = verdict_of(page)
    # The seed's middle figures break even in time, but cash at its lowest (905 €) would not
    # pay a month of costs.
    assert heading == "Le lieu est fragile" and month == "mois 10 (octobre 2027)"
    assert "moins d’un mois de dépenses" in page.locator("#verdict").inner_text()
    assert fits(page)

    rent = page.locator('input[name="fixed_costs_0_monthly"]')
    rent.fill("2800")
    page.get_by_role("button", name="Recalculer").click()
    page.wait_for_selector("#verdict")
    heading, month = verdict_of(page)
    # 400 € more a month: break-even a month later, and cash falls below zero on the way.
    assert month == "mois 11 (novembre 2027)"
    assert heading == "Le lieu ne tient pas"
    assert "La trésorerie passe sous zéro" in page.locator("#verdict").inner_text()
    assert fits(page)

    # A town that lets its premises cheaper: 1,600 € a month, and the place holds.
    rent.fill("1600")
    page.get_by_role("button", name="Recalculer").click()
    page.wait_for_selector("#verdict")
    heading, month = verdict_of(page)
    assert heading == "Le lieu tient" and month == "mois 9 (septembre 2027)"
    context.close()
