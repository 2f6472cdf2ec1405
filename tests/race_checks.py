"""The checks of `test_registration_concurrency` once every writer has committed.

The state, in SQL: seats held against the event's capacity, the waiting list against the
seats left, the timestamps a promotion leaves. The history, from the audit log: the service
writes each entry while it holds the event's row, so entry ids follow the order in which the
locks were granted, and PostgreSQL's `xmin` groups them by transaction (a cancellation with
the promotions it made); replaying them one by one tells whether each decision is the one a
lone writer would have made (`replay`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db import connection

from tierslieux.core.models import AuditEntry
from tierslieux.events.models import Event, Registration

Status = Registration.Status
REGISTER, CONFIRM = "event.register", "event.registration_confirm"
CANCEL, PROMOTE, UPDATE = "event.registration_cancel", "event.waitlist_promote", "event.update"

# A date (or a course: no session) holding more seats than its event has.
OVERSUBSCRIBED_SQL = """
SELECT r.event_id, r.session_id, SUM(r.seats) AS held, e.capacity
FROM events_registration r JOIN events_event e ON e.id = r.event_id
WHERE r.status = 'confirmed' AND r.source <> 'walk_in'
GROUP BY r.event_id, r.session_id, e.capacity
HAVING SUM(r.seats) > e.capacity
"""

# A waitlisted registration whose seats fit in the seats left, before its date starts: the
# seats freed were not given on.
STRANDED_SQL = """
WITH held AS (
  SELECT event_id, COALESCE(session_id, 0) AS slot, SUM(seats) AS n
  FROM events_registration
  WHERE status = 'confirmed' AND source <> 'walk_in'
  GROUP BY event_id, COALESCE(session_id, 0)
)
SELECT w.id, w.seats, e.capacity - COALESCE(h.n, 0) AS free
FROM events_registration w
JOIN events_event e ON e.id = w.event_id
LEFT JOIN held h ON h.event_id = w.event_id AND h.slot = COALESCE(w.session_id, 0)
WHERE w.status = 'waitlisted' AND e.status = 'published'
  AND w.seats <= e.capacity - COALESCE(h.n, 0)
  AND %s < COALESCE(
    (SELECT s.start FROM events_session s WHERE s.id = w.session_id),
    (SELECT MIN(s.start) FROM events_session s
     WHERE s.event_id = w.event_id AND s.cancelled_at IS NULL))
"""

# Rows whose timestamps contradict their status: a seat without its confirmation time, a
# promotion (waitlisted, then confirmed) without `promoted_at`, a `promoted_at` out of a queue.
UNTRACED_SQL = """
SELECT id, status, queued_at, confirmed_at, promoted_at, cancelled_at
FROM events_registration
WHERE (status = 'confirmed' AND confirmed_at IS NULL)
   OR (status = 'confirmed' AND queued_at IS NOT NULL AND promoted_at IS NULL)
   OR (promoted_at IS NOT NULL
       AND (queued_at IS NULL OR confirmed_at IS DISTINCT FROM promoted_at))
   OR (status = 'waitlisted' AND (queued_at IS NULL OR confirmed_at IS NOT NULL))
   OR (status = 'cancelled' AND cancelled_at IS NULL)
"""


def _rows(sql: str, *params: Any) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def oversubscribed() -> list[tuple]:
    return _rows(OVERSUBSCRIBED_SQL)


def stranded(now: datetime) -> list[tuple]:
    return _rows(STRANDED_SQL, now)


def untraced() -> list[tuple]:
    return _rows(UNTRACED_SQL)


def promoted_ids(event_pk: int) -> list[int]:
    return sorted(
        pk
        for (pk,) in _rows(
            "SELECT id FROM events_registration WHERE event_id = %s AND promoted_at IS NOT NULL",
            event_pk,
        )
    )


class Told(Protocol):
    """What one writer was told by the service: each registration's status, its cancellations."""

    told: dict[int, str]
    cancelled: set[int]


def lost(event: Event, writers: Iterable[Told]) -> list[str]:
    """Registrations written but never told of, told of but missing, or in another state than
    the one told (a seat held is kept; a place in the queue may have become a seat)."""
    final = dict(Registration.objects.filter(event=event).values_list("pk", "status"))
    problems = []
    told_of: set[int] = set()
    for writer in writers:
        for pk, status in writer.told.items():
            told_of.add(pk)
            allowed: set[str] = {status}
            if pk in writer.cancelled:
                allowed = {Status.CANCELLED}
            elif status == Status.WAITLISTED:
                allowed = {Status.WAITLISTED, Status.CONFIRMED}
            if final.get(pk) not in allowed:
                problems.append(f"#{pk}: told {status}, is {final.get(pk)}")
    problems += [f"#{pk}: written, never told" for pk in set(final) - told_of]
    return problems


