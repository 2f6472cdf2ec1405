"""The only code that writes registrations: register, confirm an address, cancel, promote.

Seats are counted with the event's row locked (`SELECT … FOR UPDATE` on PostgreSQL; SQLite
serialises writers already), so however many people register or cancel at once, confirmed
registrations never hold more seats than the event has. A registration that does not fit
goes to the waiting list and says so; when seats free up (a cancellation, a larger
capacity), the waiting list is promoted in its order, each registration whose seats fit.

A visitor without an account confirms their address from a link before anything is decided:
an unconfirmed registration holds no seat and lapses after `CONFIRM_WITHIN`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.core import audit, clock, formatting
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.events import emails
from tierslieux.events.models import Event, PriceCategory, Registration, Session
from tierslieux.events.registration_models import MAX_SEATS
from tierslieux.events.services import invoicing
from tierslieux.joining.services.common import normalise_email
from tierslieux.places import access
from tierslieux.places.access import Perm

Status = Registration.Status
Source = Registration.Source
CONFIRM_WITHIN = timedelta(hours=48)
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
PriceKind = PriceCategory.Kind


@dataclass(frozen=True)
class Outcome:
    """What a write did: the registration, the token of its links (confirm, cancel), and
    the registrations the freed seats promoted."""

    registration: Registration
    token: str = ""
    promoted: tuple[Registration, ...] = ()


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)


def seats_taken(event: Event, session: Session | None) -> int:
    """Seats held by confirmed registrations of the session (or the course); walk-ins at the
    door are counted against the room when they come, not here."""
    held = Registration.objects.filter(
        event=event, session=session, status=Status.CONFIRMED
    ).exclude(source=Source.WALK_IN)
    return held.aggregate(n=Sum("seats"))["n"] or 0


def seats_left(event: Event, session: Session | None) -> int:
    return max(0, event.capacity - seats_taken(event, session))


def waiting(event: Event, session: Session | None) -> int:
    """People (seats) on the waiting list."""
    queued = Registration.objects.filter(event=event, session=session, status=Status.WAITLISTED)
    return queued.aggregate(n=Sum("seats"))["n"] or 0


def is_member(person: Person | None, event: Event) -> bool:
    """Anyone with a role in the place counts as a member for prices and members-only events."""
    return person is not None and person.place_roles.filter(place_id=event.place_id).exists()


def _target(event: Event, session: Session | None, now: datetime) -> Session | None:
    """The session registered for (None for a course), checked open for registration."""
    if event.status != Event.Status.PUBLISHED:
        refuse(_("Registration is not open for this event."), "not_open")
    if not event.registration_required:
        refuse(_("This event needs no registration: come along."), "no_registration")
    if event.enrolment == Event.Enrolment.SERIES:
        if session is not None:
            refuse(_("This event is one course: register for all its dates."), "session")
        start = _first_start(event)
        if start is None or start <= now:
            refuse(_("Registration is closed: the course has started."), "started")
        return None
    if session is None or session.event_id != event.pk:
        refuse(_("Choose one of the event's dates."), "session")
    if session.cancelled:
        refuse(_("This date is cancelled."), "session_cancelled")
    if session.start <= now:
        refuse(_("Registration is closed: this date has started or is over."), "started")
    return session


def _price(
    event: Event, person: Person | None, kind: str, amount: Decimal | None
) -> tuple[str, Decimal, str]:
    """The registration's price category, price per seat and tax rule, as they stand now."""
    categories = {c.kind: c for c in event.prices.all()}
    if not categories:
        return "", Decimal("0.00"), ""
    category = categories.get(kind)
    if category is None:
        refuse(_("Choose one of the event's prices."), "price_kind")
    if kind == PriceKind.MEMBER and not is_member(person, event):
        refuse(_("The member price is for the place's members."), "price_kind")
    unit = category.price_net
    if kind == PriceKind.PAY_WHAT_YOU_WANT:
        if amount is None:
            refuse(_("Say how much you pay per seat."), "amount")
        minimum = category.min_price_net or Decimal("0.00")
        if amount < minimum:
            refuse(
                _("The price per seat cannot be under %(minimum)s excluding tax."),
                "amount",
                minimum=formatting.money(minimum),
            )
        unit = amount.quantize(Decimal("0.01"))
    return kind, unit, category.tax_code


def _seat(registration: Registration, now: datetime) -> None:
    """Confirm the registration when its seats fit, else put it on the waiting list."""
    event = registration.event
    if registration.seats <= seats_left(event, registration.session):
        registration.status, registration.confirmed_at = Status.CONFIRMED, now
    else:
        registration.status, registration.queued_at = Status.WAITLISTED, now


