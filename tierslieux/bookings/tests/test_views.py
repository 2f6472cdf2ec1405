"""Booking pages per persona: the calendar, the booking form (conflicts, daylight saving,
recurrence), "my bookings", and the team's desk behind `Perm.MANAGE_BOOKINGS`.

The personas are the root conftest's (`place` opened every day here, `member`, `staff`,
`coordinator`, `other_coordinator`); the clock stands on 1 December 2026, before `DAY`,
unless a test asks for it running."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.bookings.models import Booking, MachineAuthorisation
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.places.models import Space
from tierslieux.places.tests import factories as f

DAY = "2027-01-13"  # a Wednesday, in the future, no public holiday
Status = Booking.Status


@pytest.fixture(autouse=True)
def _today(request, clock):
    """Tests with fixed dates see the clock stand on 1 December 2026; tests about the present
    (arrivals) ask for `running_clock` and place their bookings around `clock.now()`."""
    if "running_clock" not in request.fixturenames:
        clock.set(at("2026-12-01", 9))


@pytest.fixture
def running_clock(clock):
    return clock


@pytest.fixture
def english_pages(client):
    """Pages read in their English source strings, whatever the catalogues say (the client's
    language cookie: a request activates its own language)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def place(place):
    return open_every_day(place)


@pytest.fixture
def space(place):
    s = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(s)
    return s


def booking_data(space, day=DAY, start="10:00", end="11:00", **extra):
    return {
        "space": space.slug,
        "date": day,
        "start_time": start,
        "end_time": end,
        "title": "Atelier couture",
        "note": "",
        "on_conflict": "skip",
        **extra,
    }


def book_url(place):
    return reverse("bookings:book", args=[place.slug])


def board_url(place):
    return reverse("bookings_manage:board", args=[place.slug])


def a_booking(space, person, start, end, status=Status.CONFIRMED, **fields):
    return Booking.objects.create(
        place=space.place,
        space=space,
        person=person,
        start=start,
        end=end,
        status=status,
        exclusive=space.units == 1,
        **fields,
    )


