"""No page breaks the Content Security Policy in a real Chromium: the browser reports every
refused script, style or image in the console ("Refused to …"), and the test collects them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_place, room
from tierslieux.places.models import Category
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
DAY = "2027-01-13"
PLACED = """() => {
  const sheet = document.querySelector('head style').sheet;  // null if the policy refused it
  const rules = Object.fromEntries([...(sheet ? sheet.cssRules : [])]
    .filter(r => r.selectorText && r.selectorText.startsWith('#'))
    .map(r => [r.selectorText.slice(1), r.style]));
  const blocks = [...document.querySelectorAll('.track .block')];
  return {
    blocks: blocks.length,
    placed: blocks.filter(b => rules[b.id] && Math.abs(
      b.offsetWidth - parseFloat(rules[b.id].width) / 100 * b.parentElement.clientWidth) < 2
    ).length,
  };
}"""


def test_the_pages_with_scripts_and_computed_styles_respect_the_policy(live_server, page):
    place = open_place(name="La Fabrique", latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    Category.objects.get_or_create(code=Category.Code.values[0])
    space = room(place, name="Salle Jaune", slug="salle-jaune")
    visitor = f.with_role(f.user(is_staff=True, is_superuser=True), place, "member")
    Booking.objects.create(
        place=place,
        space=space,
        person=visitor.person,
        start=at(DAY, 10),
        end=at(DAY, 11, 30),
        status=Booking.Status.CONFIRMED,
        exclusive=True,
    )
    calendar = reverse("bookings:calendar", args=[place.slug]) + f"?date={DAY}&view=week"
    client = Client()  # the calendar and the admin ask for a login
    client.force_login(visitor)
    connections.close_all()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    for path in ["/map/", "/api/v1/docs", "/admin/", calendar]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200 and page.url.endswith(path), path
        page.wait_for_load_state("networkidle")
    assert refused == []
    # The calendar's blocks are placed by the nonced stylesheet: each as wide as its rule says.
    placed = page.evaluate(PLACED)
    assert placed["blocks"] > 0 and placed["placed"] == placed["blocks"]
