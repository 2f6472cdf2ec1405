"""Bookings priced when made: credits spent, the rest charged for the bill run, both given back
on a cancellation in time; the price a booking was made at stays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tierslieux.billing.tests import factories as billing
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.members import queries
from tierslieux.members.models import Charge, CreditEntry, Pass, RoomRate
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import Space
from tierslieux.places.tests import factories as pf

D = Decimal
NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"
ROOM = "room_hours"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def place():
    return bf.open_place()


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaune", capacity=6)
    bf.rules(space)
    mf.room_rate(space, "non_member", "hour", "40.00")
    mf.room_rate(space, "member", "hour", "30.00")
    mf.room_rate(space, "member", "half_day", "100.00")
    mf.room_rate(space, "member", "day", "150.00")
    return space


@pytest.fixture
def member(place):
    """A person with a plan at the place (member rates) and 2 room hours left."""
    user = pf.member(place)
    mf.subscription(mf.product(place, "plan"), person=user.person, start=date(2026, 1, 1))
    credits.add_purchase(person=user.person, place=place, wallet=ROOM, quantity="2")
    return user


def book(actor, space, day=MON, start=10, end=12, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), now=NOW, **kw
    )


def ledger_and_charges() -> tuple[int, int]:
    return CreditEntry.objects.count(), Charge.objects.count()


def test_credits_go_first_and_the_rest_becomes_a_charge_for_the_bill_run(place, room, member):
    booking = book(member, room, start=10, end=13)
    booking.refresh_from_db()
    assert (booking.credits_used, booking.wallet, booking.price_net) == (D("2"), ROOM, D("30"))
    assert booking.tax_code == "vat_20"
    assert booking.price_note == "2 h from credits; 1 × Hourly rate"
    assert queries.balance(member.person, place, ROOM) == 0
    assert CreditEntry.objects.get(reason="consume").source == f"booking:{booking.pk}"
    charge = Charge.objects.get()
    assert charge.source == f"booking:{booking.pk}"
    assert charge.customer == mf.person_customer(place, member.person)
    assert (charge.quantity, charge.unit, charge.unit_price_net) == (D("1"), "C62", D("30.00"))
    assert (charge.service_date, charge.family, charge.person) == (
        date(2027, 1, 11),
        "services",
        member.person,
    )
    assert charge.invoice_line is None and charge.voided_at is None


def test_the_charge_is_described_in_the_customers_language(place, room, member):
    book(member, room, start=10, end=13)
    assert Charge.objects.get().description == "Salle Jaune — 11 janvier 2027 10:00–13:00"


def test_a_booking_keeps_its_price_when_the_rates_change(place, room, member):
    booking = book(member, room, start=10, end=14)  # 2 h of credits + 2 h at 30
    RoomRate.objects.filter(space=room).update(price_net=D("99.00"))
    booking.refresh_from_db()
    assert booking.price_net == D("60.00")
    assert Charge.objects.get().unit_price_net == D("60.00")
    later = book(member, room, start=15, end=16)
    assert later.price_net == D("99.00")


def test_the_cheapest_mix_of_rates_is_charged(place, room):
    someone = pf.member(place)
    RoomRate.objects.filter(space=room, audience="member").delete()
    mf.room_rate(room, "non_member", "half_day", "120.00")
    mf.room_rate(room, "non_member", "day", "170.00")
    booking = book(someone, room, start=10, end=16)  # 6 h: half-day + 2 h = 200 > day
    assert (booking.price_net, booking.credits_used) == (D("170.00"), 0)


def test_non_members_pay_the_non_member_rate(place, room):
    booking = book(pf.member(place), room, start=10, end=12)
    assert booking.price_net == D("80.00")


def test_the_email_states_the_price(place, room, member, django_capture_on_commit_callbacks):
    member.language = "en"
    member.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        book(member, room, start=10, end=13)
    body = mail.outbox[-1].body
    assert "Price excluding tax: 30.00\u00a0€" in body
    assert "2 room hour(s) from your credits" in body


def test_a_cancellation_in_time_refunds_the_credits_and_voids_the_charge(place, room, member):
    booking = book(member, room, start=10, end=13)
    services.cancel_booking(actor=member, booking=booking, now=NOW)
    assert queries.balance(member.person, place, ROOM) == D("2")
    refund = CreditEntry.objects.get(reason="refund")
    assert refund.reverses == CreditEntry.objects.get(reason="consume")
    assert Charge.objects.get().voided_at is not None


def test_a_late_cancellation_kept_billed_keeps_the_credits_used_and_the_charge(place, room, member):
    booking = book(member, room, start=10, end=13)
    coordinator = pf.coordinator(place)
    services.cancel_booking(actor=coordinator, booking=booking, refund=False, now=at(MON, 9))
    assert queries.balance(member.person, place, ROOM) == 0
    assert not CreditEntry.objects.filter(reason="refund").exists()
    assert Charge.objects.get().voided_at is None


def test_a_rejected_request_gives_everything_back(place, room, member):
    bf.rules(room, approval_required=True)
    booking = book(member, room, start=10, end=13)
    assert booking.status == Booking.Status.REQUESTED and booking.price_net == D("30.00")
    services.reject_booking(actor=pf.coordinator(place), booking=booking, now=at(MON, 9))
    assert queries.balance(member.person, place, ROOM) == D("2")
    assert Charge.objects.get().voided_at is not None


def test_a_refused_booking_leaves_no_credit_used_nor_charge(place, room, member):
    book(pf.member(place), room, start=10, end=12)
    before = ledger_and_charges()
    with pytest.raises(services.BookingConflict):
        book(member, room, start=11, end=13)
    assert ledger_and_charges() == before
    assert queries.balance(member.person, place, ROOM) == D("2")


def test_a_booking_by_the_team_without_a_person_is_not_priced(place, room):
    admin = pf.user(is_superuser=True)
    admin.person.delete()
    admin.refresh_from_db()
    booking = book(admin, room)
    assert booking.person is None
    assert booking.price_net is None and not Charge.objects.exists()


def test_a_space_without_rates_is_free_and_uses_no_credit(place, member):
    hall = bf.room(place, name="Hall")
    bf.rules(hall)
    booking = book(member, hall)
    assert (booking.price_net, booking.credits_used, booking.wallet) == (None, 0, "")
    assert ledger_and_charges() == (1, 0)  # the purchase only


def test_the_machines_a_room_blocks_are_never_priced(place, room, member):
    laser = bf.room(place, kind=Space.Kind.MACHINE, name="Laser", inside=room)
    bf.rules(laser)
    mf.room_rate(laser, "member", "hour", "50.00")
    booking = book(member, room, start=10, end=11)
    block = booking.blocks.get()
    assert block.price_net is None
    assert Charge.objects.count() == 0  # the hour came from the credits
    assert CreditEntry.objects.filter(reason="consume").count() == 1


def test_a_desk_covered_by_a_pass_is_free(place, member):
    desk = bf.room(place, kind=Space.Kind.DESK, name="Open space", units=10)
    bf.rules(desk)
    mf.room_rate(desk, "member", "day", "15.00")
    Pass.objects.create(
        place=place,
        person=member.person,
        product=mf.product(place, "pass"),
        valid_from=date(2027, 1, 11),
        valid_until=date(2027, 1, 11),
    )
    booking = book(member, desk, start=9, end=17)
    assert (booking.price_net, booking.wallet, booking.credits_used) == (D("0.00"), "desk_days", 0)
    assert not Charge.objects.exists()
    other_day = book(member, desk, day="2027-01-12", start=9, end=17)
    assert other_day.price_net == D("15.00")


def test_moving_a_booking_prices_it_again(place, room, member):
    booking = book(member, room, start=10, end=12)  # 2 h: credits
    assert (booking.price_net, booking.credits_used) == (D("0.00"), D("2"))
    services.move_booking(
        actor=member, booking=booking, start=at(MON, 14), end=at(MON, 18), now=NOW
    )
    booking.refresh_from_db()
    assert (booking.price_net, booking.credits_used) == (D("60.00"), D("2"))  # 2 h + 2 h at 30
    assert queries.balance(member.person, place, ROOM) == 0
    charge = Charge.objects.get()
    assert (charge.unit_price_net, charge.voided_at) == (D("60.00"), None)
    assert "14:00–18:00" in charge.description
    services.move_booking(
        actor=member, booking=booking, start=at(MON, 14), end=at(MON, 15), now=NOW
    )
    charge.refresh_from_db()
    assert charge.voided_at is not None  # the credits cover it now
    assert queries.balance(member.person, place, ROOM) == D("1")


def test_a_booking_moved_after_its_charge_was_invoiced_keeps_its_price(place, room, member):
    booking = book(member, room, start=10, end=13)
    invoice = billing.draft(mf.person_customer(place, member.person))
    Charge.objects.update(invoice_line=invoice.lines.get())
    services.move_booking(
        actor=member, booking=booking, start=at(MON, 14), end=at(MON, 18), now=NOW
    )
    booking.refresh_from_db()
    assert booking.price_net == D("30.00")
    assert booking.price_note.endswith("moved after invoicing: price kept")
    assert CreditEntry.objects.filter(reason="consume").count() == 1


def test_each_occurrence_of_a_series_is_priced_and_cancelled_like_a_booking(place, room, member):
    outcome = services.create_series(
        actor=member,
        space=room,
        start=at(MON, 10),
        end=at(MON, 12),
        recurrence=Recurrence(freq="weekly", count=3),
        skip_conflicts=False,
        now=NOW,
    )
    prices = [b.price_net for b in outcome.created]
    assert prices == [D("0.00"), D("60.00"), D("60.00")]  # the credits go to the first
    assert Charge.objects.count() == 2
    assert services.cancel_series_from(actor=member, booking=outcome.created[1], now=NOW) == 2
    assert Charge.objects.filter(voided_at__isnull=True).count() == 0
    assert queries.balance(member.person, place, ROOM) == 0  # the first still holds its credits


def test_my_bookings_show_the_price_and_the_credits_used(client, place, room, member):
    member.language = "en"
    member.save(update_fields=["language"])
    book(member, room, start=10, end=13)
    book(member, room, start=14, end=15)
    client.force_login(member)
    with translation.override("en"):
        page = client.get(reverse("bookings:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 room hour(s) from your credits" in page
    assert "30.00\u00a0€ excl. tax" in page
