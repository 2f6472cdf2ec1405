"""The reminder the day before: confirmed registrations whose date (or course's first date) is
tomorrow in the place's time zone get one e-mail, once, however often the job runs; the day
is the place's, on the nights the clocks change too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.events import services
from tierslieux.events.models import Registration
from tierslieux.events.services import reminders
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)
Status = Registration.Status


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)
    with translation.override("en"):
        yield


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune")


@pytest.fixture
def outbox(monkeypatch):
    """The reminders queued so far, as (title, address): the e-mail itself is `emails`' (no
    other e-mail is sent here)."""
    queued: list[tuple[str, str]] = []

    def notify(registration, kind):
        if kind == "reminder":
            queued.append((registration.event.title, registration.email))

    monkeypatch.setattr(reminders.emails, "notify", notify)
    return queued


@pytest.fixture
def sent(outbox):
    """Run the reminders at a moment; the titles reminded so far."""

    def run(moment) -> list[str]:
        services.send_reminders(moment)
        return [title for title, _email in outbox]

    return run


def workshop(coordinator, place, room, day, hour, **fields):
    return ef.published(
        coordinator, place, room, at(day, hour), at(day, hour + 2), capacity=2, **fields
    )


def test_confirmed_registrations_are_reminded_once(sent, outbox, coordinator, place, room):
    event, session = workshop(coordinator, place, room, "2027-03-03", 14, title="Atelier")
    alice = ef.visitor(event, session, "Alice", seats=2).registration
    ef.visitor(event, session, "Bruno")  # waiting: no reminder
    services.register(event=event, session=session, name="Eve", email="eve@example.org")
    gone = ef.visitor(event, session, "Gaston")
    services.cancel_registration(registration=gone.registration, token=gone.token)
    assert sent(at("2027-03-01", 23, 59)) == []  # Wednesday is the day after tomorrow
    assert sent(at("2027-03-02", 0)) == ["Atelier"]
    assert outbox == [("Atelier", alice.email)]
    alice.refresh_from_db()
    assert alice.reminded_at == at("2027-03-02", 0)
    assert sent(at("2027-03-02", 1)) == ["Atelier"]  # not twice
    assert sent(at("2027-03-02", 23)) == ["Atelier"]
    assert AuditEntry.objects.filter(action="event.reminder").count() == 1


def test_a_claimed_registration_is_not_claimed_again(coordinator, place, room):
    event, session = workshop(coordinator, place, room, "2027-03-03", 14)
    alice = ef.visitor(event, session, "Alice").registration
    assert reminders._claim(alice, at("2027-03-02", 9)) is True
    assert reminders._claim(alice, at("2027-03-02", 9)) is False  # a second run, at once
    assert services.send_reminders(at("2027-03-02", 10)) == 0


def test_a_course_is_reminded_before_its_first_date_only(sent, coordinator, place, room):
    course = ef.event(place, title="Formation", kind="training", enrolment="series")
    ef.session(coordinator, course, room, at("2027-03-03", 9), at("2027-03-03", 12))
    ef.session(coordinator, course, room, at("2027-03-04", 9), at("2027-03-04", 12))
    services.publish_event(actor=coordinator, event=course)
    course.refresh_from_db()
    ef.visitor(course, None, "Inès")
    assert sent(at("2027-03-02", 9)) == ["Formation"]
    assert sent(at("2027-03-03", 9)) == ["Formation"]


def test_a_cancelled_date_or_event_reminds_nobody(sent, coordinator, place, room):
    event, session = workshop(coordinator, place, room, "2027-03-03", 14)
    ef.visitor(event, session, "Alice")
    services.cancel_session(actor=coordinator, session=session, reason="")
    other, date = workshop(coordinator, place, room, "2027-03-03", 17)
    ef.visitor(other, date, "Bruno")
    services.cancel_event(actor=coordinator, event=other, reason="")
    assert sent(at("2027-03-02", 9)) == []
    assert not Registration.objects.filter(reminded_at__isnull=False).exists()


def test_the_day_before_the_clocks_go_forward(sent, coordinator, place, room):
    """Sunday 28 March 2027, 08:00 in Paris (06:00 UTC, summer time from 02:00): reminded from
    Saturday 00:00 in Paris (Friday 23:00 UTC), not on Friday evening."""
    event, session = workshop(coordinator, place, room, "2027-03-28", 8, title="Repair café")
    ef.visitor(event, session, "Alice")
    assert sent(at("2027-03-26", 23, 30)) == []
    assert sent(at("2027-03-27", 0, 30)) == ["Repair café"]


def test_the_day_before_the_clocks_go_back(sent, coordinator, place, room):
    """Sunday 31 October 2027, 18:00 in Paris (17:00 UTC, winter time from 03:00): reminded from
    Saturday 00:00 in Paris (Friday 22:00 UTC), 44 hours ahead, not on Friday evening."""
    event, session = workshop(coordinator, place, room, "2027-10-31", 18, title="Ciné")
    ef.visitor(event, session, "Alice")
    assert sent(at("2027-10-29", 23, 59)) == []
    assert sent(at("2027-10-30", 0)) == ["Ciné"]
    assert sent(at("2027-10-30", 23, 30)) == ["Ciné"]


def test_the_day_is_the_places(sent, coordinator, place, room):
    """At 23:30 on Monday in Paris it is already Tuesday in Réunion (UTC+4)."""
    place.timezone = "Indian/Reunion"
    place.save(update_fields=["timezone"])
    event, session = workshop(coordinator, place, room, "2027-03-03", 14, title="Atelier")
    ef.visitor(event, session, "Alice")
    assert sent(at("2027-03-01", 20)) == []  # 23:00 in Réunion
    assert sent(at("2027-03-01", 21)) == ["Atelier"]  # Tuesday 00:00 in Réunion


def test_the_hourly_command(outbox, coordinator, place, room, clock):
    event, session = workshop(coordinator, place, room, "2027-03-03", 14)
    ef.visitor(event, session, "Alice")
    clock.set(at("2027-03-02", 10))
    out = StringIO()
    call_command("events_reminders", stdout=out)
    assert out.getvalue().strip() == "reminded=1"
    call_command("events_reminders", stdout=out)
    assert out.getvalue().split() == ["reminded=1", "reminded=0"]


def test_the_reminder_e_mail(
    coordinator, place, room, mailoutbox, django_capture_on_commit_callbacks
):
    event, session = workshop(coordinator, place, room, "2027-03-03", 14, title="Atelier")
    alice = ef.visitor(event, session, "Alice", seats=2).registration
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(at("2027-03-02", 9)) == 1
    (message,) = mailoutbox
    assert message.to == [alice.email]
    assert message.subject == "Demain\u00a0: Atelier"  # a visitor's e-mails are in French
    assert "(2 places)" in message.body
