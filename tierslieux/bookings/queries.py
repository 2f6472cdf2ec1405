"""Read helpers for availability: a fixed number of queries, whatever the number of spaces.

Busy intervals of many spaces come from two queries (a bound, then the rows); opening windows
of many places from three (places, hours and exceptions, prefetched); the pure `availability`
module does the rest. Figures: docs/PERFORMANCE.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import CharField, Count, FloatField, Func, Q, QuerySet
from django.db.models.functions import Cast

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings import availability
from tierslieux.bookings.availability import Busy, Window
from tierslieux.bookings.holidays import holidays_between
from tierslieux.bookings.models import Booking, BookingRules, KindRules, prime_rules, rules_of
from tierslieux.bookings.rules import BASE, DEFAULTS_BY_KIND
from tierslieux.members.models import Product, Subscription
from tierslieux.places.models import OpeningException, OpeningHours, Place, Space


def longest_booking() -> timedelta:
    """How long a booking can last at most: the largest maximum duration of any rules.

    `services` refuses a booking longer than its space's maximum (a machine blocked by a room
    lasts as long as the room's booking), so a busy query can bound `start` from below and
    read the (space, start) index as a short range, instead of every earlier booking of the
    spaces: with a year of history, that was 50,000 rows read for 200 returned. Only a booking
    longer than every current maximum (made before one was lowered) could be missed: a slot
    would then look free and booking it would still be refused by the exact check of `checks`.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # a space's own rules or its kind's defaults
        cursor.execute(
            f"SELECT MAX(m) FROM (SELECT MAX(max_minutes) AS m FROM "
            f"{quote(BookingRules._meta.db_table)} UNION ALL SELECT MAX(max_minutes) FROM "
            f"{quote(KindRules._meta.db_table)}) t"
        )
        found = cursor.fetchone()[0] or 0
    defaults = max(r.max_minutes for r in (BASE, *DEFAULTS_BY_KIND.values()))
    return timedelta(minutes=max(found, defaults))


def busy_by_space(
    space_ids: Iterable[int],
    start: datetime,
    end: datetime,
    *,
    longest: timedelta | None = None,
) -> dict[int, list[Busy]]:
    """Blocking bookings overlapping [start, end), per space, sorted by start: two queries
    (one when `longest`, an upper bound of a booking's duration, is given)."""
    found: dict[int, list[Busy]] = {pk: [] for pk in space_ids}
    if longest is None:
        longest = longest_booking()
    rows = Booking.objects.filter(
        space_id__in=list(found),
        status__in=Booking.BLOCKING,
        start__gte=start - longest,  # what starts earlier has ended before `start`
        start__lt=end,
        end__gt=start,
    ).order_by("start")
    fields, load = _instants()
    for space_id, b_start, b_end, units in rows.values_list("space_id", *fields, "units"):
        found[space_id].append(Busy(load(b_start), load(b_end), units))
    return found


class _Epoch(Func):
    template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
    output_field = FloatField()


def _from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)  # exact to the microsecond


def _from_text(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)  # SQLite keeps UTC, naive


def _instants() -> tuple[tuple[Any, Any], Callable[[Any], datetime]]:
    """How to read a booking's start and end fast, per database: loading time-zone-aware
    timestamps through Django took two thirds of a network-wide week (7,000 values). On
    PostgreSQL, seconds since 1970 as a float; on SQLite, the stored UTC text."""
    if connection.vendor == "postgresql":
        return (_Epoch("start"), _Epoch("end")), _from_epoch
    if connection.vendor == "sqlite":
        return (Cast("start", CharField()), Cast("end", CharField())), _from_text
    return ("start", "end"), lambda value: value


def _reach(spaces: Iterable[Space]) -> timedelta:
    """The largest buffer of these spaces: bookings that near the range still matter."""
    spaces = list(spaces)
    prime_rules(spaces)
    return timedelta(minutes=max((rules_of(s).buffer_minutes for s in spaces), default=0))


def windows_by_place(
    places: QuerySet[Place], start: datetime, end: datetime
) -> dict[int, list[Window]]:
    """Opening windows of each place around [start, end), in its own time zone: three
    queries of plain values (model instances and prefetching cost more than the rest).

    Computed once per distinct (time zone, holidays or not, weekly hours, exceptions): the
    places that share them share one list (read-only; 6 ms a place-year otherwise), and
    callers may group places by the list's identity (`activity.queries` does)."""
    first = (start - timedelta(days=1)).date()
    last = (end + timedelta(days=1)).date()
    holidays = set(holidays_between(first, last))
    rows = list(places.order_by().values_list("pk", "timezone", "country"))
    ids = [pk for pk, _tz, _country in rows]
    hours: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for place_id, weekday, opens, closes in (
        OpeningHours.objects.filter(place_id__in=ids)
        .order_by()
        .values_list("place_id", "weekday", "opens", "closes")
    ):
        hours[place_id].append((weekday, opens, closes))
    exceptions: dict[int, list[tuple[date, date, bool, time | None, time | None]]]
    exceptions = defaultdict(list)
    for place_id, *exception in (
        OpeningException.objects.filter(place_id__in=ids, end_date__gte=first, start_date__lte=last)
        .order_by()
        .values_list("place_id", "start_date", "end_date", "closed", "opens", "closes")
    ):
        exceptions[place_id].append(tuple(exception))  # type: ignore[arg-type]
    shared: dict[tuple[Any, ...], list[Window]] = {}
    found: dict[int, list[Window]] = {}
    for pk, tz, country in rows:
        # Duplicates and order change nothing (`opening_windows` merges what it builds).
        key = (tz, country == "FR", frozenset(hours[pk]), frozenset(exceptions[pk]))
        if key not in shared:
            shared[key] = availability.opening_windows(
                first,
                last,
                ZoneInfo(tz),
                hours[pk],
                exceptions[pk],
                holidays if country == "FR" else set(),
            )
        found[pk] = shared[key]
    return found


