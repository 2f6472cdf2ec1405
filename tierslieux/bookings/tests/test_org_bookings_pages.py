"""The member's booking form offers "Book for" (myself, or each of my organisations of the
place) only to people who have such organisations; "My bookings" lists the organisation's
bookings the person made, and they cancel them there; headcount and purpose are asked in the
member's and the team's forms and shown on the team's booking page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

NOW = at("2026-12-01", 9)
DAY = "2026-12-03"


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture(autouse=True)
def _english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def yellow(place):
    open_every_day(place)
    space = room(place, name="Salle Jaune", slug="salle-jaune", capacity=8)
    rules(space, cancellation_deadline_hours=24)
    mf.room_rate(space, "non_member", "hour", "25.00")
    return space


@pytest.fixture
def org(place):
    found = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=found, role="resident_organisation")
    return found


def book_url(place):
    return reverse("bookings:book", args=[place.slug])


def slot(space, **more):
    return {"space": space.slug, "date": DAY, "start_time": "10:00", "end_time": "11:00", **more}


def test_the_form_shows_the_choice_only_to_people_with_organisations(client, place, yellow, org):
    alone = pf.member(place)
    client.force_login(alone)
    html = client.get(book_url(place)).content.decode()
    assert 'name="holder"' not in html
    assert 'name="headcount"' in html and 'name="purpose"' in html
    occupant = pf.member(place)
    org.people.add(occupant.person)
    elsewhere = af.organisation(name="Ailleurs")  # no role in this place: not offered
    elsewhere.people.add(occupant.person)
    client.force_login(occupant)
    html = client.get(book_url(place)).content.decode()
    assert 'name="holder"' in html and "Book for" in html and "Myself" in html
    assert f'value="{org.pk}">Atelier Vélo' in html and "Ailleurs" not in html


def test_a_member_books_as_their_organisation_and_sees_it_in_my_bookings(
    client, place, yellow, org
):
    occupant = pf.member(place)
    org.people.add(occupant.person)
    client.force_login(occupant)
    data = slot(yellow, holder=str(org.pk), headcount="5", purpose="workshop")
    response = client.post(book_url(place), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.organisation, booking.person, booking.booked_by) == (org, None, occupant)
    assert (booking.headcount, booking.purpose) == (5, "workshop")
    mine = client.get(reverse("bookings:mine")).content.decode()
    assert "For Atelier Vélo" in mine and f"booking-{booking.pk}" in mine
    calendar = reverse("bookings:calendar", args=[place.slug])
    assert "Atelier Vélo" in client.get(calendar, {"date": DAY}).content.decode()  # as own
    assert reverse("bookings:cancel", args=[booking.pk]) in mine
    colleague = pf.member(place)  # of the organisation, but did not make it
    org.people.add(colleague.person)
    client.force_login(colleague)
    assert f"booking-{booking.pk}" not in client.get(reverse("bookings:mine")).content.decode()
    assert "Atelier Vélo" not in client.get(calendar, {"date": DAY}).content.decode()
    assert client.post(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
    client.force_login(occupant)
    response = client.post(reverse("bookings:cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_an_organisation_not_offered_is_a_form_error_and_nothing_is_written(
    client, place, yellow, org
):
    member = pf.member(place)
    client.force_login(member)
    response = client.post(book_url(place), slot(yellow, holder=str(org.pk)))
    assert response.status_code == 422
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("headcount", "purpose", "field"),
    [
        ("9", "", "headcount"),
        ("0", "", "headcount"),
        ("abc", "", "headcount"),
        ("", "x", "purpose"),
    ],
)
def test_bad_headcount_or_purpose_answers_422_with_the_field(
    client, place, yellow, headcount, purpose, field
):
    client.force_login(pf.member(place))
    response = client.post(book_url(place), slot(yellow, headcount=headcount, purpose=purpose))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Booking.objects.exists()


def test_the_team_form_takes_headcount_and_purpose_shown_on_the_bookings_page(
    client, place, yellow, coordinator, org
):
    client.force_login(coordinator)
    new = reverse("bookings_manage:new", args=[place.slug])
    too_many = slot(yellow, booked_for=f"organisation:{org.pk}", headcount="9")
    response = client.post(new, too_many)
    assert response.status_code == 422 and "headcount" in response.context["form"].errors
    data = slot(yellow, booked_for=f"organisation:{org.pk}", headcount="8", purpose="training")
    assert client.post(new, data).status_code == 302
    booking = Booking.objects.get()
    assert (booking.headcount, booking.purpose) == (8, "training")
    page = client.get(reverse("bookings_manage:detail", args=[place.slug, booking.pk]))
    html = page.content.decode()
    assert "Number of people" in html and "Training" in html


def test_the_purpose_is_shown_in_french(client, place, yellow, coordinator):
    member = pf.member(place)
    booking = Booking.objects.create(
        place=place,
        space=yellow,
        person=member.person,
        start=at(DAY, 10),
        end=at(DAY, 10) + timedelta(hours=1),
        status=Booking.Status.CONFIRMED,
        purpose="meeting",
        headcount=3,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(coordinator)
    html = client.get(reverse("bookings_manage:detail", args=[place.slug, booking.pk])).content
    assert "Réunion" in html.decode() and "Nombre de personnes" in html.decode()


def test_the_price_preview_quotes_for_the_chosen_organisation_only_ones_own(
    client, place, yellow, org
):
    occupant = pf.member(place)
    org.people.add(occupant.person)
    client.force_login(occupant)
    quote = reverse("bookings:quote", args=[place.slug])
    answer = client.get(quote, slot(yellow, holder=str(org.pk)))
    assert answer.status_code == 200 and "25" in answer.json()["text"]
    stranger = af.organisation(name="Autre")
    PlaceRole.objects.create(place=place, organisation=stranger, role="member")
    assert client.get(quote, slot(yellow, holder=str(stranger.pk))).status_code == 400
