"""Single bookings: create, cancel, move, approve or reject, check in, release.

See the package docstring for the locking and the guarantee."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.bookings import checks, emails
from tierslieux.bookings.checks import BookingConflict, Context
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices
from tierslieux.core import audit
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Space

Status = Booking.Status


def _person_of(actor: Any) -> Person | None:
    return getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None


def _lock(spaces: Iterable[Space]) -> None:
    """Serialise writers per space; ids in order so two writers never wait on each other."""
    ids = sorted({s.pk for s in spaces})
    list(Space.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _insert(booking: Booking) -> Booking:
    """Save, turning the exclusion constraint's refusal into a conflict. No savepoint of its
    own: the caller's transaction is doomed anyway on a refusal, and the series service wraps
    each occurrence in one when it goes on after a refusal."""
    try:
        booking.save()
    except IntegrityError as error:  # the PostgreSQL exclusion constraint
        if "booking_no_overlap_exclusive" in str(error):
            raise BookingConflict(_("This slot has just been taken.")) from error
        raise
    return booking


def _block_contents(booking: Booking) -> None:
    """A room booked whole blocks the machines standing in it."""
    for machine in booking.space.contents.all():
        _insert(
            Booking(
                place_id=booking.place_id,
                space=machine,
                person=booking.person,
                booked_by=booking.booked_by,
                start=booking.start,
                end=booking.end,
                units=machine.units,
                exclusive=machine.units == 1,
                status=Status.CONFIRMED,
                title=booking.title,
                blocked_by=booking,
            )
        )


def _validate(
    actor: Any,
    ctx: Context,
    person: Person | None,
    start: datetime,
    end: datetime,
    units: int,
    now: datetime,
) -> None:
    checks.check_times(start, end)
    checks.check_rules(ctx, start, end, units, now)
    checks.check_opening(ctx, start, end)
    checks.check_who(actor, ctx, person.pk if person else None, start)


@transaction.atomic
def create_booking(
    *,
    actor: Any,
    space: Space,
    start: datetime,
    end: datetime,
    units: int = 1,
    person: Person | None = None,
    title: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book a space for a person (oneself, or anyone when one manages the place's bookings)."""
    now = now or timezone.now()
    ctx = checks.context_for(actor, space)
    person = _resolve_person(actor, ctx, person)
    _validate(actor, ctx, person, start, end, units, now)
    prefetch_related_objects([space], "contents")  # one query for the lock, check and blocks
    _lock([space, *space.contents.all()])
    checks.check_conflicts(ctx, start, end, units, now)
    booking = _insert(
        Booking(
            place=space.place,  # loaded already: the e-mail needs it
            space=space,
            person=person,
            booked_by=actor,
            start=start,
            end=end,
            units=units,
            exclusive=space.units == 1,
            title=title,
            note=note,
            status=Status.REQUESTED
            if ctx.rules.approval_required and not ctx.staff
            else Status.CONFIRMED,
        )
    )
    if booking.status == Status.CONFIRMED:
        _block_contents(booking)
    prices.price(booking, actor=actor)
    audit.record(
        actor=actor,
        action="booking.create",
        obj=booking,
        place_id=space.place_id,
        changes={
            "space": space.pk,
            "start": start,
            "end": end,
            "units": units,
            "status": booking.status,
        },
    )
    emails.notify(booking, "created")
    return booking


def _resolve_person(actor: Any, ctx: Context, person: Person | None) -> Person | None:
    own = _person_of(actor)
    if person is None or (own is not None and person.pk == own.pk):
        if own is None and not ctx.staff:
            raise PermissionDenied
        return own
    if not ctx.staff:
        raise PermissionDenied
    return person


def _may_change(actor: Any, booking: Booking) -> bool:
    """True for the place's team; for the booker, True; anyone else gets PermissionDenied."""
    if access.has_perm(actor, booking.place, Perm.MANAGE_BOOKINGS):
        return True
    own = _person_of(actor)
    if own is None or booking.person_id != own.pk or booking.blocked_by_id:
        raise PermissionDenied
    return False


@transaction.atomic
def cancel_booking(
    *, actor: Any, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking and the machine blocks it holds; members only before the deadline."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update().select_related("space", "place").get(pk=booking.pk)
    )
    staff = _may_change(actor, booking)
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise ValidationError(
            _("Only a requested or confirmed booking can be cancelled."), code="state"
        )
    deadline = booking.start - timedelta(
        hours=checks.rules_of(booking.space).cancellation_deadline_hours
    )
    if not staff and now > deadline:
        raise ValidationError(
            _("Free cancellation ended on %(deadline)s; ask the place's team.")
            % {"deadline": checks.local(deadline, checks.context_for(actor, booking.space).tz)},
            code="deadline",
        )
    _set_cancelled(booking, now, reason)
    if now <= deadline:  # in time: credits back, charge voided; late: both kept
        prices.release(booking, actor=actor)
    audit.record(
        actor=actor,
        action="booking.cancel",
        obj=booking,
        place_id=booking.place_id,
        changes={"reason": reason},
    )
    emails.notify(booking, "cancelled")
    return booking


def _set_cancelled(booking: Booking, now: datetime, reason: str) -> None:
    fields = {"status": Status.CANCELLED, "cancelled_at": now, "cancel_reason": reason}
    Booking.objects.filter(blocked_by=booking).update(**fields)
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=list(fields))


