"""API of bookings (/api/v1/bookings): availability, a space's calendar, and the writes.

Thin, like `places.api`: look the objects up, check who may see them, call a service,
serialise. Every write goes through `bookings.services`, which checks the rules and access
again, so the API and the pages refuse the same things with the same messages. A refused
slot answers 409 with the conflicts, the nearest free slots and similar free spaces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tierslieux.accounts.api_auth import WRITE_AUTH, current_user
from tierslieux.bookings import queries, services
from tierslieux.bookings.api_schemas import (
    FREQUENCIES,
    READ_ERRORS,
    WRITE_ERRORS,
    AvailabilityOut,
    AvailabilityQuery,
    BookingIn,
    BookingOut,
    CancelIn,
    ConflictOut,
    ErrorOut,
    FeedOut,
    FreeSpaceOut,
    FreeSpacesQuery,
    MineQuery,
    MoveIn,
    RangeQuery,
    RejectIn,
    SeriesIn,
    SeriesOut,
    SpaceBookingOut,
    as_api_fields,
    booking_out,
    conflict_out,
    free_space_out,
    is_team,
    local_instant,
    local_tz,
)
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.models import Booking, rules_of
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.core import clock
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Network, Place, Space

router = Router(tags=["bookings"])

MAX_RANGE_DAYS = 62
CHANGE_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 409: ConflictOut}


# --- Lookups and access ---------------------------------------------------------------------


def _space(place_slug: str, space_slug: str) -> Space:
    queryset = Space.objects.select_related("place", "booking_rules")
    return get_object_or_404(queryset, place__slug=place_slug, slug=space_slug)


def _own_person_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("place", "space", "person", "organisation")


def _visible_booking(user: Any, booking_id: int) -> Booking:
    """The booking, for its booker or the place's team; 404 for anyone else (no leak)."""
    booking = get_object_or_404(_bookings(), pk=booking_id)
    own = _own_person_id(user)
    if (own is not None and booking.person_id == own) or booking.booked_by_id == user.pk:
        return booking
    if access.has_perm(user, booking.place, Perm.MANAGE_BOOKINGS):
        return booking
    raise Http404


def _write(
    request: HttpRequest, place: Place, write: Callable[[], Booking], status: int = 200
) -> Status[Any]:
    """Run a service write; a taken slot becomes a 409 that proposes other slots."""
    try:
        booking = write()
    except BookingConflict as conflict:
        return Status(409, conflict_out(conflict, place))
    except ValidationError as error:
        raise as_api_fields(error) from error
    team = is_team(request.user, place)
    return Status(
        status, booking_out(_bookings().get(pk=booking.pk), team=team, viewer=request.user.pk)
    )


# --- Availability ---------------------------------------------------------------------------


@router.get(
    "/availability",
    response={200: AvailabilityOut, **READ_ERRORS},
    summary="Free slots of a space",
)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]) -> dict[str, Any]:
    """Slots of `duration` minutes where `units` units are free, over `days` local days,
    within the space's rules (notice, horizon, granularity, buffer)."""
    space = _space(query.place, query.space)
    minutes = query.duration or rules_of(space).min_minutes
    tz = local_tz(space.place)
    slots = (
        queries.space_slots(
            space, query.date, timedelta(minutes=minutes), clock.now(), query.units, query.days
        )
        if space.bookable
        else []
    )
    return {
        "place": space.place.slug,
        "space": space.slug,
        "timezone": tz.key,
        "duration": minutes,
        "units": query.units,
        "slots": [{"start": s.start.astimezone(tz), "end": s.end.astimezone(tz)} for s in slots],
    }


