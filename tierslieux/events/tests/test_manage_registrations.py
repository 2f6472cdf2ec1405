"""The team's registrations pages: the lists by status (the waiting list in order, with
positions), adding someone (a person of the place, or a name and an address), cancelling
after a confirmation page (the promotion it triggers is said), the CSV export; the seats on
the event's page; 403 for others, 404 for another place's event."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services
from tierslieux.events.models import Event, PriceCategory, Registration
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
    """Wednesday's workshop, 3 seats, 5 € for non-members: Alice (2 seats) and Bruno
    registered, Chloé then Dan waiting."""
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=3,
    )
    PriceCategory.objects.create(event=event, kind="non_member", price_net=5, tax_code="vat_20")
    names = [("Alice Martin", 2), ("Bruno Petit", 1), ("Chloé Blanc", 2), ("Dan Roux", 1)]
    rows = [
        ef.visitor(event, session, name, seats=seats, price_kind="non_member").registration
        for name, seats in names
    ]
    return event, session, rows


@pytest.fixture
def team(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, event, *more):
    return reverse(f"events_manage:{name}", args=[event.place.slug, event.pk, *more])


def test_the_list_groups_by_status_with_the_waiting_list_in_order(team, workshop):
    event, session, (_alice, _bruno, _chloe, _dan) = workshop
    services.register(
        event=event, session=session, name="Eve", email="eve@ex.org", price_kind="non_member"
    )
    response = team.get(url("session_registrations", event, session.pk))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [r.name for r in groups["confirmed"]] == ["Alice Martin", "Bruno Petit"]
    assert [(r.name, r.position) for r in groups["waitlisted"]] == [
        ("Chloé Blanc", 1),
        ("Dan Roux", 2),
    ]
    assert [r.name for r in groups["pending"]] == ["Eve"]
    text = response.content.decode()
    assert "alice-martin@example.org" in text
    assert "10,00\u00a0€" in text  # Alice's two seats at 5 € (the coordinator reads French)
    assert team.get(url("registrations", event)).status_code == 200


def test_the_team_adds_a_person_of_the_place_who_goes_to_the_waiting_list(team, workshop, member):
    event, session, _rows = workshop
    add = url("add_registration", event)
    assert team.get(add, {"session": session.pk}).status_code == 200
    data = {"session": session.pk, "person": member.person.pk, "seats": "1"}
    response = team.post(add, {**data, "price_kind": "non_member"})
    assert response.status_code == 302
    assert response["Location"] == url("session_registrations", event, session.pk)
    added = Registration.objects.get(person=member.person)
    assert (added.source, added.status, added.email) == ("team", Status.WAITLISTED, member.email)
    assert added.name == str(member.person)


def test_the_team_adds_someone_by_name_and_address(team, place, coordinator, room):
    event, session = ef.published(
        coordinator, place, room, at("2027-03-05", 10), at("2027-03-05", 12), capacity=5
    )
    add = url("add_registration", event)
    response = team.post(add, {"session": session.pk, "seats": "2"})
    assert response.status_code == 422
    assert {"name", "email"} <= set(response.context["form"].errors)
    data = {"session": session.pk, "seats": "2", "name": "Zoé", "email": "Zoe@Example.org"}
    assert team.post(add, data).status_code == 302
    zoe = Registration.objects.get()
    assert (zoe.status, zoe.source, zoe.email, zoe.seats) == (
        Status.CONFIRMED,
        "team",
        "zoe@example.org",
        2,
    )
    response = team.post(add, data)
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    assert Registration.objects.count() == 1


def test_cancelling_asks_first_and_says_whom_it_promoted(team, workshop):
    event, _session, (alice, _bruno, chloe, dan) = workshop
    cancel = url("cancel_registration", event, alice.pk)
    page = team.get(cancel)
    assert page.status_code == 200
    assert "Une annulation est définitive." in page.content.decode()
    assert Registration.objects.get(pk=alice.pk).status == Status.CONFIRMED
    response = team.post(cancel, follow=True)
    text = response.content.decode()
    assert "L’inscription de Alice Martin est annulée." in text  # the coordinator reads French
    assert "Sortis de la liste d’attente\u00a0: Chloé Blanc." in text
    chloe.refresh_from_db()
    dan.refresh_from_db()
    assert (chloe.status, dan.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert team.post(cancel).status_code == 422  # cancelled already


def test_the_csv_export_is_for_french_excel(team, workshop):
    event, session, (alice, *_rest) = workshop
    with translation.override("fr"):
        response = team.get(url("registrations_csv", event), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inscrits-')
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5
    header, first = rows[0], rows[1]
    by = dict(zip(header, first, strict=True))
    assert by[header[3]] == "Alice Martin"
    assert by[header[4]] == alice.email
    assert by[header[5]] == "2"
    assert by[header[7]] == "5,00" and by[header[8]] == "10,00"
    assert [row[1] for row in rows[3:]] == ["1", "2"]  # the waiting list's positions
    one = team.get(url("session_registrations_csv", event, session.pk))
    assert one.status_code == 200


def test_the_csv_keeps_a_formula_as_text(team, place, coordinator, room):
    event, session = ef.published(
        coordinator, place, room, at("2027-03-05", 10), at("2027-03-05", 12)
    )
    ef.visitor(event, session, "=HYPERLINK(1)", email="x@example.org")
    body = team.get(url("registrations_csv", event)).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_the_events_page_shows_seats_taken_and_waiting_per_date(team, workshop):
    event, session, _rows = workshop
    response = team.get(reverse("events_manage:detail", args=[event.place.slug, event.pk]))
    text = response.content.decode()
    assert "3 / 3" in text and "3 en attente" in text
    assert url("session_registrations", event, session.pk) in text
    assert url("attendance", event, session.pk) in text


def test_a_courses_page_shows_its_seats_once(team, place, coordinator, room):
    course = ef.event(place, title="Formation", kind="training", enrolment="series", capacity=6)
    ef.session(coordinator, course, room, at("2027-03-03", 9), at("2027-03-03", 12))
    services.publish_event(actor=coordinator, event=course)
    course.refresh_from_db()
    ef.visitor(course, None, "Inès", seats=2)
    text = team.get(reverse("events_manage:detail", args=[place.slug, course.pk])).content
    assert "Places prises pour la formation\u00a0: 2 / 6" in text.decode()


def test_the_event_form_sets_registration_and_enrolment(team, place):
    data = {
        "title": "Portes ouvertes",
        "kind": "open_day",
        "access": "public",
        "capacity": "200",
        "registration_required": "False",
        "enrolment": "series",
    }
    response = team.post(reverse("events_manage:new", args=[place.slug]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.registration_required, event.enrolment) == (False, "series")


@pytest.mark.parametrize("persona", ["member", "other_coordinator", "outsider"])
def test_others_are_refused(client, request, persona, workshop):
    event, session, (alice, *_rest) = workshop
    client.force_login(af.user() if persona == "outsider" else request.getfixturevalue(persona))
    for page in (
        url("registrations", event),
        url("session_registrations", event, session.pk),
        url("registrations_csv", event),
        url("add_registration", event),
        url("cancel_registration", event, alice.pk),
        url("certificate", event, alice.pk),
    ):
        assert client.get(page).status_code == 403, page
        assert client.post(page).status_code == 403, page
    assert Registration.objects.filter(status=Status.CANCELLED).count() == 0


def test_staff_may_and_another_places_rows_are_404(client, staff, other_place, workshop):
    event, _session, (alice, *_rest) = workshop
    client.force_login(staff)
    assert client.get(url("registrations", event)).status_code == 200
    elsewhere = ef.event(other_place)
    slug = event.place.slug
    page = reverse("events_manage:registrations", args=[slug, elsewhere.pk])
    assert client.get(page).status_code == 404
    cancel = reverse("events_manage:cancel_registration", args=[slug, elsewhere.pk, alice.pk])
    assert client.get(cancel).status_code == 404


def test_anonymous_is_sent_to_log_in(client, workshop):
    event, *_rest = workshop
    response = client.get(url("registrations", event))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_reads_registrations_and_attendance_and_writes_none(client, workshop):
    _event, _session, (alice, *_rest) = workshop
    client.force_login(af.user(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:events_registration_changelist"))
    assert listing.status_code == 200 and "Alice Martin" in listing.content.decode()
    assert client.get(reverse("admin:events_registration_add")).status_code == 403
    change = reverse("admin:events_registration_change", args=[alice.pk])
    assert client.post(change, {"name": "Autre"}).status_code == 403
    assert client.get(reverse("admin:events_attendance_changelist")).status_code == 200
    assert client.get(reverse("admin:events_attendance_add")).status_code == 403


def test_the_way_to_register_stays_once_people_registered(team, workshop):
    event, _session, _rows = workshop
    data = {"title": event.title, "kind": "workshop", "access": "public", "capacity": "3"}
    edit = reverse("events_manage:edit", args=[event.place.slug, event.pk])
    response = team.post(edit, {**data, "enrolment": "series"})
    assert response.status_code == 422
    assert "le mode d’inscription ne peut plus changer" in response.content.decode()
    assert team.post(edit, {**data, "enrolment": "session"}).status_code == 302
    event.refresh_from_db()
    assert (event.enrolment, event.registration_required) == ("session", True)
