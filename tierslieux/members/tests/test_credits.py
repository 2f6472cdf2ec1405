"""The credit ledger's services: grants once per cycle, consumption never below zero, refunds
and expiries once, adjustments by the team only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from tierslieux.core.models import AuditEntry
from tierslieux.members import queries
from tierslieux.members.models import CreditEntry, SubscriptionPause
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source

D = Decimal
ROOM = "room_hours"


@pytest.fixture
def person():
    return f.user().person


def plan_subscription(place, person, **product_fields):
    return f.subscription(f.product(place, "plan", **product_fields), person=person)


def test_a_cycle_grants_the_plans_allowance_until_the_end_of_the_period(place, person):
    sub = plan_subscription(place, person, credits=D("10"))
    entry = credits.grant_cycle(
        subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
    )
    assert entry is not None
    assert (entry.reason, entry.quantity, entry.wallet) == ("grant", D("10"), ROOM)
    assert entry.expires_on == date(2027, 1, 31)
    assert queries.balance(person, place, ROOM) == D("10")


def test_granting_a_cycle_twice_returns_the_first_grant(place, person):
    sub = plan_subscription(place, person)
    first = credits.grant_cycle(
        subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
    )
    again = credits.grant_cycle(
        subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
    )
    assert again == first
    assert CreditEntry.objects.count() == 1


def test_a_grant_racing_another_meets_the_database_and_returns_the_winner(
    place, person, monkeypatch
):
    sub = plan_subscription(place, person)
    winner = CreditEntry.objects.create(
        place=place,
        person=person,
        wallet=ROOM,
        quantity=D("10"),
        reason="grant",
        subscription=sub,
        period_start=date(2027, 1, 1),
        expires_on=date(2027, 1, 31),
    )
    # The racing writer did not see the winner's row before inserting.
    real = credits._grant_of
    calls = iter([None])
    monkeypatch.setattr(credits, "_grant_of", lambda *a: next(calls, None) or real(*a))
    assert (
        credits.grant_cycle(
            subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
        )
        == winner
    )
    assert CreditEntry.objects.count() == 1


def test_a_product_without_credits_grants_nothing(place, person):
    sub = plan_subscription(place, person, wallet="", credits=None)
    assert (
        credits.grant_cycle(
            subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
        )
        is None
    )


def test_a_month_paused_whole_grants_nothing_a_month_paused_in_part_grants_all(place, person):
    sub = plan_subscription(place, person)
    SubscriptionPause.objects.create(
        subscription=sub, start=date(2026, 12, 20), end=date(2027, 1, 10)
    )
    SubscriptionPause.objects.create(
        subscription=sub, start=date(2027, 1, 11), end=date(2027, 2, 5)
    )
    assert (
        credits.grant_cycle(
            subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
        )
        is None
    )
    february = credits.grant_cycle(
        subscription=sub, period_start=date(2027, 2, 1), period_end=date(2027, 2, 28)
    )
    assert february is not None and february.quantity == D("10")


def test_granting_many_cycles_at_once_follows_the_single_grant_s_rules(place, person):
    """`grant_cycles` (the bill run's) grants what `grant_cycle` would, cycle by cycle: not
    twice, not without credits or holder, not for a cycle paused whole."""
    jan, feb = (date(2027, 1, 1), date(2027, 1, 31)), (date(2027, 2, 1), date(2027, 2, 28))
    holder = plan_subscription(place, person)
    paused = plan_subscription(place, f.user().person)
    SubscriptionPause.objects.create(subscription=paused, start=date(2027, 1, 1), end=jan[1])
    without = plan_subscription(place, f.user().person, wallet="", credits=None)
    nobody = f.subscription(f.product(place, "plan"), person=None, organisation=f.organisation())
    already = credits.grant_cycle(subscription=holder, period_start=jan[0], period_end=jan[1])
    wanted = [
        credits.Cycle(sub, *period)
        for sub in (holder, paused, without, nobody)
        for period in (jan, feb)
    ]
    written = credits.grant_cycles([*wanted, credits.Cycle(holder, *feb)])
    assert [(e.subscription, e.period_start) for e in written] == [
        (holder, feb[0]),
        (paused, feb[0]),
    ]
    assert credits.grant_cycles(wanted) == []
    assert CreditEntry.objects.filter(reason="grant").count() == 3
    assert AuditEntry.objects.filter(action="credits.grant").count() == 3
    alone = credits.grant_cycle(subscription=holder, period_start=feb[0], period_end=feb[1])
    assert alone == written[0] and already is not None
    assert (alone.quantity, alone.expires_on, alone.product) == (D("10"), feb[1], holder.product)


def test_consuming_more_than_the_balance_is_refused_with_the_balance(place, person):
    credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="2")
    with pytest.raises(ValidationError) as error:
        credits.consume(person=person, place=place, wallet=ROOM, quantity="3", source="booking:1")
    assert error.value.code == "not_enough_credits"
    assert "2" in error.value.messages[0] and "Room hours" in error.value.messages[0]
    assert CreditEntry.objects.filter(reason="consume").count() == 0
    assert queries.balance(person, place, ROOM) == D("2")


def test_consuming_uses_credits_within_the_balance(place, person):
    credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="5")
    entry = credits.consume(
        person=person, place=place, wallet=ROOM, quantity="1.5", source="booking:7"
    )
    assert (entry.quantity, entry.source) == (D("-1.5"), "booking:7")
    assert queries.balances(person, place) == {
        "room_hours": D("3.5"),
        "machine_hours": D("0"),
        "desk_days": D("0"),
    }


def test_credits_past_their_last_day_cannot_be_used(place, person):
    credits.add_purchase(
        person=person, place=place, wallet=ROOM, quantity="5", expires_on=date(2020, 1, 31)
    )
    with pytest.raises(ValidationError):
        credits.consume(person=person, place=place, wallet=ROOM, quantity="1", source="x")
    # The refusal left nothing behind, not even the expiry (one transaction).
    assert queries.balance(person, place, ROOM) == D("5")


def test_a_refund_gives_the_credits_back_once(place, person):
    credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="5")
    used = credits.consume(person=person, place=place, wallet=ROOM, quantity="3", source="b:1")
    first = credits.refund(consumption=used)
    again = credits.refund(consumption=used)
    assert first == again
    assert (first.reason, first.quantity, first.reverses_id) == ("refund", D("3"), used.pk)
    assert queries.balance(person, place, ROOM) == D("5")
    assert queries.consumption(place, "b:1") is None


def test_only_a_consumption_can_be_refunded(place, person):
    bought = credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="5")
    with pytest.raises(ValidationError) as error:
        credits.refund(consumption=bought)
    assert error.value.code == "not_a_consumption"


def test_expire_due_takes_what_is_left_of_past_lots_once(place, person):
    sub = plan_subscription(place, person)
    credits.grant_cycle(
        subscription=sub, period_start=date(2027, 1, 1), period_end=date(2027, 1, 31)
    )
    lasting = credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="4")
    CreditEntry.objects.create(
        place=place, person=person, wallet=ROOM, quantity=D("-3"), reason="consume", source="b"
    )
    assert credits.expire_due(today=date(2027, 1, 31)) == 0
    assert credits.expire_due(today=date(2027, 2, 1)) == 1
    assert credits.expire_due(today=date(2027, 2, 1)) == 0
    expiry = CreditEntry.objects.get(reason="expire")
    assert expiry.quantity == D("-7")  # 10 granted, 3 used first from the grant
    assert queries.balance(person, place, ROOM) == lasting.quantity


def test_expire_due_can_be_limited_to_one_place(place, person):
    other = f.place()
    for where in (place, other):
        credits.add_purchase(
            person=person, place=where, wallet=ROOM, quantity="1", expires_on=date(2027, 1, 1)
        )
    assert credits.expire_due(today=date(2027, 2, 1), place=other) == 1
    assert queries.balance(person, place, ROOM) == 1
    assert queries.balance(person, other, ROOM) == 0


def test_a_refund_of_credits_from_an_expired_lot_expires_at_once(place, person):
    def row(**fields):
        return CreditEntry.objects.create(place=place, person=person, wallet=ROOM, **fields)

    lot = row(quantity=D("5"), reason="purchase", expires_on=date(2020, 1, 31))
    used = row(quantity=D("-2"), reason="consume", source="b:2")  # in January 2020
    row(quantity=D("-3"), reason="expire", reverses=lot)  # the periodic job, in February
    credits.refund(consumption=used)
    assert queries.balance(person, place, ROOM) == 0
    late = CreditEntry.objects.filter(reason="expire").latest("id")
    assert (late.quantity, late.reverses.reason) == (D("-2"), "refund")


def test_the_ledger_is_append_only(place, person):
    entry = credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="1")
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    entries = CreditEntry.objects.filter(pk=entry.pk)
    with pytest.raises(ValidationError) as caught:
        entries.update(quantity=D("5"))
    assert caught.value.code == "append_only"
    with pytest.raises(ValidationError):
        entries.delete()
    with pytest.raises(ValidationError):
        CreditEntry.objects.bulk_update([entry], ["note"])
    entry.refresh_from_db()
    assert entry.quantity == D("1")


# The append-only trigger exists on PostgreSQL only: the SQLite pass leaves these tests out.
on_postgresql = pytest.mark.postgres_only


@on_postgresql
def test_the_database_refuses_a_raw_update_or_delete_of_the_ledger(place, person):
    entry = credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="1")
    for sql in (
        "UPDATE members_creditentry SET quantity = 5 WHERE id = %s",
        "DELETE FROM members_creditentry WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append_only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.quantity == D("1")


@on_postgresql
def test_a_deleted_user_leaves_the_entries_they_wrote_with_no_author(place, person):
    author = f.coordinator(place)
    entry = credits.adjust(
        actor=author, person=person, place=place, wallet=ROOM, quantity="2", note="Welcome"
    )
    author.delete()
    entry.refresh_from_db()
    assert (entry.created_by, entry.quantity) == (None, D("2"))


def test_bad_quantities_are_refused(place, person):
    with pytest.raises(ValidationError) as error:
        credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="-1")
    assert error.value.code == "not_positive"
    with pytest.raises(ValidationError) as error:
        credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="0.001")
    assert error.value.code == "quantity_decimals"
    with pytest.raises(ValidationError) as error:
        credits.add_purchase(person=person, place=place, wallet="beer", quantity="1")
    assert error.value.code == "unknown_wallet"
    assert not CreditEntry.objects.exists()


def test_the_team_adjusts_credits_with_a_note(place, person):
    boss = f.coordinator(place)
    entry = credits.adjust(
        actor=boss, person=person, place=place, wallet=ROOM, quantity="2", note="Gesture"
    )
    assert (entry.reason, entry.quantity, entry.note, entry.created_by) == (
        "adjust",
        D("2"),
        "Gesture",
        boss,
    )
    with pytest.raises(ValidationError) as error:
        credits.adjust(
            actor=boss, person=person, place=place, wallet=ROOM, quantity="-3", note="Oops"
        )
    assert error.value.code == "not_enough_credits"
    with pytest.raises(ValidationError) as error:
        credits.adjust(actor=boss, person=person, place=place, wallet=ROOM, quantity="1", note="")
    assert error.value.code == "note_required"
    credits.adjust(actor=boss, person=person, place=place, wallet=ROOM, quantity="-2", note="Fix")
    assert queries.balance(person, place, ROOM) == 0


def test_a_member_or_an_outsider_cannot_adjust_credits(place, person):
    for who in (f.member(place), f.staff(place), f.user()):
        with pytest.raises(PermissionDenied):
            credits.adjust(
                actor=who, person=person, place=place, wallet=ROOM, quantity="5", note="Me"
            )
    assert not CreditEntry.objects.exists()


def test_the_database_refuses_a_second_refund_of_one_consumption(place, person):
    credits.add_purchase(person=person, place=place, wallet=ROOM, quantity="5")
    used = credits.consume(person=person, place=place, wallet=ROOM, quantity="1", source="b")
    credits.refund(consumption=used)
    with pytest.raises(IntegrityError):
        CreditEntry.objects.create(
            place=place, person=person, wallet=ROOM, quantity=1, reason="refund", reverses=used
        )


def test_the_credits_tick_command_expires_due_credits_per_place(place, person):
    credits.add_purchase(
        person=person, place=place, wallet=ROOM, quantity="1", expires_on=date(2020, 1, 1)
    )
    out = StringIO()
    call_command("credits_tick", stdout=out)
    assert "expired=1" in out.getvalue()
    assert queries.balance(person, place, ROOM) == 0
