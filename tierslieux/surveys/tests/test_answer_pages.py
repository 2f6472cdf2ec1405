"""The public answer page (`/s/<public_key>/`): what it says before the questions, the rules
open and invited, the survey's dates, refusals that keep what was typed and store nothing,
the limit per visitor, and anonymity read from the database's own rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tierslieux.core import clock as core_clock
from tierslieux.joining.services.common import new_token
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services, services_collect
from tierslieux.surveys.models import Answer, Invitation, Response, Survey
from tierslieux.surveys.tests import factories as f
from tierslieux.surveys.tests.test_entry_and_import import NEEDS

pytestmark = pytest.mark.usefixtures("english", "english_pages")

CAR = {"mode": "car", "km": "12", "happy": "4", "words": "Très bien"}


@pytest.fixture
def english_pages(client):
    """Pages in English, and no count of answers per visitor left by an earlier test."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cache.clear()


def url(survey: Survey) -> str:
    return reverse("surveys:answer", args=[survey.public_key])


def test_the_page_says_what_answering_means_then_asks(client, place):
    survey = f.survey(place, consent="Les réponses servent au rapport annuel.", anonymous=True)
    page = client.get(url(survey))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Venir au lieu" in text and "La Fabrique" in text
    assert "Les réponses servent au rapport annuel." in text
    assert "By sending your answers, you agree to this." in text
    assert "What is not kept: your name" in text and "and the date you sent them" in text
    # every kind of field under the names answering.check reads
    assert 'name="mode" value="car"' in text and 'name="mode.other"' in text
    assert 'type="number" name="km"' in text and 'max="200"' in text
    assert 'name="happy" value="5"' in text and "<textarea" in text
    # a conditional question says when to answer it, and the script (no inline one) hides it
    assert "Only if you answered “Voiture” to “Comment venez-vous le plus souvent ?”." in text
    assert 'data-show-if="mode" data-any-of="car"' in text
    assert "surveys/conditions.js" in text and "<script>" not in text


def test_an_answer_is_stored_and_thanked(client, place):
    survey = f.survey(place, thanks="Merci, à bientôt au lieu !")
    sent = client.post(url(survey), CAR)
    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert "Merci, à bientôt au lieu !" in thanks.content.decode()
    response = Response.objects.get()
    assert (response.channel, response.person, response.language) == ("link", None, "en")
    assert set(response.answers.values_list("question", flat=True)) == {
        "mode",
        "km",
        "happy",
        "words",
    }


def test_a_refused_answer_keeps_what_was_typed_and_stores_nothing(client, place):
    survey = f.survey(place)
    long_text = "x" * 1001
    page = client.post(url(survey), {"mode": "car", "km": "900", "happy": "4", "words": long_text})
    text = page.content.decode()
    assert page.status_code == 422
    assert "At most 200." in text and "At most 1000 characters (here 1001)." in text
    assert (
        'value="900"' in text and long_text in text and 'value="car" id="id_mode_0" checked' in text
    )
    page = client.post(url(survey), {"happy": "4"})
    assert page.status_code == 422 and "This question is required." in page.content.decode()
    page = client.post(url(survey), {"mode": "other", "mode.other": ""})
    assert "Say what “other” is." in page.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_hidden_question_is_not_required_nor_kept(client, place):
    survey = f.survey(place)
    assert client.post(url(survey), {"mode": "bike", "km": "900"}).status_code == 302
    assert not Answer.objects.filter(question="km").exists()


def test_a_logged_in_person_is_recorded_unless_the_survey_is_anonymous(client, place):
    user = pf.member(place)
    client.force_login(user)
    named, anonymous = f.survey(place), f.survey(place, anonymous=True)
    client.post(url(named), CAR)
    client.post(url(anonymous), CAR)
    assert Response.objects.get(survey=named).person == user.person
    response = Response.objects.get(survey=anonymous)
    assert (response.person, response.submitted_at) == (None, None)


