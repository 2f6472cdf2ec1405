"""A visitor asks to join from the place's page: confirms the address, then waits for the
team (or is accepted at once where the place chose so). Nothing tells who has an account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from tierslieux.accounts.models import User
from tierslieux.core.models import AuditEntry
from tierslieux.joining.models import SignupRequest
from tierslieux.joining.services import signups
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as f

PASSWORD = "un mot de passe solide"
FORM = {
    "first_name": "Inès",
    "last_name": "Durand",
    "email": "ines@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.fixture
def open_place(place, coordinator):
    signups.update_settings(actor=coordinator, place=place, signup_open=True, auto_accept=False)
    return place


def confirm_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/join/confirm/[^/\s]+/)", message.body).group(1)


def sign_up(client, place, **data):
    return client.post(reverse("joining:signup", args=[place.slug]), {**FORM, **data})


def test_the_place_page_shows_the_button_only_when_sign_up_is_open(client, place, coordinator):
    url = reverse("places:detail", args=[place.slug])
    signup = reverse("joining:signup", args=[place.slug])
    assert signup not in client.get(url).content.decode()
    assert "ne prend pas" in client.get(signup).content.decode()
    assert sign_up(client, place).status_code == 200  # closed: the form is not even read
    assert not SignupRequest.objects.exists()
    signups.update_settings(actor=coordinator, place=place, signup_open=True, auto_accept=False)
    assert signup in client.get(url).content.decode()
    assert "Devenir membre" in client.get(url).content.decode()


def test_sign_up_confirm_then_the_team_accepts(client, open_place, coordinator, outbox):
    assert sign_up(client, open_place).status_code == 302
    request = SignupRequest.objects.get()
    assert request.status == "unconfirmed" and not User.objects.filter(email=FORM["email"])
    assert PASSWORD not in request.password and request.password  # hashed
    link = confirm_link(outbox[0])
    assert client.get(link).status_code == 200  # a mail scanner opening it confirms nothing
    assert client.post(link).status_code == 302
    user = User.objects.get(email="ines@example.org")
    assert user.check_password(PASSWORD) and user.person.last_name == "Durand"
    assert client.session["_auth_user_id"] == str(user.pk)
    request.refresh_from_db()
    assert request.status == "pending" and request.password == "" and request.digest is None
    assert not PlaceRole.objects.filter(person__user=user).exists()
    assert client.post(link).status_code == 410  # used once
    assert outbox[-1].to == [coordinator.email]  # the team hears of the request
    assert "Inès Durand" in outbox[-1].subject and "/joining/requests/" in outbox[-1].body
    place_page = client.get(reverse("places:detail", args=[open_place.slug])).content.decode()
    assert "attend" in place_page  # "waiting for the team"

    client.force_login(coordinator)
    requests_url = reverse("joining_manage:requests", args=[open_place.slug])
    assert "Inès Durand" in client.get(requests_url).content.decode()
    accept = reverse("joining_manage:accept", args=[open_place.slug, request.pk])
    assert client.get(accept).status_code == 200  # asks first
    assert not PlaceRole.objects.filter(person__user=user).exists()
    client.post(accept)
    assert PlaceRole.objects.filter(place=open_place, person__user=user, role="member").exists()
    assert outbox[-1].to == ["ines@example.org"] and "Bienvenue" in outbox[-1].subject
    assert AuditEntry.objects.filter(action="signup.accept", actor=coordinator).exists()


def test_the_place_may_accept_at_once(client, place, coordinator, outbox):
    signups.update_settings(actor=coordinator, place=place, signup_open=True, auto_accept=True)
    sign_up(client, place)
    client.post(confirm_link(outbox[0]))
    assert SignupRequest.objects.get().status == "accepted"
    assert PlaceRole.objects.filter(place=place, person__user__email=FORM["email"]).exists()


def test_auto_acceptance_stops_when_its_coordinator_no_longer_manages(
    client, place, coordinator, outbox
):
    signups.update_settings(actor=coordinator, place=place, signup_open=True, auto_accept=True)
    PlaceRole.objects.filter(person__user=coordinator).delete()
    sign_up(client, place)
    client.post(confirm_link(outbox[0]))
    assert SignupRequest.objects.get().status == "pending"


def test_a_known_address_gets_the_same_answer_and_an_email_to_log_in(client, open_place, outbox):
    known = f.user(email="known@example.org", password="ancien mot de passe")
    fresh = sign_up(client, open_place, email="new@example.org")
    again = sign_up(client, open_place, email="Known@example.org")
    assert fresh.status_code == again.status_code == 302
    assert fresh.url == again.url
    assert [m.to for m in outbox] == [["new@example.org"], ["known@example.org"]]
    assert "/join/confirm/" not in outbox[1].body and "connectez-vous" in outbox[1].body.lower()
    known.refresh_from_db()
    assert known.check_password("ancien mot de passe")  # an anonymous form changes no password
    assert not SignupRequest.objects.filter(email="known@example.org").exists()


def test_a_logged_in_person_asks_with_one_button_and_declining_asks_first(
    client, open_place, coordinator, outbox
):
    someone = f.user()
    client.force_login(someone)
    assert (
        "Demander" in client.get(reverse("joining:signup", args=[open_place.slug])).content.decode()
    )
    client.post(reverse("joining:signup", args=[open_place.slug]))
    client.post(reverse("joining:signup", args=[open_place.slug]))  # twice: one request
    request = SignupRequest.objects.get()
    assert request.status == "pending" and request.person == someone.person
    client.force_login(coordinator)
    decline = reverse("joining_manage:decline", args=[open_place.slug, request.pk])
    assert client.get(decline).status_code == 200
    client.post(decline)
    request.refresh_from_db()
    assert request.status == "declined"
    assert not PlaceRole.objects.filter(person=someone.person).exists()
    assert client.post(decline).status_code == 302  # decided already: a message, no crash
    assert SignupRequest.objects.get().status == "declined"


def test_a_confirmation_link_expires_and_a_second_sign_up_replaces_the_first(
    client, open_place, clock, outbox
):
    clock.set(clock.now())
    sign_up(client, open_place)
    first = confirm_link(outbox[0])
    sign_up(client, open_place, first_name="Inès-Marie")
    second = confirm_link(outbox[1])
    assert SignupRequest.objects.count() == 1
    assert client.post(first).status_code == 410
    clock.advance(timedelta(days=3, seconds=1))
    assert client.get(second).status_code == 410
    assert client.post(second).status_code == 410
    assert not User.objects.filter(email=FORM["email"]).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"email": "pas-une-adresse"},
        {"first_name": ""},
        {"last_name": "a\u0007b"},
        {"password2": "autre chose"},
        {"password1": "12345678", "password2": "12345678"},
        {"first_name": "x" * 101},
    ],
)
def test_bad_input_answers_422_and_writes_nothing(client, open_place, outbox, data):
    response = sign_up(client, open_place, **data)
    assert response.status_code == 422
    assert not SignupRequest.objects.exists() and outbox == []


def test_only_coordinators_decide_and_change_the_settings(
    client, open_place, staff, member, other_coordinator
):
    someone = f.user()
    request = signups.ask_to_join(user=someone, place=open_place)
    for who in (staff, member, other_coordinator):
        client.force_login(who)
        for name in ("accept", "decline"):
            url = reverse(f"joining_manage:{name}", args=[open_place.slug, request.pk])
            assert client.post(url).status_code == 403
        settings_url = reverse("joining_manage:settings", args=[open_place.slug])
        assert client.post(settings_url, {"signup_open": ""}).status_code == 403
        with pytest.raises(PermissionDenied):
            signups.accept(actor=who, request=request)
    request.refresh_from_db()
    assert request.status == "pending"
    assert signups.settings_of(open_place).signup_open


def test_the_coordinator_edits_the_settings_from_the_back_office(client, place, coordinator):
    client.force_login(coordinator)
    url = reverse("joining_manage:settings", args=[place.slug])
    assert client.get(url).status_code == 200
    client.post(url, {"signup_open": "on", "auto_accept": "on"})
    joining = signups.settings_of(place)
    assert joining.signup_open and joining.auto_accept and joining.decided_by == coordinator
    assert AuditEntry.objects.filter(action="join_settings.update").exists()


def test_emails_wait_for_the_commit(open_place, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        signups.request_signup(
            place=open_place,
            first_name="A",
            last_name="B",
            email="wait@example.org",
            password=PASSWORD,
            language="fr",
        )
    assert mail.outbox == [] and len(callbacks) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        signups.request_signup(
            place=open_place,
            first_name="A",
            last_name="B",
            email="rolled@example.org",
            password=PASSWORD,
            language="fr",
        )
        raise RuntimeError
    assert not SignupRequest.objects.filter(email="rolled@example.org").exists()


def test_the_django_admin_shows_the_rows_without_their_secrets(client, open_place, outbox):
    sign_up(client, open_place)
    request = SignupRequest.objects.get()
    client.force_login(User.objects.create_superuser("root@example.org", "x"))
    assert client.get("/admin/joining/signuprequest/").status_code == 200
    page = client.get(f"/admin/joining/signuprequest/{request.pk}/change/").content.decode()
    assert request.email in page and request.password not in page and request.digest not in page
    assert client.get("/admin/joining/invitation/").status_code == 200
    assert client.get("/admin/joining/joinsettings/").status_code == 200
