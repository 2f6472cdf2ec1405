"""Read-side checks a booking must pass before it is written: times, rules, opening hours,
who may book, machine authorisations, and conflicts (with proposed alternatives).

`services` calls these inside its transaction, after locking the spaces involved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from tierslieux.bookings.availability import (
    Busy,
    Window,
    fits,
    nearest_free_slots,
    opening_windows,
    within_opening,
)
from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import (
    Audience,
    Booking,
    MachineAuthorisation,
    grace_minutes,
    prime_rules,
    rules_from_row,
    rules_of,
    rules_sql,
)
from tierslieux.bookings.rules import GRACE_BOUNDS, SpaceRules
from tierslieux.core import formatting
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import OpeningException, OpeningHours, Place, PlaceRole, Space


class BookingConflict(ValidationError):
    """The slot is taken. Carries what takes it and what is free nearby."""

    def __init__(
        self,
        message: str,
        *,
        conflicts: Sequence[Booking] = (),
        alternatives: Sequence[Window] = (),
        similar_spaces: Sequence[Space] = (),
    ) -> None:
        super().__init__(message, code="conflict")
        self.conflicts = list(conflicts)
        self.alternatives = list(alternatives)
        self.similar_spaces = list(similar_spaces)


Hours = list[tuple[int, time, time]]
Exceptions = list[tuple[date, date, bool, time | None, time | None]]


@dataclass
class Context:
    """What the checks of one request need, each loaded once: the rules, the team's right, the
    machines in the space (None: not loaded yet), whether it has rates, the opening hours."""

    space: Space
    rules: SpaceRules
    tz: ZoneInfo
    staff: bool
    exclude: set[int] = field(default_factory=set)
    contents: list[Space] | None = None
    priced: bool | None = None
    opening: tuple[date, date, Hours, Exceptions] | None = None
    archived: bool = False
    # The place's own use (an event's session): a whole training day is not a member's booking.
    own_use: bool = False

    @property
    def status(self) -> str:
        """The one rule of approval: a request awaits it where the rules ask for it, unless
        the place's team books."""
        if self.rules.approval_required and not self.staff:
            return Booking.Status.REQUESTED
        return Booking.Status.CONFIRMED

    def machines(self) -> list[Space]:
        if self.contents is None:
            self.contents = list(self.space.contents.all())
        return self.contents

    def windows(self, start: datetime, end: datetime) -> list[Window]:
        """The opening windows around [start, end), hours and exceptions read once per
        context for the widest range asked so far (a series asks for all of it first)."""
        first = start.astimezone(self.tz).date() - timedelta(days=1)
        last = end.astimezone(self.tz).date() + timedelta(days=1)
        if self.opening is None or not (self.opening[0] <= first and last <= self.opening[1]):
            self.opening = (first, last, *_opening_rows(self.space.place, first, last))
        _from, _to, hours, exceptions = self.opening
        held = [e for e in exceptions if e[1] >= first and e[0] <= last]
        holidays = holidays_between(first, last) if self.space.place.country == "FR" else {}
        return opening_windows(first, last, self.tz, hours, held, set(holidays))


def local(dt: datetime, tz: ZoneInfo) -> str:
    """The date and time in the place's zone, as the reader writes them: "1er mars 2027 à
    10:00", "March 1, 2027, 10:00" (a 24-hour clock: "a.m." would clash with a full stop)."""
    return formatting.day(dt.astimezone(tz).replace(tzinfo=None), "DATETIME_FORMAT")


def check_times(start: Any, end: Any) -> None:
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise ValidationError(_("Start and end must be date-times."), code="invalid")
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(
            _("Date-times must carry their time zone (e.g. 2026-03-02T10:00:00+01:00)."),
            code="naive_datetime",
        )
    if end <= start:
        raise ValidationError(_("The end must come after the start."), code="end_before_start")


