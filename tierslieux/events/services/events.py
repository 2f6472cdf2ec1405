"""The only code that writes events, sessions and price categories.

Each function checks the actor (the place's team: `Perm.MANAGE_BOOKINGS`), runs in one
transaction and records an audit entry. A session books its space through
`bookings.services` like any booking of the team, so an event never takes a slot already
taken: the conflict comes back as the bookings service words it, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation
from tierslieux.bookings import services as bookings
from tierslieux.bookings.choices import Purpose
from tierslieux.bookings.models import Booking
from tierslieux.bookings.recurrence import Recurrence, RecurrenceError, Skipped, expand
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.events.models import Event, PriceCategory, Session
from tierslieux.events.services import registrations
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, Space

Status = Event.Status
EDITABLE = frozenset(
    {
        "title",
        "description",
        "kind",
        "access",
        "capacity",
        "audiences",
        "peer_learning",
        "partners",
        "hours",
        "objectives",
        "registration_required",
        "enrolment",
    }
)
LIVE = (Booking.Status.REQUESTED, Booking.Status.CONFIRMED)
# What a session's booking is for, in the place's figures of purposes.
PURPOSES: dict[str, str] = {
    Event.Kind.WORKSHOP: Purpose.WORKSHOP,
    Event.Kind.REPAIR_CAFE: Purpose.WORKSHOP,
    Event.Kind.TRAINING: Purpose.TRAINING,
    Event.Kind.MEETING: Purpose.MEETING,
}


def _require(actor: Actor, place: Place) -> None:
    access.require(actor, place, Perm.MANAGE_BOOKINGS)


def _fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"not an editable field of an event: {sorted(unknown)}")
    return fields


def _organisations(place: Place, chosen: Iterable[Organisation | int]) -> list[Organisation]:
    """Co-organisers are organisations of the network: a role in one of its places."""
    ids = {o.pk if isinstance(o, Organisation) else int(o) for o in chosen}
    if not ids:
        return []
    found = list(
        Organisation.objects.filter(
            pk__in=ids, place_roles__place__network_id=place.network_id
        ).distinct()
    )
    if len(found) != len(ids):
        refuse(_("Choose co-organisers among the network's organisations."), "co_organisers")
    return found


def _editable(event: Event) -> None:
    if event.status == Status.CANCELLED:
        refuse(_("This event is cancelled: it can no longer be changed."), "cancelled")


@transaction.atomic
def create_event(
    *,
    actor: Actor,
    place: Place,
    co_organisers: Iterable[Organisation | int] = (),
    **fields: Any,
) -> Event:
    """A draft event of the place; its sessions and prices come next."""
    _require(actor, place)
    event = Event(place=place, created_by_id=actor.pk, **_fields(fields))
    event.full_clean(exclude=["place", "created_by", "co_organisers"])
    organisations = _organisations(place, co_organisers)
    event.save()
    event.co_organisers.set(organisations)
    audit.record(
        actor=actor,
        action="event.create",
        obj=event,
        place_id=place.pk,
        changes={**fields, "co_organisers": [o.pk for o in organisations]},
    )
    return event


@transaction.atomic
def update_event(
    *,
    actor: Actor,
    event: Event,
    co_organisers: Iterable[Organisation | int] | None = None,
    **fields: Any,
) -> Event:
    """Change what describes an event (not its sessions nor its status)."""
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    _editable(event)
    changes = {
        name: value for name, value in _fields(fields).items() if getattr(event, name) != value
    }
    if "capacity" in changes and isinstance(changes["capacity"], int):
        registrations.check_capacity(event, changes["capacity"])
    if isinstance(changes.get("capacity"), int):
        _check_rooms(event, changes["capacity"])
    if "enrolment" in changes and event.registrations.exists():
        refuse(_("People have registered already: the way to register stays."), "enrolment")
    grew = "capacity" in changes and event.capacity < changes["capacity"]
    for name, value in changes.items():
        setattr(event, name, value)
    event.full_clean(exclude=["place", "created_by", "co_organisers"])
    event.save()
    if grew:
        registrations.promote_all(event, clock.now())
    if "title" in changes:  # the calendar names the sessions still to come by the new title
        ahead = event.sessions.filter(cancelled_at__isnull=True, start__gt=clock.now())
        for session in ahead.select_related("booking"):
            bookings.retitle_booking(actor=actor, booking=session.booking, title=event.title)
    if co_organisers is not None:
        organisations = _organisations(event.place, co_organisers)
        before = set(event.co_organisers.values_list("pk", flat=True))
        if before != {o.pk for o in organisations}:
            event.co_organisers.set(organisations)
            changes["co_organisers"] = sorted(o.pk for o in organisations)
    if changes:
        audit.record(
            actor=actor, action="event.update", obj=event, place_id=event.place_id, changes=changes
        )
    return event


def _check_rooms(event: Event, capacity: int) -> None:
    """The event's seats fit in every space its sessions to come take."""
    ahead = event.sessions.filter(cancelled_at__isnull=True, start__gt=clock.now())
    smallest = ahead.select_related("space").order_by("space__capacity").first()
    if smallest is not None and capacity > smallest.space.capacity:
        refuse(
            _("%(space)s holds %(capacity)s people: the event cannot have more seats."),
            "capacity",
            space=smallest.space.name,
            capacity=smallest.space.capacity,
        )


