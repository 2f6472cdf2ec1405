"""Demo bookings: rules for a few spaces, machine authorisations, twelve months of bookings.

A fixture loader like the rest of ``demo/`` (see ``loader.py``): it writes the models
directly, and bookings with ``bulk_create`` in batches, rather than through
``bookings.services``, which books for one user at a time (access checks, one audit entry
and e-mails per booking) and refuses the past. The plan (``agenda.py``) holds every booking to
the rules the services enforce: inside one opening window, within the space's durations and
buffer, never more units at once than the space has, a room blocking the machines it holds
(``blocked_by`` rows, as ``services`` writes them). Bookings are not ``full_clean``-ed one by
one (a query per foreign key and thousands of rows); the database's checks still apply, and on
PostgreSQL its exclusion constraint too. The tests sweep the result.

The months run from 6 before to 6 after the anchor, the first day of the current month in
each place's time zone. Each booking is keyed by (space, start) and inserted only when its key
is missing, so a second run writes nothing. A run in a later month adds the bookings of the
month that came into range and leaves the older ones: that is acceptable, and wanted, because
the demo should look alive whenever it is loaded, and it stays consistent, because every day is
planned from its own seed (the days already there are planned identically, so their keys
match) and each new blocking booking is checked against the rows that are not the plan's
(bookings made since through the application), which it never overlaps. Statuses are set
against the time of the run (past ones done, a few no-shows; some cancelled; requests awaiting
approval ahead) and are not rewritten later: moving them on is `services.tick`'s job.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import models

from tierslieux.accounts.models import Person
from tierslieux.bookings.availability import Busy, Window, peak_units, to_aware
from tierslieux.bookings.models import (
    Booking,
    BookingRules,
    MachineAuthorisation,
    Series,
    rules_of,
)
from tierslieux.bookings.queries import windows_by_place
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.rules import defaults_for
from tierslieux.core import clock
from tierslieux.demo import agenda, data, people
from tierslieux.demo.agenda import PlaceCast, PlaceDay, Planned, SeriesSpec, Span
from tierslieux.places.models import Place, Space

MONTHS = 6
BATCH = 500
M = TypeVar("M", bound=models.Model)
Status = Booking.Status
Key = tuple[int, datetime]

# Spaces whose rules differ from the defaults of their kind (bookings/rules.py).
RULES: dict[tuple[str, str], dict[str, Any]] = {
    ("micro-centre-pilote", "espace-polyvalent"): {
        "approval_required": True,
        "notice_minutes": 24 * 60,
    },
    ("micro-centre-pilote", "coworking"): {"audience": "public", "auto_release_minutes": 90},
    ("micro-centre-pilote", "decoupeuse-laser"): {"min_minutes": 30, "max_minutes": 180},
    ("les-riverains-auxerre", "decoupeuse-laser"): {"min_minutes": 30, "max_minutes": 180},
    ("bliiida-metz", "halle-evenementielle"): {
        "approval_required": True,
        "buffer_minutes": 60,
        "notice_minutes": 7 * 24 * 60,
    },
    ("bliiida-metz", "coworking"): {"audience": "public", "max_minutes": 10 * 60},
}
# Who is trained on the machines of their place, from when, until when (fixed dates, so the
# same people may book the same days whatever the month of the run).
TRAINED = {
    "coordinator": (date(2025, 1, 10), None),
    "staff": (date(2025, 3, 12), None),
    "member": (date(2025, 9, 20), date(2027, 9, 19)),
    "volunteer": (date(2024, 6, 15), date(2026, 12, 31)),  # lapses halfway: fewer bookings
}
MEMBER_LOGIN = f"membre@{people.DOMAIN}"
MEMBER_LOGIN_MACHINE = ("micro-centre-pilote", "decoupeuse-laser")


class Writer(Protocol):
    created: int

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M: ...


@dataclass
class BookingCounts:
    bookings: int = 0  # rows a person booked (machine blocks left out)
    requested: int = 0
    series: int = 0
    authorisations: int = 0


def months_around(today: date, months: int = MONTHS) -> tuple[date, date]:
    """[anchor - months, anchor + months), the anchor being the first day of today's month."""
    anchor = today.replace(day=1)
    return anchor - relativedelta(months=months), anchor + relativedelta(months=months)


