"""Accessibility of the main pages of each persona, checked by axe-core in a real Chromium:
no serious or critical violation of WCAG 2 A/AA (towns and départements buying software
require RGAA conformity, which builds on WCAG 2.1 AA).

axe-core is vendored under `tests/vendor/axe-core/` (see its README): the test never reaches
a CDN. The site's Content-Security-Policy forbids inline scripts, so axe is not added as a
`<script>` tag: it is registered as the context's init script, which Chromium runs through
the DevTools protocol, outside the page's policy (the pages themselves are served unchanged).

The demo network gives every persona a realistic page: anonymous visitor, member and
coordinator of the micro-centre, network administrator.

The demo takes half a minute to load, and a browser test's tables are flushed after it: the
check runs in the test of `tests/test_browser_map.py`, on the demo that test loads for both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.urls import reverse

from tierslieux.demo import economics as demo_economics
from tierslieux.demo import impact as demo_impact
from tierslieux.demo import people
from tierslieux.demo.data import MICRO_CENTRE
from tierslieux.demo.loader import NETWORK_SLUG
from tierslieux.economics.models import Scenario
from tierslieux.events.models import Event
from tierslieux.surveys.models import Survey

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
    resultTypes: ['violations'],
  });
  const found = result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
  }));
  // axe only calls a reference to a missing id "incomplete" (it may appear later): here the
  // page is complete, so a help text or label announced but absent is a serious violation.
  const dangling = [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')]
    .filter(e => ['aria-describedby', 'aria-labelledby'].some(a => e.hasAttribute(a) &&
      e.getAttribute(a).split(/\\s+/).some(id => id && !document.getElementById(id))))
    .map(e => e.id ? '#' + e.id : e.tagName.toLowerCase());
  if (dangling.length) found.push({id: 'aria-reference-missing', impact: 'serious',
    help: 'aria-describedby/labelledby must name elements of the page', targets: dangling});
  return {checked: result.passes.length, found};
}"""


def persona_pages() -> dict[str | None, list[str]]:
    """The main pages of each persona, by the e-mail of its demo login (None: anonymous)."""
    micro = MICRO_CENTRE["slug"]
    event = Event.objects.filter(place__slug=micro, status=Event.Status.PUBLISHED).first()
    assert event is not None
    mobility = Survey.objects.get(place__slug=micro, template="mobility")
    plan = Scenario.objects.get(place__slug=micro, name=demo_economics.LAUNCH_PLAN)
    sent = Scenario.objects.get(network__slug=NETWORK_SLUG, name=demo_economics.PROJECT_PLAN)
    domain = people.DOMAIN
    return {
        None: [
            reverse("places:directory"),
            reverse("places:detail", args=[micro]),
            reverse("map:map"),
            reverse("events:agenda", args=[micro]),
            reverse("events:event", args=[micro, event.pk]),
            reverse("surveys:answer", args=[mobility.public_key]),
            reverse("impact:report", args=[demo_impact.PUBLISHED, demo_impact.assessed_year()]),
            reverse("economics:shared", args=[sent.share_key]),
            reverse("login"),
        ],
        f"membre@{domain}": [
            reverse("web:dashboard"),
            reverse("joining:profile"),
            reverse("bookings:calendar", args=[micro]),
            reverse("bookings:mine"),
        ],
        f"coordination@{domain}": [
            reverse("places:manage", args=[micro]),
            reverse("places:manage_sheet", args=[micro]),
            reverse("places:manage_people", args=[micro]),
            reverse("bookings_manage:board", args=[micro]),
            reverse("billing_manage:invoices", args=[micro]),
            reverse("activity_manage:overview", args=[micro]),
            reverse("surveys_manage:list", args=[micro]),
            reverse("surveys_manage:questions", args=[micro, mobility.pk]),
            reverse("surveys_manage:results", args=[micro, mobility.pk]),
            reverse("impact_manage:indicators", args=[micro]),
            reverse("impact_manage:assessment", args=[micro, demo_impact.assessed_year()]),
            reverse("economics_manage:detail", args=[micro, plan.pk]),
            reverse("economics_manage:actuals", args=[micro, plan.pk]),
            reverse("economics_manage:expenses", args=[micro]),
        ],
        f"reseau@{domain}": [
            reverse("places:network_places", args=[NETWORK_SLUG]),
            reverse("statistics:page", args=[NETWORK_SLUG]),
            reverse("census:queue", args=[NETWORK_SLUG]),
            reverse("impact_network:matrix", args=[NETWORK_SLUG]),
            reverse("economics_network:list", args=[NETWORK_SLUG]),
        ],
    }


def session_of(email: str) -> str:
    """A session cookie for the demo login (no password typed: the login form has its own
    tests, and its throttling must not count these)."""
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client.cookies["sessionid"].value


def audit(browser: Any, base: str, email: str | None, paths: list[str]) -> list[str]:
    """axe's blocking violations on `paths`, one line per rule and page."""
    context = browser.new_context(locale="fr-FR")
    try:
        context.add_init_script(path=str(AXE))
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda r: r.abort())
        if email is not None:
            cookie = session_of(email)
            connections.close_all()
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
        page = context.new_page()
        found = []
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (email, path)
            assert page.url.split("?")[0].endswith(path), (email, path, page.url)
            result = page.evaluate(RUN_AXE)
            assert result["checked"] > 20, (path, result)  # axe ran its rules on a real page
            for v in result["found"]:
                if v["impact"] in BLOCKING:
                    found.append(
                        f"{path} [{email or 'anonymous'}] {v['id']} ({v['impact']}): "
                        f"{v['help']} → {', '.join(v['targets'])}"
                    )
        return found
    finally:
        context.close()


def violations(browser: Any, base: str) -> list[str]:
    """axe's blocking violations on the main pages of every persona, the demo loaded (the
    test, `tests/test_browser_map.py`, loads it once for this check and the map's)."""
    pages = persona_pages()
    connections.close_all()
    found = []
    for email, paths in pages.items():
        found += audit(browser, base, email, paths)
    return found
