"""Schemas of the bookings API, and the functions that fill the output ones.

Times come in as aware date-times (a naive one is refused: the API cannot guess its zone)
and go out in the offset of the place concerned (`…T10:00:00+01:00`), so that a client shows
them as they are. Input stays loose where a service speaks better than pydantic.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict
from pydantic_core import PydanticCustomError

from tierslieux.bookings.availability import AmbiguousLocalTime, NonExistentLocalTime, to_aware
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.models import HEADCOUNT_MAX, Booking, Purpose
from tierslieux.core.api_schemas import ErrorOut, ValidationErrorOut
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, Space

STRICT = ConfigDict(extra="forbid")

# Days and instants a booking client may speak of: far enough either side of today for any
# calendar, and far from the ends of Python's calendar (year 1, year 9999), where a day
# more or a change of time zone would leave it. Outside, 422 naming the field
# (`tierslieux.api` translates the error type `date_range`).
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_MINUTES = 31 * 24 * 60  # a month: longer than any booking the rules allow
MAX_UNITS = 10_000
MAX_TEXT = 2_000
FREQUENCIES = ("weekly", "monthly")
MAX_OCCURRENCES = 7 * 53  # every day of every week of a year: a series goes a year ahead


def _day_in_range(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "date_range",
            "Enter a date between {first} and {last}.",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


def _instant_in_range(value: dt.datetime) -> dt.datetime:
    _day_in_range(value.date())
    return value


Day = Annotated[dt.date, AfterValidator(_day_in_range)]
Instant = Annotated[AwareDatetime, AfterValidator(_instant_in_range)]
Units = Annotated[int, Field(ge=1, le=MAX_UNITS)]
Title = Annotated[str, Field(max_length=200)]
Headcount = Annotated[
    int | None,
    Field(
        ge=1, le=HEADCOUNT_MAX, description="How many people come (the space's capacity at most)"
    ),
]
PurposeCode = Annotated[
    str,
    Field(
        max_length=12,
        description="What the booking is for (empty: not said)",
        json_schema_extra={"enum": ["", *Purpose.values]},
    ),
]
Reason = Annotated[str, Field(max_length=200)]


READ_ERRORS: dict[int, Any] = {404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


# --- Output ---------------------------------------------------------------------------------


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime


class AvailabilityOut(Schema):
    place: str
    space: str
    timezone: str = Field(..., description="IANA time zone of the place")
    duration: int = Field(..., description="Minutes")
    units: int
    slots: list[SlotOut]


class FreeSpaceOut(Schema):
    place: str
    place_name: str
    slug: str
    name: str
    kind: str
    capacity: int
    units: int
    start: dt.datetime = Field(..., description="The slot asked for, in the place's offset")
    end: dt.datetime


class SpaceBookingOut(Schema):
    """A row of a space's calendar; `id`, `title` and `person` only for whom may see them,
    `organisation` only for the place's team."""

    start: dt.datetime
    end: dt.datetime
    units: int
    status: str = Field(..., json_schema_extra={"enum": list(Booking.Status.values)})
    id: int | None = None
    title: str | None = None
    person: str | None = None
    organisation: str | None = None


class BookingOut(Schema):
    id: int
    place: str
    space: str
    space_name: str
    start: dt.datetime
    end: dt.datetime
    units: int
    status: str = Field(..., json_schema_extra={"enum": list(Booking.Status.values)})
    title: str
    note: str
    person_id: int | None
    person: str | None
    organisation_id: int | None = Field(
        None, description="The organisation it is for (the place's team and its booker only)"
    )
    organisation: str | None = Field(
        None, description="Its name (the place's team and whoever made the booking only)"
    )
    headcount: int | None = None
    purpose: str = Field("", json_schema_extra={"enum": ["", *Purpose.values]})
    series_id: int | None
    checked_in_at: dt.datetime | None
    cancel_reason: str


class SkippedOut(Schema):
    start: str = Field(
        ...,
        description="Local start; without an offset when that local time does not exist "
        "or exists twice (daylight saving)",
    )
    reason: str


class SeriesOut(Schema):
    series_id: int
    rrule: str = Field(..., description="RFC 5545 rule, in the place's local time")
    created: list[BookingOut]
    skipped: list[SkippedOut]


class ConflictingOut(Schema):
    space: str
    start: dt.datetime
    end: dt.datetime


