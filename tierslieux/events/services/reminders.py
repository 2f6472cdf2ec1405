"""The reminder the day before: each confirmed registration whose date (or course's first date)
is tomorrow in the place's time zone gets one e-mail.

Run every hour (`tierslieux events_reminders`, from the same timer as `bookings_tick`). Each
registration is claimed by `UPDATE … WHERE reminded_at IS NULL` before its e-mail is queued,
so two runs at once, or a run repeated, remind nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Min, Q

from tierslieux.core import audit, clock
from tierslieux.events import emails
from tierslieux.events.models import Event, Registration

Status = Registration.Status
# "Tomorrow" somewhere ends at most 48 hours from now (49 on the night the clocks go back).
HORIZON = timedelta(hours=50)


def _due(now: datetime) -> Iterator[tuple[Registration, datetime]]:
    """Confirmed, not yet reminded registrations whose date starts within the horizon, with
    that start."""
    base = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
    ).select_related("event__place")
    dated = base.filter(
        session__isnull=False,
        session__cancelled_at__isnull=True,
        session__start__gt=now,
        session__start__lt=now + HORIZON,
    ).select_related("session")
    for registration in dated:
        assert registration.session is not None
        yield registration, registration.session.start
    courses = (
        base.filter(session__isnull=True, event__enrolment=Event.Enrolment.SERIES)
        .annotate(
            first=Min(
                "event__sessions__start",
                filter=Q(event__sessions__cancelled_at__isnull=True),
            )
        )
        .filter(first__gt=now, first__lt=now + HORIZON)
    )
    for registration in courses:
        yield registration, registration.first


def tomorrow_in_place(start: datetime, now: datetime, tz: ZoneInfo) -> bool:
    """True when `start` falls on the day after today, both read in the place's time zone."""
    return start.astimezone(tz).date() == now.astimezone(tz).date() + timedelta(days=1)


def _claim(registration: Registration, now: datetime) -> bool:
    claimed = Registration.objects.filter(
        pk=registration.pk, status=Status.CONFIRMED, reminded_at__isnull=True
    ).update(reminded_at=now)
    return claimed == 1


def send_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now; the number queued."""
    now = now or clock.now()
    return _send(_due(now), now)


def _send(due: Iterable[tuple[Registration, datetime]], now: datetime) -> int:
    sent = 0
    for registration, start in due:
        if not tomorrow_in_place(start, now, ZoneInfo(registration.event.place.timezone)):
            continue
        if _claim(registration, now):
            registration.reminded_at = now
            emails.notify(registration, "reminder")
            audit.record(
                actor=None,
                action="event.reminder",
                obj=registration.event,
                place_id=registration.event.place_id,
                changes={"registration": registration.pk},
            )
            sent += 1
    return sent
