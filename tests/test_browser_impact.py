"""Issue 14 end to end in a real headless Chromium, in French: a coordinator opens last year's
impact assessment, records a verdict per impact (departing once from the suggestion, with
its reason), confirms the year after the page asks, and downloads the report a funder reads;
the network's observer then finds the place and its verdict in the network's matrix."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from pypdf import PdfReader

from tierslieux.billing.tests import factories as bf
from tierslieux.core import clock
from tierslieux.impact.models import YearAssessment
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.browser
REASON = "Des ateliers de réparation entre voisins chaque samedi, tenus par des bénévoles."


def _signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def test_a_coordinator_confirms_the_year_and_the_network_sees_it(live_server, browser) -> None:
    year = clock.today().year - 1
    place = bf.place(name="La Fabrique")
    coordinator = pf.coordinator(place)
    observer = pf.network_observer(place.network)
    connections.close_all()

    context = _signed_in(browser, live_server, coordinator)
    page = context.new_page()
    page.goto(f"{live_server.url}/manage/{place.slug}/impact/assessments/")
    page.get_by_label("Année").fill(str(year))
    page.get_by_role("button", name="Ouvrir l’année").click()
    page.wait_for_url(f"**/impact/assessments/{year}/")
    sections = page.locator("section[id^='impact-']")
    assert sections.count() == 8
    for index in range(8):
        section = sections.nth(index)
        if section.get_attribute("id") == "impact-peer_learning":
            section.get_by_label("Oui").check()
            # Departing from the suggestion without a reason is refused, and nothing is lost.
            section.get_by_role("button", name="Enregistrer le verdict").click()
            refused = page.locator("#impact-peer_learning")
            assert "Dites pourquoi" in refused.inner_text()
            refused.get_by_label("Oui").check()
            refused.get_by_label("Pourquoi s’écarter de la suggestion").fill(REASON)
            refused.get_by_role("button", name="Enregistrer le verdict").click()
        else:
            section.get_by_role("button", name="Enregistrer le verdict").click()
        page.wait_for_load_state()
        sections = page.locator("section[id^='impact-']")
    assert "écart" in page.locator("#impact-peer_learning").inner_text()

    page.get_by_role("link", name="Confirmer l’évaluation").click()
    assert page.locator("h1").inner_text().startswith(f"Confirmer l’évaluation de {year}")
    assert YearAssessment.objects.get(place=place, year=year).confirmed_at is None  # it asks
    page.get_by_label("Méthode de l’évaluation").fill("Réunion d’équipe du 12 janvier.")
    page.get_by_role("button", name="Confirmer", exact=True).click()
    page.wait_for_url(f"**/impact/assessments/{year}/")
    assert "Confirmée" in page.inner_text("main")

    page.goto(f"{live_server.url}/manage/{place.slug}/impact/report/")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="PDF").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".pdf") and str(year) in (
        download.suggested_filename
    )
    with open(download.path(), "rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.read())).pages)
    assert "La Fabrique" in text and str(year) in text
    assert REASON[:40] in " ".join(text.split())  # the override's reason, in the method
    context.close()

    context = _signed_in(browser, live_server, observer)
    page = context.new_page()
    page.goto(f"{live_server.url}/network/{place.network.slug}/impact/matrix/?year={year}")
    row = page.get_by_role("row").filter(has_text="La Fabrique")
    assert row.count() == 1 and "oui" in row.inner_text().lower()
    row.get_by_role("link", name="La Fabrique").click()
    page.wait_for_url(f"**/matrix/places/{place.slug}/{year}/")
    assert REASON in page.inner_text("main")
    context.close()
