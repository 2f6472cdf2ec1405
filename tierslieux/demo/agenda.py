"""What a year of bookings looks like in a tiers-lieu: the plan of one day of one place.

No queries (spaces come with their rules): given a day's opening windows and the place's
bookable spaces, `plan_day` draws the bookings a real place would hold (a working-hours mix
by kind of space, and the weekly workshops of `SERIES`), keeping only those that fit: inside
one opening window, within the space's minimum and maximum duration, never more units at
once than the space has, each booking kept apart from the others by the space's buffer. A
room that holds machines needs them entirely free, and blocks them while it is booked (as
`bookings.services` does).

Each day draws from its own `random.Random("2026:<place>:<date>")`, so a day's plan never
depends on which days are planned around it (a run in a later month plans the same days
the same way). Today's date never changes a draw: each booking draws its `fate`, and only
`outcome` turns it into a status against the current time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tierslieux.bookings.availability import Busy, fits, to_aware
from tierslieux.bookings.models import Booking, rules_of
from tierslieux.places.models import Space

SEED = 2026
# A fixed Monday: "every other week" counts from it, whatever the month of the run.
EVEN_WEEKS_FROM = date(2026, 1, 5)
Status = Booking.Status


@dataclass(frozen=True)
class SeriesSpec:
    """A weekly workshop: `weekdays` every `interval` weeks, from `opens` to `closes` (HH:MM)."""

    place: str
    space: str
    title: str
    weekdays: tuple[int, ...]
    interval: int
    opens: str
    closes: str

    def falls_on(self, day: date) -> bool:
        weeks = (day - EVEN_WEEKS_FROM).days // 7
        return day.weekday() in self.weekdays and weeks % self.interval == 0

    @property
    def span(self) -> tuple[int, int]:
        opens, closes = time.fromisoformat(self.opens), time.fromisoformat(self.closes)
        return opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute


# Within each place's opening hours: the Micro-centre stays open late on Wednesdays (21:00)
# and La Quincaillerie on Fridays (22:00), hence their evenings then.
# fmt: off
SERIES = [SeriesSpec(*row) for row in [
    # place, space, title, weekdays (0 = Monday), every n weeks, from, to
    ("micro-centre-pilote", "atelier-pratique", "Repair café", (5,), 2, "10:00", "12:30"),
    ("micro-centre-pilote", "espace-polyvalent", "Atelier couture", (2,), 1, "18:30", "20:30"),
    ("micro-centre-pilote", "espace-bien-etre", "Yoga doux", (0, 3), 1, "12:15", "13:15"),
    ("iness-narbonne", "salle-formation", "Formation créateurs d'activité", (0,), 1, "09:00",
     "12:00"),
    ("c-mine-genk", "fablab", "Open fablab", (2,), 1, "14:00", "18:00"),
    ("terralab-arles", "espace-ateliers-expositions", "Atelier d'écriture", (5,), 2, "10:00",
     "12:00"),
    ("bliiida-metz", "fablab", "Permanence fablab", (0,), 1, "14:00", "17:00"),
    ("espace-kenere-pontivy", "salle-animation", "Café numérique", (4,), 2, "14:00", "16:00"),
    ("la-quincaillerie-gueret", "salle-activite", "Soirée jeux de société", (4,), 1, "19:00",
     "22:00"),
    ("coboi-sant-boi", "salle-concert-casal", "Assaig de la coral", (1,), 1, "18:00", "20:00"),
    ("les-riverains-auxerre", "fablab-makerspace", "Repair café", (5,), 2, "10:00", "13:00"),
]]

MEETINGS = ["Réunion d'équipe", "Entretien", "Comité de pilotage", "Rendez-vous client",
            "Formation", "Atelier collectif", "Point partenaires"]
WORKSHOPS = ["Atelier bois", "Prototypage", "Formation aux machines", "Projet personnel",
             "Atelier réparation vélo", "Fabrication de mobilier"]
EVENINGS = ["Conférence", "Projection-débat", "Concert", "Soirée jeux", "Assemblée générale",
            "Afterwork", "Scène ouverte"]
SEMINARS = ["Séminaire", "Formation", "Journée d'étude", "Forum emploi"]
WEEKENDS = ["Atelier parents-enfants", "Atelier zéro déchet", "Stage de théâtre",
            "Atelier cuisine", "Bourse aux plantes", "Atelier d'initiation"]
WELLBEING = ["Yoga", "Sophrologie", "Massage assis", "Méditation", "Pilates"]
OUTDOOR = ["Jardinage collectif", "Apéro du jardin", "Atelier compost"]
STUDIO = ["Enregistrement de podcast", "Tournage", "Sérigraphie", "Montage vidéo"]
# fmt: on


@dataclass
class Planned:
    """A booking of the plan. `fate` and `late` are its draws for `outcome`."""

    space: Space
    start: datetime  # UTC
    end: datetime
    units: int
    person: int | None  # a Person id
    title: str
    fate: float
    late: float
    series: SeriesSpec | None = None

    @property
    def key(self) -> tuple[int, datetime]:
        return self.space.pk, self.start


@dataclass
class Outcome:
    status: str
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    checked_in_at: datetime | None = None


def outcome(p: Planned, now: datetime, approval: bool) -> Outcome:
    """The state a booking has reached by `now`: cancelled now and then, done when past (a
    few no-shows), confirmed or awaiting approval ahead. Series are booked by the team, so
    they never wait for approval."""
    if p.fate < 0.06:
        cancelled_at = min(now, p.start - timedelta(hours=2 + int(p.late * 96)))
        if approval and p.series is None and p.fate < 0.025:
            return Outcome(Status.CANCELLED, cancelled_at, "rejected")
        reason = "Animateur absent" if p.series else "Empêchement"
        return Outcome(Status.CANCELLED, cancelled_at, reason)
    checked_in = p.start + timedelta(minutes=int(p.late * 10)) if p.late < 0.8 else None
    if p.end <= now:
        if p.fate < 0.09:
            return Outcome(Status.NO_SHOW)
        return Outcome(Status.DONE, checked_in_at=checked_in)
    if p.start <= now:
        return Outcome(Status.CONFIRMED, checked_in_at=checked_in)
    if approval and p.series is None and p.fate < 0.4:
        return Outcome(Status.REQUESTED)
    return Outcome(Status.CONFIRMED)


H = 60
Span = tuple[int, int]  # minutes since local midnight, [opens, closes)
Wish = tuple[int, int, int, str]  # start, end (minutes), units, title


@dataclass
class PlaceDay:
    """One day of one place being planned: its windows and what each space already holds."""

    day: date
    tz: ZoneInfo
    spans: list[Span]
    rng: random.Random
    busy: dict[int, list[Busy]] = field(default_factory=dict)
    planned: list[Planned] = field(default_factory=list)
    blocks: list[tuple[Space, Planned]] = field(default_factory=list)  # (machine, room booking)

    def instant(self, minutes: int) -> datetime:
        t = time(minutes // 60, minutes % 60) if minutes < 24 * 60 else time(0)
        day = self.day if minutes < 24 * 60 else self.day + timedelta(days=1)
        return to_aware(day, t, self.tz, strict=False).astimezone(UTC)

    def place(
        self,
        space: Space,
        wish: Wish,
        person: int | None,
        contents: Sequence[Space],
        series: SeriesSpec | None = None,
    ) -> None:
        """Keep the wish if it fits (its fate is drawn whether or not it does). A cancelled
        booking keeps its slot in the plan: two keys of the plan never collide."""
        start_min, end_min, units, title = wish
        fate, late = self.rng.random(), self.rng.random()
        rules = rules_of(space)
        if not rules.min_minutes <= end_min - start_min <= rules.max_minutes:
            return
        if not any(o <= start_min and end_min <= c for o, c in self.spans):
            return
        start, end = self.instant(start_min), self.instant(end_min)
        buffer = timedelta(minutes=rules.buffer_minutes)
        if not fits(self.busy.get(space.pk, []), start, end, space.units, units, buffer):
            return
        if any(not fits(self.busy.get(m.pk, []), start, end, m.units, m.units) for m in contents):
            return
        booking = Planned(space, start, end, units, person, title, fate, late, series)
        self.planned.append(booking)
        self.busy.setdefault(space.pk, []).append(Busy(start, end, units))
        for machine in contents:
            self.busy.setdefault(machine.pk, []).append(Busy(start, end, machine.units))
            self.blocks.append((machine, booking))


def _part(spans: Sequence[Span], lo: int, hi: int, least: int) -> list[Span]:
    """The parts of the spans within [lo, hi) lasting at least `least` minutes."""
    parts = [(max(o, lo), min(c, hi)) for o, c in spans]
    return [(o, c) for o, c in parts if c - o >= least]


def _slot(rng: random.Random, spans: Sequence[Span], duration: int, lo: int, hi: int) -> Span:
    """A start on the half hour inside [lo, hi) (else anywhere open); (0, 0) if none fits."""
    options = _part(spans, lo, hi, duration) or _part(spans, 0, 24 * 60, duration)
    if not options:
        return 0, 0
    o, c = options[rng.randrange(len(options))]
    first = -(-o // 30) * 30
    if first + duration > c:
        return 0, 0
    start = first + 30 * rng.randint(0, (c - duration - first) // 30)
    return start, start + duration


def _desks(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    """Desks by the day or the half-day, mostly one person, sometimes a small team."""
    n = rng.choice((0, 1, 1, 1, 2)) if day.weekday() < 5 else rng.choice((0, 0, 0, 1))
    n += rng.randint(0, 1) if units >= 16 else 0
    days = _part(spans, 9 * H, 18 * H, 6 * H)
    mornings = _part(spans, 9 * H, 13 * H, 2 * H)
    afternoons = _part(spans, 14 * H, 18 * H, 2 * H)
    wishes = []
    for _ in range(n):
        form, team = rng.random(), rng.random()
        size = min(units, 1 if team < 0.8 else 2 if team < 0.95 else 3)
        desks = f" ({size} postes)" if size > 1 else ""
        if form < 0.5 and days:
            wishes.append((*days[0], size, f"Journée de coworking{desks}"))
        elif (form < 0.75 and mornings) or (mornings and not afternoons):
            wishes.append((*mornings[0], size, f"Demi-journée de coworking{desks}"))
        elif afternoons:
            wishes.append((*afternoons[-1], size, f"Demi-journée de coworking{desks}"))
    return wishes


def _meetings(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    n = rng.choice((0, 1, 1, 2)) if day.weekday() < 5 else rng.choice((0, 0, 1))
    return [
        (
            *_slot(rng, spans, rng.choice((60, 60, 90, 120, 120, 180)), 9 * H, 18 * H),
            1,
            rng.choice(MEETINGS),
        )
        for _ in range(n)
    ]


def _workshop(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    n = rng.choice((0, 0, 0, 1, 1))
    return [
        (
            *_slot(rng, spans, rng.choice((120, 150, 180, 240)), 9 * H, 19 * H),
            1,
            rng.choice(WORKSHOPS),
        )
        for _ in range(n)
    ]


def _machine(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    n = rng.choice((0, 0, 1, 1)) + (rng.randint(0, 1) if units > 1 else 0)
    return [
        (*_slot(rng, spans, rng.choice((60, 60, 90, 120)), 9 * H, 19 * H), 1, "Session machine")
        for _ in range(n)
    ]


def _hall(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    """Evening events where the place stays open late, workshops at weekends, a seminar
    now and then on weekdays."""
    roll, length, title = rng.random(), rng.random(), rng.random()
    closes = spans[-1][1]
    if day.weekday() >= 5:
        if roll < 0.4:
            duration = 120 if length < 0.5 else 180
            lo = 10 * H if length < 0.75 else 14 * H
            wish = _slot(rng, spans, duration, lo, lo + 4 * H)
            return [(*wish, 1, WEEKENDS[int(title * len(WEEKENDS))])]
        return []
    if closes >= 19 * H and roll < 0.35:
        duration = 120 if length < 0.6 else 150 if length < 0.85 else 180
        start = max(closes - duration, 17 * H)
        return [(start, closes, 1, EVENINGS[int(title * len(EVENINGS))])]
    if roll >= 0.85:
        wish = _slot(rng, spans, 180 if length < 0.7 else 240, 9 * H, 18 * H)
        return [(*wish, 1, SEMINARS[int(title * len(SEMINARS))])]
    return []


def _wellbeing(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    n = rng.choice((0, 0, 1, 1, 2))
    return [
        (*_slot(rng, spans, rng.choice((60, 60, 90)), 9 * H, 19 * H), 1, rng.choice(WELLBEING))
        for _ in range(n)
    ]


def _outdoor(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    roll = rng.random()
    if day.weekday() not in (2, 5) or not 4 <= day.month <= 10 or roll >= 0.35:
        return []
    return [(*_slot(rng, spans, 120, 10 * H, 17 * H), 1, rng.choice(OUTDOOR))]


def _studio(rng: random.Random, spans: list[Span], day: date, units: int) -> list[Wish]:
    n = rng.choice((0, 0, 1, 1))
    return [
        (*_slot(rng, spans, rng.choice((60, 120, 180)), 9 * H, 18 * H), 1, rng.choice(STUDIO))
        for _ in range(n)
    ]


Wishes = Callable[[random.Random, list[Span], date, int], list[Wish]]
BY_KIND: dict[str, Wishes] = {
    "coworking": _desks,
    "desk": _desks,
    "meeting_room": _meetings,
    "workshop": _workshop,
    "machine": _machine,
    "multipurpose_room": _hall,
    "wellbeing": _wellbeing,
    "outdoor": _outdoor,
    "other": _studio,
}
MACHINE_TITLES = {"imprimante": "Impression 3D", "laser": "Découpe laser"}  # by name


@dataclass
class PlaceCast:
    """Who books at a place: its people, its team member for series, who may use each
    machine on a given day."""

    people: list[int]
    host: int | None
    machine_users: Callable[[Space, date], list[int]]
    machine_titles: dict[int, str] = field(default_factory=dict)


def plan_day(
    place_slug: str,
    day: PlaceDay,
    spaces: Sequence[Space],
    cast: PlaceCast,
) -> None:
    """Plan one day: series first (they were booked long ago), then rooms, then machines."""
    contents: dict[int, list[Space]] = {}
    for space in spaces:
        if space.inside_id is not None:
            contents.setdefault(space.inside_id, []).append(space)
    by_slug = {s.slug: s for s in spaces}
    for spec in SERIES:
        if spec.place == place_slug and spec.falls_on(day.day) and spec.space in by_slug:
            space = by_slug[spec.space]
            wish = (*spec.span, 1, spec.title)
            day.place(space, wish, cast.host, contents.get(space.pk, []), series=spec)
    for space in sorted(spaces, key=lambda s: (s.inside_id is not None, s.slug)):
        wishes = BY_KIND.get(space.kind, _studio)(day.rng, day.spans, day.day, space.units)
        users = cast.machine_users(space, day.day) if space.kind == "machine" else cast.people
        for start, end, units, title in wishes:
            person = day.rng.choice(users) if users else None
            if space.kind == "machine":
                if person is None:
                    continue
                title = cast.machine_titles.get(space.pk, title)
            if end > start:
                day.place(space, (start, end, units, title), person, contents.get(space.pk, []))
