"""The no-double-booking guarantee under real concurrency, on PostgreSQL.

Sixteen writer threads, each on its own database connection, are released together by a
barrier and race for one slot through `services.create_booking`, 50 times on an exclusive room
and 50 times on an 8-desk coworking. Each writer is a different member of the place, booking
for themselves: nothing per person serialises them (the same coordinator would share one
actor object and skip the audience and notice checks), so only the locked space row and the
exclusion constraint stand between them. At the end one SQL query per invariant reads the
table: no overlapping pair on an exclusive space, no instant with more units than the space has.

On SQLite writers are serialised by IMMEDIATE transactions, so a race proves nothing: skipped.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction

from tierslieux.accounts.models import User
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import Space
from tierslieux.places.tests import factories as pf

# Needs PostgreSQL: real concurrent writers and the exclusion constraint.
pytestmark = pytest.mark.postgres_only

WRITERS = 16
RACES = 50
DESKS = 8
NOW = at("2026-11-23", 7)

# Two blocking bookings of one exclusive space overlap iff one starts inside the other (ties
# on the start broken by id): a range scan on the (space, start) index, fast at 200,000 rows.
OVERLAPPING_PAIRS_SQL = """
SELECT a.id, b.id
FROM bookings_booking a
JOIN bookings_booking b
  ON b.space_id = a.space_id
 AND b.start < a."end"
 AND (b.start > a.start OR (b.start = a.start AND b.id > a.id))
WHERE a.exclusive AND b.exclusive
  AND a.status IN ('confirmed', 'done') AND b.status IN ('confirmed', 'done')
"""

# The load of a multi-unit space at every instant, by a sweep over (instant, ±units) events
# (ends before starts at one instant: half-open ranges); any instant above the space's units
# is a breach. One query, linear in the bookings, where a self-join would be quadratic.
OVERBOOKED_INSTANTS_SQL = """
WITH blocking AS (
  SELECT b.space_id, b.start, b."end", b.units, s.units AS total
  FROM bookings_booking b JOIN places_space s ON s.id = b.space_id
  WHERE b.status IN ('confirmed', 'done') AND s.units > 1
), events AS (
  SELECT space_id, total, start AS at, units AS delta FROM blocking
  UNION ALL
  SELECT space_id, total, "end" AS at, -units AS delta FROM blocking
), sweep AS (
  SELECT space_id, total, at,
         SUM(delta) OVER (PARTITION BY space_id ORDER BY at, delta ROWS UNBOUNDED PRECEDING)
           AS load
  FROM events
)
SELECT space_id, at, load, total FROM sweep WHERE load > total
"""


def breaches() -> tuple[list[tuple], list[tuple]]:
    """(overlapping pairs on exclusive spaces, instants above a multi-unit space's units)."""
    with connection.cursor() as cursor:
        cursor.execute(OVERLAPPING_PAIRS_SQL)
        pairs = cursor.fetchall()
        cursor.execute(OVERBOOKED_INSTANTS_SQL)
        return pairs, cursor.fetchall()


def race(members: list[User], slots: list[tuple[int, datetime, datetime]]) -> list[Counter]:
    """Each member in its own thread and connection tries every slot, all released together
    per slot; returns, per slot, how many won, lost on a conflict, or failed otherwise."""
    barrier = threading.Barrier(len(members))
    outcomes: list[list[str]] = [[""] * len(members) for _ in slots]

    def writer(i: int, actor: User) -> None:
        try:
            spaces = {
                pk: Space.objects.select_related("place").get(pk=pk) for pk in {s[0] for s in slots}
            }
            for n, (space_pk, start, end) in enumerate(slots):
                barrier.wait(timeout=60)
                try:
                    services.create_booking(
                        actor=actor, space=spaces[space_pk], start=start, end=end, now=NOW
                    )
                    outcomes[n][i] = "won"
                except services.BookingConflict:
                    outcomes[n][i] = "conflict"
                except Exception as error:
                    outcomes[n][i] = repr(error)
        except Exception as error:  # a broken barrier or connection: show it, free the others
            barrier.abort()
            outcomes[0][i] = outcomes[0][i] or repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i, m)) for i, m in enumerate(members)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [Counter(row) for row in outcomes]


