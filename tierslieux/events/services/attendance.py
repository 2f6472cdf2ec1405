"""The only code that writes attendance: people checked in at the door, undone, walk-ins.

Check-in opens an hour before a session starts and closes at the end of its day (the place's
time zone): the team checks people in as they come, and may catch up after the session. The
event's capacity is the room's safety limit: walk-ins are refused once the people present
and those coming in would exceed it. The event's row is locked while counting, so two
tablets at the door never let more people in than the room holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tierslieux.accounts.models import User
from tierslieux.bookings import services as bookings
from tierslieux.bookings.models import Booking
from tierslieux.core import audit, clock, formatting
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.events import certificate, tasks
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.events.registration_models import MAX_SEATS
from tierslieux.joining.services.common import normalise_email
from tierslieux.places import access
from tierslieux.places.access import Perm

Status = Registration.Status
Source = Registration.Source
OPENS_BEFORE = timedelta(hours=1)
# The bookings service checks a booking in from 15 minutes before its start to its end.
BOOKING_OPENS_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime


def window(session: Session, tz: ZoneInfo) -> Window:
    """From an hour before the start to the end of the session's last day, local time."""
    last_day = session.end.astimezone(tz).date()
    closes = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=tz)
    return Window(session.start - OPENS_BEFORE, closes)


def expected_filter(session: Session) -> Q:
    """The registrations expected at this session: its own, or the course's."""
    mine = Q(session=session)
    if session.event.enrolment == Event.Enrolment.SERIES:
        mine |= Q(session__isnull=True)
    return Q(event_id=session.event_id, status=Status.CONFIRMED) & mine


def present(session: Session) -> int:
    """People checked in at the session, walk-ins included."""
    return Attendance.objects.filter(session=session).aggregate(n=Sum("seats"))["n"] or 0


def expected(session: Session) -> int:
    """Seats of the registrations expected (walk-ins are expected once they are in)."""
    rows = Registration.objects.filter(expected_filter(session))
    return rows.aggregate(n=Sum("seats"))["n"] or 0


def _lock(actor: Actor, session: Session, now: datetime) -> tuple[Event, Session]:
    """Lock the event's row, check the actor and that the door is open now."""
    event = Event.objects.select_for_update().select_related("place").get(pk=session.event_id)
    access.require(actor, event.place, Perm.MANAGE_BOOKINGS)
    session = Session.objects.select_related("booking").get(pk=session.pk)
    session.event = event
    if event.status != Event.Status.PUBLISHED or session.cancelled:
        refuse(_("This session does not take place: nobody can be checked in."), "state")
    tz = ZoneInfo(event.place.timezone)
    door = window(session, tz)
    if now < door.opens:
        with timezone.override(tz):
            opens = formatting.moment(door.opens)
        refuse(
            _("Check-in opens at %(moment)s, an hour before the start."), "too_early", moment=opens
        )
    if now >= door.closes:
        refuse(_("Check-in closed at the end of the session's day."), "too_late")
    return event, session


def _check_in_booking(actor: Actor, session: Session, now: datetime) -> None:
    """The first people at the door check in the session's booking too (the place holds it),
    when the bookings service's window allows; otherwise the booking is left as it is."""
    booking = session.booking
    if booking.checked_in_at is not None or booking.status != Booking.Status.CONFIRMED:
        return
    if not booking.start - BOOKING_OPENS_BEFORE <= now < booking.end:
        return
    try:
        with transaction.atomic():
            bookings.check_in(actor=actor, booking=booking, now=now)
    except ValidationError:
        return  # the booking's own rules decide; the attendance stands


