"""Every page of the access walk, as each persona, on a 390 px wide phone: none scrolls sideways.

The pages and the furnished place come from `tests/test_access_walk.py`, so a page added to the
site is measured here too. One browser context per persona, logged in once by its session
cookie; each page is measured as soon as its document is parsed (`web/tables.js`, which labels
the cells of the tables shown as cards, is deferred: it has run by then).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.test_access_walk import all_patterns, fill, furnished_target, intruders
from tierslieux.accounts.models import Person, User
from tierslieux.billing.models import Customer
from tierslieux.members.models import Product
from tierslieux.places.models import Place, Space

pytestmark = pytest.mark.browser

PHONE = 390
DESKTOP = 1280
LONG_WORD = "Anticonstitutionnellement"
# Not pages: the API (JSON, and its documentation page, served by the API's own assets), files
# to download (PDF, XML, CSV, XLSX, FEC, SEPA, calendar feeds) and the Django admin.
NOT_A_PAGE = re.compile(
    r"^(api/|admin/)|\.(ics|csv|xlsx|geojson|json|pdf)$|/(pdf|xml|csv|xlsx|fec|sepa)/$|^accounts/logout/$"
)

# The widest culprits: elements wider than the viewport none of whose children is, with the
# table cells and scrolling boxes that hide an overflow inside themselves.
MEASURE = """(limit) => {
  const doc = document.documentElement;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const r = el.getBoundingClientRect();
    return `${name} [${Math.round(r.left)}–${Math.round(r.right)} px] «${text}»`;
  };
  const found = [];
  const all = [...document.body.querySelectorAll('*')];
  const sticks = (el) => el.getBoundingClientRect().right > limit + 0.5;
  if (doc.scrollWidth > limit) {
    for (const el of all) {
      if (sticks(el) && ![...el.children].some(sticks)) found.push(describe(el));
    }
  }
  // A table that scrolls in its own box, or sticks out of it, is no card: only the calendar's
  // grid may do so.
  const scrolled = [...document.querySelectorAll('table:not(.cal)')].filter((el) =>
    (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
    || el.getBoundingClientRect().right > el.parentElement.getBoundingClientRect().right + 1);
  return {width: doc.scrollWidth, culprits: found.slice(0, 3),
          scrolled: scrolled.slice(0, 3).map(describe)};
}"""


@pytest.fixture
def walk(live_server: Any, clock: Any, browser: Any) -> Iterator[dict[str, Any]]:
    """The access walk's furnished place, its people, and the pages to open."""
    clock.set(datetime(2027, 1, 4, 9, tzinfo=ZoneInfo("Europe/Paris")))
    target = furnished_target()
    values = {**target["values"], "uidb64": "MQ"}  # a password-reset link, not valid
    people = intruders(target["place"])
    member = User.objects.get(person__pk=values["person_id"])  # the one with bookings, invoices
    personas: dict[str, User | None] = {
        "anonymous": None,
        "outsider": people["outsider"],
        "other_coordinator": people["other_coordinator"],
        "member": member,
        "coordinator": target["owner"],
    }
    lengthen(target["place"], [u for u in personas.values() if u is not None])
    pages = []
    for route in all_patterns():
        try:
            pages += [] if NOT_A_PAGE.search(route) else [fill(route, values)]
        except AssertionError:
            continue  # a parameter the walk has no value for (its own test says which)
    assert len(pages) > 80
    yield {"personas": personas, "pages": pages, "url": live_server.url, "values": values}
    connections.close_all()  # the ORM connections Playwright's thread opened (see test_browser)


def lengthen(place: Place, users: list[User]) -> None:
    """Names and addresses as long as real ones get: they must wrap, not widen the page."""
    Place.objects.filter(pk=place.pk).update(name=f"Tiers-lieu intercommunal {LONG_WORD}")
    long = f"Association intercommunale pour le développement {LONG_WORD} des tiers-lieux"
    Customer.objects.filter(place=place).update(name=long)
    Product.objects.filter(place=place).update(name=f"Formule résident {LONG_WORD}")
    Space.objects.filter(place=place).update(name=f"Salle de réunion {LONG_WORD}")
    for user in users:
        email = f"{LONG_WORD.lower()}.{user.pk}@communaute-de-communes.example.org"
        User.objects.filter(pk=user.pk).update(email=email)
        Person.objects.filter(user=user).update(last_name=LONG_WORD, email=email)


def session_cookie(user: User, url: str) -> list[dict[str, str]]:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}]


def overflows(browser: Any, base: str, user: User | None, paths: list[str], width: int) -> list:
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
    if user is not None:
        context.add_cookies(session_cookie(user, base))
    page = context.new_page()
    found = []
    try:
        for path in paths:
            try:
                page.goto(f"{base}{path}?date=2027-01-11", wait_until="domcontentloaded")
            except PlaywrightError as error:
                # No document to lay out: an empty answer (405 to a GET on a POST-only route).
                assert "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(error), (path, error)
                page.close()  # its error page would interrupt the next navigation
                page = context.new_page()
                continue
            seen = page.evaluate(MEASURE, width)
            if seen["width"] > width or seen["scrolled"]:
                found.append((path, seen))
    finally:
        context.close()
    return found


def report(found: list) -> str:
    return "\n".join(
        f"{who} {path}: {seen['width']} px wide; widest: {seen['culprits']}; "
        f"scrolls inside: {seen['scrolled']}"
        for who, path, seen in found
    )


def test_no_page_scrolls_sideways_on_a_phone_and_the_rate_card_fits_a_desktop(walk, browser):
    """One test for the walk's three checks: the furnished place is built, and the tables
    flushed after it, once instead of three times. Each check runs whatever the others find."""
    found = []
    for who, user in walk["personas"].items():
        team = who == "coordinator"
        # Back-office pages answer everyone else with the same 403 page: measure it once.
        paths = [p for p in walk["pages"] if team or not p.startswith("/manage/")]
        paths += [] if team else [next(p for p in walk["pages"] if p.startswith("/manage/"))]
        found += [(who, *o) for o in overflows(browser, walk["url"], user, paths, PHONE)]
    # The rate card, on a desktop.
    slug = walk["values"]["slug"]
    path = f"/manage/{slug}/members/rates/"
    desktop = overflows(browser, walk["url"], walk["personas"]["coordinator"], [path], DESKTOP)
    found += [("coordinator (desktop)", *o) for o in desktop]
    try:
        my_bookings_are_labelled_cards_with_their_buttons_on_screen(walk, browser)
    finally:
        assert not found, report(found)


def my_bookings_are_labelled_cards_with_their_buttons_on_screen(walk, browser) -> None:
    """On a phone, the member's bookings are cards whose cells say what they are, with the
    cancel button on screen."""
    context = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 800})
    context.add_cookies(session_cookie(walk["personas"]["member"], walk["url"]))
    page = context.new_page()
    page.goto(f"{walk['url']}/bookings/mine/")
    card = page.locator("table.my-bookings tbody tr").first
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    status = card.locator("td").nth(2)
    assert status.get_attribute("data-label") == "Statut"
    before = status.evaluate("el => getComputedStyle(el, '::before').content")
    assert before == '"Statut\u00a0: "'
    cancel = card.get_by_role("button", name="Annuler")
    box = cancel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    context.close()
