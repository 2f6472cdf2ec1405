"""The impact pages: who opens what, the forms' answers (422 naming the field), another place's
record (404), the confirmations, and the network's framework editor."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tierslieux.impact import models, services
from tierslieux.impact.views import manage
from tierslieux.places import access

pytestmark = pytest.mark.urls("tierslieux.impact.tests.urls")

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
QUOTE = "Sans ce lieu je serais resté seul chez moi."


def _url(name: str, place, *args) -> str:
    return reverse(f"impact_manage:{name}", args=[place.slug, *args])


@pytest.fixture
def private(place, coordinator, clock):
    clock.set(date(2026, 6, 1))
    return services.save_testimony(
        coordinator,
        place,
        {
            "quote": QUOTE,
            "author_role": "Habitant du quartier",
            "said_on": date(2026, 5, 1),
            "impact_key": "trusted_third_party",
        },
    )


def test_who_opens_what(client, place, coordinator, staff, other_coordinator, member) -> None:
    framework = _url("framework", place)
    client.force_login(staff)
    response = client.get(framework)
    assert response.status_code == 200
    assert "Des connexions entre acteurs" in response.text
    # The team's evidence: EDIT_SHEET until places.access has MANAGE_IMPACT (staff included).
    evidence = 200 if access.has_perm(staff, place, manage.EDIT) else 403
    assert client.get(_url("testimonies", place)).status_code == evidence
    for user in (other_coordinator, member):
        client.force_login(user)
        assert client.get(framework).status_code == 403
    client.logout()
    assert client.get(framework).status_code == 302
    client.force_login(coordinator)
    for name in ("testimonies", "stories", "milestones", "commitments", "testimonies_new"):
        assert client.get(_url(name, place)).status_code == 200, name


def test_a_testimony_is_created_refused_and_removed(client, place, coordinator, private) -> None:
    client.force_login(coordinator)
    form = {
        "quote": "On apprend les uns des autres.",
        "author_role": "Résidente",
        "said_on": "2026-05-20",
        "impact": "peer_learning/peer_to_peer",
        "public": "on",
    }
    response = client.post(_url("testimonies_new", place), form)
    assert response.status_code == 422
    assert response.context["form"].errors["public"]
    response = client.post(
        _url("testimonies_new", place), {**form, "consent": "on", "consent_how": "Par écrit"}
    )
    assert response.status_code == 302
    made = models.Testimony.objects.get(author_role="Résidente")
    assert (made.impact_key, made.axis_key, made.public) == ("peer_learning", "peer_to_peer", True)
    assert client.post(_url("testimonies_new", place), {**form, "impact": "x"}).status_code == 422
    page = client.get(_url("testimonies", place)).text
    assert QUOTE in page and "Privé\u00a0: sans consentement" in page
    remove = _url("testimonies_remove", place, private.pk)
    assert client.get(remove).status_code == 200
    assert models.Testimony.objects.filter(pk=private.pk).exists()
    assert client.post(remove).status_code == 302
    assert not models.Testimony.objects.filter(pk=private.pk).exists()


def test_an_unconsented_testimony_is_on_no_public_page(client, place, private) -> None:
    page = client.get(reverse("places:detail", args=[place.slug]))
    assert page.status_code == 200
    assert QUOTE not in page.text


def test_another_place_s_record_is_not_found(client, other_place, other_coordinator, private):
    client.force_login(other_coordinator)
    for name in ("testimonies_edit", "testimonies_remove"):
        assert client.get(_url(name, other_place, private.pk)).status_code == 404
        assert client.post(_url(name, other_place, private.pk)).status_code == 404
    assert models.Testimony.objects.filter(pk=private.pk).exists()


def test_milestones_and_stories_pages(client, place, coordinator, clock) -> None:
    clock.set(date(2026, 6, 1))
    client.force_login(coordinator)
    milestone = {"happened_on": "2019-09-01", "kind": "opening", "title": "Ouverture", "text": ""}
    assert client.post(_url("milestones_new", place), milestone).status_code == 302
    bad = client.post(_url("milestones_new", place), {**milestone, "kind": "fête"})
    assert bad.status_code == 422 and bad.context["form"].errors["kind"]
    assert "Ouverture" in client.get(_url("milestones", place)).text
    story = {"title": "L'atelier", "text": "Récit", "told_on": "2026-05-01"}
    bad = client.post(_url("stories_new", place), story)
    assert bad.status_code == 422 and bad.context["form"].errors["impact_keys"]
    ok = client.post(_url("stories_new", place), {**story, "impact_keys": ["peer_learning"]})
    assert ok.status_code == 302 and models.Story.objects.filter(place=place).count() == 1


def test_a_self_assessment_adds_to_the_history(client, place, coordinator, clock) -> None:
    clock.set(date(2026, 6, 1))
    client.force_login(coordinator)
    url = _url("commitments", place)
    post = {"assessed_on": "2026-06-01", "level_openness": "2", "criteria_openness": ["open_hours"]}
    assert client.post(url, post).status_code == 302
    assert client.post(url, {**post, "level_openness": "3"}).status_code == 302
    bad = client.post(url, {**post, "assessed_on": "2026-07-01"})
    assert bad.status_code == 422 and bad.context["form"].errors["assessed_on"]
    page = client.get(url)
    assert len(page.context["history"]) == 2
    assert [s.level for a in page.context["history"] for s in a.scores.all()] == [3, 2]


def test_the_network_edits_and_resets_its_framework(
    client, place, coordinator, network_admin
) -> None:
    network = place.network
    home = reverse("impact_network:framework", args=[network.slug])
    client.force_login(coordinator)
    assert client.get(home).status_code == 403
    client.force_login(network_admin)
    assert client.get(home).status_code == 200
    edit = reverse("impact_network:impact", args=[network.slug, "peer_learning"])
    bad = client.post(edit, {"title": "", "conditions": ""})
    assert bad.status_code == 422 and bad.context["form"].errors["title"]
    assert (
        client.post(edit, {"title": "Apprendre entre pairs", "conditions": "A"}).status_code == 302
    )
    new_axis = reverse("impact_network:axis_new", args=[network.slug, "peer_learning"])
    assert client.post(new_axis, {"title": "Un atelier partagé", "example": ""}).status_code == 302
    unknown = reverse("impact_network:impact", args=[network.slug, "nope"])
    assert client.get(unknown).status_code == 404
    client.force_login(coordinator)
    assert "Apprendre entre pairs" in client.get(_url("framework", place)).text
    client.force_login(network_admin)
    reset = reverse("impact_network:reset", args=[network.slug])
    assert client.get(reset).status_code == 200
    assert not services.framework_for(place).is_default
    assert client.post(reset).status_code == 302
    assert services.framework_for(place).is_default


def test_the_photo_is_checked_and_shown_to_the_team_only(
    client,
    place,
    coordinator,
    other_place,
    other_coordinator,
    private,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(coordinator)
    edit = _url("testimonies_edit", place, private.pk)
    form = {
        "quote": QUOTE,
        "author_role": "Habitant du quartier",
        "said_on": "2026-05-01",
        "impact": "trusted_third_party",
    }
    gif = SimpleUploadedFile("a.gif", b"GIF89a", content_type="image/gif")
    bad = client.post(edit, {**form, "photo": gif})
    assert bad.status_code == 422 and bad.context["form"].errors["photo"]
    png = SimpleUploadedFile("Portrait de Jeanne.png", PNG, content_type="image/png")
    assert client.post(edit, {**form, "photo": png}).status_code == 302
    private.refresh_from_db()
    assert "Jeanne" not in private.photo.name  # a random name, not the uploader's
    photo = _url("testimony_photo", place, private.pk)
    response = client.get(photo)
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert photo in client.get(_url("testimonies", place)).text
    client.force_login(other_coordinator)
    assert client.get(_url("testimony_photo", other_place, private.pk)).status_code == 404
    client.force_login(coordinator)
    stored = tmp_path / private.photo.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, {**form, "remove_photo": "on"}).status_code == 302
    private.refresh_from_db()
    assert not private.photo and not stored.exists()
    assert client.get(photo).status_code == 404
