"""Footfall: a day's count and a counter's import, through the services (audited)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from tierslieux.activity import services
from tierslieux.activity.models import DailyCount
from tierslieux.core.models import AuditEntry


def test_a_day_counted_then_corrected(clock, place, staff):
    clock.set(date(2026, 3, 10))
    services.record_count(staff, place, date(2026, 3, 9), 42, "Portes ouvertes")
    services.record_count(staff, place, date(2026, 3, 9), 45)
    row = DailyCount.objects.get(place=place)
    assert (row.count, row.note) == (45, "")
    entries = AuditEntry.objects.filter(place_id=place.pk).order_by("pk")
    actions = list(entries.values_list("action", flat=True))
    assert actions == ["footfall.counted", "footfall.corrected"]


def test_refusals(clock, place, coordinator, member):
    clock.set(date(2026, 3, 10))
    with pytest.raises(ValidationError) as refused:
        services.record_count(coordinator, place, date(2026, 3, 11), 3)
    assert refused.value.code == "future_day"
    with pytest.raises(ValidationError):
        services.record_count(coordinator, place, date(2026, 3, 9), -1)
    with pytest.raises(PermissionDenied):
        services.record_count(member, place, date(2026, 3, 9), 3)
    assert not DailyCount.objects.exists()


def test_one_count_per_place_and_day_in_the_database(place):
    DailyCount.objects.create(place=place, day=date(2026, 3, 9), count=1)
    with pytest.raises(IntegrityError):
        DailyCount.objects.create(place=place, day=date(2026, 3, 9), count=2)


def test_import_writes_all_rows_and_replaces_counted_days(clock, place, coordinator):
    clock.set(date(2026, 3, 10))
    services.record_count(coordinator, place, date(2026, 3, 2), 1)
    text = "date;entrées\n02/03/2026;120\n03/03/2026;80\n"
    assert services.import_counts(coordinator, place, text) == 2
    counts = dict(DailyCount.objects.values_list("day", "count"))
    assert counts == {date(2026, 3, 2): 120, date(2026, 3, 3): 80}
    assert AuditEntry.objects.filter(action="footfall.imported").count() == 2


def test_import_writes_nothing_on_a_bad_row(clock, place, coordinator):
    clock.set(date(2026, 3, 10))
    text = "date,count\n2026-03-02,120\n2026-03-03,-4\n2026-03-20,5\n"
    with pytest.raises(ValidationError) as refused:
        services.import_counts(coordinator, place, text)
    message = refused.value.messages[0]
    assert "3" in message and "4" in message  # lines 3 (bad count) and 4 (a day to come)
    assert not DailyCount.objects.exists()