def test_a_draft_is_not_found_a_closed_survey_is_gone(client, place, clock):
    now = core_clock.now()
    clock.set(now)
    assert client.get(url(f.survey(place, publish=False))).status_code == 404
    later = f.survey(place, opens_at=now + timedelta(days=2))
    page = client.get(url(later))
    assert page.status_code == 200 and "This survey opens on" in page.content.decode()
    assert client.post(url(later), CAR).status_code == 403
    closing = f.survey(place, closes_at=now + timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    page = client.post(url(closing), CAR)
    assert page.status_code == 410 and "it no longer takes answers" in page.content.decode()
    archived = services.archive(actor=f.manager(place), survey=f.survey(place))
    assert client.get(url(archived)).status_code == 410
    assert not Response.objects.exists()


def test_an_invited_survey_takes_one_answer_per_personal_link(client, place):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.INVITED)
    raw, digest = new_token()
    invitation = Invitation.objects.create(survey=survey, email="ada@example.org", digest=digest)
    assert client.get(url(survey)).status_code == 403  # the plain link says to use one's own
    assert client.post(url(survey), CAR).status_code == 403
    personal = reverse("surveys:invited", args=[survey.public_key, raw])
    assert (
        client.get(reverse("surveys:invited", args=[survey.public_key, "nope"])).status_code == 404
    )
    assert client.get(personal).status_code == 200
    assert client.post(personal, CAR).status_code == 302
    again = client.post(personal, CAR)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert Response.objects.get().invitation == invitation  # named survey: tied to it


def test_an_anonymous_answer_by_invitation_leaves_no_trace_to_the_person(client, place):
    survey = f.survey(place, anonymous=True, answer_rule=Survey.AnswerRule.INVITED)
    user = pf.member(place)
    raw, digest = new_token()
    invitation = Invitation.objects.create(
        survey=survey, email=user.email, person=user.person, digest=digest
    )
    client.force_login(user)
    before = Invitation.objects.filter(pk=invitation.pk).values().get()
    client.post(reverse("surveys:invited", args=[survey.public_key, raw]), CAR)
    response = Response.objects.get()
    invitation.refresh_from_db()
    assert invitation.answered
    # every column of the response and its answers, as stored
    rows = [Response.objects.filter(pk=response.pk).values().get()]
    rows += list(Answer.objects.filter(response=response).values())
    texts = [str(v) for row in rows for v in row.values()]
    assert rows[0]["person_id"] is None and rows[0]["invitation_id"] is None
    assert rows[0]["submitted_at"] is None and rows[0]["entered_by_id"] is None
    for trace in (user.email, digest, raw, user.person.last_name):
        assert not any(trace in text for text in texts)
    relations = {
        f.name for f in Response._meta.concrete_fields if f.is_relation and f.name != "survey"
    }
    assert relations == {"version", "person", "invitation", "entered_by"}
    # nor does the invitation point to its answer or say when it was used
    assert not [f for f in Invitation._meta.concrete_fields if f.related_model is Response]
    after = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert {k for k, v in after.items() if before[k] != v} == {"answered"}


def test_more_than_the_limit_from_one_address_waits_an_hour(client, place, clock, monkeypatch):
    assert services_collect.VISITOR_LIMIT == 20
    monkeypatch.setattr(services_collect, "VISITOR_LIMIT", 2)
    clock.set(core_clock.now())
    survey = f.survey(place)
    assert [client.post(url(survey), CAR).status_code for _ in range(2)] == [302, 302]
    page = client.post(url(survey), CAR)
    assert page.status_code == 429 and "Too many answers" in page.content.decode()
    assert Response.objects.count() == 2
    other = client.post(url(survey), CAR, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    clock.advance(timedelta(hours=1))
    assert client.post(url(survey), CAR).status_code == 302


def test_the_page_speaks_french(client, place):
    survey = f.survey(place, anonymous=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = client.get(url(survey)).content.decode()
    page = client.post(url(survey), {"happy": "4"})
    assert "En envoyant vos réponses, vous l’acceptez." in text
    assert "Vos réponses sont anonymes" in text
    assert "Envoyer mes réponses" in text
    assert "Cette question est obligatoire." in page.content.decode()


def test_every_kind_of_question_is_answered_through_the_page(client, place):
    survey = f.survey(place, definition=NEEDS)
    text = client.get(url(survey)).content.decode()
    assert 'type="checkbox" name="uses" value="fablab"' in text
    assert '<select name="order.food"' in text and '<option value="2">2</option>' in text
    assert 'type="date"' in text and 'placeholder="23000 Guéret"' in text
    assert 'maxlength="20"' in text
    answers = {
        "uses": ["cowork", "other"],
        "uses.other": "Jardin",
        "order.food": "2",
        "order.culture": "1",
        "since": "2025-09-01",
        "town": "Guéret 23000",
        "note": "Bien",
    }
    assert client.post(url(survey), answers).status_code == 302
    rows = {(a.question, a.choice, a.rank, a.text) for a in Answer.objects.all()}
    assert rows >= {
        ("uses", "cowork", None, ""),
        ("uses", "other", None, "Jardin"),
        ("order", "culture", 1, ""),
        ("order", "food", 2, ""),
        ("town", "", None, "Guéret"),
    }
