"""Attendance at the door: check-in opens an hour before the start and closes at the end of
the day; only confirmed registrations of the date (or the course) are checked in, never with
more people than their seats; walk-ins are refused once the room is full; the session's
booking is checked in with the first people; the tablet page is the team's only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.events import services
from tierslieux.events.models import Attendance, Event, Registration
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
def workshop(coordinator, place, room):
    """Wednesday 14:00–17:00, 4 seats: Alice (2 seats) and Bruno registered, Chloé waiting."""
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier vélo",
        capacity=4,
    )
    alice = ef.visitor(event, session, "Alice Martin", seats=2).registration
    bruno = ef.visitor(event, session, "Bruno Petit").registration
    ef.visitor(event, session, "Dan Roux")
    chloe = ef.visitor(event, session, "Chloé Blanc", seats=2).registration
    assert chloe.status == Status.WAITLISTED
    return event, session, alice, bruno, chloe


def refusal(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


def test_check_in_opens_an_hour_before_and_closes_at_the_end_of_the_day(
    clock, coordinator, workshop
):
    _event, session, alice, bruno, _chloe = workshop
    clock.set(at("2027-03-03", 12, 59))
    error = refusal(services.check_in, actor=coordinator, session=session, registration=alice)
    assert error.code == "too_early"
    assert "13:00" in error.messages[0]
    clock.set(at("2027-03-03", 13))
    services.check_in(actor=coordinator, session=session, registration=alice)
    clock.set(at("2027-03-03", 23, 59))
    services.check_in(actor=coordinator, session=session, registration=bruno)
    clock.set(at("2027-03-04", 0))
    error = refusal(services.undo_check_in, actor=coordinator, session=session, registration=bruno)
    assert error.code == "too_late"
    assert Attendance.objects.count() == 2


def test_only_confirmed_registrations_of_this_date_are_checked_in(
    clock, coordinator, place, room, workshop
):
    event, session, alice, _bruno, chloe = workshop
    other = ef.session(coordinator, event, room, at("2027-03-10", 14), at("2027-03-10", 17))
    elsewhere = ef.visitor(event, other, "Eve Noir").registration
    clock.set(at("2027-03-03", 14))
    for registration in (chloe, elsewhere):
        error = refusal(
            services.check_in, actor=coordinator, session=session, registration=registration
        )
        assert error.code == "state"
    services.cancel_registration(registration=alice, actor=coordinator)
    alice.refresh_from_db()
    error = refusal(services.check_in, actor=coordinator, session=session, registration=alice)
    assert error.code == "state"
    assert not Attendance.objects.exists()


def test_people_present_are_at_most_the_seats_and_a_second_check_in_corrects(
    clock, coordinator, workshop
):
    _event, session, alice, _bruno, _chloe = workshop
    clock.set(at("2027-03-03", 14))
    error = refusal(
        services.check_in, actor=coordinator, session=session, registration=alice, seats=3
    )
    assert error.code == "seats"
    first = services.check_in(actor=coordinator, session=session, registration=alice, seats=1)
    again = services.check_in(actor=coordinator, session=session, registration=alice)
    assert (first.pk, again.seats, again.checked_in_by) == (again.pk, 2, coordinator)
    services.undo_check_in(actor=coordinator, session=session, registration=alice)
    assert not Attendance.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"event.check_in", "event.check_in_undo"} <= actions


def test_walk_ins_are_refused_once_the_room_is_full(clock, coordinator, workshop):
    _event, session, alice, bruno, _chloe = workshop
    clock.set(at("2027-03-03", 14, 5))
    services.check_in(actor=coordinator, session=session, registration=alice)
    walk_in = services.add_walk_in(actor=coordinator, session=session, name="Farid", seats=1)
    registration = walk_in.registration
    assert (registration.source, registration.status, registration.email) == (
        "walk_in",
        Status.CONFIRMED,
        "",
    )
    assert registration.session == session and walk_in.seats == 1
    error = refusal(services.add_walk_in, actor=coordinator, session=session, name="Gina", seats=2)
    assert error.code == "full"
    assert error.messages[0] == "The room is full (present: 3, capacity: 4)."
    services.check_in(actor=coordinator, session=session, registration=bruno)
    error = refusal(services.add_walk_in, actor=coordinator, session=session, name="Hugo")
    assert error.code == "full"
    assert Registration.objects.filter(source="walk_in").count() == 1
    assert "event.walk_in" in set(AuditEntry.objects.values_list("action", flat=True))


def test_a_walk_in_with_an_address_registered_already_is_sent_to_the_list(
    clock, coordinator, workshop
):
    _event, session, alice, _bruno, _chloe = workshop
    clock.set(at("2027-03-03", 14))
    error = refusal(
        services.add_walk_in,
        actor=coordinator,
        session=session,
        name="Alice",
        email=alice.email.upper(),
    )
    assert error.code == "email"
    assert not Attendance.objects.exists()


def test_the_first_check_in_checks_in_the_sessions_booking_when_its_window_is_open(
    clock, coordinator, workshop
):
    _event, session, alice, bruno, _chloe = workshop
    clock.set(at("2027-03-03", 13, 30))
    services.check_in(actor=coordinator, session=session, registration=alice)
    session.booking.refresh_from_db()
    assert session.booking.checked_in_at is None  # the booking's window opens at 13:45
    clock.set(at("2027-03-03", 13, 50))
    services.check_in(actor=coordinator, session=session, registration=bruno)
    session.booking.refresh_from_db()
    assert session.booking.checked_in_at == at("2027-03-03", 13, 50)


def test_a_course_registration_is_checked_in_at_each_of_its_dates(clock, coordinator, place, room):
    course = ef.event(place, title="Formation", kind="training", enrolment="series", capacity=5)
    day1 = ef.session(coordinator, course, room, at("2027-03-03", 9), at("2027-03-03", 12))
    day2 = ef.session(coordinator, course, room, at("2027-03-04", 9), at("2027-03-04", 12))
    services.publish_event(actor=coordinator, event=course)
    course.refresh_from_db()
    ines = ef.visitor(course, None, "Inès Morel").registration
    for day, when in ((day1, at("2027-03-03", 9)), (day2, at("2027-03-04", 9))):
        clock.set(when)
        services.check_in(actor=coordinator, session=day, registration=ines)
    assert Attendance.objects.filter(registration=ines).count() == 2


def test_a_cancelled_event_checks_nobody_in(client, clock, coordinator, workshop):
    event, session, alice, _bruno, _chloe = workshop
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    clock.set(at("2027-03-03", 14))
    error = refusal(services.check_in, actor=coordinator, session=session, registration=alice)
    assert error.code == "state"
    client.force_login(coordinator)
    page = client.get(
        reverse("events_manage:attendance", args=[event.place.slug, event.pk, session.pk])
    )
    assert "Cette séance n’a pas lieu" in page.content.decode()
    assert not page.context["open"]


# --- The tablet page ---------------------------------------------------------------------


def page_url(name, event, session, *more):
    return reverse(f"events_manage:{name}", args=[event.place.slug, event.pk, session.pk, *more])


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_team_checks_people_in_from_the_tablet(client, request, clock, persona, workshop):
    event, session, alice, _bruno, _chloe = workshop
    client.force_login(request.getfixturevalue(persona))
    clock.set(at("2027-03-03", 13, 55))
    page = client.get(page_url("attendance", event, session))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Alice Martin" in text and "Chloé Blanc" not in text  # the waiting list stays out
    assert "Présents\u00a0: <strong>0</strong> · Attendus\u00a0: 4" in text  # in French
    present = page_url("check_in", event, session, alice.pk)
    response = client.post(present, {"seats": "2"})
    assert response.status_code == 302
    assert response["Location"] == page_url("attendance", event, session)
    text = client.get(page_url("attendance", event, session), {"q": "ALI"}).content.decode()
    assert "Présents\u00a0: <strong>2</strong>" in text
    assert "Alice Martin" in text and "Bruno Petit" not in text
    # One of the two has gone after all: the tablet corrects the count, no undo needed.
    assert "Corriger" in text
    assert client.post(present, {"seats": "1"}).status_code == 302
    assert Attendance.objects.get().seats == 1
    assert client.post(page_url("undo_check_in", event, session, alice.pk)).status_code == 302
    assert not Attendance.objects.exists()


def test_the_tablet_says_when_check_in_opens_and_refuses_with_422(
    client, clock, coordinator, workshop
):
    event, session, alice, _bruno, _chloe = workshop
    client.force_login(coordinator)
    clock.set(at("2027-03-03", 11))
    text = client.get(page_url("attendance", event, session)).content.decode()
    assert "Le pointage ouvre le 3 mars 2027 à 13:00" in text
    response = client.post(page_url("check_in", event, session, alice.pk), {"seats": "1"})
    assert response.status_code == 422
    assert "Le pointage ouvre le 3 mars 2027 à 13:00" in response.content.decode()
    response = client.post(page_url("check_in", event, session, alice.pk), {"seats": "x"})
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_a_walk_in_from_the_tablet(client, clock, coordinator, workshop):
    event, session, *_rest = workshop
    client.force_login(coordinator)
    clock.set(at("2027-03-03", 14))
    walk_in = page_url("walk_in", event, session)
    response = client.post(walk_in, {"name": "", "seats": "1"})
    assert response.status_code == 422
    assert "name" in response.context["walk_in"].errors
    response = client.post(walk_in, {"name": "Jules Vert", "email": "", "seats": "5"})
    assert response.status_code == 422
    assert "La salle est pleine" in response.content.decode()
    response = client.post(walk_in, {"name": "Jules Vert", "email": "", "seats": "2"})
    assert response.status_code == 302
    assert Attendance.objects.get().registration.name == "Jules Vert"


@pytest.mark.parametrize("persona", ["member", "other_coordinator", "outsider"])
def test_others_cannot_open_the_list(client, request, clock, persona, workshop):
    event, session, alice, _bruno, _chloe = workshop
    user = af.user() if persona == "outsider" else request.getfixturevalue(persona)
    client.force_login(user)
    clock.set(at("2027-03-03", 14))
    for url in (
        page_url("attendance", event, session),
        page_url("check_in", event, session, alice.pk),
        page_url("undo_check_in", event, session, alice.pk),
        page_url("walk_in", event, session),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"seats": "1", "name": "X"}).status_code == 403, url
    assert not Attendance.objects.exists()


def test_another_places_session_is_404(client, clock, coordinator, other_place, workshop):
    event, session, *_rest = workshop
    client.force_login(coordinator)
    elsewhere = ef.event(other_place)
    url = reverse("events_manage:attendance", args=[event.place.slug, elsewhere.pk, session.pk])
    assert client.get(url).status_code == 404
    other = reverse("events_manage:attendance", args=[other_place.slug, event.pk, session.pk])
    assert client.get(other).status_code == 403


def test_the_list_takes_the_same_queries_however_many_are_present(
    client, clock, coordinator, workshop, django_assert_max_num_queries
):
    event, session, alice, bruno, _chloe = workshop
    client.force_login(coordinator)
    clock.set(at("2027-03-03", 14))
    for registration in (alice, bruno):
        services.check_in(actor=coordinator, session=session, registration=registration)
    client.get(page_url("attendance", event, session))  # the session's record refreshed first
    with django_assert_max_num_queries(10):
        assert client.get(page_url("attendance", event, session)).status_code == 200
