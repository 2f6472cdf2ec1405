"""Survey indicators against figures computed by hand from `indicator_data` (year 2025), and
the periods (a year, a quarter, in a place's time zone)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from tierslieux.impact.periods import Period, parse
from tierslieux.impact.tests.indicator_data import world_fixture

world = world_fixture(Period(2025))


def test_satisfaction_mean(world):
    """The anonymous survey with 4 answers is left out, so is the draft and the 2024
    answer: (5 + 4 + 4 + 3 + 2) / 5 = 3.6."""
    value = world["fabrique"]["satisfaction_mean"]
    assert value.amount == D("3.6")
    assert value.basis == 5
    assert world["carbet"]["satisfaction_mean"].amount is None


def test_modal_split_and_co2(world):
    """Two answers (not anonymous): 3 days by car and 2 by bike at 10 km; 5 days on foot
    without a distance. Trips a week: car 6, bike 4, on foot 10 (of 20). CO₂: 3 days × 2
    trips × 10 km × 0.2176 kg × 47 weeks = 613.632 kg, for the one who gave a distance."""
    split = world["fabrique"]["modal_split"]
    assert split.amount["car"] == D("30.0")
    assert split.amount["bike"] == D("20.0")
    assert split.amount["walk"] == D("50.0")
    assert split.amount["bus"] == D("0.0")
    assert split.basis == 2
    co2 = world["fabrique"]["commute_co2"]
    assert (co2.amount, co2.basis) == (D("613.6"), 1)


def test_an_anonymous_survey_under_five_answers_shows_nothing(world):
    for key in ("modal_split", "commute_co2"):
        value = world["carbet"][key]
        assert value.amount is None
        assert "5" in str(value.reason)
    assert world["untouched"]["modal_split"].amount is None


@pytest.mark.pure
def test_periods():
    year, quarter = Period(2025), Period(2025, 4)
    assert (year.first, year.last, year.months) == (date(2025, 1, 1), date(2025, 12, 31), 12)
    assert (quarter.first, quarter.last, quarter.months) == (
        date(2025, 10, 1),
        date(2025, 12, 31),
        3,
    )
    assert Period(2024, 1).last == date(2024, 3, 31)
    # Local midnights: Paris is UTC+1 in winter, Cayenne UTC−3.
    assert year.bounds(ZoneInfo("Europe/Paris")) == (
        datetime(2024, 12, 31, 23, tzinfo=UTC),
        datetime(2025, 12, 31, 23, tzinfo=UTC),
    )
    assert Period(2025, 2).bounds(ZoneInfo("America/Cayenne")) == (
        datetime(2025, 4, 1, 3, tzinfo=UTC),
        datetime(2025, 7, 1, 3, tzinfo=UTC),
    )
    assert parse("2025") == year
    assert parse(" 2025-Q4 ") == quarter
    assert parse("2025-T4") == quarter
    assert quarter.code() == "2025-Q4"
    for wrong in ("2025-Q5", "25", "1989", "2025-4", ""):
        with pytest.raises(ValueError):
            parse(wrong)
    with pytest.raises(ValueError):
        Period(2025, 0)
