"""The coordinator, in a real headless Chromium, books for a member from the day's board
(checking the price first), then moves that booking to another room and time."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.db import connections

from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import PARIS, at, open_place, room
from tierslieux.core import clock
from tierslieux.members.tests import factories as money
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser


def a_working_day() -> date:
    """A weekday at least ten days ahead that is no public holiday (the place is open)."""
    day = clock.today(PARIS) + timedelta(days=10)
    while day.weekday() >= 5 or day in holidays_between(day, day):
        day += timedelta(days=1)
    return day


def bookings() -> list[tuple]:
    rows = list(
        Booking.objects.order_by("start").values_list(
            "space__name", "start", "end", "person_id", "booked_by_id", "status"
        )
    )
    connections.close_all()  # see test_browser_bookings: the server thread's connection
    return rows


def test_the_coordinator_books_for_a_member_from_the_board_then_moves_it(live_server, page):
    from playwright.sync_api import expect

    place = open_place(name="La Fabrique")
    yellow = room(place, name="Salle Jaune", slug="salle-jaune")
    room(place, name="Salle Verte", slug="salle-verte")
    money.room_rate(yellow, "non_member", "hour", "25.00")
    member = f.member(place)
    member.person.first_name, member.person.last_name = "Alice", "Martin"
    member.person.save()
    # English pages: the assertions read the source strings, whatever the catalogues say.
    coordinator = f.with_role(f.user(language="en"), place, "coordinator")
    day = a_working_day().isoformat()
    board = f"/manage/{place.slug}/bookings/?date={day}"

    page.goto(f"{live_server.url}/accounts/login/?next={quote(board, safe='')}")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/**")

    page.get_by_role("link", name="Book for someone").first.click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/new/**")
    assert page.get_by_label("Date").input_value() == day
    page.get_by_label("Booked for").select_option(label=f"Alice Martin ({member.email})")
    page.get_by_label("Space").select_option("salle-jaune")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Title").fill("Entretien")
    page.get_by_role("button", name="Check the price and the slot").click()
    expect(page.get_by_role("status")).to_contain_text("This slot is free.")
    expect(page.get_by_role("status")).to_contain_text("50.00 € excl. tax")
    assert bookings() == []

    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/?date={day}")
    row = page.locator("tr", has_text="Salle Jaune")
    expect(row).to_contain_text("Alice Martin")
    (booked,) = bookings()
    assert booked[0] == "Salle Jaune" and booked[3:5] == (member.person.pk, coordinator.pk)
    assert booked[1] == at(day, 10)

    row.get_by_role("link", name="Move").click()
    page.wait_for_url("**/move/")
    page.get_by_label("Space").select_option("salle-verte")
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("15:00")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/?date={day}")
    expect(page.locator(".messages")).to_contain_text("The booking has moved.")
    expect(page.locator("tr", has_text="Salle Verte")).to_contain_text("Alice Martin")
    assert bookings() == [
        ("Salle Verte", at(day, 14), at(day, 15), member.person.pk, coordinator.pk, "confirmed")
    ]