@dataclass
class Replay:
    """What the audit log's replay found, and its figures (for non-vacuous asserts)."""

    capacity: int
    problems: list[str] = field(default_factory=list)
    waitlisted: int = 0  # decisions to put a registration in the queue
    freed: int = 0  # cancellations of registrations holding seats
    promoted: list[int] = field(default_factory=list)
    by_capacity: list[int] = field(default_factory=list)  # promoted by a larger capacity


class Ledger:
    """One event's registrations as a lone writer sees them, step by step."""

    def __init__(self, event_pk: int) -> None:
        self.rows = {r.pk: r for r in Registration.objects.filter(event_id=event_pk)}
        self.status: dict[int, str] = {}

    def held(self, slot: int | None) -> int:
        return sum(
            self.rows[pk].seats
            for pk, status in self.status.items()
            if status == Status.CONFIRMED and self.rows[pk].session_id == slot
        )

    def fair_promotions(self, slot: int | None, capacity: int) -> list[int]:
        """The waiting list in its order, each registration whose seats fit (the rule)."""
        free, chosen = capacity - self.held(slot), []
        queue = [
            self.rows[pk]
            for pk, status in self.status.items()
            if status == Status.WAITLISTED and self.rows[pk].session_id == slot
        ]
        for row in sorted(queue, key=lambda r: (r.queued_at, r.pk)):
            if free <= 0:
                break
            if row.seats <= free:
                chosen.append(row.pk)
                free -= row.seats
        return chosen

    def slots(self) -> set[int | None]:
        return {row.session_id for row in self.rows.values()}


def transactions(event_pk: int) -> list[list[tuple[int, str, dict[str, Any]]]]:
    """The event's audit entries in lock order, grouped by the transaction that wrote them
    (PostgreSQL's `xmin`): a cancellation and its promotions, a larger capacity and its."""
    xmin = dict(
        _rows(
            "SELECT id, xmin::text FROM core_auditentry"
            " WHERE object_type = 'events.event' AND object_id = %s",
            str(event_pk),
        )
    )
    entries = AuditEntry.objects.filter(object_type="events.event", object_id=str(event_pk))
    groups: list[list[tuple[int, str, dict[str, Any]]]] = []
    last = None
    for entry_id, action, changes in entries.order_by("id").values_list("id", "action", "changes"):
        if xmin[entry_id] != last:
            groups.append([])
            last = xmin[entry_id]
        groups[-1].append((entry_id, action, changes))
    return groups


def replay(event_pk: int, capacity: int) -> Replay:
    """Replay the event's transactions in lock order against the rules (see the module)."""
    ledger, found = Ledger(event_pk), Replay(capacity)

    def promote(entry_id: int, pks: list[int], slot: int | None, why: str) -> None:
        expected = ledger.fair_promotions(slot, found.capacity)
        if pks != expected:
            found.problems.append(f"audit #{entry_id} ({why}): promoted {pks}, rule {expected}")
        for pk in pks:
            ledger.status[pk] = Status.CONFIRMED
        found.promoted += pks

    for group in transactions(event_pk):
        first_id = group[0][0]
        actions = [action for _, action, _ in group]
        promotions = [(i, c["registrations"]) for i, a, c in group if a == PROMOTE]
        if actions[0] in (REGISTER, CONFIRM):
            pk, status = group[0][2]["registration"], group[0][2]["status"]
            row = ledger.rows[pk]
            fits = row.seats <= found.capacity - ledger.held(row.session_id)
            if (status == Status.CONFIRMED and not fits) or (status == Status.WAITLISTED and fits):
                found.problems.append(f"audit #{first_id}: #{pk} {status}, seats fit: {fits}")
            found.waitlisted += status == Status.WAITLISTED
            ledger.status[pk] = status
        elif actions[0] == CANCEL:
            pk = group[0][2]["registration"]
            held = ledger.status.get(pk) == Status.CONFIRMED
            found.freed += held
            ledger.status[pk] = Status.CANCELLED
            slot = ledger.rows[pk].session_id
            pks = [pk for _, some in promotions for pk in some]
            if held or pks:
                promote(first_id, pks, slot, "cancellation" if held else "nothing freed")
        elif actions[-1] == UPDATE and "capacity" in group[-1][2]:
            found.capacity = group[-1][2]["capacity"]
            for entry_id, pks in promotions:
                promote(entry_id, pks, ledger.rows[pks[0]].session_id, "capacity")
                found.by_capacity += pks
            if any(ledger.fair_promotions(slot, found.capacity) for slot in ledger.slots()):
                found.problems.append(f"audit #{first_id}: capacity raised, queue left waiting")
        elif promotions:
            found.problems.append(f"audit #{first_id}: promotions in {actions}")
        for slot in ledger.slots():
            if ledger.held(slot) > found.capacity:
                found.problems.append(f"audit #{first_id}: {ledger.held(slot)} seats held")
    found.promoted.sort()
    return found
