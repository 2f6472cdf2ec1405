"""The demo's events: every place lives (workshops, a repair café, most a training and a
screening), registrations keep to the seats, the waiting list waits only for dates to come,
past dates have their attendance, and the footfall is counted."""

from __future__ import annotations

from django.db.models import Sum

from tierslieux.activity.models import DailyCount
from tierslieux.core import clock
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.places.models import Place

Status = Registration.Status


def test_every_place_publishes_events_with_sessions(demo):
    assert demo.events >= 20
    for place in Place.objects.filter(network__slug="demo"):
        published = Event.objects.filter(place=place, status=Event.Status.PUBLISHED)
        assert published.count() >= 2, place.slug
        assert Session.objects.filter(event__in=published).count() >= 4, place.slug
    assert Event.objects.filter(kind=Event.Kind.TRAINING, enrolment="series").exists()
    assert Event.objects.filter(peer_learning=True, access=Event.Access.MEMBERS).exists()


def test_confirmed_seats_never_exceed_the_capacity(demo):
    for session in Session.objects.select_related("event"):
        held = Registration.objects.filter(
            event=session.event,
            session=session if session.event.enrolment == "session" else None,
            status=Status.CONFIRMED,
        ).exclude(source=Registration.Source.WALK_IN)
        assert (held.aggregate(n=Sum("seats"))["n"] or 0) <= session.event.capacity


def test_the_waiting_list_waits_for_dates_to_come_and_the_past_was_attended(demo):
    now = clock.now()
    waiting = Registration.objects.filter(status=Status.WAITLISTED).select_related("session")
    assert waiting.exists()
    assert all(r.session is None or r.session.start > now for r in waiting)
    attended = Attendance.objects.select_related("session", "registration")
    assert attended.exists()
    assert all(a.session.end <= now for a in attended)
    assert all(a.registration.status == Status.CONFIRMED for a in attended)


def test_the_footfall_is_counted_every_place(demo):
    for place in Place.objects.filter(network__slug="demo"):
        assert DailyCount.objects.filter(place=place).count() > 60, place.slug
