"""The team's hand on any booking, decided by the services: booking for a person or an
organisation of the place (the booker recorded), a cancellation by the team giving everything
back whatever the deadline, moves in time and space checked as new bookings, members kept off
others' bookings, and every team action in the audit log and the member's e-mail."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.members import queries
from tierslieux.members.models import Charge, CreditEntry
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

D = Decimal
NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"
ROOM = "room_hours"
Status = Booking.Status


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def place():
    return bf.open_place()


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaune", capacity=6)
    bf.rules(space, cancellation_deadline_hours=24)
    mf.room_rate(space, "member", "hour", "30.00")
    mf.room_rate(space, "non_member", "hour", "40.00")
    return space


@pytest.fixture
def green(place):
    space = bf.room(place, name="Salle Verte", capacity=6)
    bf.rules(space)
    return space


@pytest.fixture
def member(place):
    """A person with a plan at the place and 2 room hours of credit."""
    user = pf.member(place)
    mf.subscription(mf.product(place, "plan"), person=user.person, start=date(2026, 1, 1))
    credits.add_purchase(person=user.person, place=place, wallet=ROOM, quantity="2")
    return user


@pytest.fixture
def team(place):
    return pf.coordinator(place)


def book(actor, space, day=MON, start=10, end=13, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), now=NOW, **kw
    )


def last_audit(action):
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


# --- Booking for someone -----------------------------------------------------------------------


def test_the_team_books_for_a_member_who_pays_and_is_told(
    place, room, member, team, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(team, room, person=member.person)
    assert (booking.person, booking.booked_by) == (member.person, team)
    assert booking.credits_used == D("2") and booking.price_net == D("30.00")
    assert queries.balance(member.person, place, ROOM) == 0
    entry = last_audit("booking.create")
    assert entry.actor == team and entry.changes["person"] == member.person.pk
    assert entry.changes["by_team"] is True
    assert "The place's team made this booking for you." in mail.outbox[-1].body


def test_the_team_books_for_a_resident_organisation(place, room, team):
    org = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    booking = book(team, room, organisation=org)
    assert booking.person is None and booking.booked_by == team
    assert booking.title == "Atelier Vélo" and booking.status == Status.CONFIRMED
    assert booking.organisation == org and booking.price_net == D("120.00")  # its rates
    assert Charge.objects.get().customer.organisation == org
    assert last_audit("booking.create").changes["organisation"] == org.pk
    titled = book(team, room, start=14, end=15, organisation=org.pk, title="AG annuelle")
    assert titled.title == "AG annuelle"


def test_an_organisation_unknown_to_the_place_is_refused_and_nothing_is_written(
    place, room, team, other_place
):
    stranger = af.organisation()
    PlaceRole.objects.create(place=other_place, organisation=stranger, role="member")
    with pytest.raises(ValidationError) as error:
        book(team, room, organisation=stranger)
    assert "organisation" in error.value.error_dict
    assert not Booking.objects.exists()


def test_a_member_cannot_book_for_an_organisation_nor_another_person(place, room, member):
    """Not for an organisation they do not belong to (their own: `test_org_bookings_service`)."""
    org = af.organisation()
    PlaceRole.objects.create(place=place, organisation=org, role="member")
    with pytest.raises(ValidationError):
        book(member, room, organisation=org)
    with pytest.raises(PermissionDenied):
        book(member, room, person=pf.member(place).person)
    assert not Booking.objects.exists()


def test_the_team_books_past_the_notice_and_horizon_but_not_over_another(place, room, team):
    bf.rules(room, notice_minutes=60 * 24 * 30, horizon_days=1)
    booking = book(team, room, person=pf.member(place).person)
    assert booking.status == Status.CONFIRMED
    with pytest.raises(services.BookingConflict) as conflict:
        book(team, room, start=11, end=12, person=pf.member(place).person)
    assert "This slot is taken" in conflict.value.messages[0]


# --- Cancelling ---------------------------------------------------------------------------------


def test_the_team_cancels_past_the_deadline_and_everything_comes_back(
    place, room, member, team, django_capture_on_commit_callbacks
):
    member.language = "en"
    member.save(update_fields=["language"])
    booking = book(member, room)
    assert queries.balance(member.person, place, ROOM) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(
            actor=team, booking=booking, reason="Dégât des eaux", now=at(MON, 9)
        )
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (Status.CANCELLED, "Dégât des eaux")
    assert queries.balance(member.person, place, ROOM) == D("2")
    assert CreditEntry.objects.filter(reason="refund").count() == 1
    assert Charge.objects.get().voided_at is not None
    entry = last_audit("booking.cancel")
    assert entry.actor == team
    assert entry.changes == {"reason": "Dégât des eaux", "by_team": True, "given_back": True}
    body = mail.outbox[-1].body
    assert "The place's team cancelled it." in body
    assert "any credits used are given back" in body
    assert "Reason: Dégât des eaux" in body


def test_a_member_cannot_cancel_late_and_keeps_everything_billed(place, room, member):
    booking = book(member, room)
    with pytest.raises(ValidationError) as error:
        services.cancel_booking(actor=member, booking=booking, now=at(MON, 9))
    assert error.value.code == "deadline"
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED
    assert not CreditEntry.objects.filter(reason="refund").exists()


def test_a_team_member_cancelling_their_own_booking_late_follows_the_rules(place, room, team):
    credits.add_purchase(person=team.person, place=place, wallet=ROOM, quantity="3")
    booking = book(team, room)
    services.cancel_booking(actor=team, booking=booking, now=at(MON, 9))
    assert not CreditEntry.objects.filter(reason="refund").exists()
    assert last_audit("booking.cancel").changes["given_back"] is False


def test_members_cannot_cancel_nor_move_anothers_booking(place, room, member):
    booking = book(member, room)
    other = pf.member(place)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(actor=other, booking=booking, now=NOW)
    with pytest.raises(PermissionDenied):
        services.move_booking(
            actor=other, booking=booking, start=at(MON, 15), end=at(MON, 16), now=NOW
        )
    booking.refresh_from_db()
    assert (booking.status, booking.start) == (Status.CONFIRMED, at(MON, 10))


# --- Moving -------------------------------------------------------------------------------------


def test_the_team_moves_to_another_space_and_time_priced_again(place, room, green, member, team):
    booking = book(member, room)
    moved = services.move_booking(
        actor=team, booking=booking, start=at(MON, 14), end=at(MON, 15), space=green, now=NOW
    )
    moved.refresh_from_db()
    assert (moved.space, moved.start, moved.end) == (green, at(MON, 14), at(MON, 15))
    assert moved.price_net is None  # the green room has no rate
    assert queries.balance(member.person, place, ROOM) == D("2")
    changes = last_audit("booking.move").changes
    assert (changes["space_from"], changes["space"], changes["by_team"]) == (
        room.pk,
        green.pk,
        True,
    )


def test_a_move_onto_a_taken_slot_is_refused_and_changes_nothing(place, room, green, team):
    booking = book(team, room, person=pf.member(place).person)
    book(team, green, start=14, end=16, person=pf.member(place).person)
    book(team, room, start=15, end=17, person=pf.member(place).person)
    for space in (green, room):
        with pytest.raises(services.BookingConflict):
            services.move_booking(
                actor=team,
                booking=booking,
                start=at(MON, 15),
                end=at(MON, 16),
                space=space,
                now=NOW,
            )
    booking.refresh_from_db()
    assert (booking.space, booking.start) == (room, at(MON, 10))


def test_a_room_moved_to_another_takes_its_machine_blocks_along(place, room, green, team):
    machine = bf.room(place, name="Imprimante 3D", kind="machine", inside=green)
    bf.rules(machine)
    booking = book(team, room, person=pf.member(place).person)
    services.move_booking(
        actor=team, booking=booking, start=at(MON, 10), end=at(MON, 12), space=green, now=NOW
    )
    block = Booking.objects.get(blocked_by=booking)
    assert (block.space, block.start, block.end) == (machine, at(MON, 10), at(MON, 12))


def test_a_space_of_another_place_is_refused(place, room, team, other_place):
    elsewhere = bf.room(bf.open_every_day(other_place))
    booking = book(team, room, person=pf.member(place).person)
    with pytest.raises(ValidationError) as error:
        services.move_booking(
            actor=team, booking=booking, start=at(MON, 10), end=at(MON, 11), space=elsewhere
        )
    assert "space" in error.value.error_dict
