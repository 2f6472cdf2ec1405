"""Invitations to a survey: a personal link per address, only its digest kept, the e-mail sent
after commit in the recipient's language; a resend kills the old link; bad input 422."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from tierslieux.accounts.models import hash_token
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services
from tierslieux.surveys.models import Invitation, Survey
from tierslieux.surveys.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")
LINK = re.compile(r"https?://\S+/s/(?P<key>[\w-]+)/i/(?P<token>[\w-]+)/")


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        place, other = pf.place(), pf.place()
        coordinator = pf.with_role(pf.user(language="en"), place, "coordinator")
        member = pf.with_role(pf.user(language="en"), place, "member")
        built = {
            "place": place,
            "coordinator": coordinator,
            "member": member,
            "survey": f.survey(place, actor=coordinator, answer_rule="invited"),
            "anonymous": f.survey(place, actor=coordinator, anonymous=True, title="Anonyme"),
            "draft": f.survey(place, actor=coordinator, publish=False, title="Brouillon"),
            "confirmed": f.survey(place, actor=coordinator, answer_rule="confirmed"),
            "other_survey": f.survey(other),
        }
        yield {name: (type(row), row.pk) for name, row in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def w(_world: Any) -> dict[str, Any]:
    return {name: model.objects.get(pk=pk) for name, (model, pk) in _world.items()}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(w: dict[str, Any], survey: Survey, suffix: str = "") -> str:
    return f"/manage/{w['place'].slug}/surveys/{survey.pk}/invitations/{suffix}"


def token_for(address: str) -> str:
    sent = [m for m in mail.outbox if m.to == [address]][-1]
    match = LINK.search(sent.body)
    assert match is not None, sent.body
    return match.group("token")


def test_each_address_gets_a_personal_link_kept_as_a_digest(
    w: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    member_email = w["member"].email.lower()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            url(w, survey),
            {
                "emails": "Ana@Example.org, bob@example.org\nana@example.org",
                "people": [member_email],
            },
        )
    assert sent.status_code == 302
    invitations = {i.email: i for i in Invitation.objects.filter(survey=survey)}
    assert set(invitations) == {"ana@example.org", "bob@example.org", member_email}
    survey.refresh_from_db()
    assert survey.invitation_count == 3
    for address, invitation in invitations.items():
        token = token_for(address)
        assert invitation.digest == hash_token(token) and token not in invitation.digest
        body = next(m.body for m in mail.outbox if m.to == [address])
        assert f"/s/{survey.public_key}/i/{token}/" in body
    assert invitations[member_email].person == w["member"].person  # not anonymous
    # The recipient's language: an account's, else the place's French.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[member_email].subject == f"Your opinion: {survey.title}"
    assert by_address["bob@example.org"].subject == f"Votre avis\u00a0: {survey.title}"
    # Invited again: nobody gets a second link that way, the count stays.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url(w, survey), {"emails": "bob@example.org"}, follow=True)
    assert "Already invited" in again.content.decode()
    assert Invitation.objects.filter(survey=survey).count() == 3
    survey.refresh_from_db()
    assert survey.invitation_count == 3


def test_a_resend_makes_a_new_link_and_kills_the_old_one(
    w: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(w, survey), {"emails": "cleo@example.org"})
    old = token_for("cleo@example.org")
    invitation = Invitation.objects.get(survey=survey, email="cleo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        resent = client.post(url(w, survey, "resend/"), {"invitation": invitation.pk})
    assert resent.status_code == 302
    new = token_for("cleo@example.org")
    assert new != old
    assert not Invitation.objects.filter(digest=hash_token(old)).exists()
    assert Invitation.objects.get(digest=hash_token(new)) == invitation
    # Once answered, no new link; the list says it was answered.
    services.answer_by_link(survey=survey, raw={"mode": ["foot"]}, invitation=invitation)
    refused = client.post(url(w, survey, "resend/"), {"invitation": invitation.pk})
    assert refused.status_code == 422 and "already been used" in refused.content.decode()
    listed = client.get(url(w, survey)).content.decode()
    assert re.search(r"cleo@example.org</th>.*?<td[^>]*>yes</td>", listed, re.S)
    assert client.post(url(w, survey, "resend/"), {"invitation": "x"}).status_code == 422


def test_an_anonymous_survey_only_says_whether_a_link_was_used(
    w: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    survey, client = w["anonymous"], client_for(w["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(w, survey), {"emails": w["member"].email})
    invitation = Invitation.objects.get(survey=survey)
    assert invitation.person is None
    page = client.get(url(w, survey)).content.decode()
    assert "Link used" in page and "Answered" not in page
    assert "anonymous" in mail.outbox[-1].body


def test_bad_input_and_wrong_surveys(w: dict[str, Any]) -> None:
    client = client_for(w["coordinator"])
    bad = client.post(url(w, w["survey"]), {"emails": "ana@example.org, not-an-address"})
    assert bad.status_code == 422 and "not-an-address" in str(bad.context["form"].errors["emails"])
    assert client.post(url(w, w["survey"]), {"emails": ""}).status_code == 422
    for name in ("draft", "confirmed"):
        refused = client.post(url(w, w[name]), {"emails": "ana@example.org"})
        assert refused.status_code == 422, name
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert client_for(w["member"]).get(url(w, w["survey"])).status_code == 403
    assert client.get(url(w, w["other_survey"])).status_code == 404
