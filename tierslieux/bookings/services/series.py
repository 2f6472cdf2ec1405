"""Recurring bookings: every occurrence checked and written like a single booking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings import checks, emails
from tierslieux.bookings.models import Booking, Series
from tierslieux.bookings.recurrence import Recurrence, RecurrenceError, Skipped, expand
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
from tierslieux.places.models import Space

Status = Booking.Status

# --- Recurring bookings ---------------------------------------------------------------------


@dataclass
class SeriesOutcome:
    series: Series
    created: list[Booking] = field(default_factory=list)
    skipped: list[tuple[datetime, str]] = field(default_factory=list)


@transaction.atomic
def create_series(
    *,
    actor: Actor,
    space: Space,
    start: datetime,
    end: datetime,
    recurrence: Recurrence,
    skip_conflicts: bool,
    units: int = 1,
    person: Person | int | None = None,
    title: str = "",
    now: datetime | None = None,
    organisation: Organisation | int | None = None,
    headcount: int | None = None,
    purpose: str = "",
) -> SeriesOutcome:
    """Book every occurrence of a rule. With `skip_conflicts`, occurrences that cannot be
    booked are skipped and listed; without it, the first refusal cancels the whole series.
    `organisation`, `headcount`, `purpose`: as for `core.create_booking`."""
    now = now or clock.now()
    checks.check_times(start, end)
    team.check_headcount(space, headcount, purpose)
    ctx = load(actor, space)
    org = team.resolve_organisation(ctx, organisation, person=person, actor=actor)
    who = None if org is not None else resolve_person(actor, ctx, person)
    if org is not None and not title:
        title = org.name[:200]
    booker = person_of(actor) if org is not None and not ctx.staff else who
    org_id = org.pk if org is not None else None
    try:
        occurrences, dst_skipped = expand(start, end - start, recurrence, ctx.tz)
    except RecurrenceError as error:
        raise ValidationError(
            _("Invalid recurrence: %(why)s.") % {"why": error}, code="recurrence"
        ) from error
    series = Series.objects.create(
        place_id=space.place_id,
        space=space,
        person=who,
        rrule=recurrence.rfc5545(start.astimezone(ctx.tz)),
        title=title,
    )
    outcome = SeriesOutcome(series, skipped=[(s.local_start, _reason(s)) for s in dst_skipped])
    if dst_skipped and not skip_conflicts:
        raise ValidationError(
            _(
                "Some occurrences fall on a local time that does not exist or "
                "exists twice (daylight saving)."
            ),
            code="dst",
        )
    status = ctx.status
    card = prices.card_of(space, ctx.priced)
    if occurrences:  # the opening hours and exceptions of the whole series, read once
        ctx.windows(occurrences[0].start, occurrences[-1].end)
    for occ in occurrences:
        try:
            validate(actor, ctx, booker, occ.start, occ.end, units, now, organisation_id=org_id)
            if status == Status.CONFIRMED:
                checks.check_conflicts(ctx, occ.start, occ.end, units, now)
            quote = prices.quote_for(
                who, space, occ.start, occ.end, units, card=card, organisation=org
            )
            with transaction.atomic():
                booking = insert(
                    Booking(
                        place_id=space.place_id,
                        space=space,
                        person=who,
                        organisation=org,
                        booked_by_id=actor.pk if actor.is_authenticated else None,
                        headcount=headcount,
                        purpose=purpose,
                        start=occ.start,
                        end=occ.end,
                        units=units,
                        exclusive=space.units == 1,
                        status=status,
                        title=title,
                        series=series,
                        created_at=now,
                        **prices.fields(quote),
                    )
                )
                if status == Status.CONFIRMED:
                    block_contents(booking, ctx.machines())
                prices.settle(booking, quote, actor=actor)
        except ValidationError as error:
            if not skip_conflicts:
                raise
            outcome.skipped.append((occ.start, " ".join(error.messages)))
            continue
        outcome.created.append(booking)
    if not outcome.created:
        raise ValidationError(_("No occurrence of this series can be booked."), code="empty")
    audit.record(
        actor=actor,
        action="series.create",
        obj=series,
        place_id=space.place_id,
        changes={
            "rrule": series.rrule,
            "created": len(outcome.created),
            "skipped": len(outcome.skipped),
        },
    )
    emails.notify(outcome.created[0], "series_created", count=len(outcome.created))
    return outcome


def _reason(skipped: Skipped) -> str:
    if skipped.reason == "nonexistent":
        return _("this local time does not exist (daylight saving)")
    return _("this local time exists twice (daylight saving)")


@transaction.atomic
def cancel_series_from(*, actor: Actor, booking: Booking, now: datetime | None = None) -> int:
    """Cancel this occurrence and every later one of its series; returns how many."""
    now = now or clock.now()
    if booking.series_id is None:
        raise ValidationError(_("This booking is not part of a series."), code="state")
    staff = may_change(actor, booking)
    rest = (
        Booking.objects.select_for_update(of=("self",))
        .filter(
            series_id=booking.series_id,
            start__gte=booking.start,
            status__in=(Status.REQUESTED, Status.CONFIRMED),
        )
        .select_related("space__booking_rules")
    )
    count = 0
    for occ in rest:
        deadline = checks.free_cancellation_until(occ)
        if staff or now <= deadline:
            set_cancelled(occ, now, "series")
            if now <= deadline:  # in time: credits back, charge voided; late: both kept
                prices.release(occ, actor=actor)
            count += 1
    audit.record(
        actor=actor,
        action="series.cancel_from",
        obj=booking,
        place_id=booking.place_id,
        changes={"cancelled": count},
    )
    return count
