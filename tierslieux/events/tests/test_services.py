"""The events services: an event books its spaces through the bookings service, so it never
collides with a booking (the conflict named, nothing written), refuses the past, and moving
or cancelling a session moves or frees its space; the team only."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tierslieux.bookings import services as bookings
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.models import Booking
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.events import services
from tierslieux.events.models import Event, PriceCategory, Session
from tierslieux.events.tests import factories as ef
from tierslieux.members.models import Charge
from tierslieux.members.tests import factories as mf
from tierslieux.places.tests import factories as pf

NOW = at("2027-03-01", 8)  # a Monday
Status = Booking.Status


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)
    with translation.override("en"):
        yield


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune", capacity=30)


@pytest.fixture
def workshop(place):
    return ef.event(place, title="Atelier couture")


def test_an_event_is_created_as_a_draft_with_its_audiences_and_co_organisers(place, coordinator):
    org = pf.organisation(name="Repair'Aude")
    pf.PlaceRole.objects.create(place=place, organisation=org, role="member")
    event = services.create_event(
        actor=coordinator,
        place=place,
        title="Formation facilitateur",
        kind=Event.Kind.TRAINING,
        capacity=10,
        audiences=["job_seekers", "professionals"],
        hours=Decimal("14"),
        co_organisers=[org.pk],
        partners="Pôle emploi",
    )
    assert event.status == Event.Status.DRAFT
    assert event.created_by == coordinator
    assert list(event.co_organisers.all()) == [org]
    assert event.audience_labels() == ["Job seekers", "Professionals"]
    assert AuditEntry.objects.filter(action="event.create", object_id=str(event.pk)).exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "Deux\nlignes", "capacity": 5}, "title"),
        ({"title": "Atelier", "capacity": 0}, "capacity"),
        ({"title": "Atelier", "capacity": 5, "audiences": ["martians"]}, "audiences"),
        ({"title": "Atelier", "capacity": 5, "description": "x" * 5001}, "description"),
        ({"title": "Atelier", "capacity": 5, "kind": "party"}, "kind"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(place, coordinator, fields, field):
    with pytest.raises(ValidationError) as refused:
        services.create_event(actor=coordinator, place=place, **fields)
    assert field in refused.value.error_dict
    assert not Event.objects.exists()


def test_co_organisers_come_from_the_network(place, coordinator):
    outsider = pf.organisation(name="Ailleurs")
    with pytest.raises(ValidationError) as refused:
        services.create_event(
            actor=coordinator, place=place, title="A", capacity=3, co_organisers=[outsider]
        )
    assert refused.value.code == "co_organisers"
    assert not Event.objects.exists()


def test_a_session_books_its_space_under_the_event_title(coordinator, workshop, room):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 17))
    booking = session.booking
    assert (booking.space, booking.start, booking.end) == (room, session.start, session.end)
    assert booking.title == "Atelier couture"
    assert booking.purpose == "workshop"
    assert booking.status == Status.CONFIRMED
    assert booking.booked_by == coordinator


def test_a_session_on_a_booked_slot_is_refused_naming_the_booking(
    coordinator, member, workshop, room
):
    bookings.create_booking(
        actor=member, space=room, start=at("2027-03-03", 15), end=at("2027-03-03", 16)
    )
    with pytest.raises(BookingConflict) as refused:
        ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 17))
    assert "Salle Jaune is booked from" in refused.value.messages[0]
    assert "15:00" in refused.value.messages[0]
    assert not Session.objects.exists()
    assert Booking.objects.count() == 1


def test_a_booking_cannot_take_a_session_slot(coordinator, member, workshop, room):
    ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 17))
    with pytest.raises(BookingConflict):
        bookings.create_booking(
            actor=member, space=room, start=at("2027-03-03", 16), end=at("2027-03-03", 18)
        )


def test_a_session_in_the_past_is_refused(coordinator, workshop, room):
    with pytest.raises(ValidationError) as refused:
        ef.session(coordinator, workshop, room, at("2027-02-27", 14), at("2027-02-27", 16))
    assert refused.value.code == "past"
    assert not Booking.objects.exists()


def test_a_space_of_another_place_is_refused(coordinator, workshop, other_place):
    elsewhere = bf.room(other_place, capacity=30)
    with pytest.raises(ValidationError) as refused:
        ef.session(coordinator, workshop, elsewhere, at("2027-03-03", 14), at("2027-03-03", 16))
    assert refused.value.code == "other_place"


def test_a_weekly_series_is_all_or_nothing(coordinator, member, workshop, room):
    rule = Recurrence(freq="weekly", until=date(2027, 3, 31))
    bookings.create_booking(
        actor=member, space=room, start=at("2027-03-24", 18), end=at("2027-03-24", 19)
    )
    with pytest.raises(BookingConflict) as refused:
        services.add_recurring_sessions(
            actor=coordinator,
            event=workshop,
            space=room,
            start=at("2027-03-03", 18),
            end=at("2027-03-03", 20),
            recurrence=rule,
        )
    assert "18:00" in refused.value.messages[0]
    assert not Session.objects.exists()
    assert Booking.objects.count() == 1
    Booking.objects.all().delete()
    made, skipped = services.add_recurring_sessions(
        actor=coordinator,
        event=workshop,
        space=room,
        start=at("2027-03-03", 18),
        end=at("2027-03-03", 20),
        recurrence=rule,
    )
    # 18:00 local time each Wednesday, across the change to summer time on 28 March.
    assert [s.start for s in made] == [at(f"2027-03-{d:02}", 18) for d in (3, 10, 17, 24, 31)]
    assert skipped == []


def test_moving_a_session_moves_its_booking(coordinator, workshop, room, place):
    green = bf.room(place, name="Salle Verte", capacity=30)
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    services.move_session(
        actor=coordinator,
        session=session,
        start=at("2027-03-04", 9),
        end=at("2027-03-04", 11),
        space=green,
    )
    booking = Booking.objects.get(pk=session.booking_id)
    assert (booking.space, booking.start, booking.end) == (
        green,
        at("2027-03-04", 9),
        at("2027-03-04", 11),
    )
    session.refresh_from_db()
    assert (session.space, session.start) == (green, at("2027-03-04", 9))


def test_cancelling_a_session_frees_the_space(coordinator, member, workshop, room):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    services.cancel_session(actor=coordinator, session=session, reason="Intervenant malade")
    session.refresh_from_db()
    assert session.cancelled
    assert session.booking.status == Status.CANCELLED
    freed = bookings.create_booking(
        actor=member, space=room, start=at("2027-03-03", 14), end=at("2027-03-03", 16)
    )
    assert freed.status == Status.CONFIRMED


def test_a_past_session_can_neither_move_nor_be_cancelled(clock, coordinator, workshop, room):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    clock.set(at("2027-03-03", 15))
    with pytest.raises(ValidationError) as refused:
        services.cancel_session(actor=coordinator, session=session)
    assert refused.value.code == "past"


def test_publishing_needs_a_session_to_come(coordinator, workshop, room):
    with pytest.raises(ValidationError) as refused:
        services.publish_event(actor=coordinator, event=workshop)
    assert refused.value.code == "no_session"
    ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    assert services.publish_event(actor=coordinator, event=workshop).status == "published"
    with pytest.raises(ValidationError):
        services.publish_event(actor=coordinator, event=workshop)


def test_cancelling_an_event_cancels_its_sessions_to_come_and_frees_them(
    clock, coordinator, workshop, room
):
    past = ef.session(coordinator, workshop, room, at("2027-03-02", 9), at("2027-03-02", 11))
    to_come = ef.session(coordinator, workshop, room, at("2027-03-09", 9), at("2027-03-09", 11))
    clock.set(at("2027-03-05", 8))
    services.cancel_event(actor=coordinator, event=workshop, reason="Annulé")
    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert Booking.objects.get(pk=to_come.booking_id).status == Status.CANCELLED
    assert Booking.objects.get(pk=past.booking_id).status != Status.CANCELLED
    with pytest.raises(ValidationError) as refused:
        services.update_event(actor=coordinator, event=workshop, title="Autre")
    assert refused.value.code == "cancelled"


def test_prices_per_category(coordinator, workshop):
    services.set_price(
        actor=coordinator, event=workshop, kind="member", price_net=Decimal("10"), tax_code="vat_20"
    )
    pwyw = services.set_price(
        actor=coordinator,
        event=workshop,
        kind="pay_what_you_want",
        price_net=Decimal("15"),
        min_price_net=Decimal("5"),
        tax_code="vat_20",
    )
    assert pwyw.min_price_net == Decimal("5")
    with pytest.raises(ValidationError) as refused:
        services.set_price(
            actor=coordinator,
            event=workshop,
            kind="pay_what_you_want",
            price_net=Decimal("15"),
            tax_code="vat_20",
        )
    assert refused.value.code == "min_price_net"
    with pytest.raises(ValidationError) as refused:
        services.set_price(
            actor=coordinator,
            event=workshop,
            kind="solidarity",
            price_net=Decimal("-1"),
            tax_code="vat_20",
        )
    assert "price_net" in refused.value.error_dict
    with pytest.raises(ValidationError):
        services.set_price(
            actor=coordinator,
            event=workshop,
            kind="member",
            price_net=Decimal("1"),
            tax_code="vat_99",
        )
    assert PriceCategory.objects.get(event=workshop, kind="member").price_net == Decimal("10")
    free = services.set_price(
        actor=coordinator, event=workshop, kind="free", price_net=Decimal("3"), tax_code="vat_0"
    )
    assert free.price_net == 0
    services.remove_price(actor=coordinator, category=free)
    assert sorted(workshop.prices.values_list("kind", flat=True)) == ["member", "pay_what_you_want"]


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "free", "price_net": Decimal("2")},
        {"kind": "member", "price_net": Decimal("-1")},
        {"kind": "member", "price_net": Decimal("1000000.01")},
        {"kind": "pay_what_you_want", "price_net": Decimal("5")},
        {"kind": "pay_what_you_want", "price_net": Decimal("5"), "min_price_net": Decimal("6")},
        {"kind": "member", "price_net": Decimal("5"), "min_price_net": Decimal("1")},
        {"kind": "member", "price_net": Decimal("5"), "tax_code": "nope"},
    ],
)
def test_the_database_keeps_prices_sane(workshop, fields):
    fields.setdefault("tax_code", "vat_20")
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceCategory.objects.create(event=workshop, **fields)


@pytest.mark.parametrize(
    "fields", [{"capacity": 0}, {"kind": "party"}, {"hours": Decimal("0")}, {"status": "gone"}]
)
def test_the_database_keeps_events_sane(place, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ef.event(place, **fields)


def test_the_database_refuses_a_session_ending_before_it_starts(coordinator, workshop, room):
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end=session.start - timedelta(hours=1))


@pytest.mark.parametrize("persona", ["member", "other_coordinator", "anonymous"])
def test_only_the_team_writes(request, persona, place, workshop, room, coordinator):
    actor = request.getfixturevalue(persona)
    session = ef.session(coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
    attempts = [
        lambda: services.create_event(actor=actor, place=place, title="X", capacity=1),
        lambda: services.update_event(actor=actor, event=workshop, title="X"),
        lambda: ef.session(actor, workshop, room, at("2027-03-04", 14), at("2027-03-04", 16)),
        lambda: services.cancel_session(actor=actor, session=session),
        lambda: services.publish_event(actor=actor, event=workshop),
        lambda: services.cancel_event(actor=actor, event=workshop),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert Session.objects.count() == 1


@pytest.mark.parametrize("persona", ["staff", "network_admin"])
def test_staff_and_the_network_admin_may(request, persona, workshop, room):
    actor = request.getfixturevalue(persona)
    if persona == "network_admin":  # a network runs a place's events only when it grants so
        with pytest.raises(PermissionDenied):
            ef.session(actor, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16))
        pf.network_grant(room.place)
    assert ef.session(actor, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16)).pk


def test_a_session_is_the_places_own_use_for_nobody_unpriced_and_silent(
    coordinator, workshop, room, django_capture_on_commit_callbacks
):
    mf.room_rate(room, "non_member", "hour", "40.00")
    with django_capture_on_commit_callbacks(execute=True):
        session = ef.session(
            coordinator, workshop, room, at("2027-03-03", 14), at("2027-03-03", 16)
        )
    booking = session.booking
    assert (booking.person, booking.organisation, booking.price_net) == (None, None, None)
    assert not Charge.objects.exists()
    assert mail.outbox == []
    services.cancel_session(actor=coordinator, session=session)
    assert not Charge.objects.exists()
