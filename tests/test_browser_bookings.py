"""A member, in a real headless Chromium, books a free slot from a place's calendar, sees it,
then tries the same slot again and is shown the conflict and the proposed alternatives."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connections

from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_place, room
from tierslieux.members.tests import factories as money
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser


DAY = "2027-01-13"  # a Wednesday in the future, no public holiday


def bookings_of(space) -> list[tuple]:
    rows = list(
        Booking.objects.filter(space=space).order_by("start").values_list("start", "end", "status")
    )
    # While Playwright runs, ORM calls get a connection of their own (asgiref locals follow
    # the context); close it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    return rows


def test_a_member_books_a_free_slot_from_the_calendar_then_meets_the_conflict(live_server, page):
    place = open_place(name="La Fabrique")
    yellow = room(place, name="Salle Jaune", slug="salle-jaune")
    room(place, name="Salle Verte", slug="salle-verte")
    money.room_rate(yellow, "non_member", "hour", "25.00")
    # English pages: the assertions read the source strings, whatever the catalogues say.
    member = f.with_role(f.user(language="en"), place, "member")
    calendar = f"/bookings/{place.slug}/calendar/?date={DAY}&view=day"

    page.goto(f"{live_server.url}/accounts/login/?next={quote(calendar, safe='')}")
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/bookings/{place.slug}/calendar/**")

    # The first free interval of the yellow room opens the form, prefilled.
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Salle Jaune"))
    free = row.locator("a.slot-free").first
    slot_url = free.get_attribute("href")
    free.click()
    page.wait_for_url(f"**/bookings/{place.slug}/book/**")
    assert page.get_by_label("Space").input_value() == "salle-jaune"
    assert page.get_by_label("Date:", exact=True).input_value() == DAY
    assert page.get_by_label("Start time").input_value() == "08:00"
    assert page.get_by_label("End time").input_value() == "09:00"
    assert page.locator("#slots a.slot").count() > 0  # live availability of that day
    # The price of the chosen slot, under it, follows the slot as it changes.
    from playwright.sync_api import expect

    price = page.locator("#price")
    expect(price).to_contain_text("1 h for 25.00 € excl. tax (30.00 € incl. tax)")
    page.get_by_label("End time").fill("10:00")
    expect(price).to_contain_text("2 h for 50.00 € excl. tax (60.00 € incl. tax)")
    page.get_by_label("End time").fill("09:00")
    expect(price).to_contain_text("1 h for 25.00 €")
    page.get_by_label("Title").fill("Atelier couture")
    page.get_by_role("button", name="Book", exact=True).click()

    # Back on the calendar of that day: the booking is there, with its title for its booker.
    page.wait_for_url(f"**/bookings/{place.slug}/calendar/?date={DAY}")
    assert "Your booking is confirmed." in page.locator(".messages").inner_text()
    assert row.locator(".block-mine").inner_text().startswith("08:00–09:00")
    assert "Atelier couture" in row.locator(".block-mine").inner_text()
    assert bookings_of(yellow) == [(at(DAY, 8), at(DAY, 9), "confirmed")]

    page.goto(f"{live_server.url}/bookings/mine/")
    upcoming = page.get_by_role("table", name="My upcoming bookings")
    assert "Salle Jaune" in upcoming.inner_text() and "Atelier couture" in upcoming.inner_text()

    # The same slot again: refused, with the reason and the nearest free slots.
    page.goto(f"{live_server.url}{slot_url}")
    page.get_by_role("button", name="Book", exact=True).click()
    conflict = page.locator("#conflict")
    conflict.wait_for()
    assert "This slot is taken" in conflict.inner_text()
    alternatives = conflict.locator(".alternatives a")
    assert alternatives.count() >= 1
    assert "Salle Verte" in conflict.locator(".similar").inner_text()
    assert bookings_of(yellow) == [(at(DAY, 8), at(DAY, 9), "confirmed")]

    # An alternative refills the form; booking it works.
    first = alternatives.first
    start, end = first.get_attribute("data-start"), first.get_attribute("data-end")
    first.click()
    assert "start=" not in page.url  # the script filled the form in place
    assert page.get_by_label("Start time").input_value() == start
    assert page.get_by_label("End time").input_value() == end
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(f"**/bookings/{place.slug}/calendar/?date={DAY}")
    assert row.locator(".block-mine").count() == 2
    assert len(bookings_of(yellow)) == 2
