"""iCalendar (RFC 5545) entries of bookings (`core.ical` writes the document): busy time for
the public, the booker's own view for them. A UID is stable per booking."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tierslieux.bookings.models import Booking
from tierslieux.core import ical

PRODID = "-//tierslieux//bookings//EN"
Status = Booking.Status
ICAL_STATUS = {
    Status.REQUESTED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
    Status.NO_SHOW: "CANCELLED",
}


FeedEvent = ical.Entry  # built from a booking by `public_event` or `private_event`


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
    """A VCALENDAR of bookings named `name`; `stamp` is when it was generated."""
    return ical.calendar(name, events, stamp=stamp, prodid=PRODID)
