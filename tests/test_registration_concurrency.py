"""Waitlist promotion under real concurrency, on PostgreSQL: never more attendees than seats.

Sixteen writer threads, each on its own connection, play seeded rounds against one 10-seat
date (then a course, then a date whose capacity the team raises meanwhile): members register
from the portal, visitors register and confirm their address (two transactions, the seat is
decided at the second), 1 to 3 seats each; in the next rounds those holding seats cancel
some, those waiting give up some, those left with nothing register again. A barrier releases
each round and a seeded jitter shuffles who reaches the event's lock first.

After the run, SQL reads the tables (`race_checks`): no date holds more seats than the event
has, no registration waits while its seats are free, every promotion has its `promoted_at`,
every registration a writer was told of is there in the state it was told. Then the audit
log, written while the event's row is locked and so numbered in the order the locks were
granted, is replayed against the rules: each decision (confirmed or waitlisted, who was
promoted and in which order) is the one a lone writer would have made at that point.

Any exception (a deadlock, a serialisation failure, a refusal nobody expected) fails the test
with its traceback: there is no retry to hide one. On SQLite writers are serialised anyway:
left out. `TIERSLIEUX_RACE_SEED=7` replays other plans.
"""

from __future__ import annotations

import os
import random
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from django.db import connections, transaction

from tests import race_checks
from tierslieux.accounts.models import User
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core import clock
from tierslieux.events import emails, services
from tierslieux.events.models import Event, Registration, Session
from tierslieux.events.tests import factories as ef
from tierslieux.places.models import Place, Space
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.postgres_only

WRITERS = 16
ROUNDS = 4
CAPACITY = 10
RAISED = 14
JITTER = 0.006  # seconds: at most this long before a writer's move in a round
SEED = int(os.environ.get("TIERSLIEUX_RACE_SEED", "2027"))
Status = Registration.Status
# In a round, the chance that someone holding seats, or waiting, lets them go.
ODDS_OF_LEAVING: dict[str, float] = {Status.CONFIRMED: 0.5, Status.WAITLISTED: 0.2}


@dataclass
class Writer:
    """One attendee's thread: a member (from the portal) or a visitor (form, then link)."""

    index: int
    user: User | None
    rng: random.Random
    told: dict[int, str] = field(default_factory=dict)  # registration -> status returned
    cancelled: set[int] = field(default_factory=set)
    tokens: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def call(self, what: str, service: Callable[[], object]) -> object | None:
        """The service's answer, or None with the traceback kept (no retry: shown)."""
        try:
            return service()
        except Exception:
            self.errors.append(f"writer {self.index}, {what}:\n{traceback.format_exc()}")
            return None

    def register(self, event: Event, session: Session | None) -> None:
        seats, user = self.rng.randint(1, 3), self.user
        if user is not None:  # the portal: the member's own person, no link to follow
            outcome = self.call(
                "register",
                lambda: services.register(
                    event=event,
                    session=session,
                    seats=seats,
                    name=f"Membre {self.index}",
                    email="",
                    person=user.person,
                    actor=user,
                ),
            )
            if isinstance(outcome, services.Outcome):
                self.told[outcome.registration.pk] = outcome.registration.status
            return
        outcome = self.call(
            "register",
            lambda: services.register(
                event=event,
                session=session,
                seats=seats,
                name=f"Visiteur {self.index}",
                email=f"visiteur{self.index}@example.org",
            ),
        )
        if not isinstance(outcome, services.Outcome):
            return
        pk, token = outcome.registration.pk, outcome.token
        self.told[pk], self.tokens[pk] = outcome.registration.status, token
        self.pause()  # others move between the form and the link
        confirmed = self.call("confirm", lambda: services.confirm_email(token=token))
        if isinstance(confirmed, Registration):
            self.told[pk] = confirmed.status

    def cancel(self, registration: Registration) -> None:
        """By the attendee: a member logged in, a visitor from the link of their e-mail."""
        pk, user = registration.pk, self.user
        token = "" if user is not None else self.tokens[pk]
        done = self.call(
            "cancel",
            lambda: services.cancel_registration(
                registration=registration, actor=user, token=token
            ),
        )
        if done is not None:
            self.cancelled.add(pk)

    def move(self, event_pk: int, session_pk: int | None) -> None:
        """One round: register when holding nothing; else maybe let the seats or the place in
        the queue go (its status read afresh: someone's cancellation may have promoted it)."""
        event = Event.objects.get(pk=event_pk)
        session = Session.objects.get(pk=session_pk) if session_pk else None
        live = [pk for pk in self.told if pk not in self.cancelled]
        if not live:
            self.register(event, session)
            return
        registration = Registration.objects.get(pk=live[-1])
        odds = ODDS_OF_LEAVING.get(registration.status, 0.0)
        if self.rng.random() < odds:
            self.cancel(registration)

    def pause(self) -> None:
        time.sleep(self.rng.random() * JITTER)


