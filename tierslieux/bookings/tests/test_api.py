"""The /api/v1/bookings API, per persona: the booker, the place's team, a stranger."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import Space
from tierslieux.places.tests import factories as pf

API = "/api/v1/bookings"
DAY = "2027-03-02"  # a Tuesday, no holiday, within the horizon


@pytest.fixture
def place():
    return bf.open_place(name="La Halle")


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaurès", slug="jaures", capacity=6)
    bf.rules(space)
    return space


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def body(space: Space, start: str, end: str, **fields: Any) -> dict[str, Any]:
    return {"place": space.place.slug, "space": space.slug, "start": start, "end": end, **fields}


def book(actor: Any, space: Space, day: str = DAY, start: int = 10, end: int = 12, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), **kw
    )


@pytest.fixture(autouse=True)
def _pinned(clock: Any) -> Any:
    """Every test reads the API at the same moment, months before DAY, whatever today is."""
    clock.set(at("2026-12-01", 8))
    return clock


def fix_now(clock: Any, moment: datetime) -> None:
    clock.set(moment)


# --- Creating -------------------------------------------------------------------------------


def test_a_member_books_a_free_slot_and_reads_it_back_in_the_place_offset(room):
    member = pf.user()
    response = post(
        client_for(member),
        API,
        body(room, f"{DAY}T09:00:00Z", f"{DAY}T11:00:00Z", title="Réunion"),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["start"] == f"{DAY}T10:00:00+01:00"
    assert data["end"] == f"{DAY}T12:00:00+01:00"
    assert (data["status"], data["title"], data["space"]) == ("confirmed", "Réunion", "jaures")
    booking = Booking.objects.get(pk=data["id"])
    assert booking.person == member.person and booking.start == at(DAY, 10)


def test_a_taken_slot_answers_409_with_the_conflict_alternatives_and_similar_spaces(place, room):
    book(pf.user(), room, start=10, end=12)
    twin = bf.room(place, name="Salle Zola", slug="zola", capacity=6)
    bf.rules(twin)

    response = post(
        client_for(pf.user()),
        API,
        body(room, f"{DAY}T11:00:00+01:00", f"{DAY}T13:00:00+01:00"),
    )

    assert response.status_code == 409
    data = response.json()
    assert "Salle Jaurès" in data["detail"]
    assert data["conflicts"] == [
        {"space": "jaures", "start": f"{DAY}T10:00:00+01:00", "end": f"{DAY}T12:00:00+01:00"}
    ]
    assert data["alternatives"]
    for slot in data["alternatives"]:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert start.utcoffset() == end.utcoffset() and str(start.utcoffset()) == "1:00:00"
        assert end <= at(DAY, 10) or start >= at(DAY, 12)
    assert data["similar_spaces"] == [{"slug": "zola", "name": "Salle Zola"}]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (f"{DAY}T10:00:00", f"{DAY}T11:00:00+01:00", "start"),
        (f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00", "end"),
    ],
)
def test_a_naive_datetime_is_refused_with_a_clear_422(room, start, end, field):
    response = post(client_for(pf.user()), API, body(room, start, end))
    assert response.status_code == 422
    assert "2026-03-02T10:00:00+01:00" in response.json()["errors"][field][0]
    assert not Booking.objects.exists()


def test_an_end_before_the_start_is_refused_with_422(room):
    response = post(
        client_for(pf.user()), API, body(room, f"{DAY}T11:00:00+01:00", f"{DAY}T10:00:00+01:00")
    )
    assert response.status_code == 422
    assert response.json()["errors"]["end"]  # the field to correct is named
    assert not Booking.objects.exists()


def test_an_unknown_space_answers_404(room):
    data = {**body(room, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00"), "space": "nowhere"}
    assert post(client_for(pf.user()), API, data).status_code == 404


def test_a_slot_outside_opening_hours_is_refused_with_422(room):
    response = post(
        client_for(pf.user()), API, body(room, f"{DAY}T19:00:00+01:00", f"{DAY}T21:00:00+01:00")
    )
    assert response.status_code == 422
    assert not Booking.objects.exists()


def test_a_machine_needs_an_authorisation_before_the_api_books_it(place):
    printer = pf.space(place, name="Imprimante 3D", slug="imprimante", kind=Space.Kind.MACHINE)
    bf.rules(printer, requires_authorisation=True)
    maker = pf.user()
    data = body(printer, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00")

    refused = post(client_for(maker), API, data)
    assert refused.status_code == 422
    assert not Booking.objects.exists()

    services.authorise(
        actor=pf.coordinator(place), person=maker.person, space=printer, granted_on=date(2027, 1, 1)
    )
    assert post(client_for(maker), API, data).status_code == 201


def test_the_team_books_for_a_member_but_a_member_cannot_book_for_someone_else(place, room):
    member = pf.member(place)
    data = body(room, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00", person_id=member.person.pk)

    assert post(client_for(pf.user()), API, data).status_code == 403
    response = post(client_for(pf.coordinator(place)), API, data)
    assert response.status_code == 201
    assert response.json()["person_id"] == member.person.pk


def test_the_team_cannot_book_for_a_person_unknown_to_the_place(place, room):
    elsewhere = pf.member(pf.place())
    data = body(
        room, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00", person_id=elsewhere.person.pk
    )
    response = post(client_for(pf.coordinator(place)), API, data)
    assert response.status_code == 422 and "person_id" in response.json()["errors"]


def test_writes_without_credentials_answer_401(room):
    data = body(room, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00")
    assert post(Client(), API, data).status_code == 401
    assert Client().get(f"{API}/mine").status_code == 401


# --- Changing -------------------------------------------------------------------------------


def test_the_booker_cancels_their_booking(room):
    member = pf.user()
    booking = book(member, room)
    response = post(client_for(member), f"{API}/{booking.pk}/cancel", {"reason": "Malade"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "Malade")


def test_the_team_cancels_a_members_booking_without_a_body(place, room):
    booking = book(pf.user(), room)
    response = post(client_for(pf.staff(place)), f"{API}/{booking.pk}/cancel")
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_booker_moves_their_booking_and_a_taken_slot_answers_409(room):
    member = pf.user()
    booking = book(member, room, start=10, end=12)
    book(pf.user(), room, start=15, end=16)
    client = client_for(member)

    moved = post(
        client,
        f"{API}/{booking.pk}/move",
        {"start": f"{DAY}T13:00:00+01:00", "end": f"{DAY}T14:30:00+01:00"},
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == f"{DAY}T13:00:00+01:00"

    taken = post(
        client,
        f"{API}/{booking.pk}/move",
        {"start": f"{DAY}T15:00:00+01:00", "end": f"{DAY}T16:00:00+01:00"},
    )
    assert taken.status_code == 409 and taken.json()["alternatives"]
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(DAY, 13), at(DAY, 14, 30))


def test_confirming_a_request_rejects_the_requests_it_overlaps(place, room):
    bf.rules(room, approval_required=True)
    first = book(pf.user(), room, start=10, end=12)
    second = book(pf.user(), room, start=11, end=13)
    apart = book(pf.user(), room, start=14, end=15)
    assert {first.status, second.status, apart.status} == {"requested"}

    response = post(client_for(pf.coordinator(place)), f"{API}/{first.pk}/confirm")

    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "cancelled", apart.pk: "requested"}


def test_the_team_rejects_a_request_and_the_booker_cannot_confirm_their_own(place, room):
    bf.rules(room, approval_required=True)
    member = pf.user()
    booking = book(member, room)

    assert post(client_for(member), f"{API}/{booking.pk}/confirm").status_code == 403
    response = post(client_for(pf.staff(place)), f"{API}/{booking.pk}/reject", {"reason": "Non"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"


def test_the_booker_checks_in_from_a_quarter_of_an_hour_before_the_start(clock, room):
    member = pf.user()
    booking = book(member, room)
    client = client_for(member)

    fix_now(clock, at(DAY, 9, 30))
    assert post(client, f"{API}/{booking.pk}/check-in").status_code == 422
    fix_now(clock, at(DAY, 9, 50))
    response = post(client, f"{API}/{booking.pk}/check-in")
    assert response.status_code == 200
    assert response.json()["checked_in_at"] == f"{DAY}T09:50:00+01:00"


def test_a_stranger_gets_404_everywhere_on_a_booking_and_nothing_changes(place, room):
    booking = book(pf.user(), room, title="Secret")
    before = list(Booking.objects.values())
    stranger = client_for(pf.user())
    other_team = client_for(pf.coordinator(pf.place()))

    for client in (stranger, other_team):
        assert client.get(f"{API}/{booking.pk}").status_code == 404
        for action in ("cancel", "confirm", "reject", "check-in"):
            assert post(client, f"{API}/{booking.pk}/{action}").status_code == 404, action
        move = {"start": f"{DAY}T13:00:00+01:00", "end": f"{DAY}T14:00:00+01:00"}
        assert post(client, f"{API}/{booking.pk}/move", move).status_code == 404
    assert list(Booking.objects.values()) == before


def test_the_booker_and_the_team_read_a_booking(place, room):
    member = pf.user()
    booking = book(member, room, title="Atelier")
    for user in (member, pf.staff(place)):
        response = client_for(user).get(f"{API}/{booking.pk}")
        assert response.status_code == 200 and response.json()["title"] == "Atelier"


# --- Series ---------------------------------------------------------------------------------


def test_a_weekly_series_skips_the_taken_week_and_says_which(room):
    book(pf.user(), room, day="2027-03-09", start=10, end=11)
    data = body(
        room,
        f"{DAY}T10:00:00+01:00",
        f"{DAY}T11:00:00+01:00",
        title="Yoga",
        freq="weekly",
        count=3,
        skip_conflicts=True,
    )
    response = post(client_for(pf.user()), f"{API}/series", data)
    assert response.status_code == 201, response.content
    out = response.json()
    assert [b["start"] for b in out["created"]] == [
        "2027-03-02T10:00:00+01:00",
        "2027-03-16T10:00:00+01:00",
    ]
    assert [s["start"] for s in out["skipped"]] == ["2027-03-09T10:00:00+01:00"]
    assert out["rrule"].startswith("FREQ=WEEKLY")


def test_a_series_that_cannot_skip_fails_whole_with_409(room):
    book(pf.user(), room, day="2027-03-09", start=10, end=11)
    data = body(room, f"{DAY}T10:00:00+01:00", f"{DAY}T11:00:00+01:00", count=3)
    response = post(client_for(pf.user()), f"{API}/series", data)
    assert response.status_code == 409
    assert Booking.objects.count() == 1


# --- Reading calendars ----------------------------------------------------------------------


def test_a_spaces_bookings_show_titles_and_people_only_to_the_team_and_the_booker(place, room):
    member = pf.user()
    book(member, room, start=10, end=11, title="Privé")
    book(pf.user(), room, start=14, end=15, title="Autre")
    url = f"{API}/spaces/{place.slug}/{room.slug}"
    params = {"from": DAY, "to": DAY}

    public = Client().get(url, params).json()
    assert [(r["start"], r["title"], r["person"]) for r in public] == [
        (f"{DAY}T10:00:00+01:00", None, None),
        (f"{DAY}T14:00:00+01:00", None, None),
    ]
    assert "Nom" not in Client().get(url, params).content.decode()

    own = client_for(member).get(url, params).json()
    assert [r["title"] for r in own] == ["Privé", None]

    team = client_for(pf.staff(place)).get(url, params).json()
    assert [r["title"] for r in team] == ["Privé", "Autre"]
    assert team[0]["person"] == str(member.person)


def test_a_spaces_bookings_cover_at_most_62_days(place, room):
    url = f"{API}/spaces/{place.slug}/{room.slug}"
    assert Client().get(url, {"from": "2027-01-01", "to": "2027-03-03"}).status_code == 200
    assert Client().get(url, {"from": "2027-01-01", "to": "2027-03-04"}).status_code == 422


def test_mine_lists_the_callers_coming_bookings_only(room):
    member = pf.user()
    mine = book(member, room, start=10, end=11)
    book(pf.user(), room, start=14, end=15)
    response = client_for(member).get(f"{API}/mine")
    assert [b["id"] for b in response.json()] == [mine.pk]


# --- Availability and free spaces, in the place's time zone ---------------------------------


def test_availability_lists_free_slots_in_the_place_offset(room):
    book(pf.user(), room, start=10, end=12)
    response = Client().get(
        f"{API}/availability",
        {"place": room.place.slug, "space": room.slug, "date": DAY, "duration": 60},
    )
    assert response.status_code == 200
    data = response.json()
    starts = [slot["start"] for slot in data["slots"]]
    assert data["timezone"] == "Europe/Paris" and data["duration"] == 60
    assert starts[0] == f"{DAY}T08:00:00+01:00"
    assert starts[-1] == f"{DAY}T19:00:00+01:00"
    assert f"{DAY}T09:00:00+01:00" in starts and f"{DAY}T09:15:00+01:00" not in starts
    assert not any(f"{DAY}T1{h}:" in s for s in starts for h in (0, 1))


@pytest.mark.parametrize(("day", "offset"), [("2026-03-29", "+02:00"), ("2026-10-25", "+01:00")])
def test_availability_on_daylight_saving_days_keeps_opening_hours_local(clock, room, day, offset):
    fix_now(clock, at("2026-03-01", 8))
    response = Client().get(
        f"{API}/availability",
        {"place": room.place.slug, "space": room.slug, "date": day, "duration": 60},
    )
    starts = [slot["start"] for slot in response.json()["slots"]]
    assert starts[0] == f"{day}T08:00:00{offset}"
    assert starts[-1] == f"{day}T19:00:00{offset}"
    assert len(starts) == 45  # 08:00 to 19:00 every quarter of an hour: 12 hours open


def test_availability_over_two_days_across_the_spring_change(clock, room):
    fix_now(clock, at("2026-03-01", 8))
    response = Client().get(
        f"{API}/availability",
        {"place": room.place.slug, "space": room.slug, "date": "2026-03-28", "days": 2},
    )
    starts = [slot["start"] for slot in response.json()["slots"]]
    assert starts[0] == "2026-03-28T08:00:00+01:00"
    assert starts[-1] == "2026-03-29T19:45:00+02:00"  # 15 minutes, the space's minimum


def test_free_spaces_answers_in_the_place_offset_and_leaves_out_the_busy_ones(place, room):
    busy = bf.room(place, name="Salle Zola", slug="zola", capacity=6)
    bf.rules(busy)
    book(pf.user(), busy, day="2027-04-06", start=9, end=11)
    response = Client().get(
        f"{API}/free-spaces",
        {"place": place.slug, "date": "2027-04-06", "start": "10:00", "end": "12:00"},
    )
    assert response.status_code == 200
    assert [(s["slug"], s["start"], s["end"]) for s in response.json()] == [
        ("jaures", "2027-04-06T10:00:00+02:00", "2027-04-06T12:00:00+02:00")
    ]


def test_free_spaces_filters_by_people_and_equipment(place, room):
    small = bf.room(place, name="Bulle", slug="bulle", capacity=2)
    bf.rules(small)
    params = {"place": place.slug, "date": DAY, "start": "10:00", "end": "11:00"}
    assert {s["slug"] for s in Client().get(f"{API}/free-spaces", params).json()} == {
        "jaures",
        "bulle",
    }
    crowded = Client().get(f"{API}/free-spaces", {**params, "people": 4}).json()
    assert [s["slug"] for s in crowded] == ["jaures"]
    assert Client().get(f"{API}/free-spaces", {**params, "equipment": "projector"}).json() == []


def test_free_spaces_over_a_network_uses_each_places_own_time_zone(place, room):
    reunion = bf.open_place(
        network=place.network, name="Case", timezone="Indian/Reunion", postcode="97400"
    )
    bf.rules(bf.room(reunion, name="Varangue", slug="varangue"))
    response = Client().get(
        f"{API}/free-spaces",
        {"network": place.network.slug, "date": DAY, "start": "10:00", "end": "11:00"},
    )
    found = {s["slug"]: s["start"] for s in response.json()}
    assert found == {"jaures": f"{DAY}T10:00:00+01:00", "varangue": f"{DAY}T10:00:00+04:00"}
    utc = {datetime.fromisoformat(s).astimezone(UTC).hour for s in found.values()}
    assert utc == {9, 6}


@pytest.mark.parametrize(
    ("day", "start", "offset"),
    [("2026-03-29", "10:00", "+02:00"), ("2026-10-25", "10:00", "+01:00")],
)
def test_free_spaces_on_daylight_saving_days(place, room, day, start, offset):
    response = Client().get(
        f"{API}/free-spaces", {"place": place.slug, "date": day, "start": start, "end": "12:00"}
    )
    assert response.status_code == 200
    assert [s["start"] for s in response.json()] == [f"{day}T{start}:00{offset}"]


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])
def test_free_spaces_names_a_local_time_that_does_not_exist_or_exists_twice(place, day):
    response = Client().get(
        f"{API}/free-spaces", {"place": place.slug, "date": day, "start": "02:30", "end": "04:00"}
    )
    assert response.status_code == 422
    message = response.json()["errors"]["start"][0]
    assert "02:30" in message and "Europe/Paris" in message


def test_free_spaces_wants_a_place_or_a_network_and_an_end_after_the_start(place):
    params = {"date": DAY, "start": "10:00", "end": "11:00"}
    assert Client().get(f"{API}/free-spaces", params).status_code == 422
    reversed_ = {**params, "place": place.slug, "start": "12:00"}
    assert Client().get(f"{API}/free-spaces", reversed_).status_code == 422
    unknown = {**params, "network": "nowhere"}
    assert Client().get(f"{API}/free-spaces", unknown).status_code == 404