def _check_slot(event: Event, space: Space, start: datetime, now: datetime) -> None:
    _editable(event)
    if space.place_id != event.place_id:
        refuse(_("Choose a space of the event's place."), "other_place")
    if event.capacity > space.capacity:
        refuse(
            _(
                "%(space)s holds %(capacity)s people: lower the event's capacity or choose "
                "a larger space."
            ),
            "space_capacity",
            space=space.name,
            capacity=space.capacity,
        )
    if start < now:
        refuse(_("A session cannot start in the past."), "past")


def _book(
    actor: Actor, event: Event, space: Space, start: datetime, end: datetime, now: datetime
) -> Session:
    booking = bookings.create_booking(
        actor=actor,
        space=space,
        start=start,
        end=end,
        units=space.units,
        title=event.title,
        purpose=PURPOSES.get(event.kind, Purpose.EVENT),
        for_place=True,
        now=now,
    )
    return Session.objects.create(event=event, space=space, start=start, end=end, booking=booking)


@transaction.atomic
def add_session(
    *,
    actor: Actor,
    event: Event,
    space: Space,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> Session:
    """One more date of the event, its space booked whole; a taken slot is refused with the
    booking that takes it (`BookingConflict`), a start in the past too."""
    now = now or clock.now()
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    _check_slot(event, space, start, now)
    session = _book(actor, event, space, start, end, now)
    audit.record(
        actor=actor,
        action="event.session_add",
        obj=event,
        place_id=event.place_id,
        changes={"session": session.pk, "space": space.pk, "start": start, "end": end},
    )
    return session


@transaction.atomic
def add_recurring_sessions(
    *,
    actor: Actor,
    event: Event,
    space: Space,
    start: datetime,
    end: datetime,
    recurrence: Recurrence,
    now: datetime | None = None,
) -> tuple[list[Session], list[Skipped]]:
    """Sessions on every date of `recurrence` from the first one (`start`–`end`), all or
    nothing: one taken slot refuses the whole series, naming it. Local times a clock change
    removes or doubles are skipped and returned."""
    now = now or clock.now()
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    _check_slot(event, space, start, now)
    if end <= start:
        refuse(_("The end must come after the start."), "times")
    tz = ZoneInfo(event.place.timezone)
    try:
        occurrences, skipped = expand(start, end - start, recurrence, tz)
    except RecurrenceError:
        refuse(
            _("The repetition ends on a date or after a number of sessions, within a year."),
            "recurrence",
        )
    sessions = [_book(actor, event, space, o.start, o.end, now) for o in occurrences]
    audit.record(
        actor=actor,
        action="event.sessions_add",
        obj=event,
        place_id=event.place_id,
        changes={
            "sessions": [s.pk for s in sessions],
            "space": space.pk,
            "rule": recurrence.rfc5545(start.astimezone(tz).replace(tzinfo=None)),
        },
    )
    return sessions, skipped


def _live_session(session: Session, now: datetime) -> Session:
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("event__place", "booking")
        .get(pk=session.pk)
    )
    _editable(session.event)
    if session.cancelled:
        refuse(_("This session is cancelled already."), "state")
    if session.start < now:
        refuse(_("This session has started or is over: it can no longer change."), "past")
    return session


@transaction.atomic
def move_session(
    *,
    actor: Actor,
    session: Session,
    start: datetime,
    end: datetime,
    space: Space | None = None,
    now: datetime | None = None,
) -> Session:
    """Another slot (and space) for a session: its booking moves, checked like a new one."""
    now = now or clock.now()
    _require(actor, session.event.place)
    session = _live_session(session, now)
    target = space or session.space
    _check_slot(session.event, target, start, now)
    old = {"start": session.start, "end": session.end, "space": session.space_id}
    bookings.move_booking(
        actor=actor,
        booking=session.booking,
        start=start,
        end=end,
        space=target,
        now=now,
        own_use=True,
    )
    session.start, session.end, session.space = start, end, target
    session.save(update_fields=["start", "end", "space"])
    audit.record(
        actor=actor,
        action="event.session_move",
        obj=session.event,
        place_id=session.event.place_id,
        changes={
            "session": session.pk,
            "from": old,
            "start": start,
            "end": end,
            "space": target.pk,
        },
    )
    return session