@dataclass
class _Cast:
    """The demo's people as ids: per place, who books, who hosts series, who is trained."""

    people: dict[str, list[int]]
    host: dict[str, int]
    coordinator_user: dict[str, int]
    user_of: dict[int, int | None]
    trained: dict[int, list[tuple[int, date, date | None]]]  # machine -> (person, from, to)

    def for_place(self, slug: str, machine_titles: dict[int, str]) -> PlaceCast:
        def machine_users(space: Space, day: date) -> list[int]:
            return [
                person
                for person, since, until in self.trained.get(space.pk, [])
                if since <= day and (until is None or day <= until)
            ]

        return PlaceCast(self.people[slug], self.host[slug], machine_users, machine_titles)

    def booked_by(self, slug: str, person: int | None) -> int | None:
        """The person's own login, else the coordinator who booked for them."""
        own = self.user_of.get(person) if person is not None else None
        return own or self.coordinator_user.get(slug)


def _cast(places: dict[str, Place]) -> _Cast:
    specs = [*data.PLACES, data.MICRO_CENTRE]
    person_specs, _ = people.people_and_organisations(specs)
    logins = people.logins([p["slug"] for p in data.PLACES], data.MICRO_CENTRE["slug"])
    emails = [p.email for p in person_specs] + [login.email for login in logins]
    rows = Person.objects.filter(email__in=emails).values_list("email", "pk", "user_id")
    ids = {email: pk for email, pk, _ in rows}
    cast = _Cast({slug: [] for slug in places}, {}, {}, {pk: u for _, pk, u in rows}, {})
    roles: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for p in person_specs:
        cast.people[p.place_slug].append(ids[p.email])
        roles[p.place_slug].append((p.role, ids[p.email]))
        if p.role == "staff":
            cast.host[p.place_slug] = ids[p.email]
    for login in logins:
        if login.place_slug is not None and login.place_role is not None:
            cast.people[login.place_slug].append(ids[login.email])
            roles[login.place_slug].append((login.place_role, ids[login.email]))
            user = cast.user_of[ids[login.email]]
            if login.place_role == "coordinator" and user is not None:
                cast.coordinator_user[login.place_slug] = user
    machines = Space.objects.filter(place__in=places.values(), kind=Space.Kind.MACHINE)
    slug_of = {place.pk: slug for slug, place in places.items()}
    for machine in machines:
        slug = slug_of[machine.place_id]
        trained: list[tuple[int, date, date | None]] = []
        seen: set[str] = set()
        for role, person in roles[slug]:
            if role in TRAINED and (role == "coordinator" or role not in seen):
                trained.append((person, *TRAINED[role]))
                seen.add(role)
        if (slug, machine.slug) == MEMBER_LOGIN_MACHINE:
            trained.append((ids[MEMBER_LOGIN], date(2025, 10, 4), date(2027, 10, 3)))
        cast.trained[machine.pk] = trained
    return cast


def _load_rules(w: Writer, places: dict[str, Place]) -> None:
    for (slug, space_slug), overrides in RULES.items():
        space = Space.objects.get(place=places[slug], slug=space_slug)
        values = asdict(replace(defaults_for(space.kind), **overrides))
        w.upsert(BookingRules, {"space": space}, values)


def _load_authorisations(w: Writer, places: dict[str, Place], cast: _Cast) -> int:
    slug_of = {place.pk: slug for slug, place in places.items()}
    count = 0
    for machine in Space.objects.filter(pk__in=list(cast.trained)).order_by("pk"):
        granted_by = cast.coordinator_user.get(slug_of[machine.place_id])
        for person, since, until in cast.trained[machine.pk]:
            w.upsert(
                MachineAuthorisation,
                {"person_id": person, "space": machine},
                {"granted_on": since, "expires_on": until, "granted_by_id": granted_by},
            )
            count += 1
    return count


def _day_spans(
    windows: Iterable[Window], tz: ZoneInfo, first: date, last: date
) -> dict[date, list[Span]]:
    """Opening windows (UTC) as minutes of the local day, per local date in [first, last)."""
    spans: dict[date, list[Span]] = defaultdict(list)
    for window in windows:
        start, end = window.start.astimezone(tz), window.end.astimezone(tz)
        if first <= start.date() < last:
            closes = end.hour * 60 + end.minute if end.date() == start.date() else 24 * 60
            spans[start.date()].append((start.hour * 60 + start.minute, closes))
    return spans


@dataclass
class _Plan:
    bookings: list[Planned]
    blocks: list[tuple[Space, Planned]]
    slug_of: dict[int, str]  # place id -> slug
    lo: datetime  # every start of the plan lies in [lo, hi), with a day to spare
    hi: datetime


