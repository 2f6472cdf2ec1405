"""Issue 15's actuals in a real headless Chromium on a 390 px phone: the coordinator reads
the plan against the actuals, records an expense (a bad amount first, refused by name), and
reads an accountant's export; no page scrolls sideways."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tierslieux.economics import services, services_actuals
from tierslieux.economics.models import Expense, Scenario

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_coordinator_reads_the_actuals_and_keeps_the_ledger_on_a_phone(
    live_server, browser, place, coordinator, tmp_path: Path
):
    scenario = services.create_from_template(
        actor=coordinator, place=place, template="micro-centre:typical", name="Plan A"
    )
    Scenario.objects.filter(pk=scenario.pk).update(data=scenario.data | {"start": "2026-01"})
    services_actuals.add_grant(
        actor=coordinator, place=place, funder_kind="departement",
        funder="Conseil départemental de la Creuse", amount="12000",
        first_month=date(2026, 1, 1), last_month=date(2026, 12, 1),
    )  # fmt: skip
    client = Client()
    client.force_login(coordinator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    connections.close_all()
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie,
                          "url": live_server.url}])  # fmt: skip
    page = context.new_page()
    base = f"{live_server.url}/manage/{place.slug}/economics/"

    page.goto(f"{base}{scenario.pk}/actuals/")
    assert "sous le plan depuis" in page.locator(".reasons").inner_text()
    assert fits(page)

    page.goto(f"{base}expenses/")
    page.get_by_label("Date").fill("2026-03-31")
    page.get_by_label("Libellé").fill("Loyer de mars, charges comprises")
    page.get_by_label("Montant (€)").fill("-12")
    page.get_by_role("button", name="Ajouter").click()
    assert page.locator(".errorlist").count() >= 1 and fits(page)
    page.get_by_label("Montant (€)").fill("1 250,50")
    page.get_by_role("button", name="Ajouter").click()
    page.wait_for_selector("table")
    assert "250,50\u00a0€" in page.locator("table").inner_text()
    assert Expense.objects.get(place=place).amount == Decimal("1250.50")
    assert fits(page)

    export = tmp_path / "export.csv"
    lines = ["date;libellé;montant;catégorie", "30/04/2026;Assurance du bâtiment;480,00;Assurances"]
    export.write_text("\n".join(lines) + "\n")
    page.goto(f"{base}expenses/import/")
    page.set_input_files('input[type="file"]', str(export))
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("button", name="Importer 1 ligne").click()
    page.wait_for_url(f"{base}expenses/")
    assert fits(page)
    context.close()
    assert Expense.objects.filter(place=place).count() == 2
