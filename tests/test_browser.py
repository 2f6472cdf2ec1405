"""A coordinator, in a real headless Chromium, changes the surface of their place."""

from __future__ import annotations

import pytest
from django.db import connections

from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser


def assert_surface_saved(place, surface: int) -> None:
    place.refresh_from_db()
    assert place.surface_m2 == surface
    # While Playwright runs, ORM calls get a connection of their own (asgiref locals follow
    # the context); close it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()


def test_a_coordinator_changes_the_surface_and_the_public_page_shows_it(live_server, page):
    place = f.place(name="Micro-centre pilote", surface_m2=240)
    coordinator = f.coordinator(place)

    page.goto(f"{live_server.url}/accounts/login/?next=%2Fmanage%2F{place.slug}%2Fsheet%2F")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()

    page.wait_for_url(f"**/manage/{place.slug}/sheet/")
    surface = page.get_by_label("Surface (m²)")
    assert surface.input_value() == "240"
    surface.fill("265")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"**/manage/{place.slug}/sheet/")
    assert "La fiche technique est enregistrée" in page.content()

    page.goto(f"{live_server.url}/places/{place.slug}/")
    assert page.locator("#place-surface").inner_text() == "265\u00a0m²"  # no-break space

    assert page.get_by_label("Surface (m²)").count() == 0  # the public page has no form
    assert_surface_saved(place, 265)


def test_a_bad_surface_is_explained_in_french_and_nothing_is_saved(live_server, page):
    place = f.place(surface_m2=240)
    coordinator = f.coordinator(place)
    page.goto(f"{live_server.url}/accounts/login/?next=%2Fmanage%2F{place.slug}%2Fsheet%2F")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/manage/{place.slug}/sheet/")
    page.get_by_label("Surface (m²)").fill("-12")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("alert").first.is_visible()
    assert "supérieure ou égale à 0" in page.content()
    assert_surface_saved(place, 240)
