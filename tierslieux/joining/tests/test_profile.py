"""A person's profile: name, language, a new address used only once confirmed, their places."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from tierslieux.accounts.models import User
from tierslieux.core.models import AuditEntry
from tierslieux.joining.services import profile
from tierslieux.places.tests import factories as f

URL = "/accounts/profile/"


def email_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/profile/email/[^/\s]+/)", message.body).group(1)


def test_the_profile_shows_places_roles_and_the_password_link(client, member, place):
    assert reverse("joining:profile") == URL
    assert client.get(URL).status_code == 302  # login first
    client.force_login(member)
    page = client.get(URL).content.decode()
    assert place.name in page and "Adhérent" in page
    assert reverse("password_change") in page
    assert member.email in page


def test_name_and_language_are_saved_on_the_person_and_the_login(client, member):
    client.force_login(member)
    response = client.post(
        URL, {"form": "profile", "first_name": "Zoé", "last_name": "Lemaire", "language": "en"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    member.refresh_from_db()
    assert (member.full_name, member.language) == ("Zoé Lemaire", "en")
    assert (member.person.first_name, member.person.last_name) == ("Zoé", "Lemaire")
    assert AuditEntry.objects.filter(action="profile.update", actor=member).exists()
    assert "My profile" in client.get(URL).content.decode()


def test_bad_profile_input_answers_422_and_changes_nothing(client, member):
    client.force_login(member)
    for data in (
        {"first_name": "", "last_name": "X", "language": "fr"},
        {"first_name": "A\nB", "last_name": "X", "language": "fr"},
        {"first_name": "A", "last_name": "X", "language": "klingon"},
    ):
        assert client.post(URL, {"form": "profile", **data}).status_code == 422
    member.refresh_from_db()
    assert member.person.first_name == "Prénom"


def test_a_new_address_is_used_only_once_confirmed(client, member, outbox):
    old = member.email
    client.force_login(member)
    assert client.post(URL, {"form": "email", "email": "Nouvelle@Example.org"}).status_code == 302
    member.refresh_from_db()
    assert member.email == old  # not yet
    assert outbox[0].to == ["nouvelle@example.org"]
    link = email_link(outbox[0])
    assert client.get(link).status_code == 200
    client.post(link)
    member.refresh_from_db()
    assert member.email == "nouvelle@example.org" == member.person.email
    assert outbox[-1].to == [old]  # the old address is told
    assert client.post(link).status_code == 410  # bound to the address it replaced
    assert AuditEntry.objects.filter(action="profile.email_change").exists()


def test_a_link_expires_and_belongs_to_its_account(client, member, clock, outbox):
    clock.set(clock.now())
    profile.request_email_change(user=member, email="new@example.org")
    link = email_link(outbox[0])
    client.force_login(f.user())
    assert client.post(link).status_code == 410
    client.force_login(member)
    clock.advance(timedelta(days=3))
    assert client.post(link).status_code == 410
    member.refresh_from_db()
    assert member.email != "new@example.org"


def test_an_address_of_another_account_is_not_revealed_nor_taken(client, member, outbox):
    other = f.user(email="taken@example.org")
    client.force_login(member)
    answer = client.post(URL, {"form": "email", "email": "taken@example.org"})
    assert answer.status_code == 302  # the same answer as for a free address
    assert (
        outbox[0].to == ["taken@example.org"] and "/accounts/profile/email/" not in outbox[0].body
    )
    # A link asked while the address was free dies if another account takes it first.
    profile.request_email_change(user=member, email="free@example.org")
    link = email_link(outbox[1])
    User.objects.filter(pk=other.pk).update(email="free@example.org")
    assert client.post(link).status_code == 410
    member.refresh_from_db()
    assert member.email != "free@example.org"


def test_the_same_address_is_refused_on_the_form(client, member):
    client.force_login(member)
    response = client.post(URL, {"form": "email", "email": member.email.upper()})
    assert response.status_code == 422
    assert "email" in response.context["email_form"].errors
