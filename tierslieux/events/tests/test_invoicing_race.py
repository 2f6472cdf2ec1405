"""Paid seats under real concurrency, on PostgreSQL: twelve visitors confirm, cancel and are
promoted at once while the team sells and credits at the till of the same place, then the
event is cancelled. Afterwards: numbers without gaps, the hash chain intact, every seat held
invoiced once and never credited, every paid seat given back credited exactly once, nobody
waiting or pending invoiced, and no deadlock (billing's lock order is kept: customers' rows
before the invoice sequence). On SQLite writers are serialised anyway: left out."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections
from django.db.models import Sum

from tierslieux.billing import integrity
from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.services import LineInput, create_credit_note, issue_sale
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core import clock
from tierslieux.events import emails, services
from tierslieux.events.models import Registration
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as pf

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

VISITORS = 12
CAPACITY = 4
Status = Registration.Status


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    """No e-mail rendered nor queued: the race is about numbers and seats."""
    monkeypatch.setattr(emails, "notify", lambda registration, kind: None)
    monkeypatch.setattr("tierslieux.billing.services.delivery._enqueue", lambda ids: None)


def run_together(moves: list[Callable[[], object]]) -> list[str]:
    """Each move in its own thread and connection, released together; the tracebacks."""
    barrier = threading.Barrier(len(moves))
    errors: list[str] = []

    def play(move: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=60)
            move()
        except Exception:
            errors.append(traceback.format_exc())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=play, args=(move,)) for move in moves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def till(coordinator, customer: Customer) -> Callable[[], None]:
    """The team at the till: a sale to a customer, then its credit note (customer's row,
    then the sequence, as billing does)."""

    def sell() -> None:
        for _ in range(3):
            line = LineInput("Café", 1, Decimal("2.00"), "vat_10")
            invoice = issue_sale(actor=coordinator, customer=customer, lines=[line])
            create_credit_note(actor=coordinator, invoice=invoice)

    return sell


def test_paid_seats_stay_invoiced_once_under_concurrent_writers(place):
    bf.open_every_day(place)
    coordinator = pf.coordinator(place)
    room = bf.room(place, name="Salle des fêtes", capacity=40)
    day = (clock.today() + timedelta(days=5)).isoformat()
    event, session = ef.published(
        coordinator, place, room, at(day, 14), at(day, 17), title="Atelier", capacity=CAPACITY
    )
    services.set_price(
        actor=coordinator,
        event=event,
        kind="non_member",
        price_net=Decimal("12"),
        tax_code="vat_20",
    )
    customer = Customer.objects.create(place=place, name="Client du café")
    outcomes = [
        services.register(
            event=event,
            session=session,
            name=f"Visiteur {n}",
            email=f"v{n}@example.org",
            price_kind="non_member",
        )
        for n in range(VISITORS)
    ]

    def confirm(token: str) -> Callable[[], object]:
        return lambda: services.confirm_email(token=token)

    errors = run_together([confirm(o.token) for o in outcomes] + [till(coordinator, customer)])
    assert not errors, "\n".join(errors)
    held = list(Registration.objects.filter(status=Status.CONFIRMED))
    assert sum(r.seats for r in held) == CAPACITY

    def cancel(registration: Registration) -> Callable[[], object]:
        token = emails.token_for(registration)
        return lambda: services.cancel_registration(registration=registration, token=token)

    errors = run_together(
        [cancel(r) for r in held[:3]]
        + [till(coordinator, customer)]
        + [lambda: services.cancel_registration(registration=held[3], actor=coordinator)]
    )
    assert not errors, "\n".join(errors)
    assert Registration.objects.filter(status=Status.CONFIRMED).count() == CAPACITY
    errors = run_together(
        [
            lambda: services.cancel_event(actor=coordinator, event=event, reason="Fermeture"),
            till(coordinator, customer),
        ]
    )
    assert not errors, "\n".join(errors)

    issued = Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
    numbers = sorted(issued.values_list("sequence_number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert integrity.verify(place).intact
    registrations = list(Registration.objects.filter(event=event))
    invoiced = [r for r in registrations if r.invoice_id is not None]
    # 4 seated at first, 4 promoted after the cancellations: 8 invoices, all credited.
    assert len(invoiced) == 2 * CAPACITY
    assert all(r.status == Status.CANCELLED for r in registrations)
    for registration in invoiced:
        credited = issued.filter(corrects_id=registration.invoice_id).aggregate(
            n=Sum("total_gross")
        )["n"]
        assert credited == -registration.invoice.total_gross == Decimal("-14.40")
    never_seated = [r for r in registrations if r.confirmed_at is None]
    assert len(never_seated) == VISITORS - 2 * CAPACITY
    assert all(r.invoice_id is None for r in never_seated)
