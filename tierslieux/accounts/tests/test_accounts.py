"""Login by e-mail, password reset by e-mail, API tokens, the user's language."""

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core import mail
from django.urls import reverse

from tierslieux.accounts.models import ApiToken, User
from tierslieux.accounts.services import create_api_token, revoke_api_token, user_for_token
from tierslieux.accounts.tests import factories as f


def test_users_log_in_with_their_email_whatever_its_case(client):
    f.user(email="lea@example.org")
    response = client.post(
        reverse("login"), {"username": "Lea@Example.org", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    bad = client.post(reverse("login"), {"username": "lea@example.org", "password": "nope"})
    assert bad.status_code == 200
    assert "Saisissez" in bad.content.decode()


def test_email_is_unique_regardless_of_case():
    import pytest
    from django.db import IntegrityError, transaction

    User.objects.create_user("anne@example.org", "x")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ANNE@example.org")


def test_password_reset_sends_a_link_after_commit_that_sets_a_new_password(
    client, django_capture_on_commit_callbacks
):
    user = f.user(email="marc@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "marc@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "un nouveau mot de passe",
            "new_password2": "un nouveau mot de passe",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("un nouveau mot de passe")


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_an_api_token_is_shown_once_stored_hashed_and_revocable(client):
    user = f.user()
    client.force_login(user)
    page = client.post(reverse("api_tokens"), {"name": "export"}).content.decode()
    raw = re.search(r'id="raw-token">([^<]+)<', page).group(1)
    token = ApiToken.objects.get(user=user)
    assert raw not in (token.digest, token.prefix) and token.digest != raw
    assert user_for_token(raw) == user
    assert raw not in client.get(reverse("api_tokens")).content.decode()
    client.post(reverse("api_token_revoke", args=[token.pk]))
    assert user_for_token(raw) is None


def test_a_token_of_another_user_cannot_be_revoked(client):
    owner, other = f.user(), f.user()
    token = ApiToken.objects.create(user=owner, name="x", prefix="abc", digest="d" * 64)
    client.force_login(other)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_chosen_language_is_remembered_on_the_account_and_at_next_login(client):
    user = f.user()
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.logout()
    client.cookies.clear()
    client.post(reverse("login"), {"username": user.email, "password": "correct horse battery"})
    assert "Directory of tiers-lieux" in client.get("/").content.decode()


def test_the_django_admin_is_for_superusers_only(client):
    client.force_login(f.user())
    assert client.get("/admin/").status_code == 302
    admin = User.objects.create_superuser("root@example.org", "x")
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/places/place/").status_code == 200


def test_the_console_script_runs_the_same_commands_as_manage_py():
    script = Path(sys.executable).with_name("tierslieux")
    result = subprocess.run([str(script), "check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_real_password_hasher_stores_a_salted_hash_and_lets_the_user_log_in(client, settings):
    """The suite hashes with MD5 for speed (root conftest); Django's default hashers still
    work (production puts Argon2 first: test_auth_throttle)."""
    from django.conf import global_settings

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user = f.user(email="real@example.org", password="un vrai mot de passe")
    assert user.password.startswith("pbkdf2_sha256$")
    assert "un vrai mot de passe" not in user.password
    assert (
        client.post(
            reverse("login"), {"username": "real@example.org", "password": "un vrai mot de passe"}
        ).status_code
        == 302
    )
    client.logout()
    refused = client.post(reverse("login"), {"username": "real@example.org", "password": "x"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_times_of_accounts_come_from_the_project_clock(client, clock):
    at = clock.set(datetime(2031, 5, 2, 9, 15, tzinfo=UTC))
    user = f.user()
    token, raw = create_api_token(user=user, name="export")
    assert (user.date_joined, token.created_at, user.person.created_at) == (at, at, at)
    assert user_for_token(raw) == user
    assert ApiToken.objects.get(pk=token.pk).last_used_at == at
    later = clock.advance(timedelta(hours=1))
    revoke_api_token(actor=user, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == later


def test_a_token_without_a_name_answers_422_and_creates_nothing(client, member):
    client.force_login(member)
    response = client.post(reverse("api_tokens"), {"name": ""})
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.filter(user=member).exists()
