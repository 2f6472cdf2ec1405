"""The optional second factor: set up with a first code, asked at login, backup codes used
once, wrong codes refused, and required of network administrators when the instance says so."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tierslieux.accounts import two_factor
from tierslieux.accounts.tests import factories as f


@pytest.fixture(autouse=True)
def _no_delay_after_a_wrong_code(settings):
    """django-otp makes a device wait 2^n seconds after n wrong codes; the tests don't wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice, drift: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def _enable(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="totp-secret"' in body
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = client.post(
        reverse("two_factor"), {"otp_token": "000000" if _code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 422
    assert not two_factor.is_enabled(device.user)
    done = client.post(reverse("two_factor"), {"otp_token": _code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<code>(\d{8})</code>", done.content.decode())
    assert len(codes) == two_factor.BACKUP_CODES
    assert two_factor.is_enabled(device.user)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == len(codes) and not stored & set(codes)  # kept hashed
    return device, codes


def _password(client: Client, email: str) -> object:
    return client.post(reverse("login"), {"username": email, "password": f.PASSWORD})


def test_enable_then_login_asks_the_code_and_backup_codes_work_once():
    user = f.user(email="ada@example.org")
    owner = Client()
    owner.force_login(user)
    device, codes = _enable(owner)
    assert "codes de secours" not in owner.get(reverse("two_factor")).content.decode()

    browser = Client()
    step = _password(browser, "ada@example.org")
    assert step.status_code == 302 and step.url == reverse("login_code")
    assert "_auth_user_id" not in browser.session  # the password alone logs nobody in
    wrong = browser.post(reverse("login_code"), {"otp_token": "12345678"})
    assert wrong.status_code == 422 and "pas le bon" in wrong.content.decode()
    assert "_auth_user_id" not in browser.session
    ok = browser.post(reverse("login_code"), {"otp_token": _code(device, drift=1)})
    assert ok.status_code == 302 and browser.session["_auth_user_id"] == str(user.pk)

    with_backup = Client()
    _password(with_backup, "ada@example.org")
    assert with_backup.post(reverse("login_code"), {"otp_token": codes[0]}).status_code == 302
    again = Client()
    _password(again, "ada@example.org")
    assert again.post(reverse("login_code"), {"otp_token": codes[0]}).status_code == 422


def test_the_code_page_without_a_password_first_sends_back_to_login():
    answer = Client().post(reverse("login_code"), {"otp_token": "123456"})
    assert answer.status_code == 302 and answer.url == reverse("login")


def test_turning_it_off_asks_first():
    user = f.user(email="ada@example.org")
    client = Client()
    client.force_login(user)
    _enable(client)
    assert client.get(reverse("two_factor_disable")).status_code == 200
    assert two_factor.is_enabled(user)
    client.post(reverse("two_factor_disable"))
    assert not two_factor.is_enabled(user)
    assert _password(Client(), "ada@example.org").url != reverse("login_code")


@pytest.fixture
def network_admins_need_it(settings):
    """The instance asks it of network administrators (`places` registers who they are in its
    AppConfig.ready(): accounts is below places)."""
    settings.TL_REQUIRE_2FA_FOR_NETWORK_ADMINS = True
    assert "network_admin" in two_factor._requirements


def test_network_admins_set_it_up_before_anything_else(
    network_admins_need_it, network_admin, member, settings
):
    client = Client()
    client.force_login(network_admin)
    blocked = client.get(reverse("web:dashboard"))
    assert blocked.status_code == 302 and blocked.url == reverse("two_factor")
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.get(reverse("two_factor_disable")).status_code == 302
    _enable(client)
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert client.get(reverse("two_factor_disable")).status_code == 302  # it stays on
    assert two_factor.is_enabled(network_admin)
    # Members are not concerned; nor anybody when the instance does not ask.
    other = Client()
    other.force_login(member)
    assert other.get(reverse("web:dashboard")).status_code == 200
    settings.TL_REQUIRE_2FA_FOR_NETWORK_ADMINS = False
    assert not two_factor.required_for(network_admin)
