"""The one clock: tests stop it or move it, and a place's today follows its own time zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tierslieux.core import clock

pytestmark = pytest.mark.pure

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")


@pytest.fixture
def restored():
    """Whatever a test does to the clock, the next one finds it as the run set it."""
    shift = clock.shifted_by()
    yield
    clock.freeze(None)
    clock.shift(shift)


def test_a_frozen_clock_stands_still_and_runs_again_when_released(restored):
    at = datetime(2027, 3, 1, 9, 30, tzinfo=PARIS)
    clock.freeze(at)
    assert clock.now() == at
    assert clock.now() == at  # still
    clock.freeze(None)
    real = timezone.now()  # noqa: TID251 - the clock's own test compares it with the real time
    assert abs(clock.now() - (real + clock.shifted_by())) < timedelta(seconds=5)


def test_the_clock_is_frozen_only_at_an_aware_instant(restored):
    with pytest.raises(ValueError, match="aware"):
        clock.freeze(datetime(2027, 3, 1, 9, 30))  # noqa: DTZ001 - the naive value is the point


def test_frozen_stops_the_clock_inside_the_block_only(restored):
    outer = datetime(2027, 1, 1, tzinfo=UTC)
    clock.freeze(outer)
    with clock.frozen(datetime(2030, 6, 1, tzinfo=UTC)):
        assert clock.now().year == 2030
    assert clock.now() == outer


def test_a_shifted_clock_runs_ahead_of_the_real_time(restored):
    clock.shift(timedelta(0))
    real = clock.now()
    clock.shift(timedelta(days=365))
    ahead = clock.now()
    assert timedelta(days=365) <= ahead - real < timedelta(days=365, seconds=5)
    assert clock.shifted_by() == timedelta(days=365)


def test_a_frozen_clock_wins_over_a_shift(restored):
    at = datetime(2027, 3, 1, 12, tzinfo=UTC)
    clock.shift(timedelta(days=365))
    clock.freeze(at)
    assert clock.now() == at


def test_now_is_aware_and_localtime_is_in_the_zone_asked(restored):
    clock.freeze(datetime(2027, 7, 14, 10, 0, tzinfo=UTC))
    assert clock.now().tzinfo is not None
    assert clock.localtime("Europe/Paris").hour == 12  # summer time: UTC+2
    assert clock.localtime(REUNION).hour == 14  # UTC+4, no summer time
    assert clock.zone(None) == ZoneInfo("Europe/Paris")  # the instance's zone (settings)


@pytest.mark.parametrize(
    ("utc", "paris", "reunion"),
    [
        # 21:30 UTC: 22:30 in Paris, 01:30 the next day in Réunion.
        (datetime(2026, 12, 4, 21, 30, tzinfo=UTC), date(2026, 12, 4), date(2026, 12, 5)),
        # 22:59 UTC: still the 4th in Paris (23:59).
        (datetime(2026, 12, 4, 22, 59, tzinfo=UTC), date(2026, 12, 4), date(2026, 12, 5)),
        # 23:00 UTC: midnight in Paris, both on the 5th.
        (datetime(2026, 12, 4, 23, 0, tzinfo=UTC), date(2026, 12, 5), date(2026, 12, 5)),
        # 19:59 UTC: 23:59 in Réunion, both on the 4th.
        (datetime(2026, 12, 4, 19, 59, tzinfo=UTC), date(2026, 12, 4), date(2026, 12, 4)),
    ],
)
def test_today_in_reunion_turns_the_page_three_hours_before_paris(restored, utc, paris, reunion):
    clock.freeze(utc)
    assert clock.today("Europe/Paris") == paris
    assert clock.today(PARIS) == paris
    assert clock.today("Indian/Reunion") == reunion
    assert clock.today() == paris  # the instance's zone by default
