"""A person's survey data (issue 13): exported with the place's other data; on erasure their
invitations go and their answers stay in the results, tied to no one."""

from __future__ import annotations

import json

from tierslieux.privacy import export, services
from tierslieux.surveys import services as survey_services
from tierslieux.surveys.models import Invitation, Response
from tierslieux.surveys.tests import factories as sf

ANSWERS = {"mode": ["bike"], "happy": ["5"], "words": ["Merci à l’équipe"]}


def test_survey_answers_are_exported_then_untied_on_erasure(place, member, coordinator):
    survey = sf.survey(place, actor=coordinator)
    person = member.person
    Invitation.objects.create(survey=survey, email=member.email, person=person, digest="s" * 64)
    survey_services.answer_by_link(survey=survey, raw=ANSWERS, person=person)

    data = json.loads(json.dumps(export.person_data(person), default=str))
    dumped = json.dumps(data)
    assert "surveys.Response" in dumped and "surveys.Invitation" in dumped
    assert "s" * 64 not in dumped  # the link's digest is never exported

    services.erase(actor=member, person=person)
    assert not Invitation.objects.filter(person=person).exists()
    response = Response.objects.get()
    assert response.person is None and response.answers.count() == 3
