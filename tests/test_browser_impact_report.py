"""The yearly impact report in a real headless Chromium, in French, on a 390 px phone: the
team's page and the public page do not scroll sideways, their stylesheet (nonced) and inline
SVG charts pass the Content Security Policy, and the charts are drawn within the page."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tierslieux.billing.tests import factories as bf
from tierslieux.impact.tests import report_factories as rf
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
YEAR = 2025


def test_the_report_on_a_phone(live_server, page) -> None:
    place = bf.place(name="La Fabrique", latitude=Decimal("43.184"), longitude=Decimal("3.004"))
    pf.place(
        name="Un voisin au nom assez long pour déborder",
        latitude=Decimal("43.1"),
        longitude=Decimal("2.95"),
    )
    coordinator = pf.coordinator(place)
    rf.assessment(place, YEAR, public=True, by=coordinator)
    rf.testimony(
        place,
        "Ici je retrouve du travail.",
        public=True,
        said_on=date(YEAR, 3, 1),
        impact="local_sectors",
    )
    rf.commitments(place, date(YEAR - 1, 6, 1), {"openness": 1, "territory": 2})
    rf.commitments(place, date(YEAR, 6, 1), {"openness": 3, "territory": 2})
    rf.milestone(place, date(2019, 9, 1), "Ouverture du lieu")
    client = Client()
    client.force_login(coordinator)
    connections.close_all()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    page.set_viewport_size(PHONE)
    for path in (
        reverse("impact_manage:report", args=[place.slug, YEAR]),
        reverse("impact:report", args=[place.slug, YEAR]),
    ):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert page.locator("h1").first.inner_text().startswith("Bilan d’impact 2025")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        charts = page.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)"
        )
        assert len(charts) >= 3 and max(charts) <= PHONE["width"], (path, charts)
        # The report's stylesheet applied (its nonce accepted): the verdict badges are coloured.
        colour = page.evaluate(
            "getComputedStyle(document.querySelector('.impact-report .v-yes')).backgroundColor"
        )
        assert colour == "rgb(47, 133, 90)", path
    assert refused == []