# --- Who may see what -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login_from_every_booking_page(client, place, space):
    urls = [
        reverse("bookings:calendar", args=[place.slug]),
        book_url(place),
        reverse("bookings:slots", args=[place.slug]),
        reverse("bookings:mine"),
        board_url(place),
        reverse("bookings_manage:authorisations", args=[place.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert client.post(book_url(place), booking_data(space)).status_code == 302
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "member", "other_coordinator"])
def test_people_without_the_bookings_permission_get_403_on_the_desk(
    request, client, place, space, persona, member
):
    requester = member
    pending = a_booking(space, requester.person, at(DAY, 10), at(DAY, 11), status=Status.REQUESTED)
    user = f.user() if persona == "outsider" else request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(board_url(place)).status_code == 403
    assert (
        client.get(reverse("bookings_manage:authorisations", args=[place.slug])).status_code == 403
    )
    for action in ("confirm", "reject", "check_in", "no_show"):
        url = reverse(f"bookings_manage:{action}", args=[place.slug, pending.pk])
        assert client.post(url).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.REQUESTED


def test_the_place_page_offers_booking_to_logged_in_people_only(client, place):
    calendar = reverse("bookings:calendar", args=[place.slug])
    assert calendar not in client.get(place.get_absolute_url()).content.decode()
    client.force_login(f.user())
    assert calendar in client.get(place.get_absolute_url()).content.decode()
    assert reverse("bookings:mine") in client.get(reverse("web:dashboard")).content.decode()


def test_the_back_office_shows_a_bookings_tab_to_the_team(client, place, staff):
    client.force_login(staff)
    assert (
        board_url(place) in client.get(reverse("places:manage", args=[place.slug])).content.decode()
    )


# --- Calendar -------------------------------------------------------------------------------


def test_the_calendar_shows_free_intervals_as_links_to_the_prefilled_form(
    client, place, space, member
):
    client.force_login(member)
    response = client.get(
        reverse("bookings:calendar", args=[place.slug]), {"date": DAY, "view": "day"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Salle Jaune" in page
    assert f"{book_url(place)}?space=salle-jaune&amp;start=2027-01-13T08%3A00" in page
    assert [f"{h:02d}:00" for h in range(8, 20)] == [
        f"{h:02d}:00" for h in response.context["hours"]
    ]


def test_details_of_a_booking_are_for_its_booker_and_the_team_only(
    client, place, space, english_pages, staff
):
    booker = f.member(place)
    a_booking(space, booker.person, at(DAY, 10), at(DAY, 11), title="Réunion secrète")
    url = reverse("bookings:calendar", args=[place.slug])
    for user, sees in [(booker, True), (staff, True), (f.member(place), False)]:
        client.force_login(user)
        page = client.get(url, {"date": DAY}).content.decode()
        assert ("Réunion secrète" in page) is sees
        assert "Booked" in page or sees


def test_the_week_view_starts_on_monday_and_links_each_day(client, place, space):
    client.force_login(f.user())
    response = client.get(
        reverse("bookings:calendar", args=[place.slug]), {"date": DAY, "view": "week"}
    )
    assert response.context["days"][0] == date(2027, 1, 11)
    assert len(response.context["rows"][0].cells) == 7
    assert "?date=2027-01-17&amp;view=day" in response.content.decode()


def test_the_calendar_does_not_query_per_space(client, place, space, member):
    client.force_login(member)
    url = reverse("bookings:calendar", args=[place.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"date": DAY, "view": "week"}).status_code == 200
        return len(queries)

    # A space following its kind's defaults (the place's are read once, not per space), with
    # a slot the place holds (its public labels are asked once, whatever their number).
    a_booking(room(place), None, at(DAY, 9), at(DAY, 10))
    few = count()
    for _ in range(6):
        s = room(place)
        a_booking(s, None, at(DAY, 9), at(DAY, 10))
    assert count() == few


# --- Booking --------------------------------------------------------------------------------


def test_a_member_books_sees_it_in_my_bookings_and_cancels_it(client, place, space, member):
    client.force_login(member)
    response = client.post(book_url(place), booking_data(space))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('bookings:calendar', args=[place.slug])}?date={DAY}"
    booking = Booking.objects.get()
    assert (booking.start, booking.end, booking.status) == (
        at(DAY, 10),
        at(DAY, 11),
        Status.CONFIRMED,
    )
    assert booking.person == member.person and booking.title == "Atelier couture"

    mine = client.get(reverse("bookings:mine"))
    assert [b.pk for b in mine.context["upcoming"]] == [booking.pk]
    assert reverse("bookings:cancel", args=[booking.pk]) in mine.content.decode()

    response = client.post(reverse("bookings:cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert client.get(reverse("bookings:mine")).context["upcoming"] == []


def test_nobody_cancels_someone_elses_booking_from_my_bookings(client, place, space, member):
    booking = a_booking(space, member.person, at(DAY, 10), at(DAY, 11))
    client.force_login(f.member(place))
    assert client.post(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
    assert client.get(reverse("bookings:move", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_a_taken_slot_answers_409_with_alternatives_and_similar_spaces(
    client, place, space, english_pages
):
    other = room(place, name="Salle Verte", slug="salle-verte")
    rules(other)
    a_booking(space, f.member(place).person, at(DAY, 10), at(DAY, 11))
    client.force_login(f.member(place))
    response = client.post(book_url(place), booking_data(space, start="10:30", end="11:30"))
    assert response.status_code == 409
    conflict = response.context["conflict"]
    assert "This slot is taken" in conflict["message"]
    assert conflict["alternatives"]
    first = conflict["alternatives"][0]
    assert first["url"].startswith(f"{book_url(place)}?space=salle-jaune&start=2027-01-13T")
    assert [s["space"] for s in conflict["similar"]] == [other]
    page = response.content.decode()
    assert 'role="alert"' in page and first["url"].replace("&", "&amp;") in page
    assert Booking.objects.count() == 1


def test_a_local_time_that_does_not_exist_is_a_precise_form_error(
    client, place, space, english_pages, member
):
    client.force_login(member)
    # 28 March 2027, Europe/Paris: clocks go from 02:00 to 03:00.
    response = client.post(
        book_url(place), booking_data(space, day="2027-03-28", start="02:30", end="04:00")
    )
    assert response.status_code == 422
    errors = response.context["form"].errors["start_time"]
    assert "02:30 does not exist" in errors[0] and "clocks go forward" in errors[0]
    assert not Booking.objects.exists()


def test_a_local_time_that_happens_twice_is_a_precise_form_error(
    client, place, space, english_pages, member
):
    client.force_login(member)
    # 31 October 2027, Europe/Paris: clocks go back from 03:00 to 02:00.
    response = client.post(
        book_url(place), booking_data(space, day="2027-10-31", start="01:00", end="02:30")
    )
    assert response.status_code == 422
    assert "happens twice" in response.context["form"].errors["end_time"][0]


def test_invalid_input_answers_422_and_books_nothing(client, place, space, english_pages, member):
    client.force_login(member)
    response = client.post(book_url(place), booking_data(space, start="11:00", end="10:00"))
    assert response.status_code == 422
    assert response.context["form"].errors["end_time"] == ["The end must come after the start."]
    closed = client.post(book_url(place), booking_data(space, start="20:00", end="21:00"))
    assert closed.status_code == 422
    assert "closed" in closed.context["form"].non_field_errors()[0]
    assert not Booking.objects.exists()


def test_the_form_is_prefilled_from_a_free_slot_link(client, place, space, member):
    client.force_login(member)
    response = client.get(book_url(place), {"space": "salle-jaune", "start": f"{DAY}T14:00"})
    form = response.context["form"]
    assert form["space"].value() == "salle-jaune"
    assert str(form["date"].value()) == DAY
    assert form["start_time"].value().strftime("%H:%M") == "14:00"
    assert form["end_time"].value().strftime("%H:%M") == "15:00"
    assert response.context["slot_space"] == space  # the list of free slots under the form


def test_the_slot_list_leaves_out_taken_times(client, place, space, member):
    a_booking(space, None, at(DAY, 10), at(DAY, 12))
    client.force_login(member)
    response = client.get(
        reverse("bookings:slots", args=[place.slug]),
        {"space": "salle-jaune", "date": DAY, "duration": "60"},
    )
    starts = [s["start_time"] for s in response.context["slots"]]
    assert "09:00" in starts and "12:00" in starts
    assert "10:00" not in starts and "11:00" not in starts
    assert 'data-start="12:00"' in response.content.decode()


def test_without_javascript_the_slots_button_shows_the_list_and_books_nothing(
    client, place, space, member
):
    client.force_login(member)
    data = booking_data(space, start="", end="", action="slots")
    response = client.post(book_url(place), data)
    assert response.status_code == 200
    assert response.context["slot_space"] == space and response.context["slots"]
    assert not Booking.objects.exists()


def test_a_weekly_series_skips_a_taken_occurrence_and_says_so(client, place, space, member):
    a_booking(space, None, at("2027-01-20", 10), at("2027-01-20", 11))
    client.force_login(member)
    data = booking_data(space, repeat="weekly", interval="1", count="3", on_conflict="skip")
    response = client.post(book_url(place), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("bookings:mine")
    made = Booking.objects.exclude(person=None).order_by("start")
    assert [b.start for b in made] == [at(DAY, 10), at("2027-01-27", 10)]
    assert made[0].series_id == made[1].series_id is not None
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]


def test_a_series_that_must_not_skip_books_nothing_on_a_conflict(client, place, space, member):
    a_booking(space, None, at("2027-01-20", 10), at("2027-01-20", 11))
    client.force_login(member)
    data = booking_data(space, repeat="weekly", interval="1", count="3", on_conflict="fail")
    assert client.post(book_url(place), data).status_code == 409
    assert Booking.objects.count() == 1


def test_a_series_needs_an_end(client, place, space, member):
    client.force_login(member)
    response = client.post(book_url(place), booking_data(space, repeat="monthly"))
    assert response.status_code == 422
    assert response.context["form"].errors["until"]


# --- Move and check-in ----------------------------------------------------------------------


def test_a_member_moves_a_booking_and_a_taken_slot_answers_409(client, place, space, member):
    booking = a_booking(space, member.person, at(DAY, 10), at(DAY, 11))
    a_booking(space, None, at(DAY, 14), at(DAY, 15))
    client.force_login(member)
    url = reverse("bookings:move", args=[booking.pk])
    taken = client.post(url, {"date": DAY, "start_time": "14:00", "end_time": "15:00"})
    assert taken.status_code == 409 and taken.context["conflict"]["alternatives"]
    assert taken.context["conflict"]["alternatives"][0]["url"].startswith(url + "?start=")
    wrong = client.post(url, {"date": DAY, "start_time": "17:00", "end_time": "16:00"})
    assert wrong.status_code == 422 and wrong.context["form"].errors["end_time"]
    moved = client.post(url, {"date": DAY, "start_time": "16:00", "end_time": "17:00"})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(DAY, 16), at(DAY, 17))


def test_a_member_checks_in_while_the_booking_runs(client, running_clock, place, space, member):
    now = running_clock.now()
    booking = a_booking(space, member.person, now - timedelta(minutes=5), now + timedelta(hours=1))
    client.force_login(member)
    mine = client.get(reverse("bookings:mine"))
    assert reverse("bookings:check_in", args=[booking.pk]) in mine.content.decode()
    client.post(reverse("bookings:check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


# --- The team's desk ------------------------------------------------------------------------


def test_staff_confirm_a_request_from_the_queue(client, place, space, member, staff):
    rules(space, approval_required=True)
    client.force_login(member)
    client.post(book_url(place), booking_data(space))
    request = Booking.objects.get()
    assert request.status == Status.REQUESTED

    client.force_login(staff)
    board = client.get(board_url(place))
    assert list(board.context["pending"]) == [request]
    url = reverse("bookings_manage:confirm", args=[place.slug, request.pk])
    assert url in board.content.decode()
    response = client.post(url, {"date": DAY})
    assert response.status_code == 302 and response["Location"] == f"{board_url(place)}?date={DAY}"
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED


def test_staff_reject_a_request_with_a_reason(client, place, space, member, coordinator):
    request = a_booking(space, member.person, at(DAY, 10), at(DAY, 11), status=Status.REQUESTED)
    client.force_login(coordinator)
    client.post(
        reverse("bookings_manage:reject", args=[place.slug, request.pk]), {"reason": "Travaux"}
    )
    request.refresh_from_db()
    assert (request.status, request.cancel_reason) == (Status.CANCELLED, "Travaux")


def test_staff_record_arrivals_and_no_shows_on_the_day_board(
    client, running_clock, place, space, staff
):
    now = running_clock.now()
    here = a_booking(
        space, f.member(place).person, now - timedelta(minutes=5), now + timedelta(hours=1)
    )
    other = room(place)
    away = a_booking(
        other, f.member(place).person, now - timedelta(minutes=30), now + timedelta(hours=1)
    )
    client.force_login(staff)
    board = client.get(board_url(place))
    assert {b.pk for b in board.context["bookings"]} >= {here.pk, away.pk}
    client.post(reverse("bookings_manage:check_in", args=[place.slug, here.pk]))
    client.post(reverse("bookings_manage:no_show", args=[place.slug, away.pk]))
    here.refresh_from_db()
    away.refresh_from_db()
    assert here.checked_in_at is not None and away.status == Status.NO_SHOW


def test_a_refused_action_is_an_error_message_and_changes_nothing(
    client, place, space, english_pages, member, staff
):
    booking = a_booking(space, member.person, at(DAY, 10), at(DAY, 11))
    client.force_login(staff)
    response = client.post(
        reverse("bookings_manage:confirm", args=[place.slug, booking.pk]), follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Only a request awaiting approval can be confirmed."
    ]


def test_staff_record_a_machine_training(client, place, member, staff):
    printer = room(place, name="Imprimante 3D", slug="imprimante", kind=Space.Kind.MACHINE)
    room(place, name="Salle", slug="salle")  # no authorisation needed: not offered
    client.force_login(staff)
    url = reverse("bookings_manage:authorisations", args=[place.slug])
    page = client.get(url)
    assert [s.slug for s in page.context["form"].fields["space"].queryset] == ["imprimante"]
    bad = client.post(url, {"person": member.person.pk, "space": "imprimante", "granted_on": ""})
    assert bad.status_code == 422
    response = client.post(
        url,
        {"person": member.person.pk, "space": "imprimante", "granted_on": "2026-11-20"},
    )
    assert response.status_code == 302
    row = MachineAuthorisation.objects.get()
    assert (row.person, row.space, row.granted_on) == (member.person, printer, date(2026, 11, 20))