def _cancel(actor: Actor, session: Session, now: datetime, reason: str) -> None:
    if session.booking.status in LIVE:
        bookings.cancel_booking(
            actor=actor, booking=session.booking, reason=reason, now=now, own_use=True
        )
    session.cancelled_at = now
    session.save(update_fields=["cancelled_at"])


@transaction.atomic
def cancel_session(
    *, actor: Actor, session: Session, reason: str = "", now: datetime | None = None
) -> Session:
    """Cancel one date: its booking is cancelled and the space freed."""
    now = now or clock.now()
    _require(actor, session.event.place)
    # Registrations wait for the cancellation (the event's row only: not its place's).
    Event.objects.select_for_update(of=("self",)).filter(pk=session.event_id).first()
    session = _live_session(session, now)
    registrations.cancel_all(session.event, [session], now, actor=actor)
    _cancel(actor, session, now, reason)
    audit.record(
        actor=actor,
        action="event.session_cancel",
        obj=session.event,
        place_id=session.event.place_id,
        changes={"session": session.pk, "reason": reason},
    )
    return session


@transaction.atomic
def publish_event(*, actor: Actor, event: Event, now: datetime | None = None) -> Event:
    """Make a draft public (or visible to members): it needs a session still to come."""
    now = now or clock.now()
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    if event.status != Status.DRAFT:
        refuse(_("Only a draft can be published."), "state")
    if not event.sessions.filter(cancelled_at__isnull=True, start__gte=now).exists():
        refuse(_("Add a session to come before publishing."), "no_session")
    event.status = Status.PUBLISHED
    event.save(update_fields=["status"])
    audit.record(actor=actor, action="event.publish", obj=event, place_id=event.place_id)
    return event


@transaction.atomic
def cancel_event(
    *, actor: Actor, event: Event, reason: str = "", now: datetime | None = None
) -> Event:
    """Cancel the event and its sessions still to come, freeing their spaces; past sessions
    stay as they were (they took place)."""
    now = now or clock.now()
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    _editable(event)
    to_come = list(
        event.sessions.select_related("booking")
        .filter(cancelled_at__isnull=True)
        .filter(Q(start__gte=now))
    )
    for session in to_come:
        _cancel(actor, session, now, reason)
    registrations.cancel_all(event, to_come, now, whole_event=True, actor=actor)
    event.status = Status.CANCELLED
    event.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="event.cancel",
        obj=event,
        place_id=event.place_id,
        changes={"reason": reason, "sessions": [s.pk for s in to_come]},
    )
    return event


@transaction.atomic
def set_price(
    *,
    actor: Actor,
    event: Event,
    kind: str,
    price_net: Decimal,
    tax_code: str,
    min_price_net: Decimal | None = None,
) -> PriceCategory:
    """Add or change the event's price of one category (one per category)."""
    event = Event.objects.select_for_update(of=("self",)).select_related("place").get(pk=event.pk)
    _require(actor, event.place)
    _editable(event)
    category = PriceCategory.objects.filter(event=event, kind=kind).first()
    category = category or PriceCategory(event=event, kind=kind)
    category.price_net, category.tax_code = price_net, tax_code
    category.min_price_net = min_price_net
    if kind == PriceCategory.Kind.FREE:
        category.price_net, category.min_price_net = Decimal("0.00"), None
    elif kind != PriceCategory.Kind.PAY_WHAT_YOU_WANT:
        category.min_price_net = None
    elif min_price_net is None:
        refuse(_("Give the minimum price of a pay-what-you-want seat."), "min_price_net")
    elif min_price_net > price_net:
        refuse(_("The minimum cannot exceed the suggested price."), "min_price_net")
    category.full_clean(exclude=["event"], validate_unique=False)
    category.save()
    audit.record(
        actor=actor,
        action="event.price_set",
        obj=event,
        place_id=event.place_id,
        changes={
            "kind": kind,
            "price_net": category.price_net,
            "min_price_net": category.min_price_net,
            "tax_code": tax_code,
        },
    )
    return category


@transaction.atomic
def remove_price(*, actor: Actor, category: PriceCategory) -> None:
    """Remove one price category of the event."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("place")
        .get(pk=category.event_id)
    )
    _require(actor, event.place)
    _editable(event)
    kind = category.kind
    PriceCategory.objects.filter(pk=category.pk).delete()
    audit.record(
        actor=actor,
        action="event.price_remove",
        obj=event,
        place_id=event.place_id,
        changes={"kind": kind},
    )
