"""Booking e-mails, rendered in the recipient's language and sent after commit by a task."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tierslieux.accounts.tasks import send_email
from tierslieux.bookings.models import Booking

EVENTS = {"created", "confirmed", "cancelled", "rejected", "moved", "series_created"}


def notify(booking: Booking, event: str, **extra: Any) -> None:
    """Queue the e-mail for `event` to the booking's person, once the transaction commits."""
    assert event in EVENTS
    person = booking.person
    if person is None:
        return
    user = person.user
    address = person.email or (user.email if user is not None else "")
    if not address:
        return
    language = user.language if user is not None else "fr"
    tz = ZoneInfo(booking.place.timezone)
    with translation.override(language), timezone.override(tz):  # the place's own times
        context = {
            "booking": booking,
            "event": event,
            "person": person,
            "start": booking.start.astimezone(tz),
            "end": booking.end.astimezone(tz),
            **extra,
        }
        subject = render_to_string("bookings/email_subject.txt", context).strip()
        body = render_to_string("bookings/email_body.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, [address]))
