"""Factories for event tests: an event row, and sessions booked through the service."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from django.utils.text import slugify

from tierslieux.core.types import Actor
from tierslieux.events import services
from tierslieux.events.models import Event, Session
from tierslieux.places.models import Place, Space

_seq = itertools.count(1)


def event(place: Place, **fields: Any) -> Event:
    fields.setdefault("title", f"Atelier {next(_seq)}")
    fields.setdefault("capacity", 12)
    return Event.objects.create(place=place, **fields)


def session(actor: Actor, event_: Event, space: Space, start: datetime, end: datetime) -> Session:
    """A session as the team adds it: its space booked through the bookings service (the
    space enlarged first where the event has more seats than it holds)."""
    if space.capacity < event_.capacity:
        space.capacity = event_.capacity
        space.save(update_fields=["capacity"])
    return services.add_session(actor=actor, event=event_, space=space, start=start, end=end)


def published(
    actor: Actor,
    place: Place,
    space: Space,
    start: datetime,
    end: datetime,
    **fields: Any,
) -> tuple[Event, Session]:
    """A published event with one session, as the team makes it."""
    event_ = event(place, **fields)
    session_ = session(actor, event_, space, start, end)
    services.publish_event(actor=actor, event=event_)
    event_.refresh_from_db()
    return event_, session_


def visitor(
    event_: Event, session_: Session | None, name: str, seats: int = 1, **fields: Any
) -> services.Outcome:
    """A visitor registered from the public form, their address confirmed."""
    email = fields.pop("email", f"{slugify(name)}@example.org")
    outcome = services.register(
        event=event_, session=session_, name=name, email=email, seats=seats, **fields
    )
    registration = services.confirm_email(token=outcome.token)
    return services.Outcome(registration, outcome.token)
