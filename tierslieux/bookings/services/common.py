"""What every booking write shares: the locked read it starts with, who the booking is for,
who may change it, the insert and the machine blocks.

The lean path of a write: one statement locks the space and the machines standing in it (ids
in order, so two writers never wait on each other) and reads, with them, their rules and
whether the space has any rate; the checks then reuse what it read (`checks.Context`), and
the price is made before the insert, so the row is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.db.models import Q
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings import checks
from tierslieux.bookings.checks import BookingConflict, Context
from tierslieux.bookings.models import NOTE_MAX, Booking, rules_from_row, rules_sql
from tierslieux.bookings.rules import defaults_for
from tierslieux.core.types import Actor
from tierslieux.members.models import RoomRate
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Space

Status = Booking.Status


def person_of(actor: Actor) -> Person | None:
    return getattr(actor, "person", None) if actor.is_authenticated else None


def _load_sql() -> str:
    """The locked read of a write: the space (and whether it is archived) and the machines in
    it, each with its own rules and its place's defaults for its kind (NULLs: none; see
    `models.rules_sql`) and whether it has any rate. Plain SQL: every write runs it, and
    compiling it through the ORM cost more than running it."""
    quote = connection.ops.quote_name
    columns, joins = rules_sql("s", "r", "k")
    sql = (
        f"SELECT s.id, s.units, s.kind, s.archived_at, {columns}, EXISTS (SELECT 1 FROM "
        f"{quote(RoomRate._meta.db_table)} t WHERE t.space_id = s.id) "
        f"FROM {quote(Space._meta.db_table)} s {joins} "
        "WHERE s.id = %s OR s.inside_id = %s ORDER BY s.id"
    )
    if connection.features.has_select_for_update_of:  # PostgreSQL; SQLite's IMMEDIATE
        sql += " FOR UPDATE OF s"  # transactions serialise writers already
    return sql


def load(actor: Actor, space: Space, exclude: Iterable[int] = ()) -> Context:
    """Lock the space and the machines standing in it, in id order so that two writers never
    wait on each other, and read their rules and the space's rates flag, in one statement.
    Rules are read afresh: a space instance may carry rules cached before a change."""
    with connection.cursor() as cursor:
        cursor.execute(_load_sql(), [space.pk, space.pk])
        rows = cursor.fetchall()
    rules, priced, contents, archived = defaults_for(space.kind), False, [], False
    for pk, units, kind, archived_at, *values, has_rates in rows:
        if pk == space.pk:
            archived = archived_at is not None  # read under the lock: an archive just made counts
            rules = rules_from_row(kind, values)[0]
            priced = bool(has_rates)
        else:
            contents.append(
                Space(pk=pk, units=units, kind=kind, place_id=space.place_id, inside_id=space.pk)
            )
    return Context(
        space=space,
        rules=rules,
        tz=ZoneInfo(space.place.timezone),
        staff=access.has_perm(actor, space.place, Perm.MANAGE_BOOKINGS),
        exclude=set(exclude),
        contents=contents,
        priced=priced,
        archived=archived,
    )


def lock(spaces: Iterable[Space]) -> None:
    """Serialise writers per space; ids in order so two writers never wait on each other."""
    ids = sorted({s.pk for s in spaces})
    list(Space.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _conflict(error: IntegrityError) -> BookingConflict | None:
    if "booking_no_overlap_exclusive" in str(error):  # the PostgreSQL exclusion constraint
        return BookingConflict(_("This slot has just been taken."))
    return None


def insert(booking: Booking) -> Booking:
    """Save, turning the exclusion constraint's refusal into a conflict. No savepoint of its
    own: the caller's transaction is doomed anyway on a refusal, and the series service wraps
    each occurrence in one when it goes on after a refusal. A note over the limit is refused
    by name (the database would refuse it too, less kindly)."""
    if len(booking.note) > NOTE_MAX:
        raise ValidationError(
            {
                "note": [
                    _("A note holds %(max)s characters at most (this one has %(count)s).")
                    % {"max": NOTE_MAX, "count": len(booking.note)}
                ]
            },
            code="note_too_long",
        )
    try:
        booking.save()
    except IntegrityError as error:
        raise (_conflict(error) or error) from error
    return booking


def block_contents(booking: Booking, machines: list[Space]) -> None:
    """A room booked whole blocks the machines standing in it (one statement for all; none
    for a space with nothing inside)."""
    if not machines:
        return
    blocks = [
        Booking(
            place_id=booking.place_id,
            space=machine,
            person=booking.person,
            booked_by_id=booking.booked_by_id,
            start=booking.start,
            end=booking.end,
            units=machine.units,
            exclusive=machine.units == 1,
            status=Status.CONFIRMED,
            title=booking.title,
            blocked_by=booking,
        )
        for machine in machines
    ]
    try:
        Booking.objects.bulk_create(blocks)
    except IntegrityError as error:
        raise (_conflict(error) or error) from error


def validate(
    actor: Actor,
    ctx: Context,
    person: Person | None,
    start: datetime,
    end: datetime,
    units: int,
    now: datetime,
    *,
    organisation_id: int | None = None,
) -> None:
    """The checks of a booking for `person`, or made by `person` for `organisation_id`."""
    checks.check_times(start, end)
    checks.check_rules(ctx, start, end, units, now)
    checks.check_opening(ctx, start, end)
    checks.check_who(
        actor, ctx, person.pk if person else None, start, organisation_id=organisation_id
    )


def resolve_person(actor: Actor, ctx: Context, person: Person | int | None) -> Person | None:
    """Whom a booking is for: oneself by default; the place's team may name a person known to
    the place (a role there, or an earlier booking there), never anyone from elsewhere."""
    own = person_of(actor)
    person_id = person.pk if isinstance(person, Person) else person
    if person_id is None or (own is not None and person_id == own.pk):
        if own is None and not ctx.staff:
            raise PermissionDenied
        return own
    if not ctx.staff:
        raise PermissionDenied
    place_id = ctx.space.place_id
    known = (
        Person.objects.filter(Q(place_roles__place_id=place_id) | Q(bookings__place_id=place_id))
        .filter(pk=person_id)
        .distinct()
        .first()
    )
    if known is None:
        raise ValidationError(
            {"person": [_("No such person is known to this place.")]}, code="unknown_person"
        )
    return known


def may_change(actor: Actor, booking: Booking) -> bool:
    """True for the place's team, False for the booker (of an organisation's booking: the
    person who made it, while they belong to it); anyone else gets PermissionDenied."""
    if access.has_perm(actor, booking.place, Perm.MANAGE_BOOKINGS):
        return True
    own = person_of(actor)
    if own is None or booking.blocked_by_id:
        raise PermissionDenied
    if booking.organisation_id is not None:
        if not made_by_member(own, booking):
            raise PermissionDenied
    elif booking.person_id != own.pk:
        raise PermissionDenied
    return False


def made_by_member(person: Person, booking: Booking) -> bool:
    """The person made this organisation's booking and still belongs to the organisation."""
    return (
        booking.organisation_id is not None
        and booking.booked_by_id is not None
        and booking.booked_by_id == person.user_id
        and Organisation.people.through.objects.filter(
            organisation_id=booking.organisation_id, person_id=person.pk
        ).exists()
    )


def set_cancelled(booking: Booking, now: datetime, reason: str) -> None:
    fields = {"status": Status.CANCELLED, "cancelled_at": now, "cancel_reason": reason}
    Booking.objects.filter(blocked_by=booking).update(**fields)
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=list(fields))
