"""Booking rules of a space: the space's own row, else the defaults of its kind (pure)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tierslieux.bookings.availability import Rules


@dataclass(frozen=True)
class SpaceRules:
    min_minutes: int = 30
    max_minutes: int = 8 * 60
    granularity_minutes: int = 30
    notice_minutes: int = 0
    horizon_days: int = 365
    buffer_minutes: int = 0
    audience: str = "members"
    approval_required: bool = False
    cancellation_deadline_hours: int = 24
    auto_release_minutes: int | None = None
    requires_authorisation: bool = False

    def as_availability_rules(self) -> Rules:
        from tierslieux.bookings.availability import Rules

        return Rules(
            granularity=timedelta(minutes=self.granularity_minutes),
            min_duration=timedelta(minutes=self.min_minutes),
            max_duration=timedelta(minutes=self.max_minutes),
            buffer=timedelta(minutes=self.buffer_minutes),
            notice=timedelta(minutes=self.notice_minutes),
            horizon=timedelta(days=self.horizon_days),
        )


BASE = SpaceRules()
DEFAULTS_BY_KIND: dict[str, SpaceRules] = {
    "multipurpose_room": replace(
        BASE,
        min_minutes=60,
        max_minutes=12 * 60,
        buffer_minutes=30,
        approval_required=True,
        cancellation_deadline_hours=72,
    ),
    "coworking": replace(
        BASE,
        min_minutes=60,
        max_minutes=12 * 60,
        granularity_minutes=60,
        audience="public",
        cancellation_deadline_hours=2,
        auto_release_minutes=60,
    ),
    "desk": replace(
        BASE,
        min_minutes=60,
        max_minutes=12 * 60,
        granularity_minutes=60,
        audience="public",
        cancellation_deadline_hours=2,
        auto_release_minutes=60,
    ),
    "meeting_room": replace(
        BASE,
        min_minutes=30,
        max_minutes=4 * 60,
        buffer_minutes=15,
        audience="public",
        auto_release_minutes=20,
    ),
    "workshop": replace(BASE, min_minutes=60, max_minutes=8 * 60, buffer_minutes=15),
    "wellbeing": replace(BASE, min_minutes=30, max_minutes=3 * 60, buffer_minutes=15),
    "outdoor": replace(BASE, min_minutes=60, max_minutes=12 * 60, approval_required=True),
    "machine": replace(
        BASE,
        min_minutes=15,
        max_minutes=4 * 60,
        granularity_minutes=15,
        buffer_minutes=15,
        requires_authorisation=True,
        cancellation_deadline_hours=2,
    ),
    "other": BASE,
}


def defaults_for(kind: str) -> SpaceRules:
    return DEFAULTS_BY_KIND.get(kind, BASE)
