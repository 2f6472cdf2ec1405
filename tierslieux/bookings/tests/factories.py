"""Factories for booking tests: an open place (every day 08:00–20:00) with spaces."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from tierslieux.bookings.models import BookingRules
from tierslieux.places.models import OpeningHours, Place, Space
from tierslieux.places.tests import factories as pf

PARIS = ZoneInfo("Europe/Paris")


def open_place(**fields: Any) -> Place:
    return open_every_day(pf.place(**fields))


def open_every_day(place: Place) -> Place:
    """Open `place` (the root conftest's persona, say) every day from 08:00 to 20:00."""
    OpeningHours.objects.bulk_create(
        OpeningHours(place=place, weekday=d, opens=time(8), closes=time(20)) for d in range(7)
    )
    return place


def room(place: Place, **fields: Any) -> Space:
    fields.setdefault("kind", Space.Kind.MEETING_ROOM)
    return pf.space(place, **fields)


def rules(space: Space, **fields: Any) -> BookingRules:
    values = {
        "min_minutes": 15,
        "max_minutes": 600,
        "granularity_minutes": 15,
        "audience": "public",
        "cancellation_deadline_hours": 24,
        **fields,
    }
    row, _ = BookingRules.objects.update_or_create(space=space, defaults=values)
    return row


def at(day: str, hour: int, minute: int = 0, tz: ZoneInfo = PARIS) -> datetime:
    """An aware local datetime: at("2026-12-01", 10) is 10:00 in Paris that day."""
    d = datetime.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=tz)
