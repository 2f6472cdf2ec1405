"""Issue 13 in a real headless Chromium: a visitor answers the mobility survey by its public
link on a 390 px phone screen, and the coordinator, on the survey's results, sees the modal
split change."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connections
from django.urls import reverse

from tierslieux.accounts.tests.factories import PASSWORD
from tierslieux.surveys import services, services_templates
from tierslieux.surveys.models import Response

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
BY_CAR = {"distance_km": ["12"], "days_car": ["4"]}


def split_of(page) -> str:
    """The text of the modal split's panel."""
    panel = page.locator("section", has_text="part modale").first
    return " ".join(panel.inner_text().split())


def test_a_visitor_answers_on_a_phone_and_the_modal_split_moves(
    live_server, browser, page, place, coordinator
):
    survey = services_templates.create_from_template(actor=coordinator, key="mobility", place=place)
    survey = services.publish(actor=coordinator, survey=survey)
    for _ in range(5):  # anonymous: no share shown under five answers
        services.answer_by_link(survey=survey, raw=BY_CAR)
    connections.close_all()
    results = reverse("surveys_manage:results", args=[place.slug, survey.pk])

    page.goto(f"{live_server.url}/accounts/login/?next={quote(results, safe='')}")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{results}")
    before = split_of(page)
    assert "100" in before and "Vélo" not in before.split("Voiture")[0]

    visitor = browser.new_context(locale="fr-FR", viewport=PHONE)
    phone = visitor.new_page()
    phone.goto(f"{live_server.url}/s/{survey.public_key}/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator('input[name="distance_km"]').fill("3")
    phone.locator('input[name="days_bike"]').fill("4")
    phone.locator('input[name="days_walk"]').fill("1")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url(f"**/s/{survey.public_key}/thanks/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    visitor.close()
    assert Response.objects.filter(survey=survey).count() == 6
    connections.close_all()

    page.reload()
    after = split_of(page)
    # 6 answers: 20 car days, 4 bike days, 1 day on foot → 80 %, 16 %, 4 % of 25 trips' days.
    assert after != before
    assert "80" in after and "16" in after and "4" in after
