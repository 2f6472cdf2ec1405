"""The load benchmark's data: the demo network scaled to N places (copies of the demo's places
with their spaces, rules, opening hours and members, made in bulk through the ORM), and one
logged-in member per virtual user (a session cookie and an API token each)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Visitor:
    """What one virtual user needs: its place, the spaces it may book, its credentials."""

    place: str
    spaces: list[str]
    cookie: str
    token: str


def _copy(model: Any, rows: list[Any], **changes: Any) -> list[Any]:
    """Unsaved copies of `rows` with `changes` applied (pk cleared)."""
    copies = []
    for row in rows:
        row.pk = None
        row.id = None
        for name, value in changes.items():
            setattr(row, name, value)
        copies.append(row)
    return copies


def scale_demo(total: int) -> list[str]:
    """The demo's places copied until the network has `total` places; their slugs."""
    from tierslieux.bookings.models import BookingRules, BookingSettings, KindRules
    from tierslieux.places.models import (
        NetworkMembership,
        OpeningHours,
        Place,
        PlaceRole,
        Space,
    )

    templates = list(Place.objects.order_by("pk"))
    network = templates[0].network
    made: list[tuple[Place, Place]] = []
    for n in range(total - len(templates)):
        template = Place.objects.get(pk=templates[n % len(templates)].pk)
        source = template.pk
        template.pk = template.id = None
        template.slug = f"{template.slug}-{n + 2}"[:50]
        template.name = f"{template.name} {n + 2}"
        made.append((Place(pk=source), template))
    Place.objects.bulk_create([copy for _, copy in made], batch_size=200)
    for source, copy in made:
        NetworkMembership.objects.create(network=network, place=copy, source="team")
        copy.categories.set(Place.objects.get(pk=source.pk).categories.all())
        OpeningHours.objects.bulk_create(
            _copy(OpeningHours, list(OpeningHours.objects.filter(place=source)), place=copy)
        )
        KindRules.objects.bulk_create(
            _copy(KindRules, list(KindRules.objects.filter(place=source)), place=copy)
        )
        BookingSettings.objects.bulk_create(
            _copy(BookingSettings, list(BookingSettings.objects.filter(place=source)), place=copy)
        )
        spaces = list(Space.objects.filter(place=source).order_by("pk"))
        rules = {r.space_id: r for r in BookingRules.objects.filter(space__in=spaces)}
        olds = [s.pk for s in spaces]
        news = Space.objects.bulk_create(_copy(Space, spaces, place=copy, inside=None))
        for old, new in zip(olds, news, strict=True):
            if old in rules:
                rule = rules[old]
                rule.pk = rule.id = None
                rule.space = new
                rule.save()
        members = list(PlaceRole.objects.filter(place=source, role=PlaceRole.Role.MEMBER))
        PlaceRole.objects.bulk_create(_copy(PlaceRole, members, place=copy))
    return list(Place.objects.values_list("slug", flat=True))


def visitors(count: int) -> list[Visitor]:
    """`count` members, one per place round the network, each with a session and a token."""
    from django.conf import settings
    from django.test import Client

    from tierslieux.accounts.models import Person, User
    from tierslieux.accounts.services import create_api_token
    from tierslieux.places.models import Place, PlaceRole, Space

    places = [p for p in Place.objects.order_by("pk") if Space.objects.filter(place=p).exists()]
    found = []
    for n in range(count):
        place = places[n % len(places)]
        user = User.objects.create(email=f"charge{n}@example.org", full_name=f"Charge {n}")
        person = Person.objects.create(
            user=user, first_name="Charge", last_name=str(n), email=user.email
        )
        PlaceRole.objects.create(place=place, person=person, role=PlaceRole.Role.MEMBER)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        _, token = create_api_token(user=user, name="load")
        # Machines need an authorisation (a 422 for a member without one): not in the mix.
        bookable = Space.objects.filter(place=place).exclude(kind="machine")
        spaces = list(bookable.values_list("slug", flat=True))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        found.append(Visitor(place.slug, spaces, cookie, token))
    return found


OVERLAPS_SQL = """
-- Exclusive spaces: two blocking bookings of one space never overlap
-- (the exclusion constraint booking_no_overlap_exclusive, checked again here).
SELECT count(*) FROM bookings_booking a JOIN bookings_booking b
  ON a.space_id = b.space_id AND a.id < b.id
 AND tstzrange(a.start, a."end", '[)') && tstzrange(b.start, b."end", '[)')
WHERE a.exclusive AND b.exclusive
  AND a.status IN ('confirmed', 'done') AND b.status IN ('confirmed', 'done')
"""

OVERBOOKED_SQL = """
-- Spaces of several units: at no booking's start do the blocking bookings hold more units
-- than the space has.
SELECT count(*) FROM bookings_booking a JOIN places_space s ON s.id = a.space_id
WHERE a.status IN ('confirmed', 'done') AND NOT a.exclusive AND (
  SELECT sum(b.units) FROM bookings_booking b
   WHERE b.space_id = a.space_id AND b.status IN ('confirmed', 'done')
     AND b.start <= a.start AND b."end" > a.start) > s.units
"""


def double_bookings() -> dict[str, int]:
    """Counted in SQL at the end of the run: both must be 0."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        overlaps = cursor.fetchone()[0]
        cursor.execute(OVERBOOKED_SQL)
        overbooked = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bookings_booking WHERE status = 'confirmed'")
        confirmed = cursor.fetchone()[0]
    return {"overlapping_pairs": overlaps, "overbooked": overbooked, "confirmed": confirmed}
