"""Guessing stopped: failed logins locked out per account and per address, reset e-mails
limited, Argon2 in production, and no secret in a task's arguments."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tierslieux.accounts.tests import factories as f

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_the_limit_whatever_the_password_then_unlocks(client):
    f.user(email="lea@example.org")
    for n in range(LIMIT - 1):
        # Each try from another address: the account alone is counted.
        assert _login(client, "lea@example.org", "wrong", ip=f"10.0.1.{n}").status_code == 200
    assert _login(client, "lea@example.org", "wrong", ip="10.0.1.9").status_code == 429
    locked = _login(client, "lea@example.org", f.PASSWORD, ip="10.0.2.1")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The cool-off passed (the attempts are axes' rows, timed by its own clock): let in.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    assert _login(client, "lea@example.org", f.PASSWORD, ip="10.0.2.1").status_code == 302


def test_an_address_is_locked_after_the_limit_across_accounts(client):
    f.user(email="max@example.org")
    for n in range(LIMIT):
        _login(client, f"guess{n}@example.org", "wrong", ip="10.9.9.9")
    locked = _login(client, "max@example.org", f.PASSWORD, ip="10.9.9.9")
    assert locked.status_code == 429
    assert "Trop de connexions manquées" in locked.content.decode()
    # Another address is not concerned.
    assert _login(client, "max@example.org", f.PASSWORD, ip="10.9.9.10").status_code == 302


def test_reset_requests_send_one_email_per_interval_and_answer_the_same(
    client, clock, django_capture_on_commit_callbacks
):
    f.user(email="marc@example.org")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            answers.append(client.post(reverse("password_reset"), {"email": "marc@example.org"}))
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 1
    clock.advance(timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "marc@example.org"})
    assert len(mail.outbox) == 2
    assert re.search(r"https?://[^/]+/accounts/reset/\S+/", mail.outbox[1].body)


def test_the_reset_task_gets_the_user_id_only(client, settings, django_capture_on_commit_callbacks):
    """With the database task backend, the task's stored arguments hold no link nor token."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = f.user(email="nina@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nina@example.org"})
    stored = DBTaskResult.objects.get()
    assert stored.args_kwargs == {"args": [user.pk], "kwargs": {}}
    assert len(mail.outbox) == 0


def test_production_hashes_with_argon2_and_upgrades_older_hashes_at_login(client, settings):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from tierslieux import settings as production

    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    fresh = f.user(email="new@example.org", password="un vrai mot de passe")
    assert fresh.password.startswith("argon2$")
    old = f.user(email="old@example.org")
    # An older PBKDF2 hash (few iterations, to keep the test fast).
    old.password = PBKDF2PasswordHasher().encode("un vieux mot de passe", "sel", iterations=1000)
    old.save(update_fields=["password"])
    assert _login(client, "old@example.org", "un vieux mot de passe").status_code == 302
    old.refresh_from_db()
    assert old.password.startswith("argon2$")


def test_behind_a_proxy_the_forwarded_address_counts_and_is_not_forged(client, settings):
    f.user(email="max@example.org")
    settings.TRUSTED_PROXIES = 1
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": f"guess{n}@example.org", "password": "wrong"},
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",  # forged first hop, then real
        )
    via_proxy = {"REMOTE_ADDR": "10.0.0.254"}
    locked = client.post(
        reverse("login"),
        {"username": "max@example.org", "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **via_proxy,
    )
    assert locked.status_code == 429
    other = client.post(
        reverse("login"),
        {"username": "max@example.org", "password": f.PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.6",
        **via_proxy,
    )
    assert other.status_code == 302


def test_one_address_asking_many_accounts_resets_is_stopped_with_429(
    client, settings, django_capture_on_commit_callbacks
):
    """One e-mail per account is not enough: one visitor asking for every account's reset is
    refused after `PASSWORD_RESET_PER_ADDRESS` requests an hour, and nothing more is sent."""
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    for n in range(4):
        f.user(email=f"victim{n}@example.org")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            answers.append(
                client.post(
                    reverse("password_reset"),
                    {"email": f"victim{n}@example.org"},
                    REMOTE_ADDR="10.9.9.9",
                    HTTP_ACCEPT_LANGUAGE="en",
                )
            )
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many reset requests" in answers[-1].content.decode()
    assert len(mail.outbox) == 3
    other = client.post(
        reverse("password_reset"), {"email": "victim3@example.org"}, REMOTE_ADDR="10.1.1.1"
    )
    assert other.status_code == 302  # another visitor is not held up
    cache.clear()
