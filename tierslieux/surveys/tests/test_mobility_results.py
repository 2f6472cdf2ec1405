"""The mobility survey's panels on the results page, from answers whose figures are computed
by hand below; hidden for a small group in an anonymous survey."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tierslieux.core import formatting
from tierslieux.surveys import mobility_results, services, services_templates
from tierslieux.surveys.mobility import Commute, Mode
from tierslieux.surveys.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")

# Five people (days a week by mode, one-way km):
ANSWERS = [
    {"distance_km": ["10"], "days_car": ["2"], "days_bike": ["3"]},  # car 2, bike 3
    {"distance_km": ["25"], "days_carpool": ["4"], "days_remote": ["1"]},  # car-pool 4, remote 1
    {"distance_km": ["30"], "days_train": ["1"], "days_bus": ["2"], "days_walk": ["2"]},
    {"distance_km": ["0.8"], "days_walk": ["5"]},
    {"distance_km": ["4"], "days_bike": ["2"], "days_remote": ["3"]},
]
# Trips a week (days × 2): car 4, car-pool 8, bus 4, train 2, bike 6 + 4 = 10, on foot
# 4 + 10 = 14: 42 in all → car 4/42 = 9.52 %, car-pool 19.05 %, bus 9.52 %, train 4.76 %,
# bike 23.81 %, on foot 33.33 %.
# kg CO₂e a year (× 2 trips × 47 weeks): car 2 × 2 × 10 × 0.2176 × 47 = 409.088;
# car-pool 4 × 2 × 25 × 0.1088 × 47 = 1,022.72; train 1 × 2 × 30 × 0.02769 × 47 = 78.0858;
# bus 2 × 2 × 30 × 0.12242 × 47 = 690.4488; bike and on foot 0.
# Total 2,200.3426 → 2,200.3; average over 5 people 440.06852 → 440.1.
# Remote: 1 + 3 = 4 days of 4 + 21 travelled (5 + 4 + 5 + 5 + 2) = 16 %.


@pytest.fixture
def survey(place, coordinator):
    created = services_templates.create_from_template(
        actor=coordinator, key="mobility", place=place
    )
    return services.publish(actor=coordinator, survey=created)


def _answer(survey, answers):
    for raw in answers:
        services.answer_by_link(survey=survey, raw=raw)


def test_the_answers_are_read_back_as_commutes(survey):
    _answer(survey, ANSWERS[:2])
    found = sorted(mobility_results.commutes(survey), key=lambda c: c.km)
    assert found == [
        Commute({Mode.CAR: D(2), Mode.BIKE: D(3)}, D(10)),
        Commute({Mode.CARPOOL: D(4), Mode.REMOTE: D(1)}, D(25)),
    ]


def test_a_small_anonymous_group_shows_no_figure(survey):
    _answer(survey, ANSWERS[:4])
    (_title, html), *others = mobility_results.extra_panels(survey, survey.current_version())
    assert not others and "Fewer than 5 answers" in html
    assert "kg" not in html and "%" not in html


def test_the_panels_give_the_modal_split_and_the_co2_estimate(survey):
    _answer(survey, ANSWERS)
    panels = mobility_results.extra_panels(survey, survey.current_version())
    (split_title, split), (co2_title, co2) = panels
    assert "modal split" in split_title and "estimate" in co2_title
    for share in ("9.5", "19.0", "4.8", "23.8", "33.3"):
        assert formatting.percent(D(share), 1) in split
    assert "<svg" in split and "Share of trips by mode" in split
    assert "5 answers" in split and formatting.percent(D("16.0"), 1) in split
    assert "Estimate: 2,200.3 kg CO₂e a year in all, 440.1 kg per person" in co2
    for kg in ("409.1", "1,022.7", "690.4", "78.1"):
        assert f"<td class='num'>{kg}</td>" in co2
    assert "An estimate, not a measurement" in co2 and "47 weeks" in co2
    assert "0.2176" in co2 and "ADEME" in co2 and "2025" in co2


def test_only_the_mobility_template_has_panels(place, coordinator):
    other = f.survey(place, actor=coordinator)
    assert mobility_results.extra_panels(other, other.current_version()) == []


def test_a_named_survey_shows_its_figures_even_for_a_few(survey, coordinator):
    survey = services.update_settings(actor=coordinator, survey=survey, anonymous=False)
    _answer(survey, ANSWERS[:1])
    (_title, split), (_t, co2) = mobility_results.extra_panels(survey)
    assert formatting.percent(D("40.0"), 1) in split  # car 4 trips of 10, bike 6
    assert "Estimate: 409.1 kg" in co2
