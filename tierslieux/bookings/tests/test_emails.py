"""Booking e-mails: written in the recipient's language, with the place's own times."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from tierslieux.bookings import emails
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.core import formatting
from tierslieux.places.tests import factories as f

DAY = "2027-01-13"


def test_the_email_gives_the_times_of_the_place_not_of_paris(
    member, django_capture_on_commit_callbacks
):
    reunion = open_every_day(f.place(timezone="Indian/Reunion"))
    space = room(reunion, name="Salle Lagon")
    rules(space)
    tz = ZoneInfo("Indian/Reunion")
    booking = Booking.objects.create(
        place=reunion,
        space=space,
        person=member.person,
        start=at(DAY, 10, tz=tz),
        end=at(DAY, 11, tz=tz),
        status=Booking.Status.CONFIRMED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        emails.notify(booking, "created")
    lines = mail.outbox[-1].body.splitlines()
    with translation.override(member.language):
        for zone, shown in [(tz, True), (ZoneInfo("Europe/Paris"), False)]:  # 10:00, 07:00
            with timezone.override(zone):
                line = f"{gettext('From')}{formatting.colon()} {formatting.moment(booking.start)}"
            assert (line in lines) is shown


def test_the_writer_only_queues_the_booking_and_the_worker_renders_after_commit(
    member, django_capture_on_commit_callbacks
):
    place = open_every_day(f.place())
    space = room(place, name="Salle Atelier")
    rules(space)
    booking = Booking.objects.create(
        place=place,
        space=space,
        person=member.person,
        start=at(DAY, 10),
        end=at(DAY, 11),
        status=Booking.Status.CONFIRMED,
    )
    with django_capture_on_commit_callbacks() as callbacks:
        emails.notify(booking, "created")
    assert len(callbacks) == 1 and mail.outbox == []  # nothing rendered nor sent yet
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Salle Atelier" in mail.outbox[0].body


def test_a_person_without_an_address_gets_no_email(member, django_capture_on_commit_callbacks):
    place = open_every_day(f.place())
    space = room(place)
    rules(space)
    member.person.email = ""
    member.person.save(update_fields=["email"])
    member.email = ""
    member.save(update_fields=["email"])
    booking = Booking.objects.create(
        place=place,
        space=space,
        person=member.person,
        start=at(DAY, 10),
        end=at(DAY, 11),
        status=Booking.Status.CONFIRMED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        emails.notify(booking, "created")
    assert mail.outbox == []
    assert emails.send_booking_email.call(booking.pk, "created", {}) == 0


def test_the_email_repeats_the_cancellation_terms_of_a_booking_ahead(
    member, django_capture_on_commit_callbacks, clock
):
    place = open_every_day(f.place())
    space = room(place, name="Salle Verte")
    rules(space, cancellation_deadline_hours=24)
    clock.set(at(DAY, 8))
    booking = Booking.objects.create(
        place=place,
        space=space,
        person=member.person,
        start=at(DAY, 10) + timedelta(days=3),
        end=at(DAY, 11) + timedelta(days=3),
        status=Booking.Status.CONFIRMED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        emails.notify(booking, "created")
        emails.notify(booking, "cancelled")
    created, cancelled = mail.outbox[-2].body, mail.outbox[-1].body
    with translation.override(member.language):
        until = formatting.moment(booking.start - timedelta(hours=24))
    assert until in created
    assert until not in cancelled
