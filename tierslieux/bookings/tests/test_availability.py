import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierslieux.bookings.availability import (
    AmbiguousLocalTime,
    Busy,
    NonExistentLocalTime,
    Rules,
    fits,
    free_intervals,
    free_slots,
    free_spaces,
    nearest_free_slots,
    opening_windows,
    peak_units,
    to_aware,
    within_opening,
)
from tierslieux.bookings.holidays import holidays_between

pytestmark = pytest.mark.pure

PARIS = ZoneInfo("Europe/Paris")
SPRING = date(2026, 3, 29)  # clocks go forward at 02:00 -> 03:00
AUTUMN = date(2026, 10, 25)  # clocks go back at 03:00 -> 02:00
DAY = date(2026, 6, 10)  # an ordinary Wednesday
H = timedelta(hours=1)
M30 = timedelta(minutes=30)
EVERY_DAY_9_18 = [(d, time(9), time(18)) for d in range(7)]
ALL_DAY = [(d, time(0), time(0)) for d in range(7)]


def at(hour, minute=0, day=DAY, tz=PARIS):
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def busy(start, end, units=1):
    return Busy(at(*start), at(*end), units)


def open_on(day=DAY, weekly=EVERY_DAY_9_18, tz=PARIS, **kwargs):
    return opening_windows(day, day, tz, weekly, **kwargs)


def starts(slots, tz=PARIS):
    return [s.start.astimezone(tz).strftime("%H:%M") for s in slots]


NOW = at(0, day=date(2026, 1, 1))
RULES = Rules(granularity=M30, min_duration=M30, max_duration=timedelta(hours=8))


def test_a_nine_to_six_day_lasts_nine_hours_on_both_daylight_saving_days():
    for day in (SPRING, AUTUMN):
        [window] = open_on(day)
        assert window.duration == timedelta(hours=9)
        assert window.start == at(9, day=day)
        assert window.end == at(18, day=day)


def test_a_midnight_to_four_window_lasts_three_hours_in_spring_and_five_in_autumn():
    night = [(6, time(0), time(4))]  # both days are Sundays
    assert [w.duration for w in open_on(SPRING, night)] == [timedelta(hours=3)]
    assert [w.duration for w in open_on(AUTUMN, night)] == [timedelta(hours=5)]


def test_strict_to_aware_refuses_a_skipped_time_and_a_repeated_time():
    with pytest.raises(NonExistentLocalTime):
        to_aware(SPRING, time(2, 30), PARIS)
    with pytest.raises(AmbiguousLocalTime):
        to_aware(AUTUMN, time(2, 30), PARIS)
    assert to_aware(DAY, time(10), PARIS).utcoffset() == 2 * H


def test_lenient_to_aware_moves_a_skipped_time_to_the_end_of_the_gap_and_takes_the_first():
    moved = to_aware(SPRING, time(2, 30), PARIS, strict=False)
    assert moved == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert moved.astimezone(PARIS).strftime("%H:%M %z") == "03:00 +0200"
    first = to_aware(AUTUMN, time(2, 30), PARIS, strict=False)
    # an instant in the fold never equals one of another zone (PEP 495): compare in UTC
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert first.utcoffset() == 2 * H


def test_free_slots_never_start_at_a_skipped_local_time_in_spring():
    slots = free_slots(open_on(SPRING, ALL_DAY), [], 1, RULES, M30, NOW)
    local = starts(slots)
    assert len(slots) == 46  # a 23-hour day
    assert "02:00" not in local and "02:30" not in local
    assert local[3:6] == ["01:30", "03:00", "03:30"]
    assert len(set(local)) == len(local)


def test_free_slots_give_each_repeated_local_time_once_per_offset_in_autumn():
    slots = free_slots(open_on(AUTUMN, ALL_DAY), [], 1, RULES, M30, NOW)
    assert len(slots) == 50  # a 25-hour day
    instants = [s.start for s in slots]
    assert instants == sorted(set(instants))
    local = [s.start.astimezone(PARIS).strftime("%H:%M %z") for s in slots]
    assert len(set(local)) == len(local)
    assert local[4:8] == ["02:00 +0200", "02:30 +0200", "02:00 +0100", "02:30 +0100"]


