"""Booking e-mails, rendered in the recipient's language and sent after commit by a task.

The request only queues the booking's id and the event (`notify`); the worker loads the
booking, renders the message with the place's own times and sends it (`tasks.send_booking_email`),
so a booking costs its writer no template rendering and no mail server.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from tierslieux.accounts.models import Person
from tierslieux.bookings.checks import free_cancellation_until
from tierslieux.bookings.models import Booking

EVENTS = {"created", "confirmed", "cancelled", "rejected", "moved", "series_created"}


def notify(booking: Booking, event: str, **extra: Any) -> None:
    """Queue the e-mail for `event` to the booking's person (or, for an organisation's,
    `recipient`), once the transaction commits. `extra` (plain values): `by_team` when the
    place's team acted on the person's booking, `reason` of a cancellation; empty ones are
    left out."""
    assert event in EVENTS
    if booking.person_id is None and booking.organisation_id is None:
        return
    booking_id = booking.pk
    extra = {name: value for name, value in extra.items() if value}
    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id, event, extra))


def render(booking: Booking, event: str, extra: dict[str, Any]) -> tuple[str, str, str] | None:
    """The (subject, body, address) of the e-mail, or None when nobody has an address."""
    person, address, language = recipient(booking)
    if not address:
        return None
    tz = ZoneInfo(booking.place.timezone)
    with translation.override(language), timezone.override(tz):  # the place's own times
        context = {
            "booking": booking,
            "event": event,
            "person": person,
            "name": person.first_name if person is not None else "",
            "start": booking.start.astimezone(tz),
            "end": booking.end.astimezone(tz),
            # The terms the booking form showed, said again where the booking is still ahead.
            "free_until": (
                free_cancellation_until(booking)
                if event in {"created", "confirmed", "moved"}
                and booking.status in {"requested", "confirmed"}
                else None
            ),
            **extra,
        }
        subject = render_to_string("bookings/email_subject.txt", context).strip()
        body = render_to_string("bookings/email_body.txt", context)
    return subject, body, address


def recipient(booking: Booking) -> tuple[Person | None, str, str]:
    """Whom the e-mail goes to: (person, address, language). A person's booking: them. An
    organisation's: the person who made it while they belong to it (one of its people booking
    as it), else the organisation's own address (the team booked it for the organisation)."""
    person = booking.person
    org = booking.organisation
    if person is None and org is not None:
        maker = getattr(booking.booked_by, "person", None) if booking.booked_by else None
        if maker is not None and org.people.filter(pk=maker.pk).exists():
            person = maker
        else:
            return None, org.email, "fr"
    if person is None:
        return None, "", "fr"
    user = person.user
    address = person.email or (user.email if user is not None else "")
    return person, address, user.language if user is not None else "fr"


@task()
def send_booking_email(booking_id: int, event: str, extra: dict[str, Any]) -> int:
    """Render and send the e-mail of `event`; 0 when there is no one to write to."""
    booking = (
        Booking.objects.select_related(
            "place", "space", "person__user", "organisation", "booked_by__person__user"
        )
        .filter(pk=booking_id)
        .first()
    )
    message = render(booking, event, extra) if booking is not None else None
    if message is None:
        return 0
    subject, body, address = message
    return EmailMessage(subject, body, None, [address]).send()
