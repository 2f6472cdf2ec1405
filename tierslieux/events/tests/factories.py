"""Factories for event tests: an event row, and sessions booked through the service."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

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
    """A session as the team adds it: its space booked through the bookings service."""
    return services.add_session(actor=actor, event=event_, space=space, start=start, end=end)
