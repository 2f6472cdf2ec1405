"""Registrations: a visitor confirms their address before a seat is decided; a registration
that does not fit waits in line and is promoted, in order, when seats free up; registering
twice, beyond the capacity, for a past or cancelled date or under the minimum price is refused
or waitlisted, saying why; cancelling the event cancels its registrations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import emails, services
from tierslieux.events.models import Event, PriceCategory, Registration
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as pf

NOW = at("2027-03-01", 8)  # a Monday
Status = Registration.Status


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
def workshop(coordinator, place, room):
    """A public workshop of 3 seats on Wednesday afternoon."""
    return ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=3,
    )


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


def test_a_visitor_holds_no_seat_until_they_confirm_their_address(workshop):
    event, session = workshop
    outcome = services.register(
        event=event, session=session, name="Léa Martin", email=" Lea@Example.org ", seats=2
    )
    registration = outcome.registration
    assert registration.status == Status.PENDING
    assert registration.email == "lea@example.org"
    assert services.seats_left(event, session) == 3
    confirmed = services.confirm_email(token=outcome.token)
    assert confirmed.status == Status.CONFIRMED
    assert services.seats_left(event, session) == 1
    # Opening the link again changes nothing.
    assert services.confirm_email(token=outcome.token).confirmed_at == confirmed.confirmed_at


def test_a_link_that_was_not_issued_or_has_lapsed_is_refused(workshop, clock):
    event, session = workshop
    assert refusal(services.confirm_email, token="12:forged") == "token"
    assert refusal(services.confirm_email, token="") == "token"
    outcome = services.register(event=event, session=session, name="Léa", email="lea@example.org")
    clock.advance(timedelta(hours=49))
    assert refusal(services.confirm_email, token=outcome.token) == "expired"
    assert Registration.objects.get().status == Status.PENDING


def test_beyond_the_capacity_a_registration_waits_in_line_and_says_so(workshop):
    event, session = workshop
    ef.visitor(event, session, "Ana", seats=2)
    second = ef.visitor(event, session, "Bob", seats=2).registration
    assert second.status == Status.WAITLISTED
    assert second.queued_at is not None
    assert services.waiting(event, session) == 2


def test_a_cancellation_promotes_the_waiting_list_in_order_where_the_seats_fit(workshop):
    event, session = workshop
    first = ef.visitor(event, session, "Ana", seats=3)
    big = ef.visitor(event, session, "Bob", seats=3).registration
    small = ef.visitor(event, session, "Cléo", seats=1).registration
    later = ef.visitor(event, session, "Dan", seats=1).registration
    outcome = services.cancel_registration(registration=first.registration, token=first.token)
    # Bob asked for 3 seats and came first: he takes them all; Cléo and Dan keep waiting.
    assert [r.pk for r in outcome.promoted] == [big.pk]
    big.refresh_from_db()
    assert big.status == Status.CONFIRMED and big.promoted_at is not None
    assert Registration.objects.get(pk=small.pk).status == Status.WAITLISTED
    outcome = services.cancel_registration(registration=big, token=emails.token_for(big))
    assert [r.pk for r in outcome.promoted] == [small.pk, later.pk]
    assert services.seats_left(event, session) == 1


def test_registering_twice_for_the_same_date_is_refused(workshop):
    event, session = workshop
    ef.visitor(event, session, "Ana", email="ana@example.org")
    code = refusal(
        services.register, event=event, session=session, name="Ana", email="ANA@example.org"
    )
    assert code == "twice"
    assert Registration.objects.count() == 1


def test_after_cancelling_one_may_register_again(workshop):
    event, session = workshop
    first = ef.visitor(event, session, "Ana", email="ana@example.org")
    services.cancel_registration(registration=first.registration, token=first.token)
    again = ef.visitor(event, session, "Ana", email="ana@example.org").registration
    assert again.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"seats": 0}, "seats"),
        ({"seats": 11}, "seats"),
        ({"email": "  "}, "email"),
        ({"name": "Deux\nlignes"}, "name"),
    ],
)
def test_absurd_registrations_are_refused_and_nothing_is_written(workshop, change, code):
    event, session = workshop
    fields = {"name": "Ana", "email": "ana@example.org", "seats": 1, **change}
    with pytest.raises(ValidationError) as caught:
        services.register(event=event, session=session, **fields)
    error = caught.value
    assert code in (error.error_dict if hasattr(error, "error_dict") else [error.code])
    assert not Registration.objects.exists()


def test_past_cancelled_draft_or_foreign_dates_are_refused(
    workshop, coordinator, clock, place, room
):
    event, session = workshop
    other, other_session = ef.published(
        coordinator, place, room, at("2027-03-04", 14), at("2027-03-04", 15), capacity=5
    )
    assert (
        refusal(services.register, event=event, session=other_session, name="A", email="a@b.fr")
        == "session"
    )
    draft = ef.event(place)
    assert (
        refusal(services.register, event=draft, session=None, name="A", email="a@b.fr")
        == "not_open"
    )
    services.cancel_session(actor=coordinator, session=other_session)
    assert (
        refusal(services.register, event=other, session=other_session, name="A", email="a@b.fr")
        == "session_cancelled"
    )
    clock.set(at("2027-03-03", 14, 30))
    assert (
        refusal(services.register, event=event, session=session, name="A", email="a@b.fr")
        == "started"
    )


def test_prices_the_minimum_of_pay_what_you_want_and_the_member_price(workshop, coordinator, place):
    event, session = workshop
    services.set_price(
        actor=coordinator,
        event=event,
        kind="pay_what_you_want",
        price_net=Decimal("20"),
        min_price_net=Decimal("5"),
        tax_code="vat_20",
    )
    services.set_price(
        actor=coordinator, event=event, kind="member", price_net=Decimal("8"), tax_code="vat_20"
    )
    fields = {"event": event, "session": session, "name": "Ana", "email": "ana@example.org"}
    assert refusal(services.register, **fields) == "price_kind"
    assert refusal(services.register, price_kind="pay_what_you_want", **fields) == "amount"
    low = Decimal("4.99")
    assert (
        refusal(services.register, price_kind="pay_what_you_want", amount=low, **fields) == "amount"
    )
    assert refusal(services.register, price_kind="member", **fields) == "price_kind"
    paid = services.register(
        price_kind="pay_what_you_want", amount=Decimal("12.5"), **fields
    ).registration
    assert (paid.price_kind, paid.unit_price_net, paid.tax_code) == (
        "pay_what_you_want",
        Decimal("12.50"),
        "vat_20",
    )
    person = pf.member(place).person
    member = services.register(
        event=event, session=session, name="Mo", email="", person=person, price_kind="member"
    ).registration
    assert member.status == Status.CONFIRMED  # a member's registration needs no link
    assert member.unit_price_net == Decimal("8.00")
    assert member.source == Registration.Source.PORTAL


def test_a_members_only_event_refuses_visitors(coordinator, place, room):
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-05", 10),
        at("2027-03-05", 12),
        access=Event.Access.MEMBERS,
    )
    fields = {"event": event, "session": session, "name": "Ana", "email": "ana@example.org"}
    assert refusal(services.register, **fields) == "members_only"
    person = pf.member(place).person
    assert services.register(person=person, **{**fields, "email": ""}).registration.pk


def test_a_course_is_registered_for_once_and_closes_when_it_starts(coordinator, place, room, clock):
    event = ef.event(place, title="Formation", enrolment=Event.Enrolment.SERIES, capacity=2)
    first = ef.session(coordinator, event, room, at("2027-03-08", 9), at("2027-03-08", 17))
    ef.session(coordinator, event, room, at("2027-03-09", 9), at("2027-03-09", 17))
    services.publish_event(actor=coordinator, event=event)
    event.refresh_from_db()
    fields = {"event": event, "name": "Ana", "email": "ana@example.org"}
    assert refusal(services.register, session=first, **fields) == "session"
    registration = ef.visitor(event, None, "Ana").registration
    assert registration.session is None and registration.status == Status.CONFIRMED
    clock.set(at("2027-03-08", 10))
    assert refusal(services.register, event=event, name="Bo", email="bo@example.org") == "started"


def test_the_attendee_the_team_and_nobody_else_may_cancel(workshop, coordinator, member):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana")
    assert (
        refusal(services.cancel_registration, registration=ana.registration, actor=member)
        == "denied"
    )
    assert (
        refusal(services.cancel_registration, registration=ana.registration, token="1:x")
        == "denied"
    )
    services.cancel_registration(registration=ana.registration, actor=coordinator)
    assert Registration.objects.get().status == Status.CANCELLED
    assert (
        refusal(services.cancel_registration, registration=ana.registration, actor=coordinator)
        == "state"
    )


def test_a_larger_capacity_promotes_and_a_smaller_one_must_seat_everyone(workshop, coordinator):
    event, session = workshop
    ef.visitor(event, session, "Ana", seats=3)
    waiting = ef.visitor(event, session, "Bob", seats=2).registration
    assert refusal(services.update_event, actor=coordinator, event=event, capacity=2) == "capacity"
    services.update_event(actor=coordinator, event=event, capacity=5)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_cancelling_the_event_cancels_its_registrations_to_come(workshop, coordinator):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana").registration
    services.cancel_event(actor=coordinator, event=event, reason="Intervenant malade")
    ana.refresh_from_db()
    assert ana.status == Status.CANCELLED


def test_the_way_to_register_cannot_change_once_people_have(workshop, coordinator):
    event, session = workshop
    ef.visitor(event, session, "Ana")
    code = refusal(
        services.update_event, actor=coordinator, event=event, enrolment=Event.Enrolment.SERIES
    )
    assert code == "enrolment"


def test_the_database_refuses_a_second_active_registration_for_the_same_address(workshop):
    event, session = workshop
    ef.visitor(event, session, "Ana", email="ana@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event,
            session=session,
            name="Ana",
            email="ana@example.org",
            status=Status.WAITLISTED,
            source=Registration.Source.PUBLIC,
            queued_at=NOW,
        )


def test_free_event_without_prices_registers_at_no_cost(workshop):
    event, session = workshop
    assert not PriceCategory.objects.filter(event=event).exists()
    registration = ef.visitor(event, session, "Ana").registration
    assert (registration.price_kind, registration.unit_price_net) == ("", Decimal("0.00"))
