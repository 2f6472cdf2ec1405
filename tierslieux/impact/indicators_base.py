"""What every indicator query shares: the places at hand and their period in each time zone,
which places record what (one statement), and the events' dates held.

An instant (a session's start, a check-in) is in the period when it lies between the
period's local midnights in its place's time zone: the condition is written once per time
zone among the places (a handful), so one statement serves any number of places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from tierslieux.bookings.models import Booking
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.impact.indicator_defs import Value, missing
from tierslieux.impact.periods import Period, zone_bounds
from tierslieux.members.models import Pass, Subscription
from tierslieux.places.models import Place, PlaceRole

Found = dict[int, dict[str, Value]]
ORGANISATION_ROLES = (PlaceRole.Role.MEMBER, PlaceRole.Role.RESIDENT_ORGANISATION)


@dataclass
class Scope:
    """The places (pk, time zone, country), the period, its bounds per time zone, now,
    what each place has ever recorded (`uses`: place id → set of flags), and the rows read
    once for several families of indicators (`memo`)."""

    places: list[Place]
    period: Period
    now: datetime
    zones: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)
    uses: dict[int, set[str]] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # rows two families read alike

    def __post_init__(self) -> None:
        self.zones = zone_bounds({p.timezone for p in self.places}, self.period)

    @property
    def ids(self) -> list[int]:
        return [p.pk for p in self.places]

    def during(self, instant: str, place: str) -> Q:
        """`instant` (a field path) within the period in the time zone of `place` (the path
        to the place); one zone, the common case, needs no join to the place."""
        if len(self.zones) == 1:
            start, end = next(iter(self.zones.values()))
            return Q(**{f"{instant}__gte": start, f"{instant}__lt": end})
        either = Q()
        for tz, (start, end) in self.zones.items():
            either |= Q(
                **{f"{place}__timezone": tz, f"{instant}__gte": start, f"{instant}__lt": end}
            )
        # The span of every zone's period as well: redundant, but a range an index can read
        # (the zones' alternatives alone make the database test every row).
        lo = min(start for start, _end in self.zones.values())
        hi = max(end for _start, end in self.zones.values())
        return Q(**{f"{instant}__gte": lo, f"{instant}__lt": hi}) & either

    def before(self, instant: str, place: str, end: bool = False) -> Q:
        """`instant` before the period's start (or its `end`) in its place's time zone."""
        n = 1 if end else 0
        if len(self.zones) == 1:
            return Q(**{f"{instant}__lt": next(iter(self.zones.values()))[n]})
        either = Q()
        for tz, bounds in self.zones.items():
            either |= Q(**{f"{place}__timezone": tz, f"{instant}__lt": bounds[n]})
        return either

    def empty(self) -> Found:
        return {pk: {} for pk in self.ids}


def record_flags(ids: list[int]) -> dict[int, set[str]]:
    """What each place has ever recorded, in one statement (index probes per place): a
    figure of a kind the place never records is "not recorded", not 0."""
    place = OuterRef("pk")
    flags = {
        "bookings": Exists(Booking.objects.filter(place=place)),
        "checkins": Exists(Booking.objects.filter(place=place, checked_in_at__isnull=False)),
        "events": Exists(Event.objects.filter(place=place, status=Event.Status.PUBLISHED)),
        "registrations": Exists(Registration.objects.filter(event__place=place)),
        "attendance": Exists(Attendance.objects.filter(session__event__place=place)),
        "subscriptions": Exists(Subscription.objects.filter(place=place))
        | Exists(Pass.objects.filter(place=place)),
        "organisations": Exists(
            Subscription.objects.filter(place=place, organisation__isnull=False)
        )
        | Exists(
            PlaceRole.objects.filter(
                place=place, role__in=ORGANISATION_ROLES, organisation__isnull=False
            )
        ),
    }
    named = {f"has_{name}": flag for name, flag in flags.items()}  # clear of the fields
    rows = Place.objects.filter(pk__in=ids).annotate(**named).values("pk", *named)
    return {row["pk"]: {name for name in flags if row[f"has_{name}"]} for row in rows}


def held_base(scope: Scope) -> QuerySet[Session]:
    """Dates of the places' published events, not cancelled and over (held), any time."""
    return Session.objects.filter(
        event__place_id__in=scope.ids,
        event__status=Event.Status.PUBLISHED,
        cancelled_at__isnull=True,
        end__lte=scope.now,
    )


def held(scope: Scope) -> QuerySet[Session]:
    """The dates held that began in the period."""
    return held_base(scope).filter(scope.during("start", "event__place"))


def grouped(rows: Iterable[Any], *names: str) -> dict[int, dict[str, Any]]:
    """{place id: {name: value}} from rows grouped by `p` (the place id)."""
    return {row["p"]: {name: row[name] for name in names} for row in rows}


def count_union(*querysets: QuerySet[Any, Any]) -> dict[int, int]:
    """Distinct (p, who) pairs counted per place `p` over the union of the querysets: one
    statement (UNION removes the duplicates), for "distinct people across sources"."""
    union = querysets[0].union(*querysets[1:])
    sql, params = union.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT u.p, COUNT(*) FROM ({sql}) u GROUP BY u.p", params)
        return {int(p): int(n) for p, n in cursor.fetchall()}


def share(part: Decimal | int | float, whole: Decimal | int | float) -> Decimal | None:
    """`part` over `whole` in percent to 0.1; None when the whole is nothing."""
    if not whole or whole <= 0:
        return None
    value = Decimal(str(part)) * 100 / Decimal(str(whole))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def counted(
    flags: set[str], flag: str, amount: Any, reason: str, basis: int | None = None
) -> Value:
    """`amount` when the place records `flag` at all, else "not recorded" with `reason`."""
    if flag not in flags:
        return missing(reason)
    return Value(amount, basis=basis)
