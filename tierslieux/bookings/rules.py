"""Booking rules of a space (pure): the space's own rules, else its place's defaults for its
kind, else the built-in defaults of its kind (`resolve`, the one order every reader follows);
the bounds a rule value must keep (`problems`, for the model, the forms and the pages)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

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


# Where the rules of a space come from (the rules pages say it).
OWN, PLACE_KIND, BUILT_IN = "own", "place_kind", "built_in"


def resolve(
    kind: str, own: SpaceRules | None, place_kind: SpaceRules | None
) -> tuple[SpaceRules, str]:
    """The rules that apply and where they come from: the space's own, else its place's
    defaults for its kind, else the built-in defaults of the kind."""
    if own is not None:
        return own, OWN
    if place_kind is not None:
        return place_kind, PLACE_KIND
    return defaults_for(kind), BUILT_IN


# Bounds of each value, kept by the database too (`models.rule_constraints`). A booking lasts
# a week at most: the availability queries read back that far (`queries.longest_booking`).
BOUNDS: dict[str, tuple[int, int]] = {
    "min_minutes": (5, 7 * 24 * 60),
    "max_minutes": (5, 7 * 24 * 60),
    "granularity_minutes": (5, 24 * 60),
    "notice_minutes": (0, 30 * 24 * 60),
    "horizon_days": (1, 3 * 365),
    "buffer_minutes": (0, 24 * 60),
    "cancellation_deadline_hours": (0, 90 * 24),
    "auto_release_minutes": (5, 24 * 60),
}
GRACE_BOUNDS = (0, 120)  # the place's grace period after booking, in minutes
DEFAULT_GRACE_MINUTES = 15


def problems(values: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with rule values, by field: out of bounds, a maximum below the minimum,
    durations off the slot grid, a grid that does not divide a day. Empty when all is well;
    a missing or non-integer value is left to the field's own validation."""
    found: dict[str, str] = {}
    for name, (low, high) in BOUNDS.items():
        value = values.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and not low <= value <= high:
            found[name] = _("Enter a value between %(low)s and %(high)s.") % {
                "low": low,
                "high": high,
            }
    shortest, longest = _whole(values, "min_minutes"), _whole(values, "max_minutes")
    step = _whole(values, "granularity_minutes")
    if shortest and longest and longest < shortest and "max_minutes" not in found:
        found["max_minutes"] = _("The maximum duration cannot be shorter than the minimum.")
    if step and "granularity_minutes" not in found:
        if (24 * 60) % step:
            found["granularity_minutes"] = _(
                "The slot granularity must divide a day (5, 10, 15, 20, 30, 60 minutes…)."
            )
        else:
            for name in ("min_minutes", "max_minutes"):
                duration = _whole(values, name)
                if duration and duration % step and name not in found:
                    found[name] = _(
                        "A duration must be a multiple of the slot granularity (%(step)s minutes)."
                    ) % {"step": step}
    return found


def _whole(values: Mapping[str, Any], name: str) -> int:
    """The value if it is a positive whole number, else 0."""
    value = values.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