@router.get(
    "/free-spaces",
    response={200: list[FreeSpaceOut], **READ_ERRORS},
    summary="Spaces free for a slot",
)
def free_spaces(request: HttpRequest, query: Query[FreeSpacesQuery]) -> list[dict[str, Any]]:
    """Spaces of a place, or of every place of a network, that hold `people` with all the
    `equipment` and are free on `date` from `start` to `end`, local times of each place."""
    if (query.place is None) == (query.network is None):
        field = "network" if query.place is not None else "place"
        raise ValidationError({field: [_("Give either a place or a network.")]})
    if query.place is not None:
        places = Place.objects.filter(pk=get_object_or_404(Place, slug=query.place).pk)
    else:
        places = Place.objects.filter(network=get_object_or_404(Network, slug=query.network))
    if query.end <= query.start:
        raise ValidationError({"end": [_("The end must come after the start.")]})
    equipment = [name for name in query.equipment.split(",") if name.strip()]
    by_pk = {place.pk: place for place in places}
    zones: dict[str, list[int]] = defaultdict(list)
    for place in by_pk.values():
        zones[place.timezone].append(place.pk)
    found = []
    for zone, ids in sorted(zones.items()):  # one local slot is one instant per time zone
        tz = ZoneInfo(zone)
        start = local_instant(query.date, query.start, tz, "start")
        end = local_instant(query.date, query.end, tz, "end")
        spaces = queries.free_spaces(
            Place.objects.filter(pk__in=ids), start, end, people=query.people, equipment=equipment
        )
        found += [(space, start.astimezone(tz), end.astimezone(tz)) for space in spaces]
    found.sort(key=lambda item: (by_pk[item[0].place_id].name, item[0].name))
    return [free_space_out(space, by_pk[space.place_id], start, end) for space, start, end in found]


@router.get(
    "/spaces/{slug}/{space_slug}",
    response={200: list[SpaceBookingOut], **READ_ERRORS},
    summary="A space's bookings",
)
def space_bookings(
    request: HttpRequest, slug: str, space_slug: str, query: Query[RangeQuery]
) -> list[dict[str, Any]]:
    """When the space is taken, for everyone; titles and people only for the place's team
    and for the caller's own bookings. At most 62 local days."""
    space = _space(slug, space_slug)
    place = space.place
    tz = local_tz(place)
    first = query.from_ or clock.now().astimezone(tz).date()
    last = query.to or first + timedelta(days=6)
    if last < first:
        raise ValidationError({"to": [_("The end must come after the start.")]})
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ValidationError(
            {"to": [_("At most %(days)s days at once.") % {"days": MAX_RANGE_DAYS}]}
        )
    start, end = queries.local_range(place, first, (last - first).days + 1)
    user = current_user(request)
    team = access.has_perm(user, place, Perm.MANAGE_BOOKINGS)
    own = _own_person_id(user)
    rows = (
        Booking.objects.filter(space=space, start__lt=end, end__gt=start)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("person", "organisation")
        .order_by("start", "pk")
    )
    out = []
    for b in rows:
        row: dict[str, Any] = {
            "start": b.start.astimezone(tz),
            "end": b.end.astimezone(tz),
            "units": b.units,
            "status": b.status,
        }
        made = b.organisation_id is not None and user.pk is not None and b.booked_by_id == user.pk
        if team or (own is not None and b.person_id == own) or made:
            row.update(id=b.pk, title=b.title, person=str(b.person) if b.person else None)
        if (team or made) and b.organisation is not None:
            row["organisation"] = b.organisation.name
        out.append(row)
    return out


# --- The caller's bookings ------------------------------------------------------------------


@router.get(
    "/mine", response={200: list[BookingOut], 401: ErrorOut}, auth=WRITE_AUTH, summary="Mine"
)
def my_bookings(request: HttpRequest, query: Query[MineQuery]) -> list[dict[str, Any]]:
    """The caller's coming (or, with `past`, latest ended) bookings, machine blocks aside."""
    person = getattr(request.user, "person", None)
    if person is None:
        return []
    mine = _bookings().filter(queries.of_person(person), blocked_by__isnull=True)
    now = clock.now()
    if query.past:
        mine = mine.filter(end__lte=now).order_by("-start", "-pk")[:200]
    else:
        mine = mine.filter(end__gt=now).order_by("start", "pk")[:500]
    return [booking_out(b, viewer=request.user.pk) for b in mine]


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("bookings:person-feed", args=[token]))


