from datetime import date

import pytest

from tierslieux.bookings.holidays import french_public_holidays, holidays_between

pytestmark = pytest.mark.pure


def test_2026_has_the_eleven_national_holidays_with_easter_based_ones_computed():
    days = french_public_holidays(2026)
    assert len(days) == 11
    assert days[date(2026, 4, 6)] == "Lundi de Pâques"
    assert days[date(2026, 5, 14)] == "Ascension"
    assert days[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert days[date(2026, 1, 1)] == "Jour de l'an"
    assert days[date(2026, 7, 14)] == "Fête nationale"
    assert days[date(2026, 11, 11)] == "Armistice"
    assert days[date(2026, 12, 25)] == "Noël"
    assert list(days) == sorted(days)


def test_easter_monday_2027_is_the_29th_of_march():
    assert french_public_holidays(2027)[date(2027, 3, 29)] == "Lundi de Pâques"


def test_two_holidays_on_one_day_keep_both_names():
    days = french_public_holidays(2008)  # Ascension fell on 1 May
    assert len(days) == 10
    assert days[date(2008, 5, 1)] == "Fête du travail / Ascension"


def test_holidays_between_includes_both_ends_and_crosses_years():
    days = holidays_between(date(2026, 12, 25), date(2027, 1, 1))
    assert days == {date(2026, 12, 25): "Noël", date(2027, 1, 1): "Jour de l'an"}
    assert holidays_between(date(2026, 5, 2), date(2026, 5, 7)) == {}
    assert holidays_between(date(2026, 5, 8), date(2026, 5, 1)) == {}
