"""Booking services: the rules a booking must pass, the states it goes through, no overlap."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.bookings import services
from tierslieux.bookings.models import Booking, MachineAuthorisation
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import OpeningException, Space
from tierslieux.places.tests import factories as pf

NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"


@pytest.fixture
def place():
    return bf.open_place()


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaurès", capacity=6)
    bf.rules(space)
    return space


def book(actor, space, day=MON, start=10, end=12, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), now=NOW, **kw
    )


def test_a_member_books_a_free_slot_and_gets_an_email_after_commit(
    place, room, django_capture_on_commit_callbacks
):
    member = pf.member(place)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(member, room)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.person == member.person and booking.exclusive
    assert len(mail.outbox) == 1 and "Salle Jaurès" in mail.outbox[0].subject


def test_an_overlapping_booking_is_refused_with_the_slot_and_alternatives(place, room):
    member = pf.member(place)
    book(member, room, start=10, end=12)
    twin = bf.room(place, name="Salle Zola", capacity=6)
    with pytest.raises(services.BookingConflict) as error:
        book(pf.member(place), room, start=11, end=13)
    conflict = error.value
    assert "Salle Jaurès" in conflict.messages[0]
    assert [b.start for b in conflict.conflicts] == [at(MON, 10)]
    assert conflict.alternatives and all(
        w.end <= at(MON, 10) or w.start >= at(MON, 12) for w in conflict.alternatives
    )
    assert conflict.similar_spaces == [twin]
    assert Booking.objects.count() == 1


def test_touching_bookings_do_not_conflict_but_a_buffer_separates_them(place, room):
    member = pf.member(place)
    book(member, room, start=10, end=12)
    book(member, room, start=12, end=13)
    bf.rules(room, buffer_minutes=30)
    with pytest.raises(services.BookingConflict):
        book(member, room, start=13, end=14)
    book(member, room, start=13, end=14, day="2027-01-12")


def test_a_multi_unit_space_takes_at_most_its_units_at_any_instant(place):
    coworking = bf.room(place, kind=Space.Kind.COWORKING, units=3, capacity=3)
    bf.rules(coworking)
    member = pf.member(place)
    book(member, coworking, start=9, end=12, units=2)
    book(member, coworking, start=11, end=14)
    with pytest.raises(services.BookingConflict):
        book(member, coworking, start=11, end=12)
    book(member, coworking, start=12, end=13)  # 1 + 1 units from noon
    with pytest.raises(ValidationError):
        book(member, coworking, start=15, end=16, units=4)


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (at(MON, 12), at(MON, 10), "end_before_start"),
        (at(MON, 6), at(MON, 9), "closed"),
        (at("2028-03-01", 10), at("2028-03-01", 11), "horizon"),
        (at("2027-01-01", 10), at("2027-01-01", 11), "past_or_closed"),
    ],
)
def test_bad_times_are_refused_and_nothing_is_written(place, room, start, end, code):
    with pytest.raises(ValidationError) as error:
        services.create_booking(actor=pf.member(place), space=room, start=start, end=end, now=NOW)
    expected = {"past_or_closed": {"notice"}}.get(code, {code})
    assert error.value.code in expected
    assert not Booking.objects.exists()


def test_naive_datetimes_are_refused(place, room):
    naive = at(MON, 10).replace(tzinfo=None)
    with pytest.raises(ValidationError) as error:
        services.create_booking(
            actor=pf.member(place), space=room, start=naive, end=naive + timedelta(hours=1), now=NOW
        )
    assert error.value.code == "naive_datetime"


def test_public_holidays_and_exceptional_closures_close_the_place(place, room):
    member = pf.member(place)
    with pytest.raises(ValidationError) as error:
        book(member, room, day="2027-05-08")  # Victoire 1945
    assert error.value.code == "closed"
    OpeningException.objects.create(
        place=place, start_date=date(2027, 1, 18), end_date=date(2027, 1, 19), reason="Travaux"
    )
    with pytest.raises(ValidationError):
        book(member, room, day="2027-01-19")


def test_duration_limits_and_audience_apply_to_members_not_to_the_team(place, room):
    bf.rules(room, max_minutes=60, audience="staff")
    with pytest.raises(ValidationError) as error:
        book(pf.member(place), room, start=10, end=11)
    assert error.value.code == "audience"
    with pytest.raises(ValidationError) as error:
        book(pf.staff(place), room, start=10, end=12)
    assert error.value.code == "duration"
    book(pf.staff(place), room, start=10, end=11)


def test_members_only_spaces_refuse_outsiders(place, room):
    bf.rules(room, audience="members")
    with pytest.raises(ValidationError):
        book(pf.user(), room)
    assert book(pf.member(place), room).pk


def test_a_machine_needs_a_valid_authorisation(place):
    printer = bf.room(place, kind=Space.Kind.MACHINE, name="Imprimante 3D")
    bf.rules(printer, requires_authorisation=True)
    member = pf.member(place)
    with pytest.raises(ValidationError) as error:
        book(member, printer)
    assert error.value.code == "authorisation"
    services.authorise(
        actor=pf.coordinator(place),
        person=member.person,
        space=printer,
        granted_on=date(2026, 6, 1),
        expires_on=date(2027, 1, 10),
    )
    with pytest.raises(ValidationError):  # expired the day before
        book(member, printer)
    MachineAuthorisation.objects.update(expires_on=None)
    assert book(member, printer).pk


def test_booking_a_room_blocks_the_machines_inside_it(place, room):
    laser = bf.room(place, kind=Space.Kind.MACHINE, name="Découpeuse laser", inside=room)
    bf.rules(laser)
    member = pf.member(place)
    booking = book(member, room, start=10, end=12)
    assert booking.blocks.get().space == laser
    with pytest.raises(services.BookingConflict):
        book(member, laser, start=11, end=12)
    services.cancel_booking(actor=member, booking=booking, now=NOW)
    assert book(member, laser, start=11, end=12).pk
    with pytest.raises(services.BookingConflict):  # the machine taken: the room is not whole
        book(member, room, start=9, end=13)


def test_requests_await_approval_and_confirming_one_rejects_the_overlapping_ones(place, room):
    bf.rules(room, approval_required=True)
    first = book(pf.member(place), room, start=10, end=12)
    second = book(pf.member(place), room, start=11, end=13)
    later = book(pf.member(place), room, start=14, end=15)
    assert {first.status, second.status} == {Booking.Status.REQUESTED}
    with pytest.raises(PermissionDenied):
        services.confirm_booking(actor=pf.member(place), booking=first, now=NOW)
    services.confirm_booking(actor=pf.coordinator(place), booking=first, now=NOW)
    second.refresh_from_db()
    later.refresh_from_db()
    assert second.status == Booking.Status.CANCELLED and second.cancel_reason == "rejected"
    assert later.status == Booking.Status.REQUESTED


def test_members_cancel_their_own_bookings_before_the_deadline_only(place, room):
    member = pf.member(place)
    booking = book(member, room)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(actor=pf.member(place), booking=booking, now=NOW)
    late = at(MON, 9)
    with pytest.raises(ValidationError) as error:
        services.cancel_booking(actor=member, booking=booking, now=late)
    assert error.value.code == "deadline"
    services.cancel_booking(actor=pf.coordinator(place), booking=booking, now=late)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_moving_a_booking_checks_the_new_slot_ignoring_itself(place, room):
    member = pf.member(place)
    booking = book(member, room, start=10, end=12)
    other = book(member, room, start=14, end=15)
    services.move_booking(
        actor=member, booking=booking, start=at(MON, 11), end=at(MON, 13), now=NOW
    )
    with pytest.raises(services.BookingConflict):
        services.move_booking(
            actor=member, booking=booking, start=at(MON, 14), end=at(MON, 16), now=NOW
        )
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(MON, 11), at(MON, 13))
    assert other.pk


def test_check_in_no_show_and_automatic_release(place, room):
    bf.rules(room, auto_release_minutes=20)
    member = pf.member(place)
    kept = book(member, room, start=10, end=12)
    dropped = book(member, room, day="2027-01-12")
    with pytest.raises(ValidationError):
        services.check_in(actor=member, booking=kept, now=at(MON, 9))
    services.check_in(actor=member, booking=kept, now=at(MON, 9, 50))
    assert services.tick(now=at(MON, 10, 30))["released"] == 0
    assert services.tick(now=at("2027-01-12", 10, 25))["released"] == 1
    dropped.refresh_from_db()
    assert dropped.status == Booking.Status.NO_SHOW
    book(pf.member(place), room, day="2027-01-12", start=11, end=12)  # the slot is free again
    assert services.tick(now=at("2027-01-13", 8))["done"] >= 1
    kept.refresh_from_db()
    assert kept.status == Booking.Status.DONE


def test_a_weekly_series_skips_taken_occurrences_and_says_which(place, room):
    member = pf.member(place)
    book(pf.member(place), room, day="2027-01-25", start=18, end=19)
    outcome = services.create_series(
        actor=member,
        space=room,
        start=at(MON, 18),
        end=at(MON, 20),
        recurrence=Recurrence(freq="weekly", count=4),
        skip_conflicts=True,
        now=NOW,
    )
    assert [b.start for b in outcome.created] == [
        at(d, 18) for d in ("2027-01-11", "2027-01-18", "2027-02-01")
    ]
    assert [s for s, _ in outcome.skipped] == [at("2027-01-25", 18)]
    assert outcome.series.rrule.startswith("FREQ=WEEKLY;INTERVAL=1;BYDAY=MO")


def test_a_series_that_must_be_whole_books_nothing_when_one_occurrence_is_taken(place, room):
    book(pf.member(place), room, day="2027-01-25", start=18, end=19)
    before = Booking.objects.count()
    with pytest.raises(services.BookingConflict):
        services.create_series(
            actor=pf.member(place),
            space=room,
            start=at(MON, 18),
            end=at(MON, 20),
            recurrence=Recurrence(freq="weekly", count=4),
            skip_conflicts=False,
            now=NOW,
        )
    assert Booking.objects.count() == before


def test_a_series_keeps_its_local_time_across_daylight_saving(place, room):
    outcome = services.create_series(
        actor=pf.member(place),
        space=room,
        start=at("2027-03-23", 18),
        end=at("2027-03-23", 19),
        recurrence=Recurrence(freq="weekly", count=3),
        skip_conflicts=False,
        now=NOW,
    )
    assert [b.start.astimezone(bf.PARIS).hour for b in outcome.created] == [18, 18, 18]
    offsets = [b.start.astimezone(bf.PARIS).utcoffset() for b in outcome.created]
    assert offsets == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=2)]


def test_monthly_on_the_nth_weekday_and_at_most_one_year_ahead(place, room):
    outcome = services.create_series(
        actor=pf.member(place),
        space=room,
        start=at("2027-01-12", 18),  # 2nd Tuesday
        end=at("2027-01-12", 19),
        recurrence=Recurrence(freq="monthly", count=3),
        skip_conflicts=False,
        now=NOW,
    )
    assert [b.start.date() for b in outcome.created] == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]
    with pytest.raises(ValidationError) as error:
        services.create_series(
            actor=pf.member(place),
            space=room,
            start=at("2027-01-13", 18),
            end=at("2027-01-13", 19),
            recurrence=Recurrence(freq="weekly", until=date(2028, 6, 1)),
            skip_conflicts=True,
            now=NOW,
        )
    assert error.value.code == "recurrence"


def test_cancelling_the_rest_of_a_series_keeps_the_earlier_occurrences(place, room):
    member = pf.member(place)
    outcome = services.create_series(
        actor=member,
        space=room,
        start=at(MON, 18),
        end=at(MON, 19),
        recurrence=Recurrence(freq="weekly", count=4),
        skip_conflicts=False,
        now=NOW,
    )
    third = outcome.created[2]
    assert services.cancel_series_from(actor=member, booking=third, now=NOW) == 2
    statuses = [b.status for b in Booking.objects.filter(series=outcome.series)]
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]


def test_the_team_books_for_someone_else_but_members_cannot(place, room):
    someone = pf.member(place).person
    with pytest.raises(PermissionDenied):
        book(pf.member(place), room, person=someone)
    booking = book(pf.staff(place), room, person=someone)
    assert booking.person == someone
