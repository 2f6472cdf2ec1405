"""The door of a workshop in a real headless Chromium, in French, on a 390 px phone: the
coordinator opens the attendance list from the event's page, finds a name as they type,
checks people in with one tap, undoes a mistake, adds a walk-in, and is refused one more
once the room is full. Each page of the way fits the phone."""

from __future__ import annotations

import re

import pytest
from django.db import connections

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events.models import Attendance, Registration
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
PHONE = 390


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, (page.url, width)


def present() -> dict[str, int]:
    rows = dict(Attendance.objects.values_list("registration__name", "seats"))
    connections.close_all()  # the ORM's own connection, or PostgreSQL cannot drop the database
    return rows


def test_the_coordinator_checks_people_in_at_the_door(live_server, browser, clock):
    clock.set(at("2027-03-01", 8))
    place = f.place(name="La Fabrique")
    coordinator = f.coordinator(place)
    bf.open_every_day(place)
    room = bf.room(place, name="Salle Jaune")
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=4,
    )
    ef.visitor(event, session, "Ana Lopez", seats=2)
    ef.visitor(event, session, "Bob Martin")
    clock.set(at("2027-03-03", 13, 50))
    connections.close_all()
    page = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 844}).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/manage/{place.slug}/events/{event.pk}/")
    page.get_by_label("Adresse e-mail").fill(coordinator.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name=re.compile("^Présences")).click()
    page.wait_for_url("**/attendance/")
    page.wait_for_load_state()
    fits_a_phone(page)
    assert "Attendus\u00a0: 3" in page.inner_text(".attendance-count")

    page.get_by_label("Rechercher par nom").fill("bob")  # filtered as one types
    names = page.locator("li[data-name]:visible .attendance-name").all_inner_texts()
    assert names == ["Bob Martin"]
    page.get_by_role("button", name="Présent", exact=True).click()
    page.wait_for_load_state()
    assert "Présents\u00a0: 1" in page.inner_text(".attendance-count")
    assert present() == {"Bob Martin": 1}

    assert page.get_by_label("Rechercher par nom").input_value() == ""  # for the next one
    ana = page.locator("li[data-name='ana lopez']")
    ana.locator("select[name=seats]").select_option("1")  # one of her two seats came
    ana.get_by_role("button", name="Présent", exact=True).click()
    page.wait_for_load_state()
    page.locator("li[data-name='bob martin']").get_by_role(
        "button", name="Annuler le pointage"
    ).click()
    page.wait_for_load_state()
    assert present() == {"Ana Lopez": 1}
    fits_a_phone(page)

    walk_in = page.locator("form[action$='/walk-in/']")
    walk_in.get_by_label(re.compile("^Nom")).fill("Chloé Blanc")
    walk_in.get_by_label(re.compile("^Personnes")).select_option("3")
    walk_in.get_by_role("button", name="Ajouter et pointer").click()
    page.wait_for_load_state()
    assert "Présents\u00a0: 4" in page.inner_text(".attendance-count")
    walk_in.get_by_label(re.compile("^Nom")).fill("Dan Roux")
    walk_in.get_by_role("button", name="Ajouter et pointer").click()
    page.wait_for_load_state()
    assert "La salle est pleine" in page.content()
    fits_a_phone(page)
    assert present() == {"Ana Lopez": 1, "Chloé Blanc": 3}
    assert Registration.objects.filter(source="walk_in").count() == 1
    connections.close_all()
    page.context.close()
