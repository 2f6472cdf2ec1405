"""Consent rules of testimonies, stories, milestones and the commitments' history."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tierslieux.core.models import AuditEntry
from tierslieux.impact import models, services

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _testimony(**fields):
    data = {
        "quote": "Ici, j'ai retrouvé du travail.",
        "author_role": "Usagère du coworking",
        "said_on": date(2026, 3, 2),
        "consent": False,
        "consent_how": "",
        "public": False,
        "impact_key": "trusted_third_party",
        "axis_key": "unconditional_welcome",
    }
    return {**data, **fields}


def test_an_unconsented_testimony_is_never_publishable(place, coordinator, clock) -> None:
    clock.set(date(2026, 6, 1))
    private = services.save_testimony(coordinator, place, _testimony())
    signed = services.save_testimony(
        coordinator, place, _testimony(consent=True, consent_how="Formulaire signé", public=True)
    )
    assert list(models.Testimony.objects.publishable()) == [signed]
    with pytest.raises(ValidationError) as refused:
        services.save_testimony(coordinator, place, {"public": True}, private)
    assert refused.value.code == "public"
    private.refresh_from_db()
    assert not private.public
    # Withdrawing consent is refused while the testimony is public; made private, it goes.
    with pytest.raises(ValidationError):
        services.save_testimony(coordinator, place, {"consent": False}, signed)
    services.save_testimony(coordinator, place, {"consent": False, "public": False}, signed)
    assert not models.Testimony.objects.publishable().exists()
    assert AuditEntry.objects.filter(action__startswith="impact.testimony").count() == 3


def test_the_database_refuses_a_public_testimony_without_consent(place) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Testimony.objects.create(
            place=place,
            quote="Q",
            author_role="Habitant",
            said_on=date(2026, 1, 1),
            public=True,
            impact_key="peer_learning",
        )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"consent": True}, "consent_how"),
        ({"impact_key": "nope"}, "impact_key"),
        ({"axis_key": "reuse"}, "axis_key"),
        ({"said_on": date(2027, 1, 1)}, "said_on"),
        ({"photo": SimpleUploadedFile("a.gif", b"GIF89a")}, "photo_type"),
        ({"photo": SimpleUploadedFile("a.png", b"not a png")}, "photo_type"),
    ],
)
def test_bad_testimonies_are_refused(place, coordinator, clock, fields, code) -> None:
    clock.set(date(2026, 6, 1))
    with pytest.raises(ValidationError) as refused:
        services.save_testimony(coordinator, place, _testimony(**fields))
    assert refused.value.code == code
    assert not models.Testimony.objects.exists()


def test_a_photo_is_kept_and_removed_with_its_testimony(
    place, coordinator, clock, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    clock.set(date(2026, 6, 1))
    photo = SimpleUploadedFile("portrait.png", PNG, content_type="image/png")
    testimony = services.save_testimony(coordinator, place, _testimony(photo=photo))
    stored = tmp_path / testimony.photo.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(coordinator, testimony)
    assert not stored.exists() and not models.Testimony.objects.exists()


def test_stories_and_milestones(place, coordinator, clock) -> None:
    clock.set(date(2026, 6, 1))
    story = services.save_story(
        coordinator,
        place,
        {
            "title": "L'atelier",
            "text": "Récit",
            "told_on": date(2026, 5, 1),
            "impact_keys": ["peer_learning"],
        },
    )
    assert not models.Story.objects.publishable().exists()
    with pytest.raises(ValidationError) as refused:
        services.save_story(coordinator, place, {"impact_keys": ["nope"]}, story)
    assert refused.value.code == "impact_keys"
    with pytest.raises(ValidationError) as refused:
        services.save_story(coordinator, place, {"public": True}, story)
    assert refused.value.code == "public"
    story.refresh_from_db()
    assert not story.public
    services.save_story(coordinator, place, {"consent": True, "public": True}, story)
    assert list(models.Story.objects.publishable()) == [story]
    with pytest.raises(IntegrityError), transaction.atomic():
        models.Story.objects.filter(pk=story.pk).update(consent=False)
    milestone = services.save_milestone(
        coordinator,
        place,
        {"happened_on": date(2019, 9, 1), "kind": "opening", "title": "Ouverture", "text": ""},
    )
    with pytest.raises(ValidationError) as refused:
        services.save_milestone(coordinator, place, {"kind": "party"}, milestone)
    assert "kind" in refused.value.message_dict
    milestone.refresh_from_db()
    assert milestone.kind == models.Milestone.Kind.OPENING


def test_assessments_keep_their_history(place, coordinator, clock) -> None:
    clock.set(date(2026, 6, 1))
    first = services.record_assessment(
        coordinator, place, date(2025, 6, 1), {"openness": (1, ["open_hours"])}, "Début"
    )
    second = services.record_assessment(
        coordinator, place, date(2026, 6, 1), {"openness": (3, ["open_hours", "open_events"])}
    )
    history = services.assessments(place)
    assert history == [second, first]
    assert [s.level for s in history[1].scores.all()] == [1]
    assert history[0].assessed_by == coordinator
    for scores, code in [
        ({"nope": (1, [])}, "unknown_commitment"),
        ({"openness": (5, [])}, "level"),
        ({"openness": (2, ["nope"])}, "unknown_criterion"),
        ({}, "no_score"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.record_assessment(coordinator, place, date(2026, 6, 1), scores)
        assert refused.value.code == code
    with pytest.raises(ValidationError) as refused:
        services.record_assessment(coordinator, place, date(2026, 6, 2), {"openness": (1, [])})
    assert refused.value.code == "future_date"
    assert models.CommitmentAssessment.objects.count() == 2