def candidate_spaces(
    places: QuerySet[Place], people: int = 1, equipment: Sequence[str] = ()
) -> QuerySet[Space]:
    """Bookable spaces of the places that hold `people` and have all the `equipment`."""
    spaces = (
        Space.objects.open_for_booking()
        .filter(place__in=places)
        .filter(Q(capacity__gte=people) | Q(units__gte=people, units__gt=1))
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
    `equipment` and are free over [start, end): six queries in all."""
    spaces = list(candidate_spaces(places, people, equipment))
    if not spaces:
        return []
    place_ids = {s.place_id for s in spaces}
    windows = windows_by_place(Place.objects.filter(pk__in=place_ids), start, end)
    longest, reach = longest_booking(), _reach(spaces)
    busy = busy_by_space([s.pk for s in spaces], start - reach, end + reach, longest=longest)
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
            longest=longest,
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
    return free_intervals_by_space(Place.objects.filter(pk=place.pk), day, days)


def free_intervals_by_space(
    places: QuerySet[Place], day: date, days: int = 7
) -> dict[int, list[Window]]:
    """Free intervals of every bookable space of these places (one place, or a whole network)
    over `days` days from `day`, each place from its own local midnight: six queries."""
    spaces = list(
        Space.objects.open_for_booking()
        .filter(place__in=places)
        .select_related("place", "booking_rules")
    )
    if not spaces:
        return {}
    ranges = {s.place_id: local_range(s.place, day, days) for s in spaces}
    first = min(r[0] for r in ranges.values())
    last = max(r[1] for r in ranges.values())
    windows = windows_by_place(Place.objects.filter(pk__in=ranges), first, last)
    reach = _reach(spaces)
    busy = busy_by_space([s.pk for s in spaces], first - reach, last + reach)
    clipped = {
        pk: [
            Window(max(w.start, start), min(w.end, end))
            for w in windows[pk]
            if w.end > start and w.start < end
        ]
        for pk, (start, end) in ranges.items()
    }
    found = {}
    for space in spaces:
        found[space.pk] = availability.free_intervals(
            clipped[space.place_id],
            busy[space.pk],
            space.units,
            1,
            timedelta(minutes=rules_of(space).buffer_minutes),
        )
    return found


def space_slots(
    space: Space, day: date, duration: timedelta, now: datetime, units: int = 1, days: int = 1
) -> list[Window]:
    """Bookable slots of one space over `days` days from `day` (booking form); none for an
    archived space (pages and the API's availability alike)."""
    if space.archived_at is not None:
        return []
    place = space.place
    start, end = local_range(place, day, days)
    windows = windows_by_place(Place.objects.filter(pk=place.pk), start, end)[place.pk]
    clipped = [
        Window(max(w.start, start), min(w.end, end))
        for w in windows
        if w.end > start and w.start < end
    ]
    rules = rules_of(space).as_availability_rules()
    busy = busy_by_space([space.pk], start - rules.buffer, end + rules.buffer)[space.pk]
    return availability.free_slots(clipped, busy, space.units, rules, duration, now, units)


def bookings_of_place(place: Place, start: datetime, end: datetime) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(
            place=place, start__gte=start - longest_booking(), start__lt=end, end__gt=start
        )
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("space", "person", "organisation")
        .order_by("start")
    )


def organisation_is_member(organisation: Organisation, place: Place, on: date) -> bool:
    """True when the organisation itself holds, on that day, a membership or a plan at the
    place (its booking is priced at the members' rates), as `members.queries.is_member` says
    of a person; a pause does not end it."""
    return Subscription.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on),
        place=place,
        organisation=organisation,
        product__kind__in=[Product.Kind.MEMBERSHIP, Product.Kind.PLAN],
        start__lte=on,
    ).exists()


def of_person(person: Person) -> Q:
    """A person's bookings: their own, and those they made for an organisation they belong
    to (the service lets them change those, `services.common.may_change`)."""
    organisations = list(person.organisations.values_list("pk", flat=True))
    mine = Q(person=person)
    if organisations and person.user_id is not None:
        mine |= Q(organisation_id__in=organisations, booked_by_id=person.user_id)
    return mine