def hourly_slots(space: Space, count: int) -> list[tuple[int, datetime, datetime]]:
    """`count` one-hour slots, 08:00 to 18:00 on consecutive days from 1 December."""
    first = at("2026-12-01", 8)
    return [
        (
            space.pk,
            first + timedelta(days=n // 10, hours=n % 10),
            first + timedelta(days=n // 10, hours=n % 10 + 1),
        )
        for n in range(count)
    ]


@pytest.fixture
def place():
    return bf.open_place()


@pytest.fixture
def members(place, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 16 logins
    return [pf.member(place) for _ in range(WRITERS)]


@pytest.mark.django_db(transaction=True)
def test_sixteen_writers_racing_for_an_exclusive_room_leave_exactly_one_winner_each_time(
    place, members
):
    room = bf.room(place, name="Salle Louise Michel", capacity=10)
    bf.rules(room)

    results = race(members, hourly_slots(room, RACES))

    assert all(r == Counter(won=1, conflict=WRITERS - 1) for r in results), results
    assert Booking.objects.filter(space=room, status="confirmed").count() == RACES
    assert breaches() == ([], [])


@pytest.mark.django_db(transaction=True)
def test_sixteen_writers_racing_for_eight_desks_leave_exactly_eight_winners_each_time(
    place, members
):
    coworking = bf.room(
        place, name="Plateau", kind=Space.Kind.COWORKING, capacity=DESKS, units=DESKS
    )
    bf.rules(coworking)

    results = race(members, hourly_slots(coworking, RACES))

    assert all(r == Counter(won=DESKS, conflict=WRITERS - DESKS) for r in results), results
    assert Booking.objects.filter(space=coworking, status="confirmed").count() == RACES * DESKS
    assert breaches() == ([], [])


def test_the_database_itself_refuses_an_overlapping_booking_written_behind_the_service(place):
    """The exclusion constraint, not the service's check, is the last word."""
    room = bf.room(place, name="Salle Olympe de Gouges")
    person = pf.member(place).person

    def insert(start: int, end: int, status: str = "confirmed") -> Booking:
        return Booking.objects.create(
            place=place,
            space=room,
            person=person,
            start=at("2026-12-01", start),
            end=at("2026-12-01", end),
            exclusive=True,
            status=status,
        )

    first = insert(10, 12)
    with pytest.raises(IntegrityError, match="booking_no_overlap_exclusive"), transaction.atomic():
        insert(11, 13)
    insert(12, 13)  # half-open ranges: touching is not overlapping
    insert(11, 13, status="cancelled")  # only blocking bookings are constrained
    insert(11, 13, status="requested")
    with pytest.raises(IntegrityError, match="booking_no_overlap_exclusive"), transaction.atomic():
        Booking.objects.filter(pk=first.pk).update(end=at("2026-12-01", 12, 30))
    assert breaches() == ([], [])


def test_the_breach_queries_do_find_an_overlap_and_an_overbooked_instant(place):
    """The final checks would not pass vacuously. The constraint is dropped inside this test's
    transaction (PostgreSQL DDL is transactional: the rollback restores it)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE bookings_booking DROP CONSTRAINT booking_no_overlap_exclusive")
    room = bf.room(place, name="Salle Jean Jaurès")
    printers = bf.room(place, name="Imprimantes 3D", kind=Space.Kind.MACHINE, units=3)
    person = pf.member(place).person

    def row(space: Space, start: int, end: int, units: int = 1) -> Booking:
        return Booking(
            place=place,
            space=space,
            person=person,
            start=at("2026-12-01", start),
            end=at("2026-12-01", end),
            units=units,
            exclusive=space.units == 1,
            status="confirmed",
        )

    Booking.objects.bulk_create(
        [row(room, 10, 12), row(room, 11, 13), row(printers, 9, 11, 2), row(printers, 10, 12, 2)]
    )
    pairs, instants = breaches()
    assert len(pairs) == 1
    assert [(load, total) for _, _, load, total in instants] == [(4, 3)]
