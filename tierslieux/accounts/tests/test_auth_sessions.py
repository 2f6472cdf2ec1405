"""Sessions listed and ended from the security page; a password change ends the others."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tierslieux.accounts.models import UserSession
from tierslieux.accounts.tests import factories as f

FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def _browser(user_agent: str, ip: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    assert (
        client.post(
            reverse("login"), {"username": "ada@example.org", "password": f.PASSWORD}
        ).status_code
        == 302
    )
    return client


def test_sessions_are_listed_ended_one_by_one_and_all_but_this_one():
    user = f.user(email="ada@example.org")
    phone = _browser(FIREFOX, "192.0.2.7")
    laptop = _browser(CHROME, "192.0.2.8")
    desk = _browser(CHROME, "192.0.2.9")
    page = laptop.get(reverse("sessions")).content.decode()
    assert "Firefox sous Android" in page and "Chrome sous Windows" in page
    assert "192.0.2.7" in page and "(ce navigateur)" in page
    phone_row = UserSession.objects.get(user=user, ip_address="192.0.2.7")
    # Asks first, then ends the phone's session only.
    assert (
        "Fermer cette session"
        in laptop.get(reverse("session_revoke", args=[phone_row.pk])).content.decode()
    )
    laptop.post(reverse("session_revoke", args=[phone_row.pk]))
    assert phone.get(reverse("sessions")).status_code == 302  # back to the login page
    assert desk.get(reverse("sessions")).status_code == 200
    # Nobody ends another person's session.
    other = Client()
    other.force_login(f.user())
    desk_row = UserSession.objects.get(user=user, ip_address="192.0.2.9")
    assert other.post(reverse("session_revoke", args=[desk_row.pk])).status_code == 404
    # Everywhere else: the desk goes, the laptop stays.
    assert laptop.get(reverse("sessions_revoke_others")).status_code == 200
    laptop.post(reverse("sessions_revoke_others"))
    assert desk.get(reverse("sessions")).status_code == 302
    assert laptop.get(reverse("sessions")).status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("ip_address", flat=True)) == [
        "192.0.2.8"
    ]


def test_a_password_change_ends_the_other_sessions():
    user = f.user(email="ada@example.org")
    phone = _browser(FIREFOX, "192.0.2.7")
    laptop = _browser(CHROME, "192.0.2.8")
    new = "un tout nouveau mot de passe"
    answer = laptop.post(
        reverse("password_change"),
        {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert answer.status_code == 302
    assert phone.get(reverse("sessions")).status_code == 302
    assert laptop.get(reverse("sessions")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_logging_out_forgets_the_session():
    f.user(email="ada@example.org")
    phone = _browser(FIREFOX, "192.0.2.7")
    phone.post(reverse("logout"))
    assert not UserSession.objects.exists()
