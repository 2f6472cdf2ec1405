"""'My bookings' paged (upcoming first, soonest first; then past, most recent first; no 500 on
any `?page=`), and a cancellation past the free deadline that asks first and writes nothing
until confirmed, while one in time goes through at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.bookings.views.portal_mine import PER_PAGE
from tierslieux.core.models import AuditEntry

Status = Booking.Status
NOW = at("2026-12-01", 9)
MINE = reverse("bookings:mine")


@pytest.fixture(autouse=True)
def _now(clock):
    clock.set(NOW)


@pytest.fixture
def space(place):
    open_every_day(place)
    s = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(s, cancellation_deadline_hours=24)
    return s


@pytest.fixture
def english_pages(client):
    """Pages read in their English source strings (the client's language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def a_booking(space, person, start, hours=1, status=Status.CONFIRMED):
    """Booked the day before: the grace period after booking is over."""
    return Booking.objects.create(
        created_at=NOW - timedelta(days=1),
        place=space.place,
        space=space,
        person=person,
        start=start,
        end=start + timedelta(hours=hours),
        status=status,
        exclusive=True,
    )


def cancel_url(booking):
    return reverse("bookings:cancel", args=[booking.pk])


# --- Paging ---------------------------------------------------------------------------------


def test_upcoming_come_first_soonest_first_then_past_most_recent_first(client, space, member):
    person = member.person
    later = a_booking(space, person, NOW + timedelta(days=5))
    sooner = a_booking(space, person, NOW + timedelta(days=2))
    old = a_booking(space, person, NOW - timedelta(days=9))
    recent = a_booking(space, person, NOW - timedelta(days=1))
    cancelled = a_booking(space, person, NOW + timedelta(days=3), status=Status.CANCELLED)
    client.force_login(member)
    page = client.get(MINE)
    assert page.status_code == 200
    assert [b.pk for b in page.context["upcoming"]] == [sooner.pk, later.pk]
    assert [b.pk for b in page.context["past"]] == [cancelled.pk, recent.pk, old.pk]
    html = page.content.decode()
    assert html.index('id="upcoming-title"') < html.index('id="past-title"')


def test_page_two_continues_the_order_and_the_pages_link_each_other(client, space, member):
    person = member.person
    upcoming = [a_booking(space, person, NOW + timedelta(days=d + 1)) for d in range(PER_PAGE + 3)]
    past = [a_booking(space, person, NOW - timedelta(days=d + 1)) for d in range(4)]
    client.force_login(member)
    first = client.get(MINE)
    assert [b.pk for b in first.context["upcoming"]] == [b.pk for b in upcoming[:PER_PAGE]]
    assert first.context["past"] == []
    assert 'id="past-title"' not in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(MINE, {"page": 2})
    assert [b.pk for b in second.context["upcoming"]] == [b.pk for b in upcoming[PER_PAGE:]]
    assert [b.pk for b in second.context["past"]] == [b.pk for b in past]
    html = second.content.decode()
    assert 'id="upcoming-title"' in html and 'id="past-title"' in html
    assert 'href="?page=1"' in html


@pytest.mark.parametrize(
    "value", ["0", "-1", "99999999999999999999999999999", "1e309", "abc", "2.5", "", "NaN"]
)
def test_absurd_page_values_answer_a_page_never_a_500(client, space, member, value):
    for d in range(PER_PAGE + 1):
        a_booking(space, member.person, NOW + timedelta(days=d + 1))
    client.force_login(member)
    response = client.get(MINE, {"page": value})
    assert response.status_code == 200
    assert response.context["page"].number in (1, 2)


def test_a_person_without_bookings_sees_both_titles_and_no_pages(client, space, member):
    client.force_login(member)
    html = client.get(MINE).content.decode()
    assert 'id="upcoming-title"' in html and 'id="past-title"' in html
    assert 'class="pagination"' not in html


# --- Cancelling -----------------------------------------------------------------------------


def test_a_cancellation_in_time_goes_through_at_once(client, space, member):
    booking = a_booking(space, member.person, NOW + timedelta(days=3))
    client.force_login(member)
    response = client.post(cancel_url(booking))
    assert response.status_code == 302 and response["Location"] == MINE
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


def test_a_late_cancellation_by_the_booker_asks_first_and_writes_nothing(
    client, space, member, english_pages
):
    booking = a_booking(space, member.person, NOW + timedelta(hours=5))
    audits = AuditEntry.objects.count()
    client.force_login(member)
    response = client.post(cancel_url(booking))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Free cancellation ended on" in html
    assert "stays booked and billed" in html and "credits are not given back" in html
    assert 'name="confirm"' not in html  # the service refuses the booker late: no button
    assert reverse("bookings:mine") in html
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.cancelled_at is None
    assert AuditEntry.objects.count() == audits

    # Forcing the confirmation changes nothing: the service still refuses.
    response = client.post(cancel_url(booking), {"confirm": "1"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert "Free cancellation ended" in response.content.decode()


def test_a_late_cancellation_by_the_team_asks_then_cancels_once_confirmed(
    client, space, coordinator, english_pages
):
    booking = a_booking(space, coordinator.person, NOW + timedelta(hours=5))
    audits = AuditEntry.objects.count()
    client.force_login(coordinator)
    response = client.post(cancel_url(booking), {"reason": "Travaux"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Free cancellation ended on" in html
    assert "stays billed" in html and "credits are not given back" in html
    assert 'name="confirm"' in html and 'value="Travaux"' in html
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    assert AuditEntry.objects.count() == audits

    response = client.post(cancel_url(booking), {"confirm": "1", "reason": "Travaux"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == (Status.CANCELLED, "Travaux")


def test_the_confirmation_is_a_post_and_only_for_ones_own_booking(client, space, member):
    booking = a_booking(space, member.person, NOW + timedelta(hours=5))
    client.force_login(member)
    assert client.get(cancel_url(booking)).status_code == 405
    other = a_booking(space, None, NOW + timedelta(hours=8))
    assert client.post(cancel_url(other)).status_code == 404
