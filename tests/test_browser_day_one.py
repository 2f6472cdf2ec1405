"""Day one of a place, in a real headless Chromium and in French, as one story: the
coordinator sets a room's free cancellation deadline in the back office and invites Léa, who
sets a password and, on her phone, books that room at 19:27 for the next morning under the
cancellation terms the form shows (the deadline has passed: only the grace period is left),
then cancels it two minutes later; the coordinator books for Alice, a member, and moves it
(Léa sees only "Réservé", the team sees Alice's name); the room with a history is archived
and leaves the booking form; a visitor signs up and the team accepts.

The clock is stopped (the live server runs in the test's process, so it reads the same
clock) on the evening before a working day ten days ahead of today, moved by
`--clock-shift-days` like the rest of the suite."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connections

from tests.test_browser_joining import LAST_NAME, PASSWORD, PASSWORD_ONCE, log_in, path_in
from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import PARIS, at
from tierslieux.core import clock as project_clock
from tierslieux.members.tests import factories as money
from tierslieux.places.models import PlaceRole, Space
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def the_booking_day() -> str:
    """A weekday ten days ahead or more that is no public holiday (the place is open)."""
    day = project_clock.today(PARIS) + timedelta(days=10)
    while day.weekday() >= 5 or day in holidays_between(day, day):
        day += timedelta(days=1)
    return day.isoformat()


def read(query) -> list:
    """Rows of `query`; the ORM's connection of the test thread is closed at once, or
    PostgreSQL refuses to drop the test database at the end (see test_browser_bookings)."""
    rows = list(query)
    connections.close_all()
    return rows


def bookings() -> list[tuple]:
    return read(
        Booking.objects.order_by("pk").values_list(
            "space__name", "start", "end", "person__first_name", "booked_by__email", "status"
        )
    )


def roles_of(email: str) -> set[str]:
    return set(read(PlaceRole.objects.filter(person__user__email=email).values_list("role")))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_day_one_of_a_place(live_server, browser, page, clock):
    from playwright.sync_api import expect

    day = the_booking_day()
    day_before = date.fromisoformat(day) - timedelta(days=1)
    evening_before = clock.set(datetime.combine(day_before, time(19, 27)))
    place = bf.open_place(name="La Fabrique")
    yellow = bf.room(place, name="Salle Jaune", slug="salle-jaune")
    money.room_rate(yellow, "non_member", "hour", "20.00")
    bf.room(place, name="Salle Verte", slug="salle-verte")
    alice = f.member(place)
    alice.person.first_name, alice.person.last_name = "Alice", "Martin"
    alice.person.save()
    coordinator = f.coordinator(place)
    connections.close_all()
    url = live_server.url

    # The coordinator gives the yellow room two days of free cancellation (passed, the evening
    # before), then invites Léa from the people page.
    log_in(page, url, coordinator, f"/manage/{place.slug}/bookings/rules/")
    page.get_by_role("link", name="Modifier ses règles Salle Jaune").click()
    deadline = page.get_by_label("Annulation gratuite jusqu’à (heures avant le début)")
    expect(deadline).to_have_value("24")  # the default of a meeting room
    deadline.fill("48")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text(
        "Les règles de Salle Jaune sont enregistrées."
    )
    expect(page.locator("#space-salle-jaune")).to_contain_text("jusqu’à 48 heures avant le début")
    page.goto(f"{url}/manage/{place.slug}/people/")
    page.get_by_role("link", name="Inviter quelqu’un par e-mail").click()
    page.get_by_label("Adresse e-mail").fill("lea@example.org")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(LAST_NAME).fill("Dubois")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.locator(".messages")).to_contain_text("L’invitation est envoyée à lea@example.org")

    # Léa, on her phone, follows the e-mail's link and sets her password.
    lea = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    lea.goto(url + path_in(mail.outbox[-1], "/join/invitation/"))
    lea.get_by_label(PASSWORD_ONCE).fill(PASSWORD)
    lea.get_by_label("Mot de passe (à nouveau)").fill(PASSWORD)
    lea.get_by_role("button", name="Créer mon compte et rejoindre le lieu").click()
    lea.wait_for_url("**/dashboard/")
    assert "Bienvenue à La Fabrique" in lea.content()
    assert roles_of("lea@example.org") == {("member",)}

    # From her places to the calendar of tomorrow; the first free hour of the yellow room.
    lea.get_by_role("link", name="La Fabrique").first.click()
    lea.get_by_role("link", name="Réserver", exact=True).click()
    lea.get_by_role("link", name="Jour suivant").click()
    lea.wait_for_url(f"**date={day}**")
    yellow_row = lea.locator("tr", has=lea.get_by_role("rowheader", name="Salle Jaune"))
    yellow_row.locator("a.slot-free").first.click()
    lea.wait_for_url(f"**/bookings/{place.slug}/book/**")
    assert lea.get_by_label("Espace").input_value() == "salle-jaune"
    assert lea.get_by_label("Heure de début").input_value() == "08:00"
    # Before booking, the terms that will apply: the deadline has passed, only the grace
    # period remains.
    terms = lea.locator("#terms")
    expect(terms).to_contain_text("Conditions d’annulation")
    expect(terms).to_contain_text(
        "Annulation gratuite seulement dans les 15\u00a0minutes après votre réservation"
    )
    expect(terms).to_contain_text(
        "ensuite, seule l’équipe du lieu peut l’annuler, et elle reste due."
    )
    expect(lea.locator("#price")).to_contain_text("20,00\u00a0€")
    assert fits_the_screen(lea)
    lea.get_by_label("Titre").fill("Réunion de rentrée")
    lea.get_by_role("button", name="Réserver", exact=True).click()
    lea.wait_for_url(f"**/bookings/{place.slug}/calendar/?date={day}")
    expect(lea.locator(".messages")).to_contain_text("Votre réservation est confirmée.")
    assert bookings() == [
        ("Salle Jaune", at(day, 8), at(day, 9), "Léa", "lea@example.org", "confirmed")
    ]

    # Two minutes later she changes her mind: within the grace period, cancelled free.
    clock.advance(timedelta(minutes=2))
    lea.get_by_role("link", name="Mes réservations").first.click()
    mine = lea.get_by_role("table", name="Mes réservations à venir")
    expect(mine).to_contain_text("Réunion de rentrée")
    assert fits_the_screen(lea)
    mine.get_by_role("button", name="Annuler").click()
    expect(lea.locator(".messages")).to_contain_text("Votre réservation est annulée.")
    expect(mine).to_have_count(0)
    past = lea.get_by_role("table", name="Mes réservations passées et annulées")
    expect(past.get_by_role("row", name="Réunion de rentrée")).to_contain_text("Annulée")
    assert bookings()[0][5] == "cancelled"

    # The coordinator books the yellow room for Alice from the desk, then moves it.
    page.goto(f"{url}/manage/{place.slug}/bookings/?date={day}")
    page.get_by_role("link", name="Réserver pour quelqu").first.click()
    page.get_by_label("Réservé pour").select_option(label=f"Alice Martin ({alice.email})")
    page.get_by_label("Espace").select_option("salle-jaune")
    page.get_by_label("Heure de début").fill("10:00")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("Titre").fill("Entretien")
    page.get_by_role("button", name="Réserver", exact=True).click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/?date={day}")
    page.locator("tr", has_text="Salle Jaune").get_by_role("link", name="Déplacer").click()
    page.get_by_label("Espace").select_option("salle-verte")
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("15:00")
    page.get_by_role("button", name="Déplacer", exact=True).click()
    page.wait_for_url(f"**/manage/{place.slug}/bookings/?date={day}")
    expect(page.locator(".messages")).to_contain_text("La réservation est déplacée.")
    expect(page.locator("tr", has_text="Salle Verte")).to_contain_text("Alice Martin")
    assert bookings()[1] == (
        "Salle Verte",
        at(day, 14),
        at(day, 15),
        "Alice",
        coordinator.email,
        "confirmed",
    )

    # The team's calendar names Alice; Léa's shows the same booking as "Réservé" only.
    calendar = f"{url}/bookings/{place.slug}/calendar/?date={day}"
    page.goto(calendar)
    green = page.locator("tr", has=page.get_by_role("rowheader", name="Salle Verte"))
    expect(green.locator(".block-booked")).to_contain_text("Alice Martin — Entretien")
    lea.goto(calendar)
    green = lea.locator("tr", has=lea.get_by_role("rowheader", name="Salle Verte"))
    expect(green.locator(".block-booked")).to_have_text("14:00–15:00 Réservé")
    assert "Alice" not in lea.content() and "Entretien" not in lea.content()
    assert fits_the_screen(lea)

    # The yellow room has a history (Léa's cancelled booking, a rate): archived, not deleted.
    page.goto(f"{url}/manage/{place.slug}/spaces/")
    page.get_by_role("link", name="Supprimer Salle Jaune").click()
    expect(page.locator("main")).to_contain_text("il sera archivé, pas supprimé")
    page.get_by_role("button", name="Archiver l").click()
    expect(page.locator(".messages")).to_contain_text(
        "L’espace «\u00a0Salle Jaune\u00a0» a des réservations ou des tarifs\u00a0: il est "
        "archivé, pas supprimé."
    )
    expect(page.get_by_role("row", name="Salle Jaune")).to_contain_text("Restaurer")
    assert read(Space.objects.filter(slug="salle-jaune").values_list("archived_at")) == [
        (evening_before + timedelta(minutes=2),)
    ]
    assert [row[0] for row in bookings()] == ["Salle Jaune", "Salle Verte"]  # kept
    lea.goto(f"{url}/bookings/{place.slug}/book/?date={day}")
    offered = lea.get_by_label("Espace").locator("option").all_inner_texts()
    assert "Salle Verte" in offered and "Salle Jaune" not in offered
    lea.goto(calendar)
    expect(lea.get_by_role("rowheader")).to_have_count(1)
    expect(lea.get_by_role("rowheader")).to_contain_text("Salle Verte")
    lea.context.close()

    # The place opens its door: a visitor signs up, confirms the address, the team accepts.
    page.goto(f"{url}/manage/{place.slug}/joining/settings/")
    page.get_by_label("Les visiteurs peuvent demander à adhérer").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Les réglages d’adhésion sont enregistrés")
    visitor = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    visitor.goto(f"{url}/places/{place.slug}/")
    visitor.get_by_role("link", name="Devenir membre").click()
    visitor.get_by_label("Prénom").fill("Inès")
    visitor.get_by_label(LAST_NAME).fill("Durand")
    visitor.get_by_label("Adresse e-mail").fill("ines@example.org")
    visitor.get_by_label(PASSWORD_ONCE).fill(PASSWORD)
    visitor.get_by_label("Mot de passe (à nouveau)").fill(PASSWORD)
    visitor.get_by_role("button", name="Créer mon compte").click()
    visitor.wait_for_url("**/join/sent/")
    assert fits_the_screen(visitor)
    visitor.goto(url + path_in(mail.outbox[-1], "/join/confirm/"))
    visitor.get_by_role("button", name="Confirmer mon adresse").click()
    visitor.wait_for_url(f"**/places/{place.slug}/")
    expect(visitor.locator(".messages")).to_contain_text("Votre adresse est confirmée")
    assert roles_of("ines@example.org") == set()
    visitor.context.close()

    page.goto(f"{url}/manage/{place.slug}/joining/requests/")
    page.get_by_role("link", name="Accepter Inès Durand").click()
    page.get_by_role("button", name="Accepter la demande").click()
    page.wait_for_url(f"**/manage/{place.slug}/joining/requests/")
    expect(page.locator(".messages")).to_contain_text("Inès Durand est désormais adhérent du lieu")
    assert roles_of("ines@example.org") == {("member",)}
    assert "Bienvenue à La Fabrique" in mail.outbox[-1].subject
