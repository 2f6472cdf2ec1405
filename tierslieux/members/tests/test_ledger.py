"""The ledger replayed in memory: first to expire, first used; expiries; refunds."""

from __future__ import annotations

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest

from tierslieux.members.ledger import Due, Entry, replay

pytestmark = pytest.mark.pure

D = Decimal
JAN_31 = date(2027, 1, 31)
FEB_28 = date(2027, 2, 28)
DEC_31 = date(2027, 12, 31)


def grant(i: int, quantity: str, expires_on: date | None = JAN_31) -> Entry:
    return Entry(i, "grant", D(quantity), expires_on)


def purchase(i: int, quantity: str, expires_on: date | None = None) -> Entry:
    return Entry(i, "purchase", D(quantity), expires_on)


def consume(i: int, quantity: str) -> Entry:
    return Entry(i, "consume", -D(quantity))


def refund(i: int, of: Entry) -> Entry:
    return Entry(i, "refund", -of.quantity, reverses=of.id)


def expire(i: int, lot: int, quantity: str) -> Entry:
    return Entry(i, "expire", -D(quantity), reverses=lot)


def test_a_consumption_uses_the_lot_that_expires_first_whatever_its_age():
    state = replay([purchase(1, "10", DEC_31), grant(2, "5", JAN_31), consume(3, "3")])
    assert state.drawn[3] == [(2, D("3"))]
    assert state.remaining == {1: D("10"), 2: D("2")}
    assert state.balance == D("12")


def test_a_lot_without_expiry_is_used_last():
    state = replay([purchase(1, "4", None), grant(2, "2", FEB_28), consume(3, "3")])
    assert state.drawn[3] == [(2, D("2")), (1, D("1"))]


def test_equal_expiry_dates_use_the_oldest_lot_first():
    state = replay([grant(1, "2"), grant(2, "2"), consume(3, "3")])
    assert state.drawn[3] == [(1, D("2")), (2, D("1"))]


def test_what_is_left_of_a_lot_past_its_last_day_is_due_to_expire():
    state = replay([grant(1, "10", JAN_31), purchase(2, "5", DEC_31), consume(3, "4")])
    assert state.due(date(2027, 1, 31)) == []  # the last day still counts
    assert state.due(date(2027, 2, 1)) == [Due(reverses=1, quantity=D("-6"), expires_on=JAN_31)]
    assert state.available(date(2027, 2, 1)) == D("5")


def test_a_used_up_lot_has_nothing_to_expire():
    state = replay([grant(1, "2"), consume(2, "2")])
    assert state.due(date(2027, 3, 1)) == []


def test_an_expired_lot_is_closed_and_never_due_again():
    entries = [grant(1, "10"), consume(2, "4"), expire(3, 1, "6")]
    state = replay(entries)
    assert 1 in state.closed
    assert state.balance == 0
    assert state.due(date(2028, 1, 1)) == []


def test_a_refund_gives_back_to_the_lots_the_consumption_used():
    c = consume(3, "6")
    state = replay([grant(1, "4", JAN_31), purchase(2, "10", DEC_31), c, refund(4, c)])
    assert state.remaining == {1: D("4"), 2: D("10")}
    assert state.balance == D("14")
    # The refunded allowance still expires with its month.
    assert state.due(date(2027, 2, 1)) == [Due(1, D("-4"), JAN_31)]


def test_a_refund_after_its_lot_expired_expires_at_once():
    c = consume(2, "3")
    entries = [grant(1, "5", JAN_31), c, expire(3, 1, "2"), refund(4, c)]
    state = replay(entries)
    assert state.balance == D("3")
    assert state.due(date(2027, 2, 2)) == [Due(reverses=4, quantity=D("-3"), expires_on=JAN_31)]
    assert replay([*entries, expire(5, 4, "3")]).balance == 0


def test_a_refund_split_between_an_open_lot_and_an_expired_one():
    c = consume(3, "4")  # 2 from lot 1 (used up), 2 from lot 2 (3 left)
    entries = [grant(1, "2", date(2027, 1, 15)), grant(2, "5", JAN_31), c, expire(4, 2, "3")]
    state = replay([*entries, refund(5, c)])
    assert state.remaining[1] == D("2")  # back to its lot, expires with it
    assert state.remaining[5] == D("2")  # lot 2 is closed: its share stays on the refund
    assert state.due(date(2027, 2, 1)) == [
        Due(1, D("-2"), date(2027, 1, 15)),
        Due(5, D("-2"), JAN_31),
    ]
    assert sum(state.remaining[i] for i in state.open_lots()) + state.free == state.balance


def test_an_expiry_for_more_than_was_left_keeps_the_sums_true():
    state = replay([grant(1, "2"), expire(2, 1, "3"), purchase(3, "5")])
    assert state.balance == D("4")
    assert state.remaining[3] == D("4")  # the next lot pays the excess back
    assert state.free == 0


def test_a_negative_adjustment_draws_like_a_consumption_and_a_positive_one_is_a_lot():
    state = replay(
        [
            Entry(1, "adjust", D("3")),
            grant(2, "2"),
            Entry(3, "adjust", D("-4")),
        ]
    )
    assert state.drawn[3] == [(2, D("2")), (1, D("2"))]
    assert state.balance == D("1")


def test_a_shortfall_is_paid_back_by_the_next_lot():
    state = replay([grant(1, "1"), consume(2, "3"), purchase(3, "5")])
    assert state.drawn[2] == [(1, D("1")), (None, D("2"))]
    assert state.free == 0
    assert state.remaining[3] == D("3")
    assert state.balance == D("3")


def test_the_sums_always_hold_whatever_the_sequence():
    """Random ledgers written the way the services write them: the balance never goes below
    zero, expiries take exactly what is left, and the open lots plus the free credits are the
    balance."""
    rng = random.Random(20270101)
    for _ in range(200):
        ids = itertools.count(1)
        entries: list[Entry] = []
        consumptions: list[Entry] = []
        today = date(2027, 1, 1)
        for _step in range(30):
            for due in replay(entries).due(today):
                entries.append(Entry(next(ids), "expire", due.quantity, reverses=due.reverses))
            state = replay(entries)
            action = rng.choice(["grant", "purchase", "consume", "consume", "refund", "month"])
            if action == "grant":
                last = date(today.year, today.month, 28)
                entries.append(Entry(next(ids), "grant", D(rng.randint(1, 8)), last))
            elif action == "purchase":
                entries.append(Entry(next(ids), "purchase", D(rng.randint(1, 8))))
            elif action == "consume" and state.balance > 0:
                quantity = min(state.available(today), D(rng.randint(1, 5)))
                if quantity > 0:
                    consumptions.append(Entry(next(ids), "consume", -quantity))
                    entries.append(consumptions[-1])
            elif action == "refund" and consumptions:
                taken = consumptions.pop(rng.randrange(len(consumptions)))
                entries.append(Entry(next(ids), "refund", -taken.quantity, reverses=taken.id))
            elif action == "month" and today.month < 12:
                today = date(today.year, today.month + 1, 1)
            state = replay(entries)
            assert state.balance >= 0
            assert state.free == 0
            assert sum(state.remaining[i] for i in state.open_lots()) == state.balance
            assert 0 <= state.available(today) <= state.balance