class SimilarSpaceOut(Schema):
    slug: str
    name: str


class ConflictOut(ErrorOut):
    conflicts: list[ConflictingOut]
    alternatives: list[SlotOut] = Field(..., description="Nearest free slots of the same space")
    similar_spaces: list[SimilarSpaceOut] = Field(
        ..., description="Spaces of the same place and kind, free over the same slot"
    )


class FeedOut(Schema):
    url: str = Field(..., description="Private iCalendar feed of the caller's bookings")


# --- Input ----------------------------------------------------------------------------------


class AvailabilityQuery(Schema):
    place: str = Field(..., description="Slug of the place")
    space: str = Field(..., description="Slug of the space")
    date: Day = Field(..., description="First local day")
    days: int = Field(1, ge=1, le=14)
    duration: int | None = Field(
        None, ge=1, le=MAX_MINUTES, description="Minutes; by default the space's minimum duration"
    )
    units: Units = 1


class FreeSpacesQuery(Schema):
    place: str | None = Field(None, description="Slug of a place (or give `network`)")
    network: str | None = Field(None, description="Slug of a network: all its places")
    date: Day
    start: dt.time = Field(..., description="Local time at each place, HH:MM")
    end: dt.time = Field(..., description="Local time at each place, HH:MM")
    people: int = Field(1, ge=1, le=MAX_UNITS)
    equipment: str = Field(
        "", max_length=MAX_TEXT, description="Equipment names, comma-separated: all needed"
    )


class RangeQuery(Schema):
    from_: Day | None = Field(None, alias="from", description="First local day (default: today)")
    to: Day | None = Field(None, description="Last local day, included (default: +6 days)")


class MineQuery(Schema):
    past: bool = Field(False, description="Ended bookings (latest first) instead of coming ones")


class BookingIn(Schema):
    model_config = STRICT

    place: str = Field(..., description="Slug of the place")
    space: str = Field(..., description="Slug of the space")
    start: Instant
    end: Instant
    units: Units = 1
    title: Title = ""
    note: str = Field("", max_length=MAX_TEXT)
    person_id: int | None = Field(
        None, description="The team only: book for someone known to the place"
    )
    organisation_id: int | None = Field(
        None,
        description="Book for an organisation of the place (then no person_id): the team for "
        "any, a person for one they belong to; priced and invoiced to the organisation",
    )
    headcount: Headcount = None
    purpose: PurposeCode = ""


class SeriesIn(Schema):
    model_config = STRICT

    place: str
    space: str
    start: Instant = Field(..., description="Start of the first occurrence")
    end: Instant = Field(..., description="End of the first occurrence")
    units: Units = 1
    title: Title = ""
    person_id: int | None = None
    organisation_id: int | None = Field(None, description="As for a single booking")
    headcount: Headcount = None
    purpose: PurposeCode = ""
    freq: str = Field("weekly", json_schema_extra={"enum": list(FREQUENCIES)})
    interval: int = Field(1, ge=1, le=52)
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=list, description="0 = Monday … 6 = Sunday (weekly)"
    )
    nth: int | None = Field(
        None, ge=-1, le=5, description="Monthly: nth weekday of the month, -1 = the last"
    )
    until: Day | None = None
    count: int | None = Field(None, ge=1, le=MAX_OCCURRENCES)
    skip_conflicts: bool = Field(
        False, description="Skip the occurrences that cannot be booked instead of failing whole"
    )


class MoveIn(Schema):
    model_config = STRICT

    start: Instant
    end: Instant
    space: str | None = Field(
        None, max_length=100, description="Slug of another space of the same place"
    )


class CancelIn(Schema):
    model_config = STRICT

    reason: Reason = ""
    following: bool = Field(False, description="Also cancel the later occurrences of its series")
    refund: bool | None = Field(
        None,
        description=(
            "The team only: give the credits back and void the charge (true) or keep them "
            "(false); by default, the place's rule"
        ),
    )


class RejectIn(Schema):
    model_config = STRICT

    reason: Reason = ""


# --- Serialisation: times in the place's offset ---------------------------------------------------


def local_tz(place: Place) -> ZoneInfo:
    return ZoneInfo(place.timezone)


