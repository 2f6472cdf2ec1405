"""Which rules a space follows: its own, else its place's defaults for its kind, else the
built-in defaults of the kind; the write path's one locked read, `context_for` and `rules_of`
agree on it; who may book (resident organisations); bounds kept by the database; a note of
2,000 characters at most."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tierslieux.accounts.models import Organisation
from tierslieux.bookings import checks, services
from tierslieux.bookings.models import (
    NOTE_MAX,
    Booking,
    BookingRules,
    KindRules,
    prime_rules,
    rules_and_source,
    rules_of,
)
from tierslieux.bookings.rules import BUILT_IN, OWN, PLACE_KIND, defaults_for, problems
from tierslieux.bookings.services.common import load
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import PlaceRole, Space
from tierslieux.places.tests import factories as pf

NOW = at("2027-01-04", 8)
MON = "2027-01-11"


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture
def place(place):
    return bf.open_every_day(place)


def fresh(space):
    return Space.objects.select_related("booking_rules", "place").get(pk=space.pk)


def every_reader(actor, space):
    """The rules as each reader sees them: the write path, the checks, the pages."""
    return load(actor, space).rules, checks.context_for(actor, space).rules, rules_of(fresh(space))


def test_own_rules_then_the_place_s_kind_defaults_then_the_built_in_ones(place, coordinator):
    room = bf.room(place)
    assert set(every_reader(coordinator, room)) == {defaults_for(room.kind)}
    assert rules_and_source(fresh(room))[1] == BUILT_IN
    KindRules.objects.create(place=place, kind=room.kind, max_minutes=90, approval_required=True)
    KindRules.objects.create(place=bf.open_place(), kind=room.kind, max_minutes=60)  # elsewhere
    readers = every_reader(coordinator, room)
    assert {r.max_minutes for r in readers} == {90} and all(r.approval_required for r in readers)
    assert rules_and_source(fresh(room))[1] == PLACE_KIND
    bf.rules(room, max_minutes=120)
    assert {r.max_minutes for r in every_reader(coordinator, room)} == {120}
    assert rules_and_source(fresh(room))[1] == OWN


def test_a_booking_follows_its_kind_s_defaults_set_by_the_place(place, member):
    room = bf.room(place)
    KindRules.objects.create(
        place=place, kind=room.kind, audience="public", approval_required=True, max_minutes=60
    )
    with pytest.raises(ValidationError) as refused:
        services.create_booking(actor=member, space=room, start=at(MON, 9), end=at(MON, 11))
    assert refused.value.code == "duration"
    booking = services.create_booking(actor=member, space=room, start=at(MON, 9), end=at(MON, 10))
    assert booking.status == Booking.Status.REQUESTED


def test_the_locked_read_is_still_one_statement(place, coordinator):
    room = bf.room(place)
    KindRules.objects.create(place=place, kind=room.kind, max_minutes=90)
    room = Space.objects.select_related("place").get(pk=room.pk)
    coordinator = type(coordinator).objects.select_related("person").get(pk=coordinator.pk)
    load(coordinator, room)  # the coordinator's roles, memoised on the user
    with CaptureQueriesContext(connection) as queries:
        ctx = load(coordinator, room)
    assert len(queries) == 1 and ctx.rules.max_minutes == 90


def test_a_list_of_spaces_reads_the_kind_defaults_once(place):
    KindRules.objects.create(place=place, kind=Space.Kind.DESK, max_minutes=120)
    for n in range(4):
        bf.room(place, kind=Space.Kind.DESK if n % 2 else Space.Kind.WORKSHOP)
    spaces = list(Space.objects.filter(place=place).select_related("booking_rules"))
    with CaptureQueriesContext(connection) as queries:
        prime_rules(spaces)
        found = [rules_of(s).max_minutes for s in spaces]
    assert len(queries) == 1
    assert sorted(found) == sorted(
        120 if s.kind == "desk" else defaults_for(s.kind).max_minutes for s in spaces
    )


def test_resident_organisations_book_what_is_open_to_them(place, member):
    room = bf.room(place)
    bf.rules(room, audience="residents")
    resident = pf.user()
    organisation = Organisation.objects.create(name="Les Ateliers")
    organisation.people.add(resident.person)
    with pytest.raises(ValidationError) as refused:
        services.create_booking(actor=resident, space=room, start=at(MON, 9), end=at(MON, 10))
    assert refused.value.code == "audience"
    PlaceRole.objects.create(place=place, organisation=organisation, role="resident_organisation")
    services.create_booking(actor=resident, space=room, start=at(MON, 9), end=at(MON, 10))
    with pytest.raises(ValidationError):  # a member without a resident organisation
        services.create_booking(actor=member, space=room, start=at(MON, 11), end=at(MON, 12))


@pytest.mark.parametrize(
    "values",
    [
        {"min_minutes": 120, "max_minutes": 60},
        {"granularity_minutes": 2},
        {"granularity_minutes": 2000},
        {"max_minutes": 8 * 24 * 60},
        {"horizon_days": 0},
        {"audience": "everyone"},
        {"auto_release_minutes": 0},
    ],
)
def test_the_database_keeps_the_bounds(place, values):
    room = bf.room(place)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingRules.objects.create(space=room, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        KindRules.objects.create(place=place, kind="desk", **values)


def test_the_value_checks_name_their_field():
    assert problems(defaults_for("machine").__dict__) == {}
    found = problems({"min_minutes": 45, "max_minutes": 30, "granularity_minutes": 30})
    assert set(found) == {"min_minutes", "max_minutes"}
    assert set(problems({"granularity_minutes": 7})) == {"granularity_minutes"}
    assert problems({"buffer_minutes": 10**30}) and not problems({"buffer_minutes": "x"})


def test_a_note_holds_2000_characters_at_most(place, member):
    room = bf.room(place)
    bf.rules(room)
    with pytest.raises(ValidationError) as refused:
        services.create_booking(
            actor=member, space=room, start=at(MON, 9), end=at(MON, 10), note="x" * (NOTE_MAX + 1)
        )
    assert "note" in refused.value.message_dict
    assert not Booking.objects.exists()
    booking = services.create_booking(
        actor=member, space=room, start=at(MON, 9), end=at(MON, 10), note="x" * NOTE_MAX
    )
    assert len(booking.note) == NOTE_MAX
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(note="y" * (NOTE_MAX + 1))


def test_the_api_refuses_a_long_note_with_the_field_named(client, place, member):
    room = bf.room(place, slug="salle-api")
    bf.rules(room)
    client.force_login(member)
    body = {
        "place": place.slug,
        "space": room.slug,
        "start": "2027-01-11T09:00:00+01:00",
        "end": "2027-01-11T10:00:00+01:00",
        "note": "x" * (NOTE_MAX + 1),
    }
    response = client.post("/api/v1/bookings", body, content_type="application/json")
    assert response.status_code == 422 and "note" in response.content.decode()
    assert not Booking.objects.exists()
