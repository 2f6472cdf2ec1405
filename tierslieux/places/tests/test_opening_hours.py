"""The OpenStreetMap `opening_hours` export: pure, no database."""

from datetime import date, time

import pytest

from tierslieux.places.opening_hours import Exception_, Interval, to_osm

pytestmark = pytest.mark.pure


def week(*spans):
    return [Interval(d, time(*o), time(*c)) for d, o, c in spans]


def test_days_with_the_same_hours_are_grouped_into_ranges():
    hours = week(*[(d, (9, 0), (18, 0)) for d in range(5)], (5, (10, 0), (13, 0)))
    assert to_osm(hours) == "Mo-Fr 09:00-18:00; Sa 10:00-13:00"


def test_split_days_and_non_consecutive_days():
    hours = week(
        (0, (9, 0), (12, 30)),
        (0, (14, 0), (18, 0)),
        (2, (9, 0), (12, 30)),
        (2, (14, 0), (18, 0)),
        (4, (9, 0), (17, 0)),
    )
    assert to_osm(hours) == "Mo,We 09:00-12:30,14:00-18:00; Fr 09:00-17:00"


def test_two_consecutive_days_are_listed_with_a_comma():
    assert to_osm(week((5, (10, 0), (12, 0)), (6, (10, 0), (12, 0)))) == "Sa,Su 10:00-12:00"


def test_exceptions_come_last_so_they_override_the_week():
    hours = week((0, (9, 0), (18, 0)))
    exceptions = [
        Exception_(date(2026, 12, 24), date(2027, 1, 1), closed=True),
        Exception_(date(2026, 7, 14), date(2026, 7, 14), closed=True),
        Exception_(
            date(2026, 8, 3), date(2026, 8, 14), closed=False, opens=time(10), closes=time(16)
        ),
    ]
    assert to_osm(hours, exceptions) == (
        "Mo 09:00-18:00; 2026 Jul 14 off; 2026 Aug 03-14 10:00-16:00; 2026 Dec 24-2027 Jan 01 off"
    )


def test_a_place_without_hours_is_off():
    assert to_osm([]) == "off"