def local_instant(day: dt.date, at: dt.time, tz: ZoneInfo, field: str) -> dt.datetime:
    """A typed local time, refused when the clocks skip it or pass it twice that day."""
    values = {
        "time": f"{at:%H:%M}",
        "date": formats.date_format(day, "DATE_FORMAT"),
        "zone": tz.key,
    }
    try:
        return to_aware(day, at, tz)
    except NonExistentLocalTime:
        message = _("%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward.")
    except AmbiguousLocalTime:
        message = _(
            "%(time)s happens twice on %(date)s in %(zone)s: the clocks go back. "
            "Choose another time."
        )
    raise ValidationError({field: [message % values]})


def is_team(user: Any, place: Place) -> bool:
    """Whether the caller is the place's team: who alone sees whom a booking is for."""
    return access.has_perm(user, place, Perm.MANAGE_BOOKINGS)


def booking_out(
    booking: Booking, *, team: bool = False, viewer: int | None = None
) -> dict[str, Any]:
    """A booking as the API shows it; the organisation it is for only to the place's `team`
    (as a space's calendar shows names to the team only) and to whoever made the booking
    (`viewer`, the caller's user id)."""
    tz = local_tz(booking.place)
    shown = team or (viewer is not None and booking.booked_by_id == viewer)
    org = booking.organisation if shown and booking.organisation_id else None
    return {
        "id": booking.pk,
        "place": booking.place.slug,
        "space": booking.space.slug,
        "space_name": booking.space.name,
        "start": booking.start.astimezone(tz),
        "end": booking.end.astimezone(tz),
        "units": booking.units,
        "status": booking.status,
        "title": booking.title,
        "note": booking.note,
        "person_id": booking.person_id,
        "person": str(booking.person) if booking.person else None,
        "organisation_id": org.pk if org is not None else None,
        "organisation": org.name if org is not None else None,
        "headcount": booking.headcount,
        "purpose": booking.purpose,
        "series_id": booking.series_id,
        "checked_in_at": booking.checked_in_at.astimezone(tz) if booking.checked_in_at else None,
        "cancel_reason": booking.cancel_reason,
    }


def free_space_out(
    space: Space, place: Place, start: dt.datetime, end: dt.datetime
) -> dict[str, Any]:
    """A space free over the slot asked for (`FreeSpaceOut`)."""
    return {
        "place": place.slug,
        "place_name": place.name,
        "slug": space.slug,
        "name": space.name,
        "kind": space.kind,
        "capacity": space.capacity,
        "units": space.units,
        "start": start,
        "end": end,
    }


def conflict_out(conflict: BookingConflict, place: Place) -> dict[str, Any]:
    tz = local_tz(place)
    return {
        "detail": " ".join(conflict.messages),
        "conflicts": [
            {"space": b.space.slug, "start": b.start.astimezone(tz), "end": b.end.astimezone(tz)}
            for b in conflict.conflicts
        ],
        "alternatives": [
            {"start": w.start.astimezone(tz), "end": w.end.astimezone(tz)}
            for w in conflict.alternatives
        ],
        "similar_spaces": [{"slug": s.slug, "name": s.name} for s in conflict.similar_spaces],
    }


# --- Refusals: the request's fields named ------------------------------------------------------


# The field of the request a refusal of the checks is about (by its code); refusals about
# the booking as a whole (its state, who may book) stay under `__all__`.
FIELD_OF_CODE = {
    "units": "units",
    "end_before_start": "end",
    "duration": "end",
    "naive_datetime": "start",
    "invalid": "start",
    "notice": "start",
    "horizon": "start",
    "closed": "start",
}


def as_api_fields(error: ValidationError, recurrence_field: str = "") -> ValidationError:
    """The refusal with the request's fields named: the service's `person` and
    `organisation` are the API's `person_id` and `organisation_id`; a check's refusal goes to
    the field it is about (`FIELD_OF_CODE`; a series' recurrence to `recurrence_field`)."""
    if hasattr(error, "error_dict"):
        if not {"person", "organisation"} & error.error_dict.keys():  # e.g. headcount, purpose
            return error
        fields = dict(error.error_dict)
        for name in ("person", "organisation"):
            if name in fields:
                fields[f"{name}_id"] = fields.pop(name)
        return ValidationError(fields)
    codes = {**FIELD_OF_CODE, "recurrence": recurrence_field, "empty": recurrence_field}
    by_field: dict[str, list[ValidationError]] = {}
    for item in error.error_list:
        by_field.setdefault(codes.get(item.code or "") or NON_FIELD_ERRORS, []).append(item)
    return ValidationError(by_field)
