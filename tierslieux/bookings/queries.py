"""Read helpers for availability: a fixed number of queries, whatever the number of spaces.

Busy intervals of many spaces come from one query; opening windows of many places from two
(hours and exceptions, prefetched); the pure `availability` module does the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet

from tierslieux.bookings import availability
from tierslieux.bookings.availability import Busy, Window
from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import Booking, rules_of
from tierslieux.places.models import OpeningException, Place, Space


def busy_by_space(
    space_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[Busy]]:
    """Blocking bookings overlapping [start, end), per space, sorted by start: one query."""
    found: dict[int, list[Busy]] = {pk: [] for pk in space_ids}
    rows = (
        Booking.objects.filter(
            space_id__in=list(found), status__in=Booking.BLOCKING, start__lt=end, end__gt=start
        )
        .order_by("start")
        .values_list("space_id", "start", "end", "units")
    )
    for space_id, b_start, b_end, units in rows:
        found[space_id].append(Busy(b_start, b_end, units))
    return found


def _with_hours(places: QuerySet[Place], first: date, last: date) -> QuerySet[Place]:
    return places.prefetch_related(
        "hours",
        Prefetch(
            "opening_exceptions",
            queryset=OpeningException.objects.filter(end_date__gte=first, start_date__lte=last),
        ),
    )


def windows_by_place(
    places: QuerySet[Place], start: datetime, end: datetime
) -> dict[int, list[Window]]:
    """Opening windows of each place around [start, end), in its own time zone."""
    first = (start - timedelta(days=1)).date()
    last = (end + timedelta(days=1)).date()
    holidays = set(holidays_between(first, last))
    found = {}
    for place in _with_hours(places, first, last):
        found[place.pk] = availability.opening_windows(
            first,
            last,
            ZoneInfo(place.timezone),
            [(h.weekday, h.opens, h.closes) for h in place.hours.all()],
            [
                (e.start_date, e.end_date, e.closed, e.opens, e.closes)
                for e in place.opening_exceptions.all()
            ],
            holidays if place.country == "FR" else set(),
        )
    return found


def candidate_spaces(
    places: QuerySet[Place], people: int = 1, equipment: Sequence[str] = ()
) -> QuerySet[Space]:
    """Bookable spaces of the places that hold `people` and have all the `equipment`."""
    spaces = Space.objects.filter(place__in=places, bookable=True).filter(
        Q(capacity__gte=people) | Q(units__gte=people, units__gt=1)
    )
    names = sorted({n.strip().lower() for n in equipment if n.strip()})
    if names:
        spaces = spaces.annotate(
            matching=Count("equipment", filter=Q(equipment__name__in=names), distinct=True)
        ).filter(matching=len(names))
    return spaces.select_related("booking_rules").order_by("place_id", "name")


def free_spaces(
    places: QuerySet[Place],
    start: datetime,
    end: datetime,
    *,
    people: int = 1,
    equipment: Sequence[str] = (),
) -> list[Space]:
    """Which spaces of these places (one place, or the whole network) fit `people` with the
    `equipment` and are free over [start, end): three queries in all."""
    spaces = list(candidate_spaces(places, people, equipment))
    if not spaces:
        return []
    place_ids = {s.place_id for s in spaces}
    windows = windows_by_place(Place.objects.filter(pk__in=place_ids), start, end)
    busy = busy_by_space([s.pk for s in spaces], start, end)
    by_id = {s.pk: s for s in spaces}
    free: list[Space] = []
    for space in spaces:
        buffer = timedelta(minutes=rules_of(space).buffer_minutes)
        units_wanted = min(people, space.units) if space.units > 1 else 1
        if availability.free_spaces(
            {space.pk: space.units},
            busy,
            {space.pk: windows[space.place_id]},
            start,
            end,
            units_wanted,
            buffer,
        ):
            free.append(by_id[space.pk])
    return free


def local_range(place: Place, day: date, days: int = 1) -> tuple[datetime, datetime]:
    """[midnight of `day`, midnight `days` later) in the place's time zone, aware."""
    tz = ZoneInfo(place.timezone)
    start = availability.to_aware(day, time(0), tz, strict=False)
    return start, availability.to_aware(day + timedelta(days=days), time(0), tz, strict=False)


def week_free_intervals(place: Place, day: date, days: int = 7) -> dict[int, list[Window]]:
    """Free intervals of every bookable space of the place over `days` days (calendar)."""
    start, end = local_range(place, day, days)
    spaces = list(Space.objects.filter(place=place, bookable=True).select_related("booking_rules"))
    windows = windows_by_place(Place.objects.filter(pk=place.pk), start, end)[place.pk]
    busy = busy_by_space([s.pk for s in spaces], start, end)
    clipped = [
        Window(max(w.start, start), min(w.end, end))
        for w in windows
        if w.end > start and w.start < end
    ]
    return {
        s.pk: availability.free_intervals(
            clipped, busy[s.pk], s.units, 1, timedelta(minutes=rules_of(s).buffer_minutes)
        )
        for s in spaces
    }


def space_slots(
    space: Space, day: date, duration: timedelta, now: datetime, units: int = 1, days: int = 1
) -> list[Window]:
    """Bookable slots of one space over `days` days from `day` (booking form)."""
    place = space.place
    start, end = local_range(place, day, days)
    windows = windows_by_place(Place.objects.filter(pk=place.pk), start, end)[place.pk]
    clipped = [
        Window(max(w.start, start), min(w.end, end))
        for w in windows
        if w.end > start and w.start < end
    ]
    busy = busy_by_space([space.pk], start, end)[space.pk]
    return availability.free_slots(
        clipped, busy, space.units, rules_of(space).as_availability_rules(), duration, now, units
    )


def bookings_of_place(place: Place, start: datetime, end: datetime) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(place=place, start__lt=end, end__gt=start)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("space", "person")
        .order_by("start")
    )