def _plan(places: dict[str, Place], spaces: list[Space], cast: _Cast, now: datetime) -> _Plan:
    ranges = {}
    for slug, place in places.items():
        tz = ZoneInfo(place.timezone)
        first, last = months_around(now.astimezone(tz).date())
        ranges[slug] = (tz, first, last, to_aware(first, time(0), tz, strict=False))
    lo = min(r[3] for r in ranges.values())
    hi = max(to_aware(r[2], time(0), r[0], strict=False) for r in ranges.values())
    windows = windows_by_place(Place.objects.filter(pk__in=[p.pk for p in places.values()]), lo, hi)
    titles = {
        s.pk: next((t for name, t in agenda.MACHINE_TITLES.items() if name in s.name.lower()), "")
        or "Session machine"
        for s in spaces
    }
    spare = timedelta(days=1)
    plan = _Plan([], [], {p.pk: slug for slug, p in places.items()}, lo - spare, hi + spare)
    for slug, place in places.items():
        tz, first, last, _ = ranges[slug]
        here = [s for s in spaces if s.place_id == place.pk]
        place_cast = cast.for_place(slug, titles)
        for day, spans in sorted(_day_spans(windows[place.pk], tz, first, last).items()):
            rng = random.Random(f"{agenda.SEED}:{slug}:{day.isoformat()}")
            today = PlaceDay(day, tz, sorted(spans), rng)
            agenda.plan_day(slug, today, here, place_cast)
            plan.bookings += today.planned
            plan.blocks += today.blocks
    return plan


def _series_rows(
    w: Writer, plan: _Plan, places: dict[str, Place], cast: _Cast
) -> dict[SeriesSpec, Series]:
    """One `Series` per weekly workshop, its rule spanning the occurrences of the plan."""
    occurrences: dict[SeriesSpec, list[Planned]] = defaultdict(list)
    for booking in plan.bookings:
        if booking.series is not None:
            occurrences[booking.series].append(booking)
    rows = {}
    for spec, items in occurrences.items():
        tz = ZoneInfo(places[spec.place].timezone)
        first = min(items, key=lambda b: b.start)
        last = max(b.start for b in items).astimezone(tz).date()
        recurrence = Recurrence("weekly", spec.interval, spec.weekdays, until=last)
        rows[spec] = w.upsert(
            Series,
            {"place": places[spec.place], "space": first.space, "title": spec.title},
            {
                "person_id": cast.host[spec.place],
                "rrule": recurrence.rfc5545(first.start.astimezone(tz)),
            },
        )
    return rows


def _existing(plan: _Plan, spaces: list[Space]) -> tuple[set[Key], dict[int, list[Busy]]]:
    """Keys already stored, and the blocking rows that are not the plan's (made since
    through the application): new bookings must leave room for those."""
    planned = {b.key for b in plan.bookings} | {(m.pk, b.start) for m, b in plan.blocks}
    rows = Booking.objects.filter(
        space__in=spaces, start__gte=plan.lo, start__lt=plan.hi
    ).values_list("space_id", "start", "end", "units", "status")
    existing: set[Key] = set()
    foreign: dict[int, list[Busy]] = defaultdict(list)
    for space_id, start, end, units, status in rows:
        existing.add((space_id, start))
        if (space_id, start) not in planned and status in Booking.BLOCKING:
            foreign[space_id].append(Busy(start, end, units))
    return existing, foreign


def _clashes(
    space: Space,
    booking: Planned,
    foreign: dict[int, list[Busy]],
    ours: dict[int, list[Busy]],
    contents: list[Space],
) -> bool:
    """Whether a blocking booking of the plan would overlap rows that are not the plan's:
    too many units of its space at once, or a machine of its room taken."""
    start, end = booking.start, booking.end
    theirs = [b for b in foreign.get(space.pk, ()) if b.start < end and b.end > start]
    if theirs:
        near = [b for b in ours.get(space.pk, ()) if b.start < end and b.end > start]
        if peak_units([*theirs, *near], start, end) > space.units:
            return True
    return any(b.start < end and b.end > start for m in contents for b in foreign.get(m.pk, ()))


def _ours(plan: _Plan) -> dict[int, list[Busy]]:
    ours: dict[int, list[Busy]] = defaultdict(list)
    for b in plan.bookings:
        ours[b.space.pk].append(Busy(b.start, b.end, b.units))
    for machine, b in plan.blocks:
        ours[machine.pk].append(Busy(b.start, b.end, machine.units))
    return ours


