"""iCalendar (RFC 5545) documents of the public agendas: one VEVENT per session.

Pure: it turns `FeedSession`s into bytes (`core.ical`) and reaches no model. A UID is stable
per session, so a moved or cancelled session updates the entry a client already holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tierslieux.core import ical

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
    entries = (
        ical.Entry(
            uid=item.uid,
            start=item.start,
            end=item.end,
            summary=item.summary,
            location=item.location,
            status="CANCELLED" if item.cancelled else "CONFIRMED",
            last_modified=item.last_modified,
            description=item.description,
            url=item.url,
        )
        for item in sessions
    )
    return ical.calendar(name, entries, stamp=stamp, prodid=PRODID)
