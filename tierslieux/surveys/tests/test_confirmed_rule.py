"""One answer per e-mail address (`AnswerRule.CONFIRMED`): the answers wait sealed until the
e-mailed link is opened, then count once; the address is kept only as a keyed hash with no
link to the answers; unconfirmed answers go after 48 hours."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tierslieux.core import clock as core_clock
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services, services_collect
from tierslieux.surveys.models import PendingResponse, Response, Survey, UsedAddress
from tierslieux.surveys.tests import factories as f

pytestmark = pytest.mark.usefixtures("english", "english_pages")

CAR = {"mode": "car", "km": "12", "happy": "4", "words": "Très bien"}
LINK = re.compile(r"https?://\S+/s/confirm/([\w-]+)/")


@pytest.fixture
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cache.clear()


def answer(client, survey, email, capture, **extra):
    with capture(execute=True):
        return client.post(
            reverse("surveys:answer", args=[survey.public_key]), {**CAR, "email": email, **extra}
        )


def token_in(mail) -> str:
    found = LINK.search(mail.body)
    assert found, mail.body
    return found.group(1)


def test_answers_wait_sealed_until_the_link_is_opened(
    client, place, mailoutbox, django_capture_on_commit_callbacks
):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED, anonymous=True)
    page = client.get(reverse("surveys:answer", args=[survey.public_key]))
    assert 'name="email"' in page.content.decode()
    sent = answer(client, survey, "Ada@Example.org", django_capture_on_commit_callbacks)
    assert sent.status_code == 302
    assert "within 48 hours" in client.get(sent["Location"]).content.decode()
    pending = PendingResponse.objects.get()
    assert "ada@example.org" not in pending.sealed.lower() and "car" not in pending.sealed
    assert not Response.objects.exists()
    [mail] = mailoutbox
    assert mail.to == ["ada@example.org"] and "Venir au lieu" in mail.subject
    confirm = reverse("surveys:confirm", args=[token_in(mail)])
    assert client.get(confirm).status_code == 200  # a button: a mail scanner answers nothing
    assert not Response.objects.exists()
    done = client.post(confirm)
    assert done.status_code == 200 and "confirmed and recorded" in done.content.decode()
    response = Response.objects.get()
    assert (response.person, response.invitation, response.submitted_at) == (None, None, None)
    used = UsedAddress.objects.get()
    assert used.digest == services.address_digest(survey, "ada@example.org")
    assert {f.name for f in UsedAddress._meta.concrete_fields} == {"id", "survey", "digest"}
    assert not PendingResponse.objects.exists()
    again = client.post(confirm)
    assert again.status_code == 404 and "unknown or has expired" in again.content.decode()


def test_an_address_answers_once(client, place, mailoutbox, django_capture_on_commit_callbacks):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED)
    answer(client, survey, "ada@example.org", django_capture_on_commit_callbacks)
    answer(client, survey, "ada@example.org", django_capture_on_commit_callbacks)
    first, second = (reverse("surveys:confirm", args=[token_in(m)]) for m in mailoutbox)
    client.post(first)
    refused = client.post(second)  # two answers sent before either was confirmed
    assert refused.status_code == 409 and "already answered" in refused.content.decode()
    page = answer(client, survey, " ADA@example.org", django_capture_on_commit_callbacks)
    assert page.status_code == 422
    assert "This address has already answered this survey" in page.content.decode()
    assert Response.objects.count() == 1 and len(mailoutbox) == 2
    assert not PendingResponse.objects.exists()


def test_refused_answers_send_nothing(
    client, place, mailoutbox, django_capture_on_commit_callbacks
):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED)
    page = answer(client, survey, "pas-une-adresse", django_capture_on_commit_callbacks)
    assert page.status_code == 422 and "Enter a valid email address." in page.content.decode()
    page = answer(client, survey, "ada@example.org", django_capture_on_commit_callbacks, km="900")
    assert page.status_code == 422 and "At most 200." in page.content.decode()
    assert not PendingResponse.objects.exists() and not mailoutbox


def test_a_logged_in_person_is_kept_with_a_named_answer(
    client, place, mailoutbox, django_capture_on_commit_callbacks
):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED)
    user = pf.member(place)
    client.force_login(user)
    answer(client, survey, user.email, django_capture_on_commit_callbacks)
    client.post(reverse("surveys:confirm", args=[token_in(mailoutbox[0])]))
    assert Response.objects.get().person == user.person


def test_unconfirmed_answers_expire_after_48_hours(
    client, place, clock, mailoutbox, django_capture_on_commit_callbacks
):
    clock.set(core_clock.now())
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED)
    answer(client, survey, "old@example.org", django_capture_on_commit_callbacks)
    clock.advance(timedelta(hours=47))
    answer(client, survey, "new@example.org", django_capture_on_commit_callbacks)
    clock.advance(timedelta(hours=2))
    late = client.post(reverse("surveys:confirm", args=[token_in(mailoutbox[0])]))
    assert late.status_code == 404 and "expired" in late.content.decode()
    assert services_collect.purge_pending() == 1
    assert PendingResponse.objects.count() == 1  # the fresh one waits still
    client.post(reverse("surveys:confirm", args=[token_in(mailoutbox[1])]))
    assert Response.objects.count() == 1


def test_an_archived_survey_takes_no_confirmation(
    client, place, mailoutbox, django_capture_on_commit_callbacks
):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.CONFIRMED)
    answer(client, survey, "ada@example.org", django_capture_on_commit_callbacks)
    services.archive(actor=f.manager(place), survey=survey)
    page = client.post(reverse("surveys:confirm", args=[token_in(mailoutbox[0])]))
    assert page.status_code == 409 and "closed" in page.content.decode()
    assert not Response.objects.exists() and not PendingResponse.objects.exists()
