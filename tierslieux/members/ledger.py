"""The credit ledger replayed in memory: which lot each consumption drew on, what is left of
each lot and what is due to expire (pure: no ORM; `services.credits` feeds it the rows).

A *lot* is an entry that brings credits: a grant, a purchase, a positive adjustment.
Consumptions (and negative adjustments) draw on the open lots **first to expire first**
(a lot without an expiry date last; equal dates by age), so that a member never loses credits
that a booking could have used. An `expire` entry reverses one lot and takes what is left of
it: the lot is then *closed*.

A refund reverses one consumption and gives back to the lots it drew on, each its share, so
that a refunded credit expires when it would have. The share of a lot that was closed in the
meantime cannot go back to it (its expiry is written, once): that share stays on the refund,
which then acts as a lot already past its date, and is expired by an `expire` entry that
reverses the refund (a refund is reversed at most once, so the ledger's uniqueness holds).

Defensive: if a consumption ever exceeds the open lots (the services refuse it), the shortfall
is recorded as a negative `free` amount that the next lots pay back first; the invariant
`sum(open remaining) + free == balance` always holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
LOT_REASONS = frozenset({"grant", "purchase"})


@dataclass(frozen=True)
class Entry:
    """One ledger row: `id` orders the rows (the order they were written in)."""

    id: int
    reason: str  # grant, purchase, consume, refund, expire, adjust
    quantity: Decimal
    expires_on: date | None = None
    reverses: int | None = None

    @property
    def is_lot(self) -> bool:
        return self.reason in LOT_REASONS or (self.reason == "adjust" and self.quantity > 0)

    @property
    def draws(self) -> bool:
        return self.reason == "consume" or (self.reason == "adjust" and self.quantity < 0)


@dataclass(frozen=True)
class Due:
    """An expiry to write: the entry `reverses` (a lot or a refund) loses `quantity` (< 0)."""

    reverses: int
    quantity: Decimal
    expires_on: date


@dataclass
class State:
    """The ledger after a replay. `remaining` and `expires_on` cover lots and refunds that hold
    credits of closed lots; `drawn` maps each consumption to its (lot id or None, amount)."""

    remaining: dict[int, Decimal] = field(default_factory=dict)
    expires_on: dict[int, date | None] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    drawn: dict[int, list[tuple[int | None, Decimal]]] = field(default_factory=dict)
    free: Decimal = ZERO
    balance: Decimal = ZERO

    def open_lots(self) -> list[int]:
        """Open lots holding credits, in the order consumptions draw on them."""
        held = [i for i, left in self.remaining.items() if left > 0 and i not in self.closed]
        return sorted(held, key=lambda i: (self.expires_on[i] is None, self.expires_on[i], i))

    def due(self, today: date) -> list[Due]:
        """What expires when `today` comes: every open lot whose last day is before today."""
        out = []
        for i in self.open_lots():
            last = self.expires_on[i]
            if last is not None and last < today:
                out.append(Due(reverses=i, quantity=-self.remaining[i], expires_on=last))
        return out

    def available(self, today: date) -> Decimal:
        """The balance once what is due by `today` has expired."""
        return self.balance + sum((d.quantity for d in self.due(today)), ZERO)


def replay(entries: Iterable[Entry]) -> State:
    """Replay one person's entries in one wallet, in the order they were written."""
    state = State()
    for entry in sorted(entries, key=lambda e: e.id):
        state.balance += entry.quantity
        if entry.is_lot:
            _add_lot(state, entry)
        elif entry.draws:
            _draw(state, entry)
        elif entry.reason == "refund":
            _refund(state, entry)
        elif entry.reason == "expire" and entry.reverses is not None:
            target = entry.reverses
            state.remaining[target] = state.remaining.get(target, ZERO) + entry.quantity
            if state.remaining[target] != 0:
                # An expiry written for more or less than was left: keep the sums true.
                state.free += state.remaining[target]
                state.remaining[target] = ZERO
            state.closed.add(target)
    return state


def _add_lot(state: State, entry: Entry) -> None:
    quantity = entry.quantity
    if state.free < 0:  # pay back a shortfall first
        paid = min(quantity, -state.free)
        state.free += paid
        quantity -= paid
    state.remaining[entry.id] = quantity
    state.expires_on[entry.id] = entry.expires_on


def _draw(state: State, entry: Entry) -> None:
    need = -entry.quantity
    parts: list[tuple[int | None, Decimal]] = []
    for lot in state.open_lots():
        if need <= 0:
            break
        taken = min(need, state.remaining[lot])
        state.remaining[lot] -= taken
        parts.append((lot, taken))
        need -= taken
    if need > 0:
        state.free -= need
        parts.append((None, need))
    state.drawn[entry.id] = parts


def _refund(state: State, entry: Entry) -> None:
    parts = state.drawn.get(entry.reverses) if entry.reverses is not None else None
    if parts is None:  # refund of something unknown: it simply adds to the free credits
        state.free += entry.quantity
        return
    # A refund gives back what the consumption drew; a different amount (never written by
    # the services) goes to the free credits so that the sums stay true.
    state.free += entry.quantity - sum((amount for _, amount in parts), ZERO)
    late = ZERO
    late_until = date.max
    for lot, amount in parts:
        if lot is None:
            state.free += amount
        elif lot in state.closed:
            late += amount
            late_until = min(late_until, state.expires_on[lot] or date.min)
        else:
            state.remaining[lot] += amount
    if late > 0:
        state.remaining[entry.id] = late
        state.expires_on[entry.id] = late_until
