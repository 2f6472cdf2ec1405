"""Single bookings: create, cancel, move, approve or reject, check in, release.

See the package docstring for the locking and the guarantee, and `common` for the lean path
every write takes (one locked read, the price made before the insert)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings import checks, emails
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices, team
from tierslieux.bookings.services.common import (
    block_contents,
    insert,
    load,
    may_change,
    person_of,
    resolve_person,
    set_cancelled,
    validate,
)
from tierslieux.core import audit, clock
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Space

Status = Booking.Status


@transaction.atomic
def create_booking(
    *,
    actor: Actor,
    space: Space,
    start: datetime,
    end: datetime,
    units: int = 1,
    person: Person | int | None = None,
    organisation: Organisation | int | None = None,
    title: str = "",
    note: str = "",
    now: datetime | None = None,
    headcount: int | None = None,
    purpose: str = "",
    for_place: bool = False,
) -> Booking:
    """Book a space for a person: oneself, or (the place's team) anyone known to the place,
    given as a `Person` or an id; or for an organisation of the place, given the same way
    (the team: any of them; its people: their own): then for no person, `booked_by` saying
    who made it, priced at the organisation's rates and charged to it, the title naming it
    unless one is given. `headcount` (1 to the space's capacity) and `purpose` (a
    `models.Purpose`) are optional. Requested or confirmed as `checks.Context.status` says."""
    now = now or clock.now()
    checks.check_times(start, end)
    team.check_headcount(space, headcount, purpose)
    ctx = load(actor, space)
    if for_place:  # the place's own use (an event's session): the team's, for nobody, unpriced
        if not ctx.staff or person is not None or organisation is not None:
            raise PermissionDenied
        org = who = None
        ctx.own_use = True
    else:
        org = team.resolve_organisation(ctx, organisation, person=person, actor=actor)
        who = None if org is not None else resolve_person(actor, ctx, person)
    if org is not None and not title:
        title = org.name[:200]
    booker = person_of(actor) if org is not None and not ctx.staff else who
    validate(actor, ctx, booker, start, end, units, now, organisation_id=org.pk if org else None)
    checks.check_conflicts(ctx, start, end, units, now)
    card = prices.card_of(space, ctx.priced)
    quote = prices.quote_for(who, space, start, end, units, card=card, organisation=org)
    booking = insert(
        Booking(
            place=space.place,  # loaded already: the e-mail needs it
            space=space,
            person=who,
            organisation=org,
            booked_by_id=actor.pk if actor.is_authenticated else None,
            start=start,
            end=end,
            units=units,
            exclusive=space.units == 1,
            title=title,
            note=note,
            headcount=headcount,
            purpose=purpose,
            status=ctx.status,
            created_at=now,  # the grace period counts from the `now` the caller decided
            **prices.fields(quote),
        )
    )
    if booking.status == Status.CONFIRMED:
        block_contents(booking, ctx.machines())
    prices.settle(booking, quote, actor=actor)
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
            "person": who,
            "organisation": org,
            "headcount": headcount,
            "purpose": purpose,
            "by_team": ctx.staff and team.for_another(actor, booking),
        },
    )
    emails.notify(booking, "created", by_team=ctx.staff and team.for_another(actor, booking))
    return booking


def check_held(booking: Booking, own_use: bool) -> None:
    """A slot the place holds for its own use (an event's session) changes with what holds it:
    from the desk or the API it would leave the event pointing at a slot it no longer has."""
    held = booking.person_id is None and booking.organisation_id is None
    if held and not booking.blocked_by_id and not own_use:
        raise ValidationError(
            _("This slot is held by one of the place's events: change it from the event."),
            code="held",
        )


@transaction.atomic
def cancel_booking(
    *,
    actor: Actor,
    booking: Booking,
    reason: str = "",
    refund: bool | None = None,
    now: datetime | None = None,
    own_use: bool = False,
) -> Booking:
    """Cancel a booking and the machine blocks it holds; members only before the deadline.
    What comes back is `team.gives_back`'s rule (`refund`: the team's choice, else its
    default)."""
    now = now or clock.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("space__booking_rules", "place")
        .get(pk=booking.pk)
    )
    staff = may_change(actor, booking)
    check_held(booking, own_use)
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise ValidationError(
            _("Only a requested or confirmed booking can be cancelled."), code="state"
        )
    deadline = checks.free_cancellation_until(booking)
    if not staff and now > deadline:
        raise ValidationError(
            _("Free cancellation ended on %(deadline)s; ask the place's team.")
            % {"deadline": checks.local(deadline, ZoneInfo(booking.place.timezone))},
            code="deadline",
        )
    another = team.for_another(actor, booking)
    back = team.gives_back(staff=staff, another=another, in_time=now <= deadline, refund=refund)
    set_cancelled(booking, now, reason)
    if back:  # credits back, charge voided; else both kept
        prices.release(booking, actor=actor)
    audit.record(
        actor=actor,
        action="booking.cancel",
        obj=booking,
        place_id=booking.place_id,
        changes={"reason": reason, "by_team": staff and another, "given_back": back},
    )
    emails.notify(
        booking,
        "cancelled",
        reason=reason,
        by_team=staff and another,
        given_back=staff and another and back,
    )
    return booking


@transaction.atomic
def move_booking(
    *,
    actor: Actor,
    booking: Booking,
    start: datetime,
    end: datetime,
    space: Space | None = None,
    now: datetime | None = None,
    own_use: bool = False,
) -> Booking:
    """Move a booking to another slot, of the same space or (`space`) another of the place,
    checked like a new one; the machines a room blocks follow it."""
    now = now or clock.now()
    booking = Booking.objects.select_for_update().select_related("space__place").get(pk=booking.pk)
    staff = may_change(actor, booking)
    check_held(booking, own_use)
    if booking.status not in (Status.REQUESTED, Status.CONFIRMED):
        raise ValidationError(
            _("Only a requested or confirmed booking can be moved."), code="state"
        )
    target = space if space is not None else booking.space
    if target.place_id != booking.place_id:
        raise ValidationError(
            {"space": [_("Choose a space of the same place.")]}, code="other_place"
        )
    moved = target.pk != booking.space_id
    if moved:
        team.check_headcount(target, booking.headcount, "")
    blocks = list(booking.blocks.values_list("pk", flat=True))
    ctx = load(actor, target, exclude=[booking.pk, *blocks])
    ctx.own_use = booking.person_id is None and booking.organisation_id is None
    booker = person_of(actor) if booking.organisation_id and not staff else booking.person
    validate(
        actor,
        ctx,
        booker,
        start,
        end,
        booking.units,
        now,
        organisation_id=booking.organisation_id,
    )
    if booking.status == Status.CONFIRMED:
        checks.check_conflicts(ctx, start, end, booking.units, now)
    old = (booking.start, booking.end)
    old_space = booking.space_id
    booking.start, booking.end = start, end
    try:
        with transaction.atomic():
            if moved:
                booking.blocks.all().delete()
                booking.space, booking.exclusive = target, target.units == 1
                booking.save(update_fields=["start", "end", "space", "exclusive"])
                if booking.status == Status.CONFIRMED:
                    block_contents(booking, ctx.machines())
            else:
                booking.save(update_fields=["start", "end"])
                booking.blocks.update(start=start, end=end)
    except IntegrityError as error:
        raise BookingConflict(_("This slot has just been taken.")) from error
    prices.reprice(booking, actor=actor)
    another = staff and team.for_another(actor, booking)
    changes = {"from": list(old), "start": start, "end": end, "by_team": another}
    if moved:
        changes.update(space_from=old_space, space=target.pk)
    audit.record(
        actor=actor,
        action="booking.move",
        obj=booking,
        place_id=booking.place_id,
        changes=changes,
    )
    emails.notify(booking, "moved", by_team=another)
    return booking


@transaction.atomic
def confirm_booking(*, actor: Actor, booking: Booking, now: datetime | None = None) -> Booking:
    """Approve a request; the pending requests it no longer leaves room for are rejected."""
    now = now or clock.now()
    booking = Booking.objects.select_for_update().select_related("space__place").get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.status != Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be confirmed."), code="state")
    space = booking.space
    ctx = load(actor, space, exclude=[booking.pk])
    checks.check_conflicts(ctx, booking.start, booking.end, booking.units, now)
    booking.status = Status.CONFIRMED
    insert(booking)
    block_contents(booking, ctx.machines())
    audit.record(actor=actor, action="booking.confirm", obj=booking, place_id=booking.place_id)
    emails.notify(booking, "confirmed")
    pending = Booking.objects.filter(
        space=space, status=Status.REQUESTED, start__lt=booking.end, end__gt=booking.start
    ).exclude(pk=booking.pk)
    for other in pending:
        try:
            checks.check_conflicts(
                replace(ctx, exclude={other.pk}),
                other.start,
                other.end,
                other.units,
                now,
            )
        except BookingConflict:
            set_cancelled(other, now, "rejected")
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
    *, actor: Actor, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.status != Status.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be rejected."), code="state")
    set_cancelled(booking, now or clock.now(), reason or "rejected")
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
def retitle_booking(*, actor: Actor, booking: Booking, title: str) -> Booking:
    """The team renames a booking (an event's session follows its event's new title)."""
    booking = Booking.objects.select_for_update().select_related("place").get(pk=booking.pk)
    access.require(actor, booking.place, Perm.MANAGE_BOOKINGS)
    if booking.title == title:
        return booking
    before, booking.title = booking.title, title
    booking.full_clean(validate_unique=False, validate_constraints=False)
    booking.save(update_fields=["title"])
    audit.record(
        actor=actor,
        action="booking.retitle",
        obj=booking,
        place_id=booking.place_id,
        changes={"title": [before, title]},
    )
    return booking


@transaction.atomic
def check_in(*, actor: Actor, booking: Booking, now: datetime | None = None) -> Booking:
    """The member or the team marks arrival, from 15 minutes before the start to the end."""
    now = now or clock.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    may_change(actor, booking)
    if booking.status != Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed booking can be checked in."), code="state")
    if not booking.start - timedelta(minutes=15) <= now < booking.end:
        raise ValidationError(_("Check-in opens 15 minutes before the start."), code="too_early")
    booking.checked_in_at = now
    booking.save(update_fields=["checked_in_at"])
    audit.record(actor=actor, action="booking.check_in", obj=booking, place_id=booking.place_id)
    return booking


@transaction.atomic
def mark_no_show(*, actor: Actor, booking: Booking, now: datetime | None = None) -> Booking:
    now = now or clock.now()
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
    now = now or clock.now()
    released = 0
    candidates = (
        Booking.objects.filter(
            status=Status.CONFIRMED,
            checked_in_at__isnull=True,
            blocked_by__isnull=True,
            start__lte=now,
            end__gt=now,
        )
        # The place's own slots (an event's session) are never released: the event goes on.
        .exclude(person__isnull=True, organisation__isnull=True)
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
