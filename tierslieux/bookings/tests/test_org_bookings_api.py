"""Bookings as one's organisation through the API (`organisation_id`, `headcount`, `purpose`:
absurd values answer 422 with the field named), and whom the e-mails of an organisation's
booking go to: the person who made it, or the organisation's address when the team did."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings import emails, services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import org_api_setup as setup
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

# The shared set-up (`org_api_setup`): La Halle, its Jaurès room, the requests.
API, DAY, client_for, post, body = setup.API, setup.DAY, setup.client_for, setup.post, setup.body
pinned, place, room = setup.pinned, setup.place, setup.room


@pytest.fixture
def org(place):
    found = af.organisation(name="Atelier Vélo", email="contact@atelier-velo.example")
    PlaceRole.objects.create(place=place, organisation=found, role="resident_organisation")
    return found


@pytest.fixture
def occupant(place, org):
    user = pf.member(place)
    user.language = "fr"
    user.save(update_fields=["language"])
    org.people.add(user.person)
    return user


def test_a_member_books_as_their_organisation_through_the_api(room, org, occupant):
    client = client_for(occupant)
    payload = body(room, organisation_id=org.pk, headcount=4, purpose="training")
    response = post(client, API, payload)
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["organisation_id"] == org.pk and out["organisation"] == "Atelier Vélo"
    assert out["person_id"] is None and (out["headcount"], out["purpose"]) == (4, "training")
    assert out["title"] == "Atelier Vélo"
    mine = client.get(f"{API}/mine").json()
    assert [b["id"] for b in mine] == [out["id"]] and mine[0]["organisation"] == "Atelier Vélo"
    assert client.get(f"{API}/{out['id']}").json()["organisation_id"] == org.pk
    cancelled = post(client, f"{API}/{out['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_someone_else_is_refused_with_the_field_named(place, room, org):
    response = post(client_for(pf.member(place)), API, body(room, organisation_id=org.pk))
    assert response.status_code == 422
    assert "organisation_id" in str(response.json())
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headcount", 0),
        ("headcount", -3),
        ("headcount", 10**12),
        ("headcount", "many"),
        ("headcount", 7),  # above the space's capacity: the service says so
        ("purpose", "party"),
        ("purpose", "x" * 500),
        ("purpose", 12),
        ("organisation_id", "abc"),
        ("organisation_id", 10**30),
    ],
)
def test_absurd_values_answer_422_naming_the_field(room, occupant, field, value):
    response = post(client_for(occupant), API, body(room, **{field: value}))
    assert response.status_code == 422, response.content
    assert field in str(response.json())
    assert not Booking.objects.exists()


def test_absurd_series_values_answer_422(room, occupant):
    payload = body(room, count=2, headcount=0)
    response = post(client_for(occupant), f"{API}/series", payload)
    assert response.status_code == 422 and "headcount" in str(response.json())


def test_the_email_of_an_organisations_booking_goes_to_the_person_who_made_it(
    room, org, occupant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.create_booking(
            actor=occupant,
            space=room,
            start=at(DAY, 10),
            end=at(DAY, 12),
            organisation=org,
            headcount=3,
            purpose="meeting",
        )
    message = mail.outbox[-1]
    assert message.to == [occupant.email]
    lines = message.body.splitlines()  # French: a no-break space before the colon
    assert "Réservé pour\u00a0: Atelier Vélo" in lines
    assert "Nombre de personnes\u00a0: 3" in lines and "Objet\u00a0: Réunion" in lines
    assert emails.recipient(booking)[0] == occupant.person


def test_the_email_goes_to_the_organisation_when_the_team_booked_it(
    place, room, org, django_capture_on_commit_callbacks
):
    team = pf.coordinator(place)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(
            actor=team, space=room, start=at(DAY, 10), end=at(DAY, 12), organisation=org
        )
    assert mail.outbox[-1].to == ["contact@atelier-velo.example"]
    assert mail.outbox[-1].body.startswith("Bonjour,")


def test_no_email_when_the_organisation_has_no_address(
    place, room, django_capture_on_commit_callbacks
):
    bare = af.organisation(name="Sans adresse")
    PlaceRole.objects.create(place=place, organisation=bare, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_booking(
            actor=pf.coordinator(place),
            space=room,
            start=at(DAY, 10),
            end=at(DAY, 12),
            organisation=bare,
        )
    assert mail.outbox == []


def test_the_maker_sees_it_in_the_spaces_calendar_and_in_their_feed(place, room, org, occupant):
    booking = services.create_booking(
        actor=occupant, space=room, start=at(DAY, 10), end=at(DAY, 12), organisation=org
    )
    calendar = f"{API}/spaces/{place.slug}/{room.slug}?from={DAY}"
    row = client_for(occupant).get(calendar).json()[0]
    assert row["id"] == booking.pk and row["organisation"] == "Atelier Vélo"
    hidden = Client().get(calendar).json()[0]  # anyone else: only that it is taken
    assert "id" not in hidden or hidden["id"] is None
    assert hidden.get("organisation") is None and hidden.get("title") is None
    token = services.calendar_feed_for(occupant.person).token
    feed = Client().get(reverse("bookings:person-feed", args=[token])).content.decode()
    assert "Atelier Vélo" in feed