@router.get(
    "/mine/feed",
    response={200: FeedOut, 401: ErrorOut, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="My calendar feed",
)
def my_feed(request: HttpRequest) -> dict[str, str]:
    """The secret address of the caller's iCalendar feed (made on first request)."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return {"url": _feed_url(request, services.calendar_feed_for(person).token)}


@router.post(
    "/mine/feed/reset",
    response={200: FeedOut, 401: ErrorOut, 403: ErrorOut},
    auth=WRITE_AUTH,
    summary="Reset my calendar feed",
)
def reset_my_feed(request: HttpRequest) -> dict[str, str]:
    """A new secret address: the old one stops working (e.g. after sharing it by mistake)."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    feed = services.reset_calendar_feed(person, actor=request.user)
    return {"url": _feed_url(request, feed.token)}


# --- Writes ---------------------------------------------------------------------------------


@router.post("", response={201: BookingOut, **CHANGE_ERRORS}, auth=WRITE_AUTH, summary="Book")
def create_booking(request: HttpRequest, payload: BookingIn) -> Status[Any]:
    """Book a space for oneself, or (the place's team) for a person or an organisation known
    to the place. Approval-only spaces answer with a `requested` booking."""
    space = _space(payload.place, payload.space)
    return _write(
        request,
        space.place,
        lambda: services.create_booking(
            actor=request.user,
            space=space,
            start=payload.start,
            end=payload.end,
            units=payload.units,
            person=payload.person_id,
            organisation=payload.organisation_id,
            title=payload.title,
            note=payload.note,
            headcount=payload.headcount,
            purpose=payload.purpose,
        ),
        status=201,
    )


@router.post(
    "/series",
    response={201: SeriesOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    summary="Book a recurring slot",
)
def create_series(request: HttpRequest, payload: SeriesIn) -> Status[Any]:
    """Book every occurrence of a weekly or monthly rule (at most a year ahead). With
    `skip_conflicts`, occurrences that cannot be booked are listed in `skipped`; without it,
    the first refusal books nothing."""
    space = _space(payload.place, payload.space)
    if payload.nth == 0:
        raise ValidationError({"nth": [_("Use 1 to 5, or -1 for the last weekday.")]})
    if payload.freq not in FREQUENCIES:
        raise ValidationError({"freq": [_("Choose weekly or monthly.")]})
    if payload.until is None and payload.count is None:
        raise ValidationError(
            {"count": [_("Give the number of occurrences, or the last day (until).")]}
        )
    recurrence = Recurrence(
        freq=payload.freq,
        interval=payload.interval,
        weekdays=tuple(sorted(set(payload.weekdays))),
        nth=payload.nth,
        until=payload.until,
        count=payload.count,
    )
    try:
        outcome = services.create_series(
            actor=request.user,
            space=space,
            start=payload.start,
            end=payload.end,
            recurrence=recurrence,
            skip_conflicts=payload.skip_conflicts,
            units=payload.units,
            person=payload.person_id,
            title=payload.title,
            organisation=payload.organisation_id,
            headcount=payload.headcount,
            purpose=payload.purpose,
        )
    except BookingConflict as conflict:
        return Status(409, conflict_out(conflict, space.place))
    except ValidationError as error:
        raise as_api_fields(error, "until" if payload.until else "count") from error
    tz = local_tz(space.place)
    created = _bookings().filter(pk__in=[b.pk for b in outcome.created]).order_by("start")
    team = is_team(request.user, space.place)
    return Status(
        201,
        {
            "series_id": outcome.series.pk,
            "rrule": outcome.series.rrule,
            "created": [booking_out(b, team=team, viewer=request.user.pk) for b in created],
            "skipped": [
                {
                    "start": (at.astimezone(tz) if timezone.is_aware(at) else at).isoformat(),
                    "reason": reason,
                }
                for at, reason in outcome.skipped
            ],
        },
    )


@router.get(
    "/{booking_id}",
    response={200: BookingOut, 401: ErrorOut, 404: ErrorOut},
    auth=WRITE_AUTH,
    summary="One booking",
)
def get_booking(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    """For its booker and the place's team."""
    booking = _visible_booking(request.user, booking_id)
    return booking_out(booking, team=is_team(request.user, booking.place), viewer=request.user.pk)


@router.post(
    "/{booking_id}/cancel",
    response={200: BookingOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Cancel",
)
def cancel(request: HttpRequest, booking_id: int, payload: CancelIn | None = None) -> Status[Any]:
    """The booker before the cancellation deadline, the team at any time; `following` also
    cancels the later occurrences of its series. `refund`: the team's choice of what comes
    back (credits, the charge voided), else the place's rule."""
    booking = _visible_booking(request.user, booking_id)
    body = payload or CancelIn.model_validate({})
    team = is_team(request.user, booking.place)
    if body.refund is not None and not team:
        raise PermissionDenied
    if body.following and booking.series_id is not None:
        if body.refund is not None:
            raise ValidationError(
                {"refund": [_("Choose what comes back one booking at a time, not for a series.")]}
            )
        services.cancel_series_from(actor=request.user, booking=booking)
        return Status(
            200, booking_out(_bookings().get(pk=booking.pk), team=team, viewer=request.user.pk)
        )
    return _write(
        request,
        booking.place,
        lambda: services.cancel_booking(
            actor=request.user, booking=booking, reason=body.reason, refund=body.refund
        ),
    )


@router.post(
    "/{booking_id}/move",
    response={200: BookingOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    summary="Move",
)
def move(request: HttpRequest, booking_id: int, payload: MoveIn) -> Status[Any]:
    """Another slot, of the same space or (`space`) another of the place, checked like a
    new booking."""
    booking = _visible_booking(request.user, booking_id)
    space = None
    if payload.space is not None:
        space = Space.objects.filter(place=booking.place, slug=payload.space).first()
        if space is None:
            raise ValidationError({"space": [_("No such space in this place.")]})
    return _write(
        request,
        booking.place,
        lambda: services.move_booking(
            actor=request.user,
            booking=booking,
            start=payload.start,
            end=payload.end,
            space=space,
        ),
    )


@router.post(
    "/{booking_id}/confirm",
    response={200: BookingOut, **CHANGE_ERRORS},
    auth=WRITE_AUTH,
    summary="Approve a request",
)
def confirm(request: HttpRequest, booking_id: int) -> Status[Any]:
    """The team; the pending requests it leaves no room for are rejected."""
    booking = _visible_booking(request.user, booking_id)
    return _write(
        request,
        booking.place,
        lambda: services.confirm_booking(actor=request.user, booking=booking),
    )


@router.post(
    "/{booking_id}/reject",
    response={200: BookingOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Reject a request",
)
def reject(request: HttpRequest, booking_id: int, payload: RejectIn | None = None) -> Status[Any]:
    """The team."""
    booking = _visible_booking(request.user, booking_id)
    reason = payload.reason if payload else ""
    return _write(
        request,
        booking.place,
        lambda: services.reject_booking(actor=request.user, booking=booking, reason=reason),
    )


@router.post(
    "/{booking_id}/check-in",
    response={200: BookingOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
    summary="Check in",
)
def check_in(request: HttpRequest, booking_id: int) -> Status[Any]:
    """The booker or the team, from 15 minutes before the start until the end."""
    booking = _visible_booking(request.user, booking_id)
    return _write(
        request,
        booking.place,
        lambda: services.check_in(actor=request.user, booking=booking),
    )
