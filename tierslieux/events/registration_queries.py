"""Reads for the registration pages: seats left per date, a place on the waiting list, an
address's recent pending registrations, a person's registrations. Nothing here writes.

Seats are counted as the service counts them (confirmed registrations, walk-ins apart), in
one query for all the dates of an event, so the form's "3 seats left" and the service's
decision agree at the moment the page is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, Sum

from tierslieux.accounts.models import Person
from tierslieux.events.models import Event, Registration, Session

Status = Registration.Status
# A visitor's address may hold this many unconfirmed registrations made in the last hour:
# enough for a family choosing several workshops, too few to flood someone's mailbox.
PENDING_PER_HOUR = 5
FLOOD_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class DateSeats:
    """A date one may register for (None: the whole course) and its seats left."""

    session: Session | None
    left: int

    @property
    def full(self) -> bool:
        return self.left <= 0


def open_dates(event: Event, now: datetime) -> list[DateSeats]:
    """The dates still open for registration with their seats left: each session to come,
    or the course as one (while its first date has not started)."""
    sessions = list(
        event.sessions.filter(cancelled_at__isnull=True).select_related("space").order_by("start")
    )
    held: dict[int | None, int] = dict(
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .exclude(source=Registration.Source.WALK_IN)
        .values("session")
        .annotate(n=Sum("seats"))
        .values_list("session", "n")
    )
    if event.enrolment == Event.Enrolment.SERIES:
        if not sessions or sessions[0].start <= now:
            return []
        return [DateSeats(None, max(0, event.capacity - (held.get(None) or 0)))]
    return [
        DateSeats(s, max(0, event.capacity - (held.get(s.pk) or 0)))
        for s in sessions
        if s.start > now
    ]


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line, and so on (None when not waiting): registrations, not seats,
    in the order the service promotes them."""
    if registration.status != Status.WAITLISTED or registration.queued_at is None:
        return None
    same_line = Q(event_id=registration.event_id, session_id=registration.session_id)
    ahead = Registration.objects.filter(same_line, status=Status.WAITLISTED).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def flooding(email: str, now: datetime) -> bool:
    """Whether the address holds as many unconfirmed registrations of the last hour as it may."""
    recent = Registration.objects.filter(
        email=email,
        status=Status.PENDING,
        source=Registration.Source.PUBLIC,
        created_at__gt=now - FLOOD_WINDOW,
    )
    return recent.count() >= PENDING_PER_HOUR


def active_of(person: Person | None, event: Event) -> list[Registration]:
    """The person's registrations for the event not cancelled (what the form reminds them)."""
    if person is None:
        return []
    return list(
        Registration.objects.filter(event=event, person=person)
        .exclude(status=Status.CANCELLED)
        .select_related("session")
        .order_by("session__start", "pk")
    )


@dataclass(frozen=True)
class Mine:
    """A person's registration as "My registrations" lists it."""

    registration: Registration
    start: datetime | None
    end: datetime | None
    upcoming: bool


MINE_LIMIT = 300  # past registrations beyond this many are of no use on the page


def of_person(person: Person | None, now: datetime) -> tuple[list[Mine], list[Mine]]:
    """The person's registrations in every place: (to come, soonest first; past and
    cancelled, most recent first). A course runs from its first date to its last."""
    if person is None:
        return [], []
    rows = (
        Registration.objects.filter(person=person)
        .select_related("event__place", "session__space")
        .prefetch_related(
            Prefetch(
                "event__sessions",
                queryset=Session.objects.filter(cancelled_at__isnull=True).order_by("start"),
            )
        )
        .order_by("-created_at", "-pk")[:MINE_LIMIT]
    )
    upcoming: list[Mine] = []
    past: list[Mine] = []
    start: datetime | None
    end: datetime | None
    for registration in rows:
        if registration.session is not None:
            start, end = registration.session.start, registration.session.end
        else:
            dates = list(registration.event.sessions.all())
            start = dates[0].start if dates else None
            end = max((d.end for d in dates), default=None)
        coming = registration.active and end is not None and end > now
        (upcoming if coming else past).append(Mine(registration, start, end, coming))
    upcoming.sort(key=lambda m: (m.start or now, m.registration.pk))
    past.sort(key=lambda m: m.start or m.registration.created_at, reverse=True)
    return upcoming, past


def first_start(event: Event) -> datetime | None:
    """When a course begins (its first date not cancelled)."""
    first = event.sessions.filter(cancelled_at__isnull=True).order_by("start").first()
    return first.start if first is not None else None
