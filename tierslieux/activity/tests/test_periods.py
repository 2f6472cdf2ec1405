"""Months, pieces and shares (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tierslieux.activity import periods

pytestmark = pytest.mark.pure
PARIS = ZoneInfo("Europe/Paris")


def test_months_in_the_place_time_zone():
    months = periods.months_ending(date(2026, 1, 15), 3, PARIS)
    assert [m.first for m in months] == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
    assert months[-1].start == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert months[-1].end == datetime(2026, 1, 31, 23, tzinfo=UTC)


def test_a_window_across_the_month_end_is_cut_in_two():
    months = periods.months_ending(date(2026, 4, 1), 2, PARIS)
    night = (datetime(2026, 3, 31, 22, tzinfo=PARIS), datetime(2026, 4, 1, 2, tzinfo=PARIS))
    pieces = periods.cut_by_month([night], months)
    assert [(n, (e - s).total_seconds() / 3600) for n, s, e in pieces] == [(0, 2.0), (1, 2.0)]
    assert periods.open_seconds(pieces, 2) == [7200.0, 7200.0]


def test_share_and_band():
    assert periods.share(1, 3) == Decimal("33.3")
    assert periods.share(5, 0) is None
    assert [periods.band(v) for v in (None, Decimal("59.9"), Decimal(60), Decimal("70.1"))] == [
        "none",
        "below",
        "within",
        "above",
    ]