def _opening_rows(place: Place, first: date, last: date) -> tuple[Hours, Exceptions]:
    """The place's weekly hours and its exceptions touching [first, last], as plain tuples,
    in one statement (plain SQL, as `busy_spans`: read on every booking). The exceptions'
    branch comes first so that SQLite types the union's columns from theirs."""
    quote = connection.ops.quote_name
    sql = (
        "SELECT start_date, end_date, NULL AS weekday, closed, opens, closes FROM "
        f"{quote(OpeningException._meta.db_table)} "
        "WHERE place_id = %s AND end_date >= %s AND start_date <= %s UNION ALL "
        "SELECT NULL, NULL, weekday, FALSE, opens, closes FROM "
        f"{quote(OpeningHours._meta.db_table)} WHERE place_id = %s"
    )
    days = [connection.ops.adapt_datefield_value(day) for day in (first, last)]
    hours: Hours = []
    exceptions: Exceptions = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [place.pk, *days, place.pk])
        for start, end, weekday, closed, opens, closes in cursor.fetchall():
            if weekday is None:
                exceptions.append(
                    (_day(start), _day(end), bool(closed), _time(opens), _time(closes))
                )
            else:
                hours.append((weekday, _time(opens), _time(closes)))  # type: ignore[arg-type]
    return hours, exceptions


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _time(value: time | str | None) -> time | None:
    return time.fromisoformat(value) if isinstance(value, str) else value


def windows_for(place: Place, start: datetime, end: datetime) -> list[Window]:
    """The place's opening windows around [start, end): weekly hours, exceptions, holidays."""
    tz = ZoneInfo(place.timezone)
    first = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    hours, exceptions = _opening_rows(place, first, last)
    holidays = holidays_between(first, last) if place.country == "FR" else {}
    return opening_windows(first, last, tz, hours, exceptions, set(holidays))


def check_rules(ctx: Context, start: datetime, end: datetime, units: int, now: datetime) -> None:
    rules, space = ctx.rules, ctx.space
    if ctx.archived or space.archived_at is not None:
        raise ValidationError(
            _("This space is archived: it can no longer be booked."), code="archived"
        )
    if not space.bookable:
        raise ValidationError(_("This space cannot be booked."), code="not_bookable")
    if units < 1 or units > space.units:
        raise ValidationError(
            _("Between 1 and %(units)s units can be booked here.") % {"units": space.units},
            code="units",
        )
    if space.units == 1 and units != 1:
        raise ValidationError(_("This space is booked whole."), code="units")
    minutes = (end - start) / timedelta(minutes=1)
    if not ctx.own_use and not rules.min_minutes <= minutes <= rules.max_minutes:
        raise ValidationError(
            _("A booking here lasts between %(min)s and %(max)s minutes.")
            % {"min": rules.min_minutes, "max": rules.max_minutes},
            code="duration",
        )
    if ctx.staff:
        return
    if start < now + timedelta(minutes=rules.notice_minutes):
        raise ValidationError(
            _("Book at least %(minutes)s minutes ahead, and not in the past.")
            % {"minutes": rules.notice_minutes},
            code="notice",
        )
    if end > now + timedelta(days=rules.horizon_days):
        raise ValidationError(
            _("Bookings open %(days)s days ahead at most.") % {"days": rules.horizon_days},
            code="horizon",
        )


def check_opening(ctx: Context, start: datetime, end: datetime) -> None:
    if not within_opening(start, end, ctx.windows(start, end)):
        raise ValidationError(
            _(
                "The place is closed during part of this slot (opening hours, closure or "
                "public holiday)."
            ),
            code="closed",
        )


def check_who(
    actor: Actor,
    ctx: Context,
    person_id: int | None,
    start: datetime,
    *,
    organisation_id: int | None = None,
) -> None:
    """Who may book (the rules' audience) and, for machines, a valid authorisation.
    `person_id` is who books; `organisation_id` the organisation they book for, whose role in
    the place counts then (a member or resident organisation books where its people may)."""
    if ctx.staff:
        return
    place = ctx.space.place
    if person_id is None:
        raise ValidationError(_("Log in with a personal account to book."), code="audience")
    if ctx.rules.audience == Audience.STAFF:
        raise ValidationError(_("Only the place's team books this space."), code="audience")
    if ctx.rules.audience == Audience.MEMBERS and not (
        _org_has_role(place, organisation_id) or _has_role(actor, place, person_id)
    ):
        raise ValidationError(_("This space is for members of the place."), code="audience")
    if ctx.rules.audience == Audience.RESIDENTS and not (
        _org_is_resident(place, organisation_id) or _is_resident(place, person_id)
    ):
        raise ValidationError(
            _("This space is for the people of the place's resident organisations."),
            code="audience",
        )
    if ctx.rules.requires_authorisation:
        day = start.astimezone(ctx.tz).date()
        valid = MachineAuthorisation.objects.filter(
            person_id=person_id, space=ctx.space, granted_on__lte=day
        ).exclude(expires_on__lt=day)
        if not valid.exists():
            raise ValidationError(
                _("Booking this machine needs a valid authorisation (training done, not expired)."),
                code="authorisation",
            )


