"""The lean booking write path: what a booking costs in statements, what a space that needs
nothing more is spared (rates, machine blocks), the price written with the row, the reads in
plain SQL equal to the ORM's, whom the team may book for, and approval decided in one place."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.bookings import checks, services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.services.common import load
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.members.models import Charge
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import OpeningException, Space
from tierslieux.places.tests import factories as pf

NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"
Status = Booking.Status


@pytest.fixture
def place():
    return bf.open_place(name="La Verrière")


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Nord", slug="nord", capacity=6)
    bf.rules(space)
    return space


def book(actor, space, start=10, end=11, day=MON, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), now=NOW, **kw
    )


def statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries]


def touching(sqls: list[str], table: str) -> list[str]:
    return [sql for sql in sqls if f'"{table}"' in sql or f" {table} " in sql]


# --- Statements ------------------------------------------------------------------------------


def test_a_member_books_a_room_without_rates_in_at_most_nine_statements(place, room):
    member = pf.member(place)
    sqls = statements(lambda: book(member, room))
    # begin, the locked read, two for the member's roles, the opening hours and exceptions,
    # the busy spans, the insert, the audit row, commit (the test's own savepoint aside)
    assert len([s for s in sqls if "SAVEPOINT" not in s]) <= 9
    # no rates (the locked read says so): no rate card read
    assert not [s for s in sqls if s.startswith('SELECT "members_roomrate"')]
    assert not touching(sqls, "members_subscription")  # nor whether one is a member
    assert not [s for s in sqls if s.startswith("UPDATE")]  # the row is written once
    assert len(touching(sqls, "bookings_booking")) == 2  # the busy spans and the insert


def test_the_price_is_written_with_the_row_and_charged_after(place, room):
    member = pf.member(place)
    mf.room_rate(room, "non_member", "hour", "40.00")
    sqls = statements(lambda: book(member, room, 10, 12))
    booking = Booking.objects.get(space=room)
    assert booking.price_net == Decimal("80.00") and booking.wallet == "room_hours"
    assert not [s for s in sqls if s.startswith("UPDATE") and "bookings_booking" in s]
    charge = Charge.objects.get(source=f"booking:{booking.pk}")
    assert charge.unit_price_net == Decimal("80.00")


def test_a_room_without_machines_inserts_no_blocks_and_one_with_two_blocks_both_at_once(
    place, room
):
    coordinator = pf.coordinator(place)
    plain = statements(lambda: book(coordinator, room, 9, 10))
    assert len([s for s in plain if s.startswith("INSERT") and "bookings_booking" in s]) == 1
    workshop = bf.room(place, name="Atelier", slug="atelier", kind=Space.Kind.WORKSHOP)
    bf.rules(workshop)
    for name in ("Laser", "Fraiseuse"):
        pf.space(place, name=name, slug=name.lower(), kind=Space.Kind.MACHINE, inside=workshop)
    sqls = statements(lambda: book(coordinator, workshop, 9, 10))
    assert len([s for s in sqls if s.startswith("INSERT") and "bookings_booking" in s]) == 2
    booking = Booking.objects.get(space=workshop)
    assert sorted(b.space.name for b in booking.blocks.all()) == ["Fraiseuse", "Laser"]
    with pytest.raises(services.BookingConflict):  # the machines are taken with the room
        book(coordinator, Space.objects.get(slug="laser"), 9, 10)


def test_a_series_reads_the_opening_hours_and_exceptions_once(place, room):
    member = pf.member(place)
    weekly = Recurrence(freq="weekly", interval=1, weekdays=(0,), count=6)
    sqls = statements(
        lambda: services.create_series(
            actor=member,
            space=room,
            start=at(MON, 10),
            end=at(MON, 11),
            recurrence=weekly,
            skip_conflicts=False,
            now=NOW,
        )
    )
    assert Booking.objects.filter(space=room).count() == 6
    assert len(touching(sqls, "places_openinghours")) == 1
    assert len(touching(sqls, "places_openingexception")) == 1
    assert len(touching(sqls, "bookings_bookingrules")) == 1  # in the locked read


def test_an_exception_inside_a_series_is_seen_though_read_once(place, room):
    OpeningException.objects.create(
        place=place, start_date=at("2027-01-25", 0).date(), end_date=at("2027-01-25", 0).date()
    )
    outcome = services.create_series(
        actor=pf.member(place),
        space=room,
        start=at(MON, 10),
        end=at(MON, 11),
        recurrence=Recurrence(freq="weekly", interval=1, weekdays=(0,), count=4),
        skip_conflicts=True,
        now=NOW,
    )
    assert len(outcome.created) == 3
    assert [at_.date().isoformat() for at_, _why in outcome.skipped] == ["2027-01-25"]


# --- The plain-SQL reads equal the ORM's -----------------------------------------------------


def test_the_busy_spans_are_what_busy_on_finds(place, room):
    other = bf.room(place, name="Salle Sud", slug="sud")
    person = pf.member(place).person
    rows = []
    for n, status in enumerate(["confirmed", "done", "requested", "cancelled", "confirmed"]):
        start = at(MON, 8 + n)
        rows.append(
            Booking.objects.create(
                place=place,
                space=room if n != 4 else other,
                person=person,
                start=start,
                end=start + timedelta(minutes=60),
                status=status,
            )
        )
    start, end = at(MON, 8, 30), at(MON, 13)
    for ids, exclude in (([room.pk], set()), ([room.pk, other.pk], {rows[0].pk})):
        expected = [
            (b.space_id, b.start, b.end, b.units) for b in checks.busy_on(ids, start, end, exclude)
        ]
        assert checks.busy_spans(ids, start, end, exclude) == expected
        assert expected  # something to compare
    assert checks.busy_spans([room.pk], at(MON, 9, 30), at(MON, 10), set()) == [
        (room.pk, at(MON, 9), at(MON, 10), 1)
    ]


def test_the_locked_read_gives_the_rules_the_rates_flag_and_the_machines(place, room):
    coordinator = pf.coordinator(place)
    bf.rules(room, approval_required=True, buffer_minutes=20)
    machine = pf.space(place, name="Scie", slug="scie", kind=Space.Kind.MACHINE, inside=room)
    ctx = load(coordinator, room)
    assert ctx.rules == checks.context_for(coordinator, room).rules
    assert ctx.rules.approval_required and ctx.rules.buffer_minutes == 20
    assert ctx.priced is False and ctx.staff is True
    assert [(m.pk, m.units) for m in ctx.machines()] == [(machine.pk, 1)]
    mf.room_rate(machine, "non_member", "hour", "10.00")  # the machine's rates are its own
    assert load(coordinator, room).priced is False
    mf.room_rate(room, "non_member", "hour", "10.00")
    assert load(coordinator, room).priced is True
    bare = bf.room(place, name="Sans règles", slug="sans-regles", kind=Space.Kind.OUTDOOR)
    assert load(coordinator, bare).rules == checks.context_for(coordinator, bare).rules


# --- Whom the team may book for --------------------------------------------------------------


def test_the_team_books_for_a_person_known_to_the_place_only(place, room):
    coordinator = pf.coordinator(place)
    with_role = pf.member(place).person
    booked_before = pf.member(bf.open_place(name="Ailleurs")).person
    stranger = pf.user().person
    assert book(coordinator, room, 9, 10, person=with_role).person == with_role
    with pytest.raises(ValidationError) as refused:
        book(coordinator, room, 10, 11, person=stranger)
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError):
        book(coordinator, room, 10, 11, person=booked_before.pk)  # a role elsewhere only
    Booking.objects.create(
        place=place, space=room, person=booked_before, start=at("2026-12-01", 9),
        end=at("2026-12-01", 10), status=Status.DONE,
    )  # fmt: skip
    assert book(coordinator, room, 10, 11, person=booked_before.pk).person == booked_before


def test_a_member_cannot_book_for_someone_else(place, room):
    member, other = pf.member(place), pf.member(place)
    with pytest.raises(PermissionDenied):
        book(member, room, person=other.person)
    assert book(member, room, person=member.person).person == member.person


# --- Approval in one place ---------------------------------------------------------------------


def test_approval_is_asked_of_members_not_of_the_team_for_bookings_and_series(place, room):
    bf.rules(room, approval_required=True)
    member, coordinator = pf.member(place), pf.coordinator(place)
    assert load(member, room).status == Status.REQUESTED
    assert load(coordinator, room).status == Status.CONFIRMED
    assert book(member, room, 9, 10).status == Status.REQUESTED
    assert book(coordinator, room, 10, 11).status == Status.CONFIRMED
    outcome = services.create_series(
        actor=member,
        space=room,
        start=at(MON, 14),
        end=at(MON, 15),
        recurrence=Recurrence(freq="weekly", interval=1, weekdays=(0,), count=2),
        skip_conflicts=False,
        now=NOW,
    )
    assert {b.status for b in outcome.created} == {Status.REQUESTED}


# --- The clock -------------------------------------------------------------------------------


def test_without_now_the_service_reads_the_project_clock(clock, place, room):
    member = pf.member(place)
    clock.set(at(MON, 12))  # after the slot: too late for a member
    with pytest.raises(ValidationError) as refused:
        services.create_booking(actor=member, space=room, start=at(MON, 10), end=at(MON, 11))
    assert refused.value.code == "notice"
    clock.set(at(MON, 8))
    booking = services.create_booking(actor=member, space=room, start=at(MON, 10), end=at(MON, 11))
    assert booking.status == Status.CONFIRMED
