"""Writing surveys (`surveys.services`): versions never changed under their answers, the
survey's rule and dates applied to every answer, anonymity kept by the database itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tierslieux.core import clock as core_clock
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services
from tierslieux.surveys.models import Answer, Invitation, Response, Survey
from tierslieux.surveys.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")

CAR = {"mode": ["car"], "km": ["12"], "happy": ["4"], "words": ["Très bien"]}


def test_a_survey_belongs_to_its_place_team_and_no_one_else(place, coordinator, other_coordinator):
    survey = f.survey(place, actor=coordinator)
    assert survey.current_version().number == 1
    with pytest.raises(PermissionDenied):
        services.update_settings(actor=other_coordinator, survey=survey, title="Pris")
    with pytest.raises(PermissionDenied):
        f.survey(place, actor=pf.member(place))


def test_a_network_survey_is_its_administrators(place, network_admin, coordinator):
    survey = f.survey(place.network, actor=network_admin)
    assert survey.network == place.network and survey.place is None
    with pytest.raises(PermissionDenied):
        services.archive(actor=coordinator, survey=survey)


def test_a_version_with_answers_is_copied_never_changed(place, coordinator):
    survey = f.survey(place, actor=coordinator)
    first = survey.current_version()
    edited = services.edit_definition(actor=coordinator, survey=survey, definition=f.DEFINITION)
    assert edited.pk == first.pk  # no answer yet: changed in place
    services.answer_by_link(survey=survey, raw=CAR)
    changed = {"sections": [{**f.DEFINITION["sections"][0], "title": "Trajet"}]}
    second = services.edit_definition(actor=coordinator, survey=survey, definition=changed)
    assert second.number == 2 and second.pk != first.pk
    first.refresh_from_db()
    assert first.definition["sections"][0]["title"] == "Votre trajet"
    assert Response.objects.get().version == first


def test_answers_are_stored_one_row_per_value(place):
    survey = f.survey(place)
    response = services.answer_by_link(survey=survey, raw=CAR)
    rows = {
        (a.question, a.choice, a.number, a.text) for a in Answer.objects.filter(response=response)
    }
    assert rows == {
        ("mode", "car", None, ""),
        ("km", "", 12, ""),
        ("happy", "", 4, ""),
        ("words", "", None, "Très bien"),
    }


def test_a_refused_answer_writes_nothing_and_names_each_question(place):
    survey = f.survey(place)
    with pytest.raises(ValidationError) as refused:
        services.answer_by_link(survey=survey, raw={"mode": ["car"], "km": ["900"], "happy": ["9"]})
    assert set(refused.value.message_dict) == {"km", "happy"}
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_draft_or_closed_survey_takes_no_answer(place, clock):
    draft = f.survey(place, publish=False)
    with pytest.raises(ValidationError, match="not published"):
        services.answer_by_link(survey=draft, raw=CAR)
    now = core_clock.now()
    clock.set(now)
    closing = f.survey(place, closes_at=now + timedelta(days=1))
    services.answer_by_link(survey=closing, raw=CAR)
    clock.advance(timedelta(days=1))
    with pytest.raises(ValidationError, match="closed"):
        services.answer_by_link(survey=closing, raw=CAR)
    with pytest.raises(ValidationError, match="close after it opens"):
        f.survey(place, opens_at=now, closes_at=now)


def test_an_invitation_answers_once(place):
    survey = f.survey(place, answer_rule=Survey.AnswerRule.INVITED)
    invitation = Invitation.objects.create(survey=survey, email="ada@example.org", digest="x" * 64)
    with pytest.raises(ValidationError, match="personal link"):
        services.answer_by_link(survey=survey, raw=CAR)
    services.answer_by_link(survey=survey, raw=CAR, invitation=invitation)
    with pytest.raises(ValidationError, match="already been used"):
        services.answer_by_link(survey=survey, raw=CAR, invitation=invitation)
    assert Response.objects.get().invitation == invitation  # not anonymous: tied to it


def test_an_anonymous_response_keeps_no_person_no_invitation_no_time(place):
    survey = f.survey(place, anonymous=True, answer_rule=Survey.AnswerRule.INVITED)
    invitation = Invitation.objects.create(survey=survey, email="ada@example.org", digest="y" * 64)
    person = pf.member(place).person
    response = services.answer_by_link(survey=survey, raw=CAR, invitation=invitation, person=person)
    response.refresh_from_db()
    assert (response.person, response.invitation, response.submitted_at) == (None, None, None)
    invitation.refresh_from_db()
    assert invitation.answered  # only that the link was used
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Response.objects.filter(pk=response.pk).update(person=person)


def test_anonymity_cannot_change_once_people_answered(place, coordinator):
    survey = f.survey(place, actor=coordinator, anonymous=True)
    services.answer_by_link(survey=survey, raw=CAR)
    with pytest.raises(ValidationError, match="promise"):
        services.update_settings(actor=coordinator, survey=survey, anonymous=False)


def test_the_team_types_a_paper_form_in_even_after_closing(place, coordinator):
    survey = f.survey(place, actor=coordinator)
    services.archive(actor=coordinator, survey=survey)
    response = services.answer_by_team(actor=coordinator, survey=survey, raw=CAR)
    assert response.channel == Response.Channel.TEAM and response.entered_by == coordinator


@pytest.mark.parametrize(
    ("typed", "found"),
    [("23000 Guéret", "23096"), ("Guéret 23000", "23096"), ("23096", "23096"), ("gueret", "23096")],
)
def test_a_commune_is_found_as_people_type_it(typed, found):
    assert services.find_commune(typed)[0] == found


@pytest.mark.parametrize("typed", ["Atlantide", "75000 Lyon", "", "Saint-Martin"])
def test_a_commune_unknown_or_ambiguous_is_not_found(typed):
    assert services.find_commune(typed) is None
