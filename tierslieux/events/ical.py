"""iCalendar (RFC 5545) documents of the public agendas: one VEVENT per session.

Pure: it turns `FeedSession`s into bytes and reaches no model. As in `bookings/ical.py`,
times are written in UTC (`…Z`, no VTIMEZONE to get wrong: each client shows them in its
own zone, summer time included), and a UID is stable per session, so a moved or cancelled
session updates the entry a client already holds instead of adding one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//tierslieux//events//EN"


@dataclass(frozen=True)
class FeedSession:
    """What a VEVENT says of one session of an event."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    url: str
    cancelled: bool
    last_modified: datetime
    description: str = ""


def uid(session_id: int) -> str:
    return f"event-session-{session_id}@tierslieux"


def calendar(name: str, sessions: Iterable[FeedSession], *, stamp: datetime) -> bytes:
    """A VCALENDAR named `name` (X-WR-CALNAME); `stamp` is when it was generated (DTSTAMP)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in sessions:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", item.summary)
        event.add("location", item.location)
        event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("last-modified", item.last_modified.astimezone(UTC))
        if item.description:
            event.add("description", item.description)
        cal.add_component(event)
    return cal.to_ical()
