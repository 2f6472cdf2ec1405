"""iCalendar (RFC 5545) documents, for calendar applications to subscribe to (the bookings'
feeds, the events' agendas).

Times are written in UTC (`…Z`): no VTIMEZONE to get wrong, and every client shows them in its
own zone, summer time included. Each entry's UID is stable, so a moved or cancelled booking or
session updates the entry a client already holds instead of adding one. Pure: no model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event


@dataclass(frozen=True)
class Entry:
    """What one VEVENT says."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    last_modified: datetime
    description: str = ""
    url: str = ""


def calendar(name: str, entries: Iterable[Entry], *, stamp: datetime, prodid: str) -> bytes:
    """A VCALENDAR named `name` (X-WR-CALNAME); `stamp` is when it was generated (DTSTAMP)."""
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in entries:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", item.summary)
        event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        event.add("status", item.status)
        event.add("last-modified", item.last_modified.astimezone(UTC))
        if item.description:
            event.add("description", item.description)
        cal.add_component(event)
    return cal.to_ical()
