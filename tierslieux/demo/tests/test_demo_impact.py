"""The demo's impact: the Mille Lieux study's places carry its quoted testimonies (consented,
published), their opening on the timeline, and the micro-centre assesses its commitments
twice so progress shows. The study's recap is read column by column, as printed."""

from __future__ import annotations

from tierslieux.demo import data
from tierslieux.demo.impact import observed_axes, recap_verdicts
from tierslieux.impact import models
from tierslieux.impact.models import CommitmentAssessment, Milestone


def test_the_study_s_testimonies_are_published_with_consent(demo):
    quoted = models.Testimony.objects.filter(place__slug="iness-narbonne")
    assert quoted.count() == 2
    assert set(models.Testimony.objects.publishable()) == set(models.Testimony.objects.all())
    assert models.Testimony.objects.filter(consent_how__contains="Mille Lieux").count() == 6


def test_each_place_has_its_opening_on_the_timeline(demo):
    opening = Milestone.objects.get(place__slug="iness-narbonne")
    assert opening.kind == Milestone.Kind.OPENING and str(opening.happened_on) == "2014-12-01"


def test_the_micro_centre_shows_progress_on_its_commitments(demo):
    older, newer = CommitmentAssessment.objects.filter(
        place__slug=data.MICRO_CENTRE["slug"]
    ).order_by("assessed_on")
    level = {a.pk: {s.commitment_key: s.level for s in a.scores.all()} for a in (older, newer)}
    assert level[older.pk]["openness"] == 2 and level[newer.pk]["openness"] == 3


def test_the_recap_is_read_as_printed():
    # The study's columns: Kenere first, Terralab last; rows: the eight impacts in order.
    assert recap_verdicts("espace-kenere-pontivy") == {
        "non_programmed_city": "no",
        "trusted_third_party": "no",
        "peer_learning": "yes",
        "local_sectors": "no",
        "ecological_transition": "not_observed",
        "breaking_silos": "no",
        "unlikely_connections": "yes",
        "pride_and_influence": "no",
    }
    terralab = recap_verdicts("terralab-arles")
    assert (
        terralab["ecological_transition"] == "yes" and terralab["local_sectors"] == "not_observed"
    )
    assert recap_verdicts("micro-centre-pilote") == {}
    assert observed_axes("bliiida-metz")["peer_learning"] == ["common_spaces"]


def test_the_study_s_places_have_assessed_year_confirmed_as_the_study_judged(demo):
    from tierslieux.demo.impact import PUBLISHED, assessed_year
    from tierslieux.impact.models import YearAssessment

    confirmed = YearAssessment.objects.filter(year=assessed_year(), confirmed_at__isnull=False)
    assert confirmed.count() == 8
    kenere = confirmed.get(place__slug="espace-kenere-pontivy")
    verdicts = {j.impact_key: j.verdict for j in kenere.judgements.all()}
    assert verdicts == recap_verdicts("espace-kenere-pontivy")
    # Where the demo's figures suggest otherwise, the study's verdict stands with its reason.
    assert all(j.reason for j in kenere.judgements.all() if j.overridden)
    assert kenere.figures and "occupancy" in kenere.figures
    assert [a.place.slug for a in YearAssessment.objects.filter(public=True)] == [PUBLISHED]
    micro = YearAssessment.objects.get(place__slug=data.MICRO_CENTRE["slug"])
    assert not micro.confirmed and micro.judgements.count() == 8
