"""The team's event pages: 200 for the team, 403 for others, 302 after a write, 422 with
the field named (and nothing written) on bad input or a taken slot."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tierslieux.bookings import services as bookings
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events.models import Event, PriceCategory, Session
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune", slug="salle-jaune", capacity=30)


@pytest.fixture
def workshop(place):
    return ef.event(place, title="Atelier couture")


@pytest.fixture
def team(client, coordinator):
    client.force_login(coordinator)
    return client


def url(name, place, *args):
    return reverse(f"events_manage:{name}", args=[place.slug, *args])


def slot(day="2027-03-03", start="14:00", end="16:00", **more):
    return {"space": "salle-jaune", "date": day, "start_time": start, "end_time": end, **more}


def test_the_list_shows_upcoming_events_first_and_pages(team, place, coordinator, room):
    later = ef.event(place, title="Projection")
    soon = ef.event(place, title="Repair café")
    ef.event(place, title="Causerie sans date")
    ef.session(coordinator, later, room, at("2027-03-10", 18), at("2027-03-10", 20))
    ef.session(coordinator, soon, room, at("2027-03-02", 18), at("2027-03-02", 20))
    response = team.get(url("list", place))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Repair café") < text.index("Projection") < text.index("Causerie")
    assert "Événements" in text
    for n in range(30):
        ef.event(place, title=f"E{n}")
    assert team.get(url("list", place), {"page": 2}).status_code == 200


def test_creating_an_event(team, place):
    response = team.post(
        url("new", place),
        {
            "title": "Formation",
            "kind": "training",
            "access": "members",
            "capacity": "8",
            "audiences": ["seniors", "families"],
            "hours": "7",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", place, event.pk)
    assert (event.access, event.audiences, event.hours) == ("members", ["seniors", "families"], 7)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "capacity": "8"}, "title"),
        ({"title": "Deux\nlignes", "capacity": "8"}, "title"),
        ({"title": "Atelier", "capacity": "0"}, "capacity"),
        ({"title": "Atelier", "capacity": "abc"}, "capacity"),
        ({"title": "Atelier", "capacity": "8", "audiences": ["martians"]}, "audiences"),
        ({"title": "Atelier", "capacity": "8", "hours": "7"}, "hours"),
        ({"title": "Atelier", "capacity": "8", "kind": "training", "hours": "0"}, "hours"),
        ({"title": "Atelier", "capacity": "1000000"}, "capacity"),
    ],
)
def test_bad_input_answers_422_naming_the_field(team, place, data, field):
    data = {"kind": "workshop", "access": "public", **data}
    response = team.post(url("new", place), data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_editing_an_event(team, place, workshop):
    assert team.get(url("edit", place, workshop.pk)).status_code == 200
    response = team.post(
        url("edit", place, workshop.pk),
        {"title": "Atelier tricot", "kind": "workshop", "access": "public", "capacity": "6"},
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.capacity) == ("Atelier tricot", 6)


def test_the_event_page_adds_a_session(team, place, workshop, room):
    assert team.get(url("detail", place, workshop.pk)).status_code == 200
    response = team.post(url("add_sessions", place, workshop.pk), slot())
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.booking.title == "Atelier couture"
    page = team.get(url("detail", place, workshop.pk)).content.decode()
    assert "Salle Jaune" in page
    assert "event.session_add" in page  # the history


def test_a_weekly_repetition_from_the_page(team, place, workshop, room):
    response = team.post(
        url("add_sessions", place, workshop.pk), slot(repeat="weekly", until="2027-03-24")
    )
    assert response.status_code == 302
    assert Session.objects.count() == 4


def test_a_taken_slot_answers_422_naming_the_booking(team, place, workshop, room, member):
    bookings.create_booking(
        actor=member, space=room, start=at("2027-03-03", 15), end=at("2027-03-03", 16)
    )
    response = team.post(url("add_sessions", place, workshop.pk), slot())
    assert response.status_code == 422
    assert "Salle Jaune a déjà une réservation du 3 mars 2027 à 15:00" in " ".join(
        response.context["session_form"].non_field_errors()
    )
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (slot(day="2027-02-20"), "date"),
        (slot(start="16:00", end="14:00"), "end_time"),
        (slot(start="22:00", end="23:00"), "start_time"),
        (slot(repeat="weekly"), "until"),
        (slot(repeat="weekly", until="2028-06-01"), "until"),
        (slot(repeat="weekly", until="2027-02-01"), "until"),
        (slot(space="nowhere"), "space"),
    ],
)
def test_bad_sessions_answer_422(team, place, workshop, room, data, field):
    response = team.post(url("add_sessions", place, workshop.pk), data)
    assert response.status_code == 422
    assert field in response.context["session_form"].errors
    assert not Booking.objects.exists()


def test_moving_and_cancelling_a_session_ask_first(team, place, workshop, room, coordinator):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    move = url("move_session", place, workshop.pk, session.pk)
    assert team.get(move).status_code == 200
    assert team.post(move, slot(day="2027-03-04")).status_code == 302
    assert Booking.objects.get().start == at("2027-03-04", 14)
    cancel = url("cancel_session", place, workshop.pk, session.pk)
    assert team.get(cancel).status_code == 200
    assert Booking.objects.get().status == "confirmed"
    assert team.post(cancel, {"reason": "Pluie"}).status_code == 302
    assert Booking.objects.get().status == "cancelled"


def test_publish_and_cancel_ask_first(team, place, workshop, room, coordinator):
    publish = url("publish", place, workshop.pk)
    assert team.get(publish).status_code == 200
    assert team.post(publish).status_code == 422  # no session yet
    ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    assert team.post(publish).status_code == 302
    cancel = url("cancel", place, workshop.pk)
    assert team.get(cancel).status_code == 200
    assert Event.objects.get().status == "published"
    assert team.post(cancel).status_code == 302
    assert Event.objects.get().status == "cancelled"
    assert Booking.objects.get().status == "cancelled"


def test_prices_from_the_page(team, place, workshop):
    set_price = url("set_price", place, workshop.pk)
    data = {"kind": "pay_what_you_want", "price_net": "12", "tax_code": "vat_20"}
    response = team.post(set_price, data)
    assert response.status_code == 422
    assert "min_price_net" in response.context["price_form"].errors
    response = team.post(set_price, {**data, "min_price_net": "5"})
    assert response.status_code == 302
    category = PriceCategory.objects.get()
    page = team.get(url("detail", place, workshop.pk)).content.decode()
    assert "5,00\u00a0€" in page
    remove = url("remove_price", place, workshop.pk, category.pk)
    assert team.get(remove).status_code == 200
    assert team.post(remove).status_code == 302
    assert not PriceCategory.objects.exists()


@pytest.mark.parametrize("persona", ["member", "other_coordinator"])
def test_others_get_403(client, request, persona, place, workshop, room, coordinator):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    client.force_login(request.getfixturevalue(persona))
    pages = [
        url("list", place),
        url("new", place),
        url("detail", place, workshop.pk),
        url("edit", place, workshop.pk),
        url("move_session", place, workshop.pk, session.pk),
        url("cancel_session", place, workshop.pk, session.pk),
        url("publish", place, workshop.pk),
        url("cancel", place, workshop.pk),
    ]
    for page in pages:
        assert client.get(page).status_code == 403, page
        assert client.post(page).status_code == 403, page
    assert Booking.objects.get().status == "confirmed"


def test_anonymous_is_sent_to_log_in(client, place):
    response = client.get(url("list", place))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_event_of_another_place_is_404(team, place, other_place):
    elsewhere = ef.event(other_place)
    assert team.get(url("detail", place, elsewhere.pk)).status_code == 404


def test_the_session_shows_in_the_place_calendar_under_the_event_title(
    team, place, workshop, room, coordinator
):
    ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    calendar = reverse("bookings:calendar", args=[place.slug])
    page = team.get(calendar, {"date": "2027-03-03"}).content.decode()
    assert "Atelier couture" in page
    assert (
        team.get(
            reverse("bookings_manage:board", args=[place.slug]), {"date": "2027-03-03"}
        ).status_code
        == 200
    )


def test_moving_onto_a_taken_slot_answers_422_and_moves_nothing(
    team, place, workshop, room, coordinator, member
):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    bookings.create_booking(
        actor=member, space=room, start=at("2027-03-04", 14), end=at("2027-03-04", 15)
    )
    response = team.post(
        url("move_session", place, workshop.pk, session.pk), slot(day="2027-03-04")
    )
    assert response.status_code == 422
    assert "15:00" in " ".join(response.context["form"].non_field_errors())
    session.refresh_from_db()
    assert session.start == at("2027-03-03", 14)
    assert Booking.objects.get(pk=session.booking_id).start == at("2027-03-03", 14)