@transaction.atomic
def check_in(
    *,
    actor: Actor,
    session: Session,
    registration: Registration,
    seats: int | None = None,
    now: datetime | None = None,
) -> Attendance:
    """Mark a confirmed registration present at the session, with `seats` people (all its
    seats by default). Checking in again corrects the number of people present."""
    now = now or clock.now()
    event, session = _lock(actor, session, now)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not Registration.objects.filter(expected_filter(session), pk=registration.pk).exists():
        refuse(_("Only a confirmed registration for this date can be checked in."), "state")
    seats = registration.seats if seats is None else seats
    if not 1 <= seats <= registration.seats:
        refuse(
            _("Between 1 and %(most)s people can be present for this registration."),
            "seats",
            most=registration.seats,
        )
    attendance, created = Attendance.objects.get_or_create(
        session=session,
        registration=registration,
        defaults={"seats": seats, "checked_in_at": now, "checked_in_by": _user(actor)},
    )
    if not created and attendance.seats != seats:
        attendance.seats = seats
        attendance.save(update_fields=["seats"])
    _check_in_booking(actor, session, now)
    audit.record(
        actor=actor,
        action="event.check_in",
        obj=event,
        place_id=event.place_id,
        changes={"session": session.pk, "registration": registration.pk, "seats": seats},
    )
    return attendance


@transaction.atomic
def undo_check_in(
    *, actor: Actor, session: Session, registration: Registration, now: datetime | None = None
) -> None:
    """A check-in by mistake: the registration is expected again. A walk-in stays registered
    (at the door) and can be checked in again."""
    now = now or clock.now()
    event, session = _lock(actor, session, now)
    deleted, _rows = Attendance.objects.filter(session=session, registration=registration).delete()
    if not deleted:
        refuse(_("This registration is not checked in."), "state")
    audit.record(
        actor=actor,
        action="event.check_in_undo",
        obj=event,
        place_id=event.place_id,
        changes={"session": session.pk, "registration": registration.pk},
    )


@transaction.atomic
def add_walk_in(
    *,
    actor: Actor,
    session: Session,
    name: str,
    email: str = "",
    seats: int = 1,
    now: datetime | None = None,
) -> Attendance:
    """Someone at the door without a registration: registered for this date (source walk-in,
    confirmed, free) and checked in, as long as the room holds them (the event's capacity is
    the room's safety limit, counted against the people present)."""
    now = now or clock.now()
    event, session = _lock(actor, session, now)
    name = name.strip()
    if not name:
        refuse(_("Give the person's name."), "name")
    if not 1 <= seats <= MAX_SEATS:
        refuse(_("Between 1 and %(most)s people at once."), "seats", most=MAX_SEATS)
    inside = present(session)
    if inside + seats > event.capacity:
        refuse(
            _("The room is full (present: %(present)s, capacity: %(capacity)s)."),
            "full",
            present=inside,
            capacity=event.capacity,
        )
    registration = Registration(
        event=event,
        session=session,  # the date they came to, even for a course
        name=name,
        email=normalise_email(email),
        seats=seats,
        status=Status.CONFIRMED,
        source=Source.WALK_IN,
        created_at=now,
        confirmed_at=now,
    )
    registration.full_clean(exclude=["event", "session", "person", "invoice"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        refuse(_("This address is registered already: check them in from the list."), "email")
    attendance = Attendance.objects.create(
        session=session,
        registration=registration,
        seats=seats,
        checked_in_at=now,
        checked_in_by=_user(actor),
    )
    _check_in_booking(actor, session, now)
    audit.record(
        actor=actor,
        action="event.walk_in",
        obj=event,
        place_id=event.place_id,
        changes={"session": session.pk, "registration": registration.pk, "seats": seats},
    )
    return attendance


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


@transaction.atomic
def send_certificate(*, actor: Actor, registration: Registration) -> None:
    """E-mail a training's certificate of attendance to the attendee (rendered and sent by
    the worker once this commits)."""
    event = Event.objects.select_related("place").get(pk=registration.event_id)
    access.require(actor, event.place, Perm.MANAGE_BOOKINGS)
    registration.event = event
    if not registration.email:
        refuse(_("This registration has no e-mail address: download the certificate."), "email")
    if not certificate.can_certify(registration):
        refuse(
            _("Nobody of this registration was checked in: there is nothing to certify."), "none"
        )
    audit.record(
        actor=actor,
        action="event.certificate_send",
        obj=event,
        place_id=event.place_id,
        changes={"registration": registration.pk},
    )
    pk, issuer = registration.pk, _user(actor)
    transaction.on_commit(lambda: tasks.send_certificate.enqueue(pk, issuer.pk if issuer else None))