def _new_bookings(
    plan: _Plan,
    cast: _Cast,
    series: dict[SeriesSpec, Series],
    existing: set[Key],
    foreign: dict[int, list[Busy]],
    contents: dict[int, list[Space]],
    now: datetime,
) -> list[Booking]:
    ours = _ours(plan) if foreign else {}
    new = []
    for b in plan.bookings:
        if b.key in existing:
            continue
        space = b.space
        out = agenda.outcome(b, now, rules_of(space).approval_required)
        blocking = out.status in Booking.BLOCKING
        if foreign and blocking and _clashes(space, b, foreign, ours, contents[space.pk]):
            continue
        new.append(
            Booking(
                place_id=space.place_id,
                space=space,
                person_id=b.person,
                booked_by_id=cast.booked_by(plan.slug_of[space.place_id], b.person),
                start=b.start,
                end=b.end,
                units=b.units,
                exclusive=space.units == 1,
                status=out.status,
                title=b.title,
                series=series[b.series] if b.series else None,
                cancelled_at=out.cancelled_at,
                cancel_reason=out.cancel_reason,
                checked_in_at=out.checked_in_at,
            )
        )
    return new


def _new_blocks(plan: _Plan, foreign: dict[int, list[Busy]]) -> list[Booking]:
    """The machine blocks of the plan's room bookings (stored, not awaiting approval) that
    lack them, with the room booking's status, as `services` would have written them."""
    machines: dict[int, dict[int, Space]] = defaultdict(dict)
    for machine, b in plan.blocks:
        machines[b.space.pk][machine.pk] = machine
    keys = {b.key for _, b in plan.blocks}
    stored = Booking.objects.filter(
        space_id__in=list(machines), blocked_by__isnull=True, start__gte=plan.lo, start__lt=plan.hi
    ).exclude(status=Status.REQUESTED)
    parents = [b for b in stored if (b.space_id, b.start) in keys]
    done = set(
        Booking.objects.filter(blocked_by__in=parents).values_list("blocked_by_id", "space_id")
    )
    ours = _ours(plan) if foreign else {}
    new = []
    for parent in parents:
        for machine in machines[parent.space_id].values():
            if (parent.pk, machine.pk) in done:
                continue
            block = Planned(machine, parent.start, parent.end, machine.units, None, "", 0, 0)
            if foreign and parent.is_blocking and _clashes(machine, block, foreign, ours, []):
                continue
            new.append(
                Booking(
                    place_id=parent.place_id,
                    space=machine,
                    person_id=parent.person_id,
                    booked_by_id=parent.booked_by_id,
                    start=parent.start,
                    end=parent.end,
                    units=machine.units,
                    exclusive=machine.units == 1,
                    status=parent.status,
                    title=parent.title,
                    blocked_by=parent,
                    cancelled_at=parent.cancelled_at,
                    cancel_reason=parent.cancel_reason,
                )
            )
    return new


def load_bookings(
    w: Writer, places: dict[str, Place], now: datetime | None = None
) -> BookingCounts:
    """Rules, authorisations, series and bookings of the demo places; only what is missing
    is written (see the module's docstring), and counted in `w.created`."""
    now = now or clock.now()
    _load_rules(w, places)
    counts = BookingCounts()
    cast = _cast(places)
    counts.authorisations = _load_authorisations(w, places, cast)
    spaces = list(
        Space.objects.filter(place__in=places.values(), bookable=True)
        .select_related("booking_rules")
        .order_by("place_id", "slug")
    )
    contents: dict[int, list[Space]] = {s.pk: [] for s in spaces}
    for s in spaces:
        if s.inside_id in contents:
            contents[s.inside_id].append(s)
    plan = _plan(places, spaces, cast, now)
    series = _series_rows(w, plan, places, cast)
    existing, foreign = _existing(plan, spaces)
    new = _new_bookings(plan, cast, series, existing, foreign, contents, now)
    Booking.objects.bulk_create(new, batch_size=BATCH)
    blocks = _new_blocks(plan, foreign)
    Booking.objects.bulk_create(blocks, batch_size=BATCH)
    w.created += len(new) + len(blocks)

    demo = Booking.objects.filter(place__in=places.values(), blocked_by__isnull=True).exclude(
        person__isnull=True,
        organisation__isnull=True,  # the places' own use: events' sessions
    )
    counts.bookings = demo.count()
    counts.requested = demo.filter(status=Status.REQUESTED).count()
    counts.series = Series.objects.filter(place__in=places.values()).count()
    return counts
