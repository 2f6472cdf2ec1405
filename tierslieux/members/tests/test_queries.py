"""Read helpers: wallets by kind of space, balances, membership on a day, passes, rate cards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tierslieux.members import queries
from tierslieux.members.models import CreditEntry, Pass
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as f
from tierslieux.places.models import Space

D = Decimal


@pytest.fixture
def person():
    return f.user().person


@pytest.mark.parametrize(
    ("kind", "wallet"),
    [
        (Space.Kind.MACHINE, "machine_hours"),
        (Space.Kind.DESK, "desk_days"),
        (Space.Kind.COWORKING, "desk_days"),
        (Space.Kind.MEETING_ROOM, "room_hours"),
        (Space.Kind.MULTIPURPOSE_ROOM, "room_hours"),
        (Space.Kind.WORKSHOP, "room_hours"),
        (Space.Kind.WELLBEING, "room_hours"),
        (Space.Kind.OUTDOOR, "room_hours"),
        (Space.Kind.OTHER, "room_hours"),
    ],
)
def test_each_kind_of_space_spends_one_wallet(kind, wallet):
    assert queries.wallet_for_space_kind(kind) == wallet


def test_balances_list_every_wallet_and_stay_within_the_place(place, person):
    other = f.place()
    credits.add_purchase(person=person, place=place, wallet="desk_days", quantity="3")
    credits.add_purchase(person=person, place=other, wallet="desk_days", quantity="7")
    credits.add_purchase(person=f.user().person, place=place, wallet="desk_days", quantity="9")
    assert queries.balances(person, place) == {
        "room_hours": 0,
        "machine_hours": 0,
        "desk_days": D("3"),
    }
    assert queries.balance(person, place, "room_hours") == 0
    assert queries.balance(person, place, "desk_days") == D("3")


def test_available_leaves_out_credits_past_their_last_day(place, person):
    CreditEntry.objects.create(
        place=place,
        person=person,
        wallet="room_hours",
        quantity=D("4"),
        reason="purchase",
        expires_on=date(2027, 1, 31),
    )
    assert queries.available(person, place, "room_hours", date(2027, 1, 31)) == D("4")
    assert queries.available(person, place, "room_hours", date(2027, 2, 1)) == 0
    assert queries.balance(person, place, "room_hours") == D("4")  # until the job runs


def test_a_plan_or_a_membership_makes_a_member_between_its_start_and_end(place, person):
    f.subscription(
        f.product(place, "membership"),
        person=person,
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
    )
    assert not queries.is_member(person, place, date(2026, 12, 31))
    assert queries.is_member(person, place, date(2027, 1, 1))
    assert queries.is_member(person, place, date(2027, 12, 31))
    assert not queries.is_member(person, place, date(2028, 1, 1))
    assert not queries.is_member(person, f.place(), date(2027, 6, 1))


def test_a_pack_or_a_pass_does_not_make_a_member(place, person):
    Pass.objects.create(
        place=place,
        person=person,
        product=f.product(place, "pass"),
        valid_from=date(2027, 1, 1),
        valid_until=date(2027, 1, 1),
    )
    assert not queries.is_member(person, place, date(2027, 1, 1))


def test_the_people_of_a_member_organisation_are_members(place, person):
    company = f.organisation()
    company.people.add(person)
    f.subscription(f.product(place, "plan"), organisation=company, start=date(2027, 1, 1))
    assert queries.is_member(person, place, date(2027, 3, 1))
    assert not queries.is_member(f.user().person, place, date(2027, 3, 1))


def test_active_pass_is_the_one_valid_that_day(place, person):
    product = f.product(place, "pass")
    week = Pass.objects.create(
        place=place,
        person=person,
        product=product,
        valid_from=date(2027, 1, 4),
        valid_until=date(2027, 1, 10),
    )
    assert queries.active_pass(person, place, date(2027, 1, 3)) is None
    assert queries.active_pass(person, place, date(2027, 1, 10)) == week
    assert queries.active_pass(person, f.place(), date(2027, 1, 5)) is None


def test_rate_card_maps_audience_and_unit_to_price_and_tax(place):
    room = f.space(place)
    f.room_rate(room, "member", "hour", "10.00", "vat_20")
    f.room_rate(room, "non_member", "day", "120.00", "vat_10")
    f.room_rate(f.space(place), "member", "hour", "99.00")
    assert queries.rate_card(room) == {
        ("member", "hour"): (D("10.00"), "vat_20"),
        ("non_member", "day"): (D("120.00"), "vat_10"),
    }
