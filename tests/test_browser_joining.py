"""Joining a place in a real headless Chromium: the coordinator invites a person, who sets a
password and is logged in; a visitor signs up, confirms the address, and the team accepts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connections

from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser
PASSWORD = "un mot de passe solide"
# Labels end with " :" in French; these match one field each.
LAST_NAME = re.compile(r"^Nom\W*$")
PASSWORD_ONCE = re.compile(r"^Mot de passe\W*$")


def path_in(message, prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+({prefix}[^/\s]+/)", message.body).group(1)


def roles_of(email: str, place) -> set[str]:
    roles = set(
        PlaceRole.objects.filter(place=place, person__user__email=email).values_list(
            "role", flat=True
        )
    )
    # While Playwright runs, ORM calls get a connection of their own: close it, or
    # PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    return roles


def assert_fits_a_phone(page, url: str, paths: list[str]) -> None:
    """At 390 px wide, none of these pages scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    for path in paths:
        page.goto(url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)


def log_in(page, url: str, user, next_path: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_path}")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{next_path}")


def test_an_invited_person_sets_a_password_and_is_logged_in(live_server, page, browser):
    place = f.place(name="La Fabrique")
    coordinator = f.coordinator(place)
    connections.close_all()
    log_in(page, live_server.url, coordinator, f"/manage/{place.slug}/people/")
    page.get_by_role("link", name="Inviter quelqu’un par e-mail").click()
    page.get_by_label("Adresse e-mail").fill("lea@example.org")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label(LAST_NAME).fill("Martin")
    assert page.get_by_label("Rôle").input_value() == "member"  # the default
    page.get_by_role("button", name="Envoyer l’invitation").click()
    assert "L’invitation est envoyée à lea@example.org" in page.content()
    assert "Léa Martin" in page.locator(".invitation").first.inner_text()

    invitee = browser.new_context(locale="fr-FR").new_page()
    invitee.goto(live_server.url + path_in(mail.outbox[-1], "/join/invitation/"))
    invitee.get_by_label(PASSWORD_ONCE).fill(PASSWORD)
    invitee.get_by_label("Mot de passe (à nouveau)").fill(PASSWORD)
    invitee.get_by_role("button", name="Créer mon compte et rejoindre le lieu").click()
    invitee.wait_for_url("**/dashboard/")
    assert "Bienvenue à La Fabrique" in invitee.content()
    assert invitee.get_by_role("button", name="Se déconnecter (Léa)").is_visible()
    assert roles_of("lea@example.org", place) == {"member"}
    assert_fits_a_phone(invitee, live_server.url, ["/accounts/profile/"])
    invitee.context.close()
    assert_fits_a_phone(
        page,
        live_server.url,
        [f"/manage/{place.slug}/joining/"],
    )


def test_a_visitor_signs_up_confirms_and_the_team_accepts(live_server, page, browser):
    place = f.place(name="La Fabrique")
    coordinator = f.coordinator(place)
    connections.close_all()
    log_in(page, live_server.url, coordinator, f"/manage/{place.slug}/joining/settings/")
    page.get_by_label("Les visiteurs peuvent demander à adhérer").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert "Les réglages d’adhésion sont enregistrés" in page.content()

    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{live_server.url}/places/{place.slug}/")
    visitor.get_by_role("link", name="Devenir membre").click()
    visitor.get_by_label("Prénom").fill("Inès")
    visitor.get_by_label(LAST_NAME).fill("Durand")
    visitor.get_by_label("Adresse e-mail").fill("ines@example.org")
    visitor.get_by_label(PASSWORD_ONCE).fill(PASSWORD)
    visitor.get_by_label("Mot de passe (à nouveau)").fill(PASSWORD)
    visitor.get_by_role("button", name="Créer mon compte").click()
    visitor.wait_for_url("**/join/sent/")
    visitor.goto(live_server.url + path_in(mail.outbox[-1], "/join/confirm/"))
    visitor.get_by_role("button", name="Confirmer mon adresse").click()
    visitor.wait_for_url(f"**/places/{place.slug}/")
    assert "Votre adresse est confirmée" in visitor.content()
    assert roles_of("ines@example.org", place) == set()

    page.goto(f"{live_server.url}/manage/{place.slug}/joining/requests/")
    page.get_by_role("link", name="Accepter Inès Durand").click()
    page.get_by_role("button", name="Accepter la demande").click()
    page.wait_for_url(f"**/manage/{place.slug}/joining/requests/")
    assert "Inès Durand est désormais adhérent du lieu" in page.content()
    assert roles_of("ines@example.org", place) == {"member"}
    assert "Bienvenue à La Fabrique" in mail.outbox[-1].subject
    visitor.context.close()
    assert_fits_a_phone(
        page,
        live_server.url,
        [
            f"/manage/{place.slug}/joining/requests/",
            f"/manage/{place.slug}/joining/settings/",
            f"/places/{place.slug}/join/",
        ],
    )
