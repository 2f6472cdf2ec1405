"""The mobility estimate (`surveys.mobility`) against cases computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tierslieux.surveys import mobility
from tierslieux.surveys.mobility import FACTORS, Commute, Mode

pytestmark = pytest.mark.pure

# Three people who gave their distance, one who did not:
# A: car alone 2 days, bike 3 days, 10 km one way
# B: car-pool 4 days, remote 1 day, 25 km
# C: train 1 day, bus 2 days, on foot 2 days, 30 km
# D: on foot 5 days, no distance (counts in the split, not in the CO₂)
A = Commute({Mode.CAR: D(2), Mode.BIKE: D(3)}, D(10))
B = Commute({Mode.CARPOOL: D(4), Mode.REMOTE: D(1)}, D(25))
C = Commute({Mode.TRAIN: D(1), Mode.BUS: D(2), Mode.WALK: D(2)}, D(30))
D_ = Commute({Mode.WALK: D(5)}, None)


def test_the_factors_are_the_ademe_ones_each_with_its_source_and_year():
    assert FACTORS[Mode.CAR].kg_per_km == D("0.2176")  # 0.192 fuel + 0.0256 construction
    assert FACTORS[Mode.CARPOOL].kg_per_km == FACTORS[Mode.CAR].kg_per_km / 2
    assert FACTORS[Mode.BUS].kg_per_km == D("0.12242")  # 0.1135 + 0.00892
    assert FACTORS[Mode.TRAM].kg_per_km == D("0.00428")  # 0.0038 + 0.00048
    assert FACTORS[Mode.TRAIN].kg_per_km == D("0.02769")  # TER: 0.0229 + 0.00479
    assert FACTORS[Mode.BIKE].kg_per_km == FACTORS[Mode.WALK].kg_per_km == 0
    assert FACTORS[Mode.REMOTE].kg_per_km == 0
    assert set(FACTORS) == set(Mode)
    for factor in FACTORS.values():
        assert "ADEME" in str(factor.source) and "impactCO2" in str(factor.source)
        assert factor.year == 2025


def test_one_persons_year_computed_by_hand():
    # A: car 2 days × 2 trips × 10 km × 0.2176 kg × 47 weeks = 409.088 → 409.1; bike 0
    assert mobility.annual_co2(A) == D("409.1")
    # B: car-pool 4 × 2 × 25 × 0.1088 × 47 = 1,022.72 → 1,022.7; remote 1 day: nothing
    assert mobility.annual_co2(B) == D("1022.7")
    # C: train 1 × 2 × 30 × 0.02769 × 47 = 78.0858; bus 2 × 2 × 30 × 0.12242 × 47 = 690.4488;
    # on foot 0; together 768.5346 → 768.5
    assert mobility.annual_co2(C) == D("768.5")
    assert mobility.annual_co2(D_) is None  # no distance, no estimate


def test_the_weeks_a_year_are_a_parameter():
    # A over 52 weeks: 2 × 2 × 10 × 0.2176 × 52 = 452.608 → 452.6
    assert mobility.annual_co2(A, weeks_per_year=52) == D("452.6")
    assert mobility.WEEKS_PER_YEAR == 47  # 52 weeks less 5 weeks of paid leave


def test_the_modal_split_is_the_share_of_trips():
    # trips a week (days × 2): car 4, car-pool 8, bus 4, train 2, bike 6, on foot 4 + 10 = 14;
    # 38 in all. car 4/38 = 10.53 %, car-pool 8/38 = 21.05 %, bus 10.53 %, train 5.26 %,
    # bike 6/38 = 15.79 %, on foot 14/38 = 36.84 %; remote days are no trips.
    split = mobility.modal_split([A, B, C, D_])
    assert split == {
        Mode.CAR: D("10.5"),
        Mode.CARPOOL: D("21.1"),
        Mode.BUS: D("10.5"),
        Mode.TRAM: D("0.0"),
        Mode.TRAIN: D("5.3"),
        Mode.BIKE: D("15.8"),
        Mode.WALK: D("36.8"),
    }
    assert Mode.REMOTE not in split


def test_totals_and_averages_over_the_answers():
    summary = mobility.summarise([A, B, C, D_])
    assert (summary.respondents, summary.estimated) == (4, 3)
    # 409.088 + 1,022.72 + 768.5346 = 2,200.3426 → 2,200.3; average over the 3 with a
    # distance: 733.4475… → 733.4
    assert summary.total_co2 == D("2200.3")
    assert summary.average_co2 == D("733.4")
    assert summary.co2_by_mode[Mode.CAR] == D("409.1")
    assert summary.co2_by_mode[Mode.CARPOOL] == D("1022.7")
    assert summary.co2_by_mode[Mode.BUS] == D("690.4")
    assert summary.co2_by_mode[Mode.TRAIN] == D("78.1")
    assert summary.co2_by_mode[Mode.WALK] == 0
    # remote: 1 day of 1 + (5 + 4 + 5 + 5) travelled = 1/20 = 5 %
    assert summary.remote_share == D("5.0")
    assert summary.trips[Mode.WALK] == 14


def test_nobody_travelling_gives_no_share_and_no_average():
    summary = mobility.summarise([Commute({Mode.REMOTE: D(5)}, None)])
    assert set(summary.split.values()) == {D(0)}
    assert summary.average_co2 is None and summary.total_co2 == 0
    assert summary.remote_share == D("100.0")
    assert mobility.summarise([]).respondents == 0