def test_a_place_overseas_has_its_own_wall_clock():
    cayenne, noumea = ZoneInfo("America/Cayenne"), ZoneInfo("Pacific/Noumea")
    [guyane] = open_on(weekly=[(2, time(8), time(17))], tz=cayenne)
    assert (guyane.start, guyane.end) == (
        datetime(2026, 6, 10, 11, tzinfo=UTC),
        datetime(2026, 6, 10, 20, tzinfo=UTC),
    )
    windows = open_on(weekly=[(2, time(8), time(12))], tz=noumea)
    assert windows[0].start == datetime(2026, 6, 9, 21, tzinfo=UTC)
    slots = free_slots(windows, [Busy(at(9, tz=noumea), at(10, tz=noumea))], 1, RULES, H, NOW)
    assert starts(slots, noumea) == ["08:00", "10:00", "10:30", "11:00"]


def test_public_holidays_and_closures_remove_windows():
    holidays = holidays_between(date(2026, 5, 1), date(2026, 5, 31))
    may = opening_windows(date(2026, 5, 1), date(2026, 5, 31), PARIS, EVERY_DAY_9_18, (), holidays)
    days = {w.start.astimezone(PARIS).date() for w in may}
    assert len(may) == 31 - 4
    assert date(2026, 5, 1) not in days and date(2026, 5, 14) not in days
    closure = [(date(2026, 8, 3), date(2026, 8, 9), True, None, None)]
    august = opening_windows(date(2026, 8, 1), date(2026, 8, 10), PARIS, EVERY_DAY_9_18, closure)
    assert [w.start.astimezone(PARIS).day for w in august] == [1, 2, 10]


def test_special_hours_replace_the_week_on_the_days_they_cover():
    special = [(DAY, DAY, False, time(14), time(22))]
    [window] = open_on(exceptions=special)
    assert (window.start, window.end) == (at(14), at(22))
    [next_day] = open_on(DAY + timedelta(days=1), exceptions=special)
    assert next_day.start == at(9, day=DAY + timedelta(days=1))


def test_split_days_stay_apart_and_an_overnight_span_joins_the_next_morning():
    split = [(2, time(9), time(12)), (2, time(14), time(18))]
    assert [(w.start, w.end) for w in open_on(weekly=split)] == [(at(9), at(12)), (at(14), at(18))]
    night = [(2, time(20), time(0)), (3, time(0), time(2))]
    windows = opening_windows(DAY, DAY + timedelta(days=1), PARIS, night)
    assert [(w.start, w.end) for w in windows] == [(at(20), at(2, day=DAY + timedelta(days=1)))]


def test_a_booking_must_lie_inside_one_window():
    windows = open_on(weekly=[(2, time(9), time(12)), (2, time(14), time(18))])
    assert within_opening(at(9), at(12), windows)
    assert not within_opening(at(11), at(15), windows)
    assert not within_opening(at(8, 30), at(10), windows)
    with pytest.raises(ValueError, match="naive"):
        within_opening(datetime(2026, 6, 10, 9), at(10), windows)  # noqa: DTZ001


def test_touching_bookings_do_not_conflict():
    taken = [busy((9,), (10,)), busy((10,), (11,))]
    assert peak_units(taken, at(9), at(11)) == 1
    assert fits(taken, at(11), at(12), 1, 1)
    assert fits([busy((9,), (10,))], at(10), at(11), 1, 1)
    assert not fits(taken, at(10, 59), at(12), 1, 1)


def test_eight_desks_with_seven_taken_at_one_instant_still_fit_one_but_not_two():
    taken = [busy((9,), (12,), 4), busy((10,), (11,), 3), busy((11,), (13,), 2)]
    assert peak_units(taken, at(9), at(18)) == 7
    assert fits(taken, at(9), at(18), 8, 1)
    assert not fits(taken, at(9), at(18), 8, 2)
    assert fits(taken, at(11), at(18), 8, 2)  # 4 + 2 after 11:00
    free = free_intervals(open_on(), taken, 8, units_wanted=2)
    assert [(w.start, w.end) for w in free] == [(at(9), at(10)), (at(11), at(18))]


def test_a_buffer_pushes_the_next_free_slot():
    taken = [busy((10,), (11,))]
    rules = Rules(granularity=timedelta(minutes=15), buffer=timedelta(minutes=15))
    slots = free_slots(open_on(), taken, 1, rules, M30, NOW)
    assert starts(slots)[:3] == ["09:00", "09:15", "11:15"]
    assert not fits(taken, at(11), at(12), 1, 1, timedelta(minutes=15))
    assert fits(taken, at(11, 15), at(12), 1, 1, timedelta(minutes=15))


