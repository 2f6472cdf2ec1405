"""Demo events, registrations, attendance and footfall: the life of each place, counted.

Events and their sessions go through ``events.services`` acting as the place's coordinator, so
each session books its space like the application does and never collides with the demo's
bookings: a date whose slot is taken or closed is tried at the next hour, then skipped.
Registrations, attendance and daily counts are written directly (as the rest of ``demo/``
writes its history): through the services they would e-mail hundreds of made-up addresses.
Their statuses follow the services' rules: confirmed seats never exceed the capacity, the rest
waits in line for dates to come; past dates have their attendance, a few no-shows and a
walk-in or two.

Each place gets a fortnightly repair café and a members' peer-learning workshop from two
months before the current one to the end of the next, a two-day training next month, and a
screening next month that is full with a waiting list. Events are keyed by (place, title):
a second load writes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from tierslieux.accounts.models import Person, User
from tierslieux.activity.models import DailyCount
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.models import Booking
from tierslieux.core import clock
from tierslieux.events import services
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.places.models import Place, PlaceRole, Space

Status = Registration.Status
Source = Registration.Source
ROOM_KINDS = ("multipurpose_room", "workshop", "meeting_room")
VISITORS = ("Camille", "Yanis", "Inès", "Hugo", "Louise", "Nora", "Théo", "Jade", "Malik", "Rose")


@dataclass
class EventSummary:
    events: int = 0
    sessions: int = 0
    registrations: int = 0
    attendances: int = 0
    counts: int = 0


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    weekdays: tuple[int, ...]  # days of the week tried, in order (0: Monday)
    hours: tuple[int, ...]  # start hours tried, in order
    length: timedelta
    capacity: int
    fields: dict


PLANS = (
    Plan(
        "Repair café",
        Event.Kind.REPAIR_CAFE,
        (5, 2),
        (14, 10, 16),
        timedelta(hours=3),
        12,
        {
            "description": "Venez réparer votre petit électroménager avec nos bénévoles.",
            "audiences": ["families", "seniors"],
        },
    ),
    Plan(
        "Atelier entre membres : outils numériques",
        Event.Kind.WORKSHOP,
        (1, 3),
        (16, 10, 14),
        timedelta(hours=2),
        8,
        {
            "description": "Un membre partage ce qu'il sait faire avec les autres membres.",
            "access": Event.Access.MEMBERS,
            "peer_learning": True,
            "audiences": ["professionals"],
        },
    ),
)


def _space(place: Place) -> Space | None:
    rooms = Space.objects.filter(
        place=place, kind__in=ROOM_KINDS, bookable=True, archived_at__isnull=True
    )
    return rooms.order_by("-capacity", "id").first()


def coordinator_of(place: Place) -> User | None:
    """The place's first coordinator with a login: the demo acts as them."""
    role = (
        PlaceRole.objects.filter(
            place=place, role=PlaceRole.Role.COORDINATOR, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    return role.person.user if role is not None and role.person is not None else None


def _add(
    actor: User, event: Event, space: Space, day: date, hours: tuple[int, ...], length: timedelta
) -> Session | None:
    """A session on `day` at the first of `hours` that is open and free, else none."""
    tz = ZoneInfo(event.place.timezone)
    for hour in hours:
        start = datetime.combine(day, time(hour), tz)
        try:
            with transaction.atomic():
                return services.add_session(
                    actor=actor,
                    event=event,
                    space=space,
                    start=start,
                    end=start + length,
                    now=start - timedelta(days=21),
                )
        except (ValidationError, BookingConflict):
            continue
    return None


class _Taken(Exception):
    pass


def _two_days(actor: User, event: Event, space: Space, day: date) -> bool:
    """Both days of a course from 9:00 to 17:00, or neither."""
    try:
        with transaction.atomic():
            for each in (day, day + timedelta(days=1)):
                if _add(actor, event, space, each, (9,), timedelta(hours=8)) is None:
                    raise _Taken
    except _Taken:
        return False
    return True


def _event(place: Place, actor: User, title: str, kind: str, capacity: int, **fields) -> Event:
    return services.create_event(
        actor=actor, place=place, title=title, kind=kind, capacity=capacity, **fields
    )


def _publish(actor: User, event: Event) -> None:
    first = event.sessions.order_by("start").first()
    if first is None:
        event.delete()
        return
    services.publish_event(actor=actor, event=event, now=first.start - timedelta(days=1))


def _people(place: Place) -> list[Person]:
    return list(
        Person.objects.filter(place_roles__place=place, email__gt="").distinct().order_by("id")
    )


def _register(
    rng: random.Random,
    event: Event,
    session: Session | None,
    people: list[Person],
    now: datetime,
    demand: int,
) -> list[Registration]:
    """`demand` registrations in arrival order: seats while they last, then the waiting
    list for dates to come (for past dates the list is gone: nobody waited for nothing)."""
    start = session.start if session is not None else event.sessions.order_by("start")[0].start
    arrived = start - timedelta(days=10)
    rows, taken = [], 0
    for index in range(demand):
        arrived += timedelta(hours=rng.randint(1, 30))
        person = people[index] if index < len(people) and event.access == "members" else None
        if person is None and event.access == Event.Access.MEMBERS:
            break
        name = VISITORS[index % len(VISITORS)] + f" {chr(65 + index // len(VISITORS))}."
        seats = rng.choice((1, 1, 1, 2))
        fits = taken + seats <= event.capacity
        if not fits and start <= now:
            continue
        taken += seats if fits else 0
        rows.append(
            Registration(
                event=event,
                session=session,
                person=person,
                name=f"{person.first_name} {person.last_name}" if person else name,
                email=person.email if person else f"{slugify(name)}{index}@exemple.org",
                seats=seats,
                status=Status.CONFIRMED if fits else Status.WAITLISTED,
                source=Source.PORTAL if person else Source.PUBLIC,
                created_at=min(arrived, start - timedelta(hours=1)),
                confirmed_at=min(arrived, start - timedelta(hours=1)) if fits else None,
                queued_at=None if fits else min(arrived, start - timedelta(hours=1)),
            )
        )
    return Registration.objects.bulk_create(rows)


def _attend(rng: random.Random, session: Session, registrations: list[Registration]) -> int:
    """Who came to a past date: most of those registered, and a walk-in now and then."""
    rows = [
        Attendance(
            session=session,
            registration=r,
            seats=r.seats,
            checked_in_at=session.start + timedelta(minutes=rng.randint(-10, 20)),
        )
        for r in registrations
        if r.status == Status.CONFIRMED and rng.random() < 0.85
    ]
    present = sum(a.seats for a in rows)
    if present < session.event.capacity and rng.random() < 0.5:
        walk_in = Registration.objects.create(
            event=session.event,
            session=session,
            name="Passage sans inscription",
            seats=1,
            status=Status.CONFIRMED,
            source=Source.WALK_IN,
            created_at=session.start,
            confirmed_at=session.start,
        )
        rows.append(Attendance(session=session, registration=walk_in, seats=1))
    Attendance.objects.bulk_create(rows)
    return len(rows)


def _sessions_of(event: Event) -> list[Session]:
    return list(event.sessions.filter(cancelled_at__isnull=True).order_by("start"))


def _fill(rng: random.Random, event: Event, people: list[Person], now: datetime) -> tuple[int, int]:
    registered = attended = 0
    if event.enrolment == Event.Enrolment.SERIES:
        sessions = _sessions_of(event)
        rows = _register(rng, event, None, people, now, event.capacity - 2)
        registered += len(rows)
        for session in sessions:
            if session.end <= now:
                attended += _attend(rng, session, rows)
        return registered, attended
    for session in _sessions_of(event):
        demand = event.capacity + 4 if "Projection" in event.title else rng.randint(4, 12)
        rows = _register(rng, event, session, people, now, demand)
        registered += len(rows)
        if session.end <= now:
            attended += _attend(rng, session, rows)
    return registered, attended


def _counts(rng: random.Random, place: Place, today: date) -> int:
    """Daily footfall for the last three months, as a door counter would give it."""
    first = (today.replace(day=1) - relativedelta(months=3)).replace(day=1)
    known = set(
        DailyCount.objects.filter(place=place, day__gte=first).values_list("day", flat=True)
    )
    rows = []
    day = first
    while day < today:
        if day.weekday() < 6 and day not in known:
            rows.append(DailyCount(place=place, day=day, count=rng.randint(15, 90)))
        day += timedelta(days=1)
    DailyCount.objects.bulk_create(rows)
    return len(rows)


def load_place_events(place: Place, summary: EventSummary) -> None:
    actor, space = coordinator_of(place), _space(place)
    if actor is None or space is None:
        return
    rng = random.Random(f"events-{place.slug}")
    tz = ZoneInfo(place.timezone)
    now = clock.now()
    today = now.astimezone(tz).date()
    anchor = today.replace(day=1)
    people = _people(place)
    summary.counts += _counts(rng, place, today)
    if Event.objects.filter(place=place).exists():
        return  # loaded already: the life of the place goes on in the application
    made: list[Event] = []
    for plan in PLANS:
        capacity = min(plan.capacity, space.capacity)
        event = _event(place, actor, plan.title, plan.kind, capacity, **plan.fields)
        week = anchor - relativedelta(months=2)
        week -= timedelta(days=week.weekday())  # a Monday
        while week < anchor + relativedelta(months=2):
            for weekday in plan.weekdays:
                if _add(
                    actor, event, space, week + timedelta(days=weekday), plan.hours, plan.length
                ):
                    break
            week += timedelta(days=14)
        made.append(event)
    training = _event(
        place,
        actor,
        "Formation : animer un tiers-lieu",
        Event.Kind.TRAINING,
        min(10, space.capacity),
        enrolment=Event.Enrolment.SERIES,
        hours=Decimal("14"),
        objectives="Accueillir, animer une communauté, tenir un modèle économique.",
        audiences=["professionals", "job_seekers"],
    )
    monday = anchor + relativedelta(months=1)
    monday += timedelta(days=(7 - monday.weekday()) % 7 + 1)  # a Tuesday next month
    for offset in range(20):  # two days in a row, open and free, within next month
        if _two_days(actor, training, space, monday + timedelta(days=offset)):
            break
    made.append(training)  # funded by the region: free for those who come
    screening = _event(
        place,
        actor,
        "Projection-débat : « Les tiers-lieux »",
        Event.Kind.SCREENING,
        min(20, space.capacity),
        audiences=["young_people", "families"],
    )
    _add(actor, screening, space, monday + timedelta(days=3), (18, 17, 16, 14), timedelta(hours=2))
    made.append(screening)
    for event in made:
        _publish(actor, event)
        if Event.objects.filter(pk=event.pk).exists():
            summary.events += 1
            summary.sessions += event.sessions.count()
            registered, attended = _fill(rng, event, people, now)
            summary.registrations += registered
            summary.attendances += attended


def load_events(places: dict[str, Place]) -> EventSummary:
    summary = EventSummary()
    for place in places.values():
        load_place_events(place, summary)
    # Sessions over are done, as the periodic job (`bookings.services.tick`) would have it.
    Booking.objects.filter(
        event_session__isnull=False,
        place__in=places.values(),
        status=Booking.Status.CONFIRMED,
        end__lte=clock.now(),
    ).update(status=Booking.Status.DONE)
    return summary
