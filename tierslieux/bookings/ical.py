"""iCalendar (RFC 5545) documents of bookings, for calendar applications to subscribe to.

Times are written in UTC (`…Z`): no VTIMEZONE to get wrong, and every client shows them in
its own zone. A UID is stable per booking, so a moved or cancelled booking updates the event
a client already has instead of adding one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

from tierslieux.bookings.models import Booking

PRODID = "-//tierslieux//bookings//EN"
Status = Booking.Status
ICAL_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
    Status.NO_SHOW: "CANCELLED",
}


@dataclass(frozen=True)
class FeedEvent:
    """What a VEVENT says; built from a booking by `public_event` or `private_event`."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    status: str
    last_modified: datetime
    description: str = ""


def uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@tierslieux"


def last_modified(booking: Booking) -> datetime:
    """The latest change the row records (creation, check-in, cancellation)."""
    stamps = [booking.created_at, booking.checked_in_at, booking.cancelled_at]
    return max(stamp for stamp in stamps if stamp is not None)


def location(booking: Booking) -> str:
    return f"{booking.place.name}, {booking.space.name}"


def public_event(booking: Booking, summary: str) -> FeedEvent:
    """Busy time only: no title, no note, no person."""
    return FeedEvent(
        uid=uid(booking),
        start=booking.start,
        end=booking.end,
        summary=summary,
        location=location(booking),
        status=ICAL_STATUS[Status(booking.status)],
        last_modified=last_modified(booking),
    )


def private_event(booking: Booking) -> FeedEvent:
    """The booker's own view: title (or the space's name) and note."""
    return FeedEvent(
        uid=uid(booking),
        start=booking.start,
        end=booking.end,
        summary=booking.title or booking.space.name,
        location=location(booking),
        status=ICAL_STATUS[Status(booking.status)],
        last_modified=last_modified(booking),
        description=booking.note,
    )


def calendar(name: str, events: Iterable[FeedEvent], *, stamp: datetime) -> bytes:
    """A VCALENDAR named `name` (X-WR-CALNAME); `stamp` is when it was generated (DTSTAMP)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", item.summary)
        event.add("location", item.location)
        event.add("status", item.status)
        event.add("last-modified", item.last_modified.astimezone(UTC))
        if item.description:
            event.add("description", item.description)
        cal.add_component(event)
    return cal.to_ical()