def race(
    writers: list[Writer],
    event: Event,
    session: Session | None,
    team_move: Callable[[int], None] | None = None,
) -> list[str]:
    """Every writer in its own thread and connection, ROUNDS rounds each released together
    (the team too when it has a move to make); returns every traceback seen."""
    barrier = threading.Barrier(len(writers) + (team_move is not None))
    errors: list[str] = []

    def attendee(writer: Writer) -> None:
        try:
            for _ in range(ROUNDS):
                barrier.wait(timeout=60)
                writer.pause()
                writer.move(event.pk, session.pk if session else None)
        except Exception:  # a broken barrier or connection: show it, free the others
            barrier.abort()
            writer.errors.append(f"writer {writer.index}:\n{traceback.format_exc()}")
        finally:
            connections.close_all()

    def team() -> None:
        assert team_move is not None
        try:
            for n in range(ROUNDS):
                barrier.wait(timeout=60)
                team_move(n)
        except Exception:
            barrier.abort()
            errors.append(f"team:\n{traceback.format_exc()}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attendee, args=(w,)) for w in writers]
    if team_move is not None:
        threads.append(threading.Thread(target=team))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors + [e for w in writers for e in w.errors]


def upcoming(days: int, hour: int) -> datetime:
    """A time of day some days ahead of the project's clock, which runs here: the writers'
    timestamps (queued, promoted) are real instants, as in production."""
    return at((clock.today() + timedelta(days=days)).isoformat(), hour)


@pytest.fixture
def team(place: Place) -> User:
    bf.open_every_day(place)
    return pf.coordinator(place)


@pytest.fixture
def hall(place: Place) -> Space:
    return bf.room(place, name="Salle des fêtes", capacity=40)


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """The messages the service had sent, once their transaction committed: (registration,
    kind). Kept, not rendered: the race is about seats, and the links' pages are not part of
    it (nor is a template's error, which would come after the commit)."""
    sent: list[tuple[int, str]] = []

    def notify(registration: Registration, kind: str) -> None:
        pk, kind = registration.pk, kind or registration.status
        transaction.on_commit(lambda: sent.append((pk, kind)))

    monkeypatch.setattr(emails, "notify", notify)
    return sent


@pytest.fixture
def writers(place: Place, notices: list[tuple[int, str]]) -> list[Writer]:
    """Eight members and eight visitors, in a seeded order, each with its own seeded plan."""
    rng = random.Random(SEED)
    kinds = [True] * (WRITERS // 2) + [False] * (WRITERS - WRITERS // 2)
    rng.shuffle(kinds)
    return [
        Writer(i, pf.member(place) if member else None, random.Random(rng.getrandbits(64)))
        for i, member in enumerate(kinds)
    ]


def settle(
    event: Event, writers: list[Writer], errors: list[str], notices: list[tuple[int, str]]
) -> race_checks.Replay:
    """Every check of a finished race; the replay's figures for the caller's own asserts."""
    assert not errors, "\n".join(errors)
    event.refresh_from_db()
    assert race_checks.oversubscribed() == []
    assert race_checks.stranded(clock.now()) == []
    assert race_checks.untraced() == []
    assert race_checks.lost(event, writers) == []
    replay = race_checks.replay(event.pk, CAPACITY)
    assert replay.problems == [], "\n".join(replay.problems)
    assert replay.capacity == event.capacity
    assert race_checks.promoted_ids(event.pk) == replay.promoted
    assert sorted(pk for pk, kind in notices if kind == "promoted") == replay.promoted
    # Not vacuous: the queue was used, held seats were freed and given on.
    assert replay.waitlisted and replay.freed and replay.promoted, replay
    return replay


@pytest.mark.django_db(transaction=True)
def test_sixteen_writers_registering_and_cancelling_for_one_date_never_exceed_its_seats(
    team, place, hall, writers, notices
):
    event, session = ef.published(
        team, place, hall, upcoming(10, 14), upcoming(10, 17), capacity=CAPACITY
    )

    settle(event, writers, race(writers, event, session), notices)


@pytest.mark.django_db(transaction=True)
def test_sixteen_writers_registering_and_cancelling_for_a_course_never_exceed_its_seats(
    team, place, hall, writers, notices
):
    event = ef.event(place, title="Formation", enrolment=Event.Enrolment.SERIES, capacity=CAPACITY)
    ef.session(team, event, hall, upcoming(10, 9), upcoming(10, 17))
    ef.session(team, event, hall, upcoming(11, 9), upcoming(11, 17))
    services.publish_event(actor=team, event=event)

    settle(event, writers, race(writers, event, None), notices)


@pytest.mark.django_db(transaction=True)
def test_a_capacity_raised_while_sixteen_writers_race_promotes_within_the_new_capacity(
    team, place, hall, writers, notices
):
    event, session = ef.published(
        team, place, hall, upcoming(10, 14), upcoming(10, 17), capacity=CAPACITY
    )
    jitter = random.Random(SEED)

    def raise_capacity(round_: int) -> None:
        if round_ == 1:  # the queue is long by then: the new seats go to it at once
            time.sleep(jitter.random() * JITTER)
            services.update_event(actor=team, event=event, capacity=RAISED)

    replay = settle(event, writers, race(writers, event, session, raise_capacity), notices)
    assert event.capacity == RAISED
    assert replay.by_capacity, "the larger capacity promoted nobody"