@transaction.atomic
def move_booking(
    *, actor: Any, booking: Booking, start: datetime, end: datetime, now: datetime | None = None
) -> Booking:
    """Move a booking to another slot of the same space, checked like a new one."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("space__place").get(pk=booking.pk)
    _may_change(actor, booking)
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise ValidationError(
            _("Only a requested or confirmed booking can be moved."), code="state"
        )
    space = booking.space
    blocks = list(booking.blocks.values_list("pk", flat=True))
    ctx = checks.context_for(actor, space, exclude=[booking.pk, *blocks])
    _validate(actor, ctx, booking.person, start, end, booking.units, now)
    _lock([space, *space.contents.all()])
    if booking.status == Status.CONFIRMED:
        checks.check_conflicts(ctx, start, end, booking.units, now)
    old = (booking.start, booking.end)
    booking.start, booking.end = start, end
    try:
        with transaction.atomic():
            booking.save(update_fields=["start", "end"])
            booking.blocks.update(start=start, end=end)
    except IntegrityError as error:
        raise BookingConflict(_("This slot has just been taken.")) from error
    prices.reprice(booking, actor=actor)
    audit.record(
        actor=actor,
        action="booking.move",
        obj=booking,
        place_id=booking.place_id,
        changes={"from": list(old), "start": start, "end": end},
    )
    emails.notify(booking, "moved")
    return booking


@transaction.atomic
def confirm_booking(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    """Approve a request; the pending requests it no longer leaves room for are rejected."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("space__place").get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.status != Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be confirmed."), code="state")
    space = booking.space
    ctx = checks.context_for(actor, space, exclude=[booking.pk])
    _lock([space, *space.contents.all()])
    checks.check_conflicts(ctx, booking.start, booking.end, booking.units, now)
    booking.status = Status.CONFIRMED
    _insert(booking)
    _block_contents(booking)
    audit.record(actor=actor, action="booking.confirm", obj=booking, place_id=booking.place_id)
    emails.notify(booking, "confirmed")
    pending = Booking.objects.filter(
        space=space, status=Status.REQUESTED, start__lt=booking.end, end__gt=booking.start
    ).exclude(pk=booking.pk)
    for other in pending:
        try:
            checks.check_conflicts(
                checks.context_for(actor, space, exclude=[other.pk]),
                other.start,
                other.end,
                other.units,
                now,
            )
        except BookingConflict:
            _set_cancelled(other, now, "rejected")
            prices.release(other, actor=actor)
            audit.record(
                actor=actor,
                action="booking.reject",
                obj=other,
                place_id=other.place_id,
                changes={"because_of": booking.pk},
            )
            emails.notify(other, "rejected")
    return booking


@transaction.atomic
def reject_booking(
    *, actor: Any, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.status != Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be rejected."), code="state")
    _set_cancelled(booking, now or timezone.now(), reason or "rejected")
    prices.release(booking, actor=actor)
    audit.record(
        actor=actor,
        action="booking.reject",
        obj=booking,
        place_id=booking.place_id,
        changes={"reason": reason},
    )
    emails.notify(booking, "rejected")
    return booking


@transaction.atomic
def check_in(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    """The member or the team marks arrival, from 15 minutes before the start to the end."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _may_change(actor, booking)
    if booking.status != Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be checked in."), code="state")
    if not booking.start - timedelta(minutes=15) <= now < booking.end:
        raise ValidationError(_("Check-in opens 15 minutes before the start."), code="too_early")
    booking.checked_in_at = now
    booking.save(update_fields=["checked_in_at"])
    audit.record(actor=actor, action="booking.check_in", obj=booking, place_id=booking.place_id)
    return booking


@transaction.atomic
def mark_no_show(*, actor: Any, booking: Booking, now: datetime | None = None) -> Booking:
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.status != Status.CONFIRMED or now < booking.start:
        raise ValidationError(
            _("Only a started, confirmed booking can be a no-show."), code="state"
        )
    booking.status = Status.NO_SHOW
    booking.save(update_fields=["status"])
    booking.blocks.update(status=Status.NO_SHOW)
    audit.record(actor=actor, action="booking.no_show", obj=booking, place_id=booking.place_id)
    return booking


def tick(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic job: release bookings not checked in in time, close finished ones."""
    now = now or timezone.now()
    released = 0
    candidates = (
        Booking.objects.filter(
            status=Status.CONFIRMED,
            checked_in_at__isnull=True,
            blocked_by__isnull=True,
            start__lte=now,
            end__gt=now,
        )
        .select_related("space")
        .prefetch_related("space__booking_rules")
    )
    for booking in candidates:
        minutes = checks.rules_of(booking.space).auto_release_minutes
        if minutes is not None and now >= booking.start + timedelta(minutes=minutes):
            with transaction.atomic():
                changed = Booking.objects.filter(
                    pk=booking.pk, status=Status.CONFIRMED, checked_in_at__isnull=True
                )
                if changed.update(status=Status.NO_SHOW):
                    Booking.objects.filter(blocked_by=booking).update(status=Status.NO_SHOW)
                    audit.record(
                        actor=None, action="booking.release", obj=booking, place_id=booking.place_id
                    )
                    released += 1
    done = Booking.objects.filter(status=Status.CONFIRMED, end__lte=now).update(status=Status.DONE)
    return {"released": released, "done": done}