def _has_role(actor: Actor, place: Place, person_id: int) -> bool:
    """Any role in the place; the actor's own roles are already read (and memoised) by access."""
    own = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    if own is not None and own.pk == person_id:
        return bool(access.place_roles(actor, place))
    return PlaceRole.objects.filter(place=place, person_id=person_id).exists()


def _org_has_role(place: Place, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return PlaceRole.objects.filter(place=place, organisation_id=organisation_id).exists()


def _org_is_resident(place: Place, organisation_id: int | None) -> bool:
    if organisation_id is None:
        return False
    return PlaceRole.objects.filter(
        place=place,
        organisation_id=organisation_id,
        role=PlaceRole.Role.RESIDENT_ORGANISATION,
    ).exists()


def _is_resident(place: Place, person_id: int) -> bool:
    """The person belongs to an organisation resident in the place."""
    return PlaceRole.objects.filter(
        place=place,
        role=PlaceRole.Role.RESIDENT_ORGANISATION,
        organisation__people__id=person_id,
    ).exists()


def busy_on(
    space_ids: Iterable[int], start: datetime, end: datetime, exclude: set[int]
) -> list[Booking]:
    return list(
        Booking.objects.filter(
            space_id__in=list(space_ids), status__in=Booking.BLOCKING, start__lt=end, end__gt=start
        )
        .exclude(pk__in=exclude)
        .order_by("start")
    )


def busy_spans(
    space_ids: Sequence[int], start: datetime, end: datetime, exclude: set[int]
) -> list[tuple[int, datetime, datetime, int]]:
    """(space id, start, end, units) of what `busy_on` finds, read in plain SQL without
    building models: every booking runs it, and the ORM's compiling cost twenty times the
    query's own on this path. The same conditions as `busy_on` (the tests hold them equal)."""
    table = connection.ops.quote_name(Booking._meta.db_table)
    blocking = ", ".join(f"'{status}'" for status in Booking.BLOCKING)
    sql = (
        f'SELECT space_id, start, "end", units FROM {table} WHERE space_id IN '
        f'({_marks(space_ids)}) AND status IN ({blocking}) AND start < %s AND "end" > %s'
    )
    params: list[Any] = [*space_ids, _instant(end), _instant(start)]
    if exclude:
        sql += f" AND id NOT IN ({_marks(exclude)})"
        params += sorted(exclude)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY start, id", params)
        return [(sid, _aware(b_start), _aware(b_end), n) for sid, b_start, b_end, n in cursor]


def _marks(values: Iterable[Any]) -> str:
    return ", ".join("%s" for _value in values)


def _instant(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive UTC date-times, PostgreSQL aware ones."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def check_conflicts(
    ctx: Context, start: datetime, end: datetime, units: int, now: datetime
) -> None:
    """Refuse the slot if it does not fit, naming what takes it and proposing others."""
    space = ctx.space
    buffer = timedelta(minutes=ctx.rules.buffer_minutes)
    contents = ctx.machines()
    ids = [space.pk, *(c.pk for c in contents)]
    spans = busy_spans(ids, start - buffer, end + buffer, ctx.exclude)
    mine = [
        Busy(b_start, b_end, n) for space_id, b_start, b_end, n in spans if space_id == space.pk
    ]
    ok = fits(mine, start, end, space.units, units, buffer)
    for machine in contents:  # a room booked whole needs its machines entirely free
        taken = [Busy(b_start, b_end, n) for sid, b_start, b_end, n in spans if sid == machine.pk]
        ok = ok and fits(taken, start, end, machine.units, machine.units)
    if ok:
        return
    rows = busy_on(ids, start - buffer, end + buffer, ctx.exclude)  # refused: the whole rows
    conflicts = [b for b in rows if b.start < end and b.end > start] or rows
    first = conflicts[0]
    raise BookingConflict(
        _("This slot is taken: %(space)s is booked from %(start)s to %(end)s.")
        % {
            "space": first.space if first.space_id != space.pk else space,
            "start": local(first.start, ctx.tz),
            "end": local(first.end, ctx.tz),
        },
        conflicts=conflicts,
        alternatives=alternatives(ctx, start, end, units, now),
        similar_spaces=similar_free_spaces(ctx, start, end, units),
    )


def alternatives(
    ctx: Context, start: datetime, end: datetime, units: int, now: datetime, limit: int = 3
) -> list[Window]:
    space = ctx.space
    horizon_start, horizon_end = start - timedelta(days=3), end + timedelta(days=7)
    windows = ctx.windows(horizon_start, horizon_end)
    rows = busy_on([space.pk], horizon_start, horizon_end, ctx.exclude)
    return nearest_free_slots(
        windows,
        [Busy(b.start, b.end, b.units) for b in rows],
        space.units,
        ctx.rules.as_availability_rules(),
        start,
        end - start,
        now,
        units,
        limit=limit,
    )


def similar_free_spaces(ctx: Context, start: datetime, end: datetime, units: int) -> list[Space]:
    """Bookable spaces of the same place and kind, big enough, free over the same slot."""
    space = ctx.space
    candidates = list(
        Space.objects.filter(
            place_id=space.place_id,
            kind=space.kind,
            bookable=True,
            archived_at__isnull=True,
            capacity__gte=space.capacity if space.units == 1 else 0,
            units__gte=units,
        )
        .exclude(pk=space.pk)
        .select_related("booking_rules")
    )
    if not candidates:
        return []
    prime_rules(candidates)
    by_space: dict[int, list[Busy]] = {c.pk: [] for c in candidates}
    for b in busy_on(by_space, start, end, set()):
        by_space[b.space_id].append(Busy(b.start, b.end, b.units))
    return [
        c
        for c in candidates
        if fits(
            by_space[c.pk],
            start,
            end,
            c.units,
            units,
            timedelta(minutes=rules_of(c).buffer_minutes),
        )
    ]


def context_for(actor: Actor, space: Space, exclude: Iterable[int] = ()) -> Context:
    """Rules are read afresh: a space instance may carry rules cached before a change."""
    return Context(
        space=space,
        rules=current_rules(space),
        tz=ZoneInfo(space.place.timezone),
        staff=access.has_perm(actor, space.place, Perm.MANAGE_BOOKINGS),
        exclude=set(exclude),
    )


def current_rules(space: Space) -> SpaceRules:
    """The space's rules read now, in one statement, in the order of `rules.resolve` (the
    write path reads them the same way with its lock: `services.common.load`)."""
    columns, joins = rules_sql("s", "r", "k")
    table = connection.ops.quote_name(Space._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} s {joins} WHERE s.id = %s", [space.pk])
        row = cursor.fetchone()
    return rules_from_row(space.kind, row)[0] if row else rules_of(space)


def free_cancellation_until(booking: Booking) -> datetime:
    """The end of free cancellation: the later of the booking's start less its space's
    deadline and the place's grace period after the booking was made (ending at the start at
    the latest). Before it the booker
    may cancel and gets credits back; after it only the team may, and the booking stays
    billed. The services decide with it; the pages, the e-mails and the booking form's terms
    say it with it."""
    deadline = cancellation_deadline(booking)
    made = booking.created_at
    if made + timedelta(minutes=GRACE_BOUNDS[1]) <= deadline:
        return deadline  # no grace reaches past the deadline: no need to read the place's
    # The grace never outlives the start: a booking made five minutes ahead is not free to
    # cancel ten minutes into it.
    grace_end = min(made + timedelta(minutes=grace_minutes(booking.place)), booking.start)
    return max(deadline, grace_end)


def cancellation_deadline(booking: Booking) -> datetime:
    """The space's deadline alone: the start less its hours of free cancellation."""
    return booking.start - timedelta(hours=rules_of(booking.space).cancellation_deadline_hours)