def _existing(
    event: Event, session: Session | None, email: str, person: Person | None
) -> Registration | None:
    same = Q(email=email) if email else Q(pk__in=[])
    if person is not None:
        same |= Q(person=person)
    live = Registration.objects.filter(event=event, session=session).exclude(
        status=Status.CANCELLED
    )
    return live.filter(same).first()


@transaction.atomic
def register(
    *,
    event: Event,
    session: Session | None = None,
    name: str,
    email: str,
    seats: int = 1,
    price_kind: str = "",
    amount: Decimal | None = None,
    person: Person | None = None,
    actor: Actor | None = None,
    language: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Register someone. A visitor (no `person`) is pending until they confirm their address
    from the link in the e-mail; a member (`person`, from the portal) or someone the team
    adds (`actor` of the team) is confirmed, or waitlisted when the seats are taken.
    Registering twice for the same date is refused, naming the registration that exists."""
    event = _lock(event)
    now = now or clock.now()  # read once the lock is held: the queue's order is the decisions'
    if session is not None:
        session = Session.objects.get(pk=session.pk)
    by_team = actor is not None and access.has_perm(actor, event.place, Perm.MANAGE_BOOKINGS)
    session = _target(event, session, now)
    if event.access == Event.Access.MEMBERS and not (by_team or is_member(person, event)):
        refuse(_("This event is for the place's members."), "members_only")
    if not 1 <= seats <= MAX_SEATS:
        refuse(_("Register between 1 and %(most)s seats."), "seats", most=MAX_SEATS)
    email = normalise_email(email)
    if person is not None and not email:
        email = normalise_email(person.email)
    if not email:
        refuse(_("Give an e-mail address."), "email")
    unit_kind, unit_price, tax_code = _price(event, person, price_kind, amount)
    if _existing(event, session, email, person) is not None:
        refuse(_("You are registered already for this date."), "twice")
    source = Source.TEAM if by_team else (Source.PORTAL if person is not None else Source.PUBLIC)
    registration = Registration(
        event=event,
        session=session,
        person=person,
        name=name.strip(),
        email=email,
        seats=seats,
        price_kind=unit_kind,
        unit_price_net=unit_price,
        tax_code=tax_code,
        source=source,
        language=language if language in LANGUAGES else "",
        status=Status.PENDING,
        created_at=now,
    )
    if source != Source.PUBLIC:
        _seat(registration, now)
    registration.full_clean(exclude=["event", "session", "person", "invoice"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        refuse(_("You are registered already for this date."), "twice")
    audit.record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="event.register",
        obj=event,
        place_id=event.place_id,
        changes={"registration": registration.pk, "seats": seats, "status": registration.status},
    )
    invoicing.invoice_seats(registration, actor)
    emails.notify(registration, "pending" if registration.status == Status.PENDING else "")
    return Outcome(registration, emails.token_for(registration))


def by_token(raw: str) -> Registration | None:
    """The registration a link opens (confirm, cancel), or None."""
    pk = emails.registration_id(raw)
    if pk is None:
        return None
    return (
        Registration.objects.select_related("event__place", "session__space").filter(pk=pk).first()
    )


@transaction.atomic
def confirm_email(*, token: str, now: datetime | None = None) -> Registration:
    """The visitor's address is theirs: the registration takes its seats, or a place on the
    waiting list. Opening the link again changes nothing."""
    found = by_token(token)
    if found is None:
        refuse(_("This link is not valid."), "token")
    event = _lock(found.event)
    now = now or clock.now()
    registration = Registration.objects.select_for_update().get(pk=found.pk)
    if registration.status != Status.PENDING:
        return registration
    if registration.created_at + CONFIRM_WITHIN < now:
        refuse(_("This link has expired: register again."), "expired")
    session = registration.session
    _target(event, session, now)
    registration.event = event
    _seat(registration, now)
    registration.save(update_fields=["status", "confirmed_at", "queued_at"])
    audit.record(
        actor=None,
        action="event.registration_confirm",
        obj=event,
        place_id=event.place_id,
        changes={"registration": registration.pk, "status": registration.status},
    )
    invoicing.invoice_seats(registration)
    emails.notify(registration, "")
    return registration


def promote(event: Event, session: Session | None, now: datetime) -> list[Registration]:
    """Give freed seats to the waiting list, in its order, to each registration that fits.
    The caller holds the event's lock. Nothing moves once the date has started."""
    start = session.start if session is not None else _first_start(event)
    if start is None or start <= now or event.status != Event.Status.PUBLISHED:
        return []
    free = seats_left(event, session)
    promoted = []
    queue = Registration.objects.select_for_update().filter(
        event=event, session=session, status=Status.WAITLISTED
    )
    for registration in queue.order_by("queued_at", "id"):
        if free <= 0:
            break
        if registration.seats <= free:
            free -= registration.seats
            registration.status = Status.CONFIRMED
            registration.confirmed_at = registration.promoted_at = now
            registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
            registration.event = event
            invoicing.invoice_seats(registration)
            emails.notify(registration, "promoted")
            promoted.append(registration)
    if promoted:
        audit.record(
            actor=None,
            action="event.waitlist_promote",
            obj=event,
            place_id=event.place_id,
            changes={"registrations": [r.pk for r in promoted]},
        )
    return promoted


def _first_start(event: Event) -> datetime | None:
    first = event.sessions.filter(cancelled_at__isnull=True).order_by("start").first()
    return first.start if first is not None else None


@transaction.atomic
def cancel_registration(
    *,
    registration: Registration,
    actor: Actor | None = None,
    token: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Cancel by the attendee (their link or their login) or by the team; the seats freed go
    to the waiting list at once. A date that has started can no longer be cancelled."""
    event = _lock(registration.event)
    now = now or clock.now()
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session", "person")
        .get(pk=registration.pk)
    )
    registration.event = event
    by_team = actor is not None and access.has_perm(actor, event.place, Perm.MANAGE_BOOKINGS)
    own = (token and emails.registration_id(token) == registration.pk) or (
        actor is not None
        and registration.person is not None
        and registration.person.user_id == actor.pk
    )
    if not (by_team or own):
        refuse(_("Only the attendee or the place's team may cancel this registration."), "denied")
    if registration.status == Status.CANCELLED:
        refuse(_("This registration is cancelled already."), "state")
    start = registration.session.start if registration.session is not None else _first_start(event)
    if start is not None and start <= now and not by_team:
        refuse(_("The date has started: it is too late to cancel."), "started")
    held = registration.holds_seats
    registration.status, registration.cancelled_at = Status.CANCELLED, now
    registration.save(update_fields=["status", "cancelled_at"])
    audit.record(
        actor=actor if by_team else None,
        action="event.registration_cancel",
        obj=event,
        place_id=event.place_id,
        changes={"registration": registration.pk, "by_team": by_team},
    )
    invoicing.credit_seats([registration], actor)
    emails.notify(registration, "cancelled")
    promoted = promote(event, registration.session, now) if held else []
    return Outcome(registration, promoted=tuple(promoted))


def cancel_all(
    event: Event,
    sessions: list[Session],
    now: datetime,
    *,
    whole_event: bool = False,
    actor: Actor | None = None,
) -> int:
    """These dates (or the whole event) are cancelled: so are their registrations, each
    told and the paid ones credited; registrations of dates past stay, they took place.
    The caller holds the lock."""
    live = Registration.objects.filter(event=event).exclude(status=Status.CANCELLED)
    if event.enrolment == Event.Enrolment.SESSION:
        live = live.filter(session__in=sessions)
    elif not whole_event:
        return 0  # a course goes on without one of its dates
    cancelled = []
    # Its own rows only: the default order joins the event and the place, whose row a
    # concurrent invoice's commit must read (KEY SHARE) while this waits for the sequence.
    for registration in live.select_for_update(of=("self",)):
        told = registration.status != Status.PENDING
        registration.status, registration.cancelled_at = Status.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at"])
        registration.event = event
        if told:
            emails.notify(registration, "event_cancelled")
        cancelled.append(registration)
    invoicing.credit_seats(cancelled, actor)
    return len(cancelled)


def check_capacity(event: Event, capacity: int) -> None:
    """A smaller capacity must still seat everyone registered (the caller holds the lock)."""
    rows = (
        Registration.objects.filter(event=event, status=Status.CONFIRMED)
        .exclude(source=Source.WALK_IN)
        .values("session")
        .annotate(n=Sum("seats"))
    )
    most = max((row["n"] for row in rows), default=0)
    if capacity < most:
        refuse(
            _("%(count)s seats are taken already: the capacity cannot be lower."),
            "capacity",
            count=most,
        )


def promote_all(event: Event, now: datetime) -> list[Registration]:
    """After a larger capacity: promote every date's waiting list."""
    if event.enrolment == Event.Enrolment.SERIES:
        return promote(event, None, now)
    promoted: list[Registration] = []
    for session in event.sessions.filter(cancelled_at__isnull=True, start__gt=now):
        promoted += promote(event, session, now)
    return promoted
