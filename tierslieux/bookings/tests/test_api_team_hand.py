"""The team's hand through the API: booking for an organisation (`organisation_id`, any of
the place's for the team, as the service decides), choosing what a cancellation gives back
(`refund`, the team only), moving to another space (`space`); the organisation shown to the
team (and to whoever made the booking) only."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests import org_api_setup as setup
from tierslieux.bookings.tests.factories import at
from tierslieux.members.models import Charge
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

# The shared set-up (`org_api_setup`): La Halle, its Jaurès room, the requests.
API, DAY, client_for, post, body = setup.API, setup.DAY, setup.client_for, setup.post, setup.body
pinned, place, room = setup.pinned, setup.place, setup.room


@pytest.fixture
def green(place):
    space = bf.room(place, name="Salle Verte", slug="verte", capacity=6)
    bf.rules(space)
    return space


@pytest.fixture
def org(place):
    found = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=found, role="resident_organisation")
    return found


@pytest.fixture
def team(place):
    return client_for(pf.coordinator(place))


def test_the_team_books_for_an_organisation_and_sees_it(team, place, room, org):
    response = post(team, API, body(room, organisation_id=org.pk))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["organisation_id"], data["organisation"]) == (org.pk, "Atelier Vélo")
    assert data["person_id"] is None and data["title"] == "Atelier Vélo"
    booking = Booking.objects.get(pk=data["id"])
    assert booking.organisation == org and booking.price_net == 80
    assert team.get(f"{API}/{booking.pk}").json()["organisation"] == "Atelier Vélo"
    rows = team.get(f"{API}/spaces/{place.slug}/jaures", {"from": DAY}).json()
    assert rows[0]["organisation"] == "Atelier Vélo"


def test_members_never_see_the_organisation(team, place, room, org):
    post(team, API, body(room, organisation_id=org.pk))
    member = pf.member(place)
    org.people.add(member.person)
    rows = client_for(member).get(f"{API}/spaces/{place.slug}/jaures", {"from": DAY}).json()
    assert rows == [
        {
            "start": f"{DAY}T10:00:00+01:00",
            "end": f"{DAY}T12:00:00+01:00",
            "units": 1,
            "status": "confirmed",
            "id": None,
            "title": None,
            "person": None,
            "organisation": None,
        }
    ]
    booking = Booking.objects.get()
    assert client_for(member).get(f"{API}/{booking.pk}").status_code == 404
    own = post(client_for(member), API, body(room, 14, 15)).json()
    assert own["organisation_id"] is None and own["organisation"] is None


def test_a_member_books_only_for_an_organisation_they_belong_to(place, room, org):
    """Since issue 10 a member books for their own organisation (`test_org_bookings`), never
    for one they do not belong to: refused with the field named, nothing written."""
    member = pf.member(place)
    response = post(client_for(member), API, body(room, organisation_id=org.pk))
    assert response.status_code == 422
    assert "organisation" in str(response.json())
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("both", "message"),
    [
        (False, "No such organisation is known to this place."),
        (True, "A booking is for a person or for an organisation, not both."),
    ],
)
def test_a_refused_organisation_is_named(team, place, room, other_place, both, message):
    if both:
        org = af.organisation()
        PlaceRole.objects.create(place=place, organisation=org, role="member")
        fields = {"person_id": pf.member(place).person.pk, "organisation_id": org.pk}
    else:
        stranger = af.organisation()
        PlaceRole.objects.create(place=other_place, organisation=stranger, role="member")
        fields = {"organisation_id": stranger.pk}
    response = post(team, API, body(room, **fields))
    assert response.status_code == 422, response.content
    with translation.override("fr"):  # the team's language
        assert response.json()["errors"]["organisation_id"] == [gettext(message)]
    assert not Booking.objects.exists()


@pytest.mark.parametrize("value", [10**30, "x", -1, 1.5])
def test_an_absurd_organisation_id_is_refused_without_a_crash(team, room, value):
    response = post(team, API, body(room, organisation_id=value))
    assert response.status_code == 422, response.content
    assert not Booking.objects.exists()


def test_the_team_chooses_what_a_late_cancellation_gives_back(team, place, room, org, clock):
    kept = Booking.objects.get(pk=post(team, API, body(room, organisation_id=org.pk)).json()["id"])
    back = Booking.objects.get(
        pk=post(team, API, body(room, 14, 16, organisation_id=org.pk)).json()["id"]
    )
    clock.set(at(DAY, 9))  # past the free cancellation deadline
    response = post(team, f"{API}/{kept.pk}/cancel", {"refund": False, "reason": "Absents"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert Charge.objects.get(source=prices.source_of(kept)).voided_at is None
    assert post(team, f"{API}/{back.pk}/cancel", {"refund": True}).status_code == 200
    assert Charge.objects.get(source=prices.source_of(back)).voided_at is not None


def test_a_member_cannot_choose_what_comes_back(place, room):
    member = pf.member(place)
    booking = services.create_booking(actor=member, space=room, start=at(DAY, 10), end=at(DAY, 12))
    client = client_for(member)
    assert post(client, f"{API}/{booking.pk}/cancel", {"refund": True}).status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert post(client, f"{API}/{booking.pk}/cancel", {"refund": "maybe"}).status_code == 422
    assert post(client, f"{API}/{booking.pk}/cancel").status_code == 200


def test_the_team_moves_a_booking_to_another_space(team, place, room, green, org):
    made = post(team, API, body(room, organisation_id=org.pk)).json()
    move = {"start": f"{DAY}T14:00:00+01:00", "end": f"{DAY}T15:00:00+01:00", "space": "verte"}
    response = post(team, f"{API}/{made['id']}/move", move)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["space"], data["start"], data["organisation"]) == (
        "verte",
        f"{DAY}T14:00:00+01:00",
        "Atelier Vélo",
    )
    booking = Booking.objects.get(pk=made["id"])
    assert booking.space == green and booking.organisation == org
    assert booking.price_net is None  # the green room has no rate: its charge voided
    assert Charge.objects.get(source=prices.source_of(booking)).voided_at is not None


@pytest.mark.parametrize("space", ["nowhere", "elsewhere", "x" * 101])
def test_a_move_to_an_unknown_space_is_refused_and_changes_nothing(
    team, place, room, other_place, space
):
    bf.rules(bf.room(other_place, name="Ailleurs", slug="elsewhere"))
    made = post(team, API, body(room)).json()
    move = {"start": f"{DAY}T14:00:00+01:00", "end": f"{DAY}T15:00:00+01:00", "space": space}
    response = post(team, f"{API}/{made['id']}/move", move)
    assert response.status_code == 422, response.content
    assert "space" in response.json()["errors"]
    booking = Booking.objects.get(pk=made["id"])
    assert booking.space == room and booking.start == at(DAY, 10)


def test_a_member_moves_their_booking_to_another_space_of_the_place(place, room, green):
    member = pf.member(place)
    client = client_for(member)
    made = post(client, API, body(room)).json()
    move = {"start": f"{DAY}T10:00:00+01:00", "end": f"{DAY}T12:00:00+01:00", "space": "verte"}
    response = post(client, f"{API}/{made['id']}/move", move)
    assert response.status_code == 200, response.content
    assert response.json()["space"] == "verte"
