"""The built-in questionnaires: valid, with stable keys, written in the creator's language,
citing their source; a survey made from one belongs to whoever may manage surveys."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tierslieux.surveys import questionnaire, services_templates
from tierslieux.surveys.templates_builtin import BUILTIN, DISTANCE, MOBILITY_DAYS

KEYS = {
    "needs": [
        "org_name", "org_sector", "org_size", "functions", "activity_kind",
        "activities_permanent", "activities_occasional", "spaces", "surface_m2", "hours",
        "frequency", "budget_month", "contribution", "commitment", "comanage_ready", "comments",
    ],
    "satisfaction": [
        "frequency", "come_for", "satisfaction", "sat_welcome", "sat_spaces", "sat_hours",
        "sat_activities", "belonging", "met_people", "recommend", "missing", "words",
    ],
    "mobility": [
        "commune", "distance_km", "days_car", "days_carpool", "days_bus", "days_tram",
        "days_train", "days_bike", "days_walk", "days_remote",
    ],
    "inhabitants": [
        "missing_services", "activities", "when", "how_come", "involvement", "ideas", "age",
        "commune",
    ],
}  # fmt: skip


def _texts(definition: dict) -> list[str]:
    """Every section title and question label (choices may read alike in both languages)."""
    parsed = questionnaire.parse(definition)
    return [s.title for s in parsed.sections] + [q.label for q in parsed.questions()]


@pytest.mark.pure
@pytest.mark.parametrize("key", sorted(BUILTIN))
def test_each_template_parses_and_keeps_its_keys(key):
    template = BUILTIN[key]
    assert template.key == key
    parsed = questionnaire.parse(template.definition())
    assert [q.key for q in parsed.questions()] == KEYS[key]
    assert questionnaire.parse(questionnaire.dump(parsed)) == parsed
    for question in parsed.questions():
        assert question.kind.has_choices or not question.choices


@pytest.mark.pure
def test_the_mobility_questions_are_the_ones_the_estimate_reads():
    parsed = questionnaire.parse(BUILTIN["mobility"].definition())
    distance = parsed.question(DISTANCE)
    assert distance is not None and distance.required and distance.unit == "km"
    for key in MOBILITY_DAYS.values():
        days = parsed.question(key)
        assert days is not None and (days.minimum, days.maximum) == (0, 7)


@pytest.mark.pure
@pytest.mark.parametrize("key", sorted(BUILTIN))
def test_labels_are_written_in_the_creators_language(key):
    with translation.override("en"):
        english = _texts(BUILTIN[key].definition())
        source_en, title_en = str(BUILTIN[key].source), str(BUILTIN[key].title)
    with translation.override("fr"):
        french = _texts(BUILTIN[key].definition())
        source_fr = str(BUILTIN[key].source)
        title_fr = str(BUILTIN[key].title)
    untranslated = [fr for fr, en in zip(french, english, strict=True) if fr == en]
    assert not untranslated
    assert source_fr != source_en and title_fr != title_en
    # French typography: a no-break space before the question mark
    assert all("\u00a0?" in text for text in french if text.endswith("?"))


@pytest.mark.pure
def test_each_template_cites_its_source():
    expected = {
        "needs": ("Mutualisons", "001_7b6b64f426cf00cd.txt"),
        "satisfaction": ("Mille Lieux", "002_02160530ca19453f.txt"),
        "mobility": ("Mille Lieux", "002_02160530ca19453f.txt"),
        "inhabitants": ("level 2", "004_5eea3eb3d679d78a.txt"),
    }
    with translation.override("en"):
        for key, (words, seed) in expected.items():
            assert words in str(BUILTIN[key].source) and BUILTIN[key].seed == seed
    assert "ADEME" in str(BUILTIN["mobility"].source)


def test_a_coordinator_creates_a_survey_from_a_template(place, coordinator):
    survey = services_templates.create_from_template(actor=coordinator, key="mobility", place=place)
    assert survey.place == place and survey.template == "mobility"
    assert survey.anonymous and survey.status == survey.Status.DRAFT
    assert "Mille Lieux" in survey.source and "La Fabrique" in survey.consent
    assert survey.title == "Comment les usagers viennent au lieu"  # created in French
    version = survey.current_version()
    assert [q.key for q in questionnaire.parse(version.definition).questions()] == KEYS["mobility"]


def test_the_needs_survey_is_not_anonymous(place, coordinator):
    survey = services_templates.create_from_template(actor=coordinator, key="needs", place=place)
    assert not survey.anonymous and "Mutualisons" in survey.source


def test_a_network_administrator_creates_the_networks_survey(place, network_admin):
    survey = services_templates.create_from_template(
        actor=network_admin, key="inhabitants", network=place.network
    )
    assert survey.network == place.network and survey.place is None
    assert survey.template == "inhabitants" and survey.anonymous


def test_a_member_may_not_and_an_unknown_template_is_refused(place, member, coordinator):
    with pytest.raises(PermissionDenied):
        services_templates.create_from_template(actor=member, key="satisfaction", place=place)
    with pytest.raises(ValidationError) as refused:
        services_templates.create_from_template(actor=coordinator, key="census", place=place)
    assert refused.value.code == "template"
    assert not place.surveys.exists()
