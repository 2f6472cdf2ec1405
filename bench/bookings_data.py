"""The bookings benchmark's data: 20 places of one network, 10 spaces each, and a year of
bookings packed into their opening windows (see docs/PERFORMANCE.md, "The data")."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 22, 12, tzinfo=PARIS)  # the data's "today": half a year each side
FIRST_DAY, LAST_DAY = date(2026, 6, 1), date(2027, 5, 31)

# (kind, name, capacity, units); a coworking's units are drawn per place (8 to 16 desks).
LAYOUT = [
    ("meeting_room", "Petite salle", 6, 1),
    ("meeting_room", "Grande salle", 10, 1),
    ("multipurpose_room", "Salle polyvalente", 40, 1),
    ("coworking", "Plateau coworking", 0, 0),
    ("desk", "Bureau fermé", 2, 1),
    ("workshop", "Atelier", 12, 1),
    ("wellbeing", "Salle bien-être", 8, 1),
    ("outdoor", "Jardin", 30, 1),
    ("machine", "Découpeuse laser", 1, 1),
    ("machine", "Imprimantes 3D", 3, 3),
]
ZONES = ["Europe/Paris"] * 17 + ["Indian/Reunion", "America/Guadeloupe", "America/Cayenne"]
# Working-hours mix: durations (minutes) with weights, per kind.
DURATIONS = {
    "coworking": ([120, 240, 480], [2, 4, 4]),
    "desk": ([120, 240, 480], [2, 4, 4]),
    "machine": ([30, 60, 120], [3, 5, 2]),
    "meeting_room": ([30, 60, 120, 180, 240], [15, 40, 30, 10, 5]),
}
OTHER_DURATIONS = ([60, 120, 180, 240], [3, 4, 2, 1])
BOOKABLE_BY_MEMBERS = {"meeting_room", "coworking", "desk", "workshop", "wellbeing"}


def lanes_of_day(windows: list[Any], kind: str, rng: random.Random) -> list[tuple[Any, Any]]:
    """Bookings packed one after another, with random gaps, in one unit's opening windows."""
    durations, weights = DURATIONS.get(kind, OTHER_DURATIONS)
    step = 15 if kind == "machine" else 30
    found = []
    for window in windows:
        cursor = window.start + timedelta(minutes=step * rng.choice([0, 0, 1, 2, 4]))
        while True:
            minutes = rng.choices(durations, weights)[0]
            end = cursor + timedelta(minutes=minutes)
            if end > window.end:
                break
            found.append((cursor, end))
            cursor = end + timedelta(minutes=step * rng.choice([0, 1, 2, 3, 6, 10]))
    return found


def seed(total: int, rng: random.Random) -> dict[str, Any]:
    """20 places of 10 spaces, people and members, then `total` bookings by bulk_create.

    Each unit of a space (one for a room, N for a coworking) gets bookings packed without
    overlap in its opening windows; a uniform sample of all of them keeps `total`. So no
    exclusive space has an overlap and no multi-unit space more bookings than units at once.
    """
    from tierslieux.accounts.models import Person, User
    from tierslieux.bookings.availability import opening_windows
    from tierslieux.bookings.holidays import holidays_between
    from tierslieux.bookings.models import Booking, BookingRules
    from tierslieux.places.models import (
        Network,
        OpeningException,
        OpeningHours,
        Place,
        PlaceRole,
        Space,
    )

    network = Network.objects.create(name="Réseau du banc d'essai", slug="banc")
    holidays = set(holidays_between(FIRST_DAY, LAST_DAY))
    people = Person.objects.bulk_create(
        Person(first_name="Prénom", last_name=f"Nom {n}", email=f"p{n}@example.org")
        for n in range(2000)
    )
    pool: list[tuple[Any, Any, Any]] = []  # (space, start, end) candidates
    members: dict[int, int] = {}
    for n, zone in enumerate(ZONES):
        place = Place.objects.create(
            network=network,
            name=f"Tiers-lieu {n + 1}",
            slug=f"tiers-lieu-{n + 1}",
            status="open",
            postcode="11100",
            commune="Narbonne",
            location_type="city_centre",
            legal_form="association",
            timezone=zone,
        )
        opens = clock(8) if n % 2 else clock(9)
        hours = [(d, opens, clock(19 + n % 2)) for d in range(5)]
        if n % 3 == 0:
            hours.append((5, clock(9), clock(13)))
        OpeningHours.objects.bulk_create(
            OpeningHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in hours
        )
        summer = date(2026, 8, 3) + timedelta(days=7 * (n % 3))
        closure = (summer, summer + timedelta(days=6), True, None, None)
        OpeningException.objects.create(
            place=place, start_date=closure[0], end_date=closure[1], closed=True, reason="Été"
        )
        windows = opening_windows(FIRST_DAY, LAST_DAY, ZoneInfo(zone), hours, [closure], holidays)
        user = User.objects.create_user(f"member{n}@example.org", None)
        person = Person.objects.create(
            user=user, first_name="Membre", last_name=f"{n}", email=user.email
        )
        PlaceRole.objects.create(place=place, person=person, role="member")
        members[place.pk] = user.pk
        for k, (kind, name, capacity, units) in enumerate(LAYOUT):
            if kind == "coworking":
                units = capacity = rng.randint(8, 16)
            space = Space.objects.create(
                place=place,
                name=name,
                slug=f"espace-{k}",
                kind=kind,
                capacity=capacity,
                units=units,
            )
            if k % 4 == 1:  # some spaces have their own rules, the others their kind's
                BookingRules.objects.create(
                    space=space, audience="public", buffer_minutes=10, min_minutes=30
                )
            for _unit in range(units):
                pool.extend((space, s, e) for s, e in lanes_of_day(windows, kind, rng))
    chosen = rng.sample(pool, total) if len(pool) > total else pool
    rows = []
    for space, start, end in chosen:
        roll = rng.random()
        if end <= NOW:
            status = "done" if roll < 0.90 else "no_show" if roll < 0.93 else "cancelled"
        else:
            status = "confirmed" if roll < 0.90 else "requested" if roll < 0.93 else "cancelled"
        rows.append(
            Booking(
                place_id=space.place_id,
                space=space,
                person=rng.choice(people),
                start=start,
                end=end,
                units=1,
                exclusive=space.units == 1,
                status=status,
            )
        )
    Booking.objects.bulk_create(rows, batch_size=5000)
    return {"network": network, "members": members, "candidates": len(pool), "bookings": len(rows)}


def analyse() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) or `optimize` (SQLite) keeps."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Measuring -----------------------------------------------------------------------------
