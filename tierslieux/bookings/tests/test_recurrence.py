from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierslieux.bookings.recurrence import Recurrence, RecurrenceError, expand

PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.pure


def local(*args):
    return datetime(*args, tzinfo=PARIS)


def test_every_other_week_on_two_days_reads_as_rfc_5545():
    rec = Recurrence(freq="weekly", interval=2, weekdays=(0, 2), until=date(2027, 2, 1))
    assert rec.rfc5545(local(2027, 1, 4, 18)) == (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270201T235959"
    )
    occurrences, skipped = expand(local(2027, 1, 4, 18), timedelta(hours=2), rec, PARIS)
    assert [o.start.date() for o in occurrences] == [
        date(2027, 1, 4),
        date(2027, 1, 6),
        date(2027, 1, 18),
        date(2027, 1, 20),
        date(2027, 2, 1),
    ]
    assert skipped == []


def test_the_last_friday_of_each_month():
    rec = Recurrence(freq="monthly", nth=-1, count=3)
    occurrences, _ = expand(local(2027, 1, 29, 19), timedelta(hours=3), rec, PARIS)
    assert [o.start.date() for o in occurrences] == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
    ]


def test_a_local_time_that_does_not_exist_is_skipped_with_its_reason():
    rec = Recurrence(freq="weekly", count=3, weekdays=(6,))
    occurrences, skipped = expand(local(2027, 3, 21, 2, 30), timedelta(hours=1), rec, PARIS)
    assert [s.local_start for s in skipped] == [datetime(2027, 3, 28, 2, 30)]  # noqa: DTZ001 (a naive wall-clock time, on purpose)
    assert skipped[0].reason == "nonexistent"
    assert len(occurrences) == 2


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence(freq="daily", count=2),
        Recurrence(freq="weekly", interval=0, count=2),
        Recurrence(freq="weekly"),
        Recurrence(freq="weekly", count=60),
    ],
)
def test_rules_without_an_end_or_beyond_a_year_are_refused(rec):
    with pytest.raises(RecurrenceError):
        expand(local(2027, 1, 4, 18), timedelta(hours=1), rec, PARIS)
