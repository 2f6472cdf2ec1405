"""The builder's pages: who gets in (the place's team, a network's administrators for its own
surveys; a member 403, another owner's survey 404), the question editor end to end, versions
said on the page, and bad input answered 422 with the field named."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tierslieux.core.models import AuditEntry
from tierslieux.places.models import NetworkRole
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services
from tierslieux.surveys.models import Response, Survey
from tierslieux.surveys.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Two places of two networks, their people and surveys: built once for the module,
    rolled back at its end (each test runs in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        place, other = pf.place(), pf.place()
        coordinator = pf.with_role(pf.user(language="en"), place, "coordinator")
        admin = pf.user(language="en")
        NetworkRole.objects.create(network=place.network, person=admin.person)
        built = {
            "place": place,
            "coordinator": coordinator,
            "staff": pf.with_role(pf.user(language="en"), place, "staff"),
            "member": pf.member(place),
            "admin": admin,
            "survey": f.survey(place, actor=coordinator, publish=False),
            "network_survey": f.survey(place.network, publish=False),
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


def base(w: dict[str, Any]) -> str:
    return f"/manage/{w['place'].slug}/surveys/"


def test_the_team_lists_creates_and_reads_its_surveys(w: dict[str, Any]) -> None:
    for who in ("coordinator", "staff"):
        client = client_for(w[who])
        listed = client.get(base(w))
        assert listed.status_code == 200
        assert "Venir au lieu" in listed.content.decode()
        created = client.post(base(w) + "new/", {"title": f"Besoins {who}"})
        assert created.status_code == 302
        survey = Survey.objects.get(title=f"Besoins {who}")
        assert survey.place == w["place"] and survey.status == "draft"
        assert created["Location"] == base(w) + f"{survey.pk}/questions/"
    survey = w["survey"]
    page = client_for(w["coordinator"]).get(base(w) + f"{survey.pk}/").content.decode()
    assert f"/s/{survey.public_key}/" in page and "<dd>draft</dd>" in page
    french = client_for(pf.coordinator(w["place"]))  # the pages in French, dates included
    for suffix in ("", f"{survey.pk}/", f"{survey.pk}/questions/", f"{survey.pk}/preview/"):
        assert french.get(base(w) + suffix).status_code == 200
    assert "Enquêtes" in french.get(base(w)).content.decode()


def test_a_survey_starts_from_a_built_in_questionnaire(w: dict[str, Any]) -> None:
    client = client_for(w["coordinator"])
    chooser = client.get(base(w) + "new/").content.decode()
    assert "Start from this one" in chooser and 'value="mobility"' in chooser
    made = client.post(base(w) + "new/", {"template": "mobility"})
    assert made.status_code == 302
    survey = Survey.objects.get(place=w["place"], template="mobility")
    assert made["Location"] == base(w) + f"{survey.pk}/"
    assert survey.source and survey.status == "draft"
    refused = client.post(base(w) + "new/", {"template": "nope"})
    assert (
        refused.status_code == 422
        and "Choose one of the questionnaires" in refused.content.decode()
    )
    # What the form does not show survives an edit (the half days of the mobility survey).
    halves = next(
        q for s in survey.current_version().definition["sections"] for q in s["questions"]
        if q.get("step") == "0.5"
    )  # fmt: skip
    url = base(w) + f"{survey.pk}/questions/{halves['key']}/"
    assert client.post(url, {"label": "Jours ?", "maximum": "7"}).status_code == 302
    _, edited = _find(survey, halves["key"])
    assert edited["step"] == "0.5" and edited["label"] == "Jours ?"


@pytest.mark.parametrize("suffix", ["", "settings/", "questions/", "preview/", "publish/", "qr/"])
def test_a_member_is_refused_and_another_place_survey_is_not_found(
    w: dict[str, Any], suffix: str
) -> None:
    url = base(w) + f"{w['survey'].pk}/{suffix}"
    assert client_for(w["member"]).get(url).status_code == 403
    assert client_for(w["member"]).get(base(w)).status_code == 403
    other = base(w) + f"{w['other_survey'].pk}/{suffix}"
    assert client_for(w["coordinator"]).get(other).status_code == 404
    network_url = f"/network/{w['place'].network.slug}/surveys/{w['survey'].pk}/{suffix}"
    assert client_for(w["admin"]).get(network_url).status_code == 404  # a place's, not its own


def test_a_network_admin_manages_the_network_surveys(w: dict[str, Any]) -> None:
    slug, survey = w["place"].network.slug, w["network_survey"]
    admin = client_for(w["admin"])
    listed = admin.get(f"/network/{slug}/surveys/")
    assert listed.status_code == 200 and survey.title in listed.content.decode()
    assert admin.get(f"/network/{slug}/surveys/{survey.pk}/questions/").status_code == 200
    published = admin.post(f"/network/{slug}/surveys/{survey.pk}/publish/")
    assert published.status_code == 302
    survey.refresh_from_db()
    assert survey.status == "published"
    assert client_for(w["coordinator"]).get(f"/network/{slug}/surveys/").status_code == 403


def test_settings_take_the_owner_wall_clock_and_refuse_bad_dates(w: dict[str, Any]) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    url = base(w) + f"{survey.pk}/settings/"
    data = {
        "title": "Venir au lieu",
        "answer_rule": "invited",
        "anonymous": "on",
        "opens_at": "2027-03-01T09:00",
        "closes_at": "2027-02-01T09:00",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert refused.context["form"].errors.keys() == {"closes_at"}
    assert client.post(url, {**data, "closes_at": "junk"}).status_code == 422
    assert client.post(url, {**data, "answer_rule": "all"}).status_code == 422
    assert client.post(url, {**data, "closes_at": "2027-04-01T18:30"}).status_code == 302
    survey.refresh_from_db()
    assert survey.anonymous and survey.answer_rule == "invited"
    assert survey.opens_at.isoformat() == "2027-03-01T08:00:00+00:00"  # Paris, winter
    shown = client.get(url).content.decode()
    assert 'value="2027-04-01T18:30"' in shown


def test_the_editor_end_to_end(w: dict[str, Any]) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    q = base(w) + f"{survey.pk}/questions/"
    assert client.post(q, {"title": "Vos besoins"}).status_code == 302
    definition = survey.current_version().definition
    assert [s["key"] for s in definition["sections"]] == ["trip", "vos_besoins"]
    new = q + "new/?section=vos_besoins&kind=multiple"
    assert client.get(new).status_code == 200
    added = client.post(
        new,
        {
            "label": "Quelles fonctions voulez-vous ?",
            "choices": "Atelier\nBureau partagé\nCafé",
            "other": "on",
            "max_choices": "2",
            "condition": ["mode=car", "mode=bike"],
        },
    )
    assert added.status_code == 302
    definition = survey.current_version().definition
    question = definition["sections"][1]["questions"][0]
    assert question["key"] == "quelles_fonctions_voulez_vous"
    assert [c["key"] for c in question["choices"]] == ["atelier", "bureau_partage", "cafe"]
    assert question["condition"] == {"question": "mode", "any_of": ["car", "bike"]}
    key = question["key"]
    # Edit: a choice renamed keeps its key, a new one gets its own; the key never changes.
    edited = client.post(
        q + f"{key}/",
        {"label": "Quelles fonctions ?", "choices": "Atelier\nBureau\nCafé\nJardin"},
    )
    assert edited.status_code == 302
    _, question = _find(survey, key)
    assert question["label"] == "Quelles fonctions ?"
    assert [c["key"] for c in question["choices"]] == [
        "atelier",
        "bureau_partage",
        "cafe",
        "jardin",
    ]
    # Move it up: past its section's top, it goes to the end of the section before.
    assert client.post(q + "move/", {"question": key, "direction": "up"}).status_code == 302
    section, _ = _find(survey, key)
    assert section["key"] == "trip"
    assert (
        client.post(q + "move/", {"section": "vos_besoins", "direction": "up"}).status_code == 302
    )
    sections = survey.current_version().definition["sections"]
    assert [s["key"] for s in sections] == ["vos_besoins", "trip"]
    # A section renamed, then removed after its confirmation page.
    assert (
        client.post(
            base(w) + f"{survey.pk}/sections/vos_besoins/", {"title": "Besoins"}
        ).status_code
        == 302
    )
    assert (
        "Remove the section"
        in client.get(base(w) + f"{survey.pk}/sections/vos_besoins/remove/").content.decode()
    )
    assert client.post(base(w) + f"{survey.pk}/sections/vos_besoins/remove/").status_code == 302
    assert client.post(q + f"{key}/remove/").status_code == 302
    preview = client.get(base(w) + f"{survey.pk}/preview/").content.decode()
    assert "Asked only to those who answered" in preview and "Voiture" in preview
    assert survey.versions.count() == 1  # no answer yet: one version, changed in place
    assert AuditEntry.objects.filter(action="survey.edit_questions").count() == 8


def _find(survey: Survey, key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    from tierslieux.surveys import editing

    return editing.find_question(survey.current_version().definition, key)


def test_an_answered_version_is_kept_and_the_page_says_so(w: dict[str, Any]) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    services.publish(actor=w["coordinator"], survey=survey)
    services.answer_by_link(survey=survey, raw={"mode": ["bike"]})
    q = base(w) + f"{survey.pk}/questions/"
    assert "answers keep their version" in client.get(q).content.decode()
    moved = client.post(q + "move/", {"question": "happy", "direction": "up"}, follow=True)
    assert "version 2 holds the new questions" in moved.content.decode()
    assert survey.current_version().number == 2
    assert Response.objects.get(survey=survey).version.number == 1
    services.answer_by_link(survey=survey, raw={"mode": ["bike"]})
    client.post(q + "move/", {"question": "mode", "direction": "up"})  # already first
    assert survey.current_version().number == 2  # nothing moved: no new version
    assert "anonymous" in client.get(base(w) + f"{survey.pk}/settings/").content.decode()


def test_bad_input_answers_422_with_the_field_named(w: dict[str, Any]) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    q = base(w) + f"{survey.pk}/questions/"
    assert client.post(base(w) + "new/", {"title": ""}).status_code == 422
    assert client.post(q, {"title": "a\nb"}).status_code == 422
    scale = client.post(
        q + "new/?section=trip&kind=scale", {"label": "Note", "minimum": "3", "maximum": "2"}
    )
    assert scale.status_code == 422 and "maximum" in scale.context["form"].errors
    single = client.post(q + "new/?section=trip&kind=multiple", {"label": "Choix", "choices": "Un"})
    assert single.status_code == 422 and "choices" in single.context["form"].errors
    crossed = client.post(
        q + "new/?section=trip&kind=text",
        {"label": "Pourquoi ?", "condition": ["mode=car", "happy=1"]},
    )
    assert crossed.status_code == 422
    assert client.get(q + "new/?section=nowhere&kind=text").status_code == 422
    assert client.get(q + "new/?section=trip&kind=poem").status_code == 422
    assert client.post(q + "move/", {"question": "ghost", "direction": "up"}).status_code == 404
    assert client.get(q + "ghost/").status_code == 404
    # Moving a conditioned question above its source is refused by the questionnaire's check.
    refused = client.post(q + "move/", {"question": "km", "direction": "up"})
    assert refused.status_code == 422 and "earlier choice question" in refused.content.decode()
    empty = f.survey(w["place"], actor=w["coordinator"], publish=False, definition={"sections": []})
    publish = client.post(base(w) + f"{empty.pk}/publish/")
    assert publish.status_code == 422 and "at least one question" in publish.content.decode()


def test_publish_and_archive_ask_first(w: dict[str, Any]) -> None:
    survey, client = w["survey"], client_for(w["coordinator"])
    asked = client.get(base(w) + f"{survey.pk}/publish/")
    assert asked.status_code == 200 and "Publish the survey?" in asked.content.decode()
    survey.refresh_from_db()
    assert survey.status == "draft"
    assert client.post(base(w) + f"{survey.pk}/publish/").status_code == 302
    assert "Archive the survey?" in client.get(base(w) + f"{survey.pk}/archive/").content.decode()
    assert client.post(base(w) + f"{survey.pk}/archive/").status_code == 302
    survey.refresh_from_db()
    assert survey.status == "archived"
    assert client.post(base(w) + f"{survey.pk}/questions/", {"title": "Encore"}).status_code == 422


def test_the_qr_code_is_inline_svg_of_the_public_link(w: dict[str, Any]) -> None:
    survey = w["survey"]
    page = client_for(w["staff"]).get(base(w) + f"{survey.pk}/qr/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and f"/s/{survey.public_key}/" in body
    assert "<script" not in body.split("</header>")[-1]
