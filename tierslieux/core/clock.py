"""The one clock of the project: every module and test reads the time here.

Why one clock: rules that depend on today (cancellation deadlines, bill-run months, feeds,
expiries) must be testable at any date. Tests freeze or shift this clock (the `clock` fixture,
`pytest --clock-shift-days`); production code never reads `timezone.now()` itself (ruff's
banned-API rule enforces it outside this module).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_frozen: datetime | None = None
_shift = timedelta(0)


def now() -> datetime:
    """The current instant, aware (UTC)."""
    if _frozen is not None:
        return _frozen
    return timezone.now() + _shift


def machine_now() -> datetime:
    """The machine's own clock, never frozen nor shifted: to compare with the instants that
    libraries write with it (django-tasks' `started_at`), not for the domain's time."""
    return timezone.now()


def zone(tz: str | tzinfo | None = None) -> tzinfo:
    """A time zone from its IANA name; the instance's default (Europe/Paris) for None."""
    if tz is None:
        return ZoneInfo(settings.TIME_ZONE)
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def localtime(tz: str | tzinfo | None = None) -> datetime:
    """The current wall-clock time in `tz` (a place's own zone, or the instance's)."""
    return now().astimezone(zone(tz))


def today(tz: str | tzinfo | None = None) -> date:
    """Today's date in `tz`: a place in Réunion turns the page three hours before Paris."""
    return localtime(tz).date()


# --- For tests and benchmarks ------------------------------------------------------------------


def freeze(at: datetime | None) -> None:
    """Stop the clock at `at` (aware), or let it run again with None."""
    global _frozen
    if at is not None and timezone.is_naive(at):
        raise ValueError("the clock is frozen at an aware datetime")
    _frozen = at


def shift(by: timedelta) -> None:
    """Run the clock `by` ahead of the real time (a whole suite a year ahead, say)."""
    global _shift
    _shift = by


def shifted_by() -> timedelta:
    return _shift


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """The clock stopped at `at` inside the block, as it was after."""
    before = _frozen
    freeze(at)
    try:
        yield
    finally:
        freeze(before)