def test_free_slots_respect_notice_horizon_granularity_and_durations():
    windows = open_on(weekly=[(2, time(9, 15), time(12))])
    assert starts(free_slots(windows, [], 1, RULES, H, NOW)) == ["09:15", "09:45", "10:15", "10:45"]
    soon = Rules(notice=timedelta(hours=1))
    assert starts(free_slots(windows, [], 1, soon, H, at(9))) == ["10:15", "10:45"]
    near = Rules(horizon=timedelta(hours=2))
    assert starts(free_slots(windows, [], 1, near, H, at(9))) == ["09:15", "09:45"]
    assert free_slots(windows, [], 1, RULES, timedelta(minutes=20), NOW) == []
    assert free_slots(windows, [], 1, RULES, timedelta(hours=9), NOW) == []


def test_nearest_free_slots_propose_the_closest_starts_on_both_sides():
    taken = [busy((12,), (14,))]
    slots = nearest_free_slots(open_on(), taken, 1, RULES, at(12, 30), H, NOW, limit=4)
    assert starts(slots) == ["10:30", "11:00", "14:00", "14:30"]
    [closest] = nearest_free_slots(open_on(), taken, 1, RULES, at(13, 30), H, NOW, limit=1)
    assert closest.start == at(14)


def test_free_spaces_keep_the_open_spaces_where_the_units_fit_in_input_order():
    windows = open_on()
    candidates = {3: 1, 1: 8, 2: 1, 4: 1}
    busy_by_space = {
        1: [busy((9,), (12,), 7)],
        2: [busy((9,), (10,)), busy((11,), (12,))],
        4: [busy((11,), (12,))],
    }
    windows_by_space = {1: windows, 2: windows, 3: open_on(weekly=[(2, time(14), time(18))])}
    found = free_spaces(candidates, busy_by_space, windows_by_space, at(11), at(12))
    assert found == [1]  # 3 closed at 11:00, 2 taken, 4 has no hours
    assert free_spaces(candidates, busy_by_space, windows_by_space, at(14), at(15)) == [3, 1, 2]
    assert free_spaces(candidates, busy_by_space, windows_by_space, at(11), at(12), 2) == []
    after = free_spaces(candidates, busy_by_space, windows_by_space, at(12), at(13), 1, M30)
    assert after == [1]  # the buffer after 2's booking runs to 12:30
    assert free_spaces(candidates, busy_by_space, windows_by_space, at(12), at(12)) == []


def test_free_spaces_and_free_intervals_agree_with_fits_on_random_bookings():
    rng = random.Random(2026)
    windows = open_on(weekly=[(2, time(8), time(20))])
    quarter = timedelta(minutes=15)
    for _ in range(150):
        total, buffer = rng.choice([1, 2, 3]), rng.choice([timedelta(0), quarter])
        taken = []
        for _ in range(rng.randint(0, 8)):
            start = at(8) + rng.randint(0, 44) * quarter
            taken.append(Busy(start, start + rng.randint(1, 12) * quarter, rng.randint(1, total)))
        taken.sort(key=lambda b: b.start)
        start = at(8) + rng.randint(0, 46) * quarter
        end = min(start + rng.randint(1, 8) * quarter, at(20))
        wanted = rng.randint(1, 2)
        expected = fits(taken, start, end, total, wanted, buffer)
        for longest in (None, 3 * H):
            found = free_spaces(
                {7: total}, {7: taken}, {7: windows}, start, end, wanted, buffer, longest=longest
            )
            assert found == ([7] if expected else [])
        free = free_intervals(windows, taken, total, wanted, buffer)
        assert expected == any(f.start <= start and end <= f.end for f in free)


def test_free_spaces_finds_the_free_ones_among_200_spaces_of_1000_bookings_each():
    """The speed of this search is measured in bench/, not asserted here."""
    windows = opening_windows(date(2026, 6, 1), date(2026, 7, 31), PARIS, ALL_DAY)
    base = datetime(2026, 6, 1, tzinfo=UTC)  # the ORM hands back UTC
    busy_by_space, candidates = {}, {}
    for space in range(200):
        candidates[space] = 3 if space % 3 == 0 else 2  # the buffers make 2 overlap
        busy_by_space[space] = [
            Busy(base + k * H + (space % 3) * timedelta(minutes=10), base + (k + 1) * H)
            for k in range(1000)
        ]
    windows_by_space = dict.fromkeys(candidates, windows)
    for longest in (H, None):
        found = free_spaces(
            candidates,
            busy_by_space,
            windows_by_space,
            base + 500 * H,
            base + 502 * H,
            1,
            M30,
            longest=longest,
        )
        assert found == [s for s in candidates if s % 3 == 0]
