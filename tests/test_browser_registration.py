"""Registering for a workshop in a real headless Chromium, in French: a visitor without an
account registers and confirms from the e-mail's link; the next one, the workshop full, goes
on the waiting list; the first cancels from their link and the second is promoted; on the day,
the coordinator checks them in at the door. Each page of the way fits a 390 px wide phone."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connections

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services
from tierslieux.events.models import Attendance, Registration
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
PHONE = 390


def link_in(message, kind: str = "") -> str:
    found = re.search(
        r"https?://[^/\s]+(/events/registrations/[^/\s]+/" + kind + r")\s", message.body
    )
    assert found, message.body
    return found.group(1)


def status_of(email: str) -> str:
    status = Registration.objects.get(email=email).status
    connections.close_all()  # the ORM's own connection, or PostgreSQL cannot drop the database
    return status


def fits_a_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, (page.url, width)


def register(page, url: str, name: str, email: str) -> None:
    page.goto(url)
    fits_a_phone(page)
    page.get_by_label("Votre nom").fill(name)
    page.get_by_label("Votre adresse e-mail").fill(email)
    page.get_by_label(re.compile("Mercredi 3 mars 2027")).check()
    page.get_by_role("button", name=re.compile("^S’inscrire")).click()
    page.wait_for_url("**/register/sent/")
    assert email in page.content()
    fits_a_phone(page)


def confirm(page, url: str) -> None:
    page.goto(url + link_in(mail.outbox[-1], "confirm/"))
    fits_a_phone(page)
    page.get_by_role("button", name="Confirmer mon inscription").click()
    page.wait_for_url(re.compile(r".*/events/registrations/[^/]+/$"))
    fits_a_phone(page)


def test_a_visitor_registers_waits_in_line_and_is_promoted(live_server, browser, clock):
    clock.set(at("2027-03-01", 8))
    place = f.place(name="La Fabrique")
    coordinator = f.coordinator(place)
    bf.open_every_day(place)
    room = bf.room(place, name="Salle Jaune")
    event, _session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=1,
    )
    connections.close_all()
    event_url = f"{live_server.url}/events/places/{place.slug}/{event.pk}/"
    ana = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 844}).new_page()
    register(ana, event_url, "Ana Lopez", "ana@example.org")
    confirm(ana, live_server.url)
    assert "Vous êtes inscrit" in ana.content()
    ana_link = link_in(mail.outbox[-1])
    assert status_of("ana@example.org") == Registration.Status.CONFIRMED

    bob = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 844}).new_page()
    bob.goto(event_url)
    assert "complet" in bob.content()
    register(bob, event_url, "Bob Martin", "bob@example.org")
    confirm(bob, live_server.url)
    assert "rang 1" in bob.content()
    assert status_of("bob@example.org") == Registration.Status.WAITLISTED

    ana.goto(live_server.url + ana_link)
    ana.get_by_role("link", name="Annuler mon inscription").click()
    fits_a_phone(ana)
    ana.get_by_role("button", name="Oui, annuler mon inscription").click()
    ana.wait_for_url(f"**{ana_link}")
    assert "Votre inscription est annulée" in ana.content()
    assert status_of("ana@example.org") == Registration.Status.CANCELLED
    assert status_of("bob@example.org") == Registration.Status.CONFIRMED
    assert mail.outbox[-1].to == ["bob@example.org"]
    assert mail.outbox[-1].subject.startswith("Une place est à vous")
    ana.context.close()
    bob.context.close()

    # The day of the workshop, a quarter of an hour before: the coordinator checks Bob in.
    clock.set(at("2027-03-03", 13, 45))
    door = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 844}).new_page()
    door.goto(f"{live_server.url}/accounts/login/?next=/manage/{place.slug}/events/{event.pk}/")
    door.get_by_label("Adresse e-mail").fill(coordinator.email)
    door.get_by_label("Mot de passe").fill("correct horse battery")
    door.get_by_role("button", name="Se connecter").click()
    door.get_by_role("link", name=re.compile("^Présences")).click()
    door.wait_for_url("**/attendance/")
    fits_a_phone(door)
    names = door.locator("li[data-name] .attendance-name").all_inner_texts()
    assert names == ["Bob Martin"]  # Ana cancelled: only Bob is expected
    door.locator("li[data-name='bob martin']").get_by_role(
        "button", name="Présent", exact=True
    ).click()
    door.wait_for_load_state()
    assert "Présents\u00a0: 1" in door.inner_text(".attendance-count")
    came = list(Attendance.objects.values_list("registration__email", "seats"))
    connections.close_all()
    assert came == [("bob@example.org", 1)]
    door.context.close()


def test_my_registrations_fits_a_phone(live_server, browser, clock):
    clock.set(at("2027-03-01", 8))
    place = f.place(name="La Fabrique")
    coordinator = f.coordinator(place)
    member = f.member(place)
    bf.open_every_day(place)
    room = bf.room(place, name="Salle Jaune")
    for day, title in (
        ("2027-03-03", "Atelier couture anticonstitutionnellement"),
        ("2027-03-04", "Causerie"),
    ):
        event, session = ef.published(
            coordinator, place, room, at(day, 14), at(day, 17), title=title
        )
        services.register(event=event, session=session, name="Mo", email="", person=member.person)
    connections.close_all()
    context = browser.new_context(locale="fr-FR", viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/events/mine/")
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/events/mine/")
    assert "Causerie" in page.content()
    fits_a_phone(page)
    page.get_by_role("link", name=re.compile("^Annuler")).first.click()
    fits_a_phone(page)
    context.close()
