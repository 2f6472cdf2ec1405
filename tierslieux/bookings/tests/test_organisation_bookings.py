"""A booking the team makes for an organisation of the place is tied to it: the booking names
the organisation (never a person too, in the database as well), is priced at the
organisation's rates (members' when it holds a membership itself; no credits: organisations
hold none) and charged to the organisation's customer, so that the next bill run invoices it;
cancelling and moving it give back or price again that charge."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tierslieux.accounts.tests import factories as af
from tierslieux.billing.services.customers import customer_for_organisation
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests import org_service_setup as setup
from tierslieux.bookings.tests.factories import at
from tierslieux.members.models import Charge, CreditEntry
from tierslieux.members.services import billrun, credits
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

# The shared set-up (`org_service_setup`): the place, its yellow room, the resident organisation.
D, NOW, MON, book = setup.D, setup.NOW, setup.MON, setup.book
english, place, room, org = setup.english, setup.place, setup.room, setup.org


@pytest.fixture
def team(place):
    return pf.coordinator(place)


def charge_of(booking: Booking) -> Charge:
    return Charge.objects.get(source=prices.source_of(booking))


def test_the_booking_names_the_organisation_and_is_charged_to_its_customer(place, room, team, org):
    booking = book(team, room, organisation=org.pk)
    booking.refresh_from_db()
    assert booking.organisation == org and booking.person is None
    assert booking.title == "Atelier Vélo" and booking.booked_by == team
    assert list(org.bookings.all()) == [booking]
    assert booking.price_net == D("120.00") and booking.credits_used == 0
    assert "non-member rates" not in booking.price_note  # its own rate class, not a fallback
    charge = charge_of(booking)
    assert charge.customer == customer_for_organisation(place, org)
    assert charge.customer.organisation == org and charge.person is None
    assert (charge.unit_price_net, charge.voided_at) == (D("120.00"), None)
    assert not CreditEntry.objects.exists()


def test_an_organisation_holding_a_membership_pays_the_members_rate(place, room, team, org):
    mf.subscription(mf.product(place, "membership"), organisation=org, start=date(2026, 1, 1))
    booking = book(team, room, organisation=org)
    assert booking.price_net == D("90.00")
    assert charge_of(booking).unit_price_net == D("90.00")


def test_a_person_of_the_organisation_lends_it_neither_membership_nor_credits(
    place, room, team, org
):
    member = pf.member(place)
    org.people.add(member.person)
    mf.subscription(mf.product(place, "plan"), person=member.person, start=date(2026, 1, 1))
    credits.add_purchase(person=member.person, place=place, wallet="room_hours", quantity="2")
    booking = book(team, room, organisation=org)
    assert booking.price_net == D("120.00") and booking.credits_used == 0
    assert CreditEntry.objects.filter(reason=CreditEntry.Reason.CONSUME).count() == 0


def test_a_space_without_rates_leaves_the_organisations_booking_unpriced(place, team, org):
    free = bf.room(place, name="Salle Libre")
    bf.rules(free)
    booking = book(team, free, organisation=org)
    assert booking.organisation == org and booking.price_net is None
    assert not Charge.objects.exists()


def test_the_next_bill_run_invoices_the_organisation(place, room, team, org):
    booking = book(team, room, organisation=org)
    plan = billrun.preview(place, date(2027, 1, 1))
    customers = {c.customer: c for c in plan.customers}
    assert customer_for_organisation(place, org) in customers
    assert booking.price_net == D("120.00")


def test_the_team_cancelling_voids_the_charge_or_keeps_it_billed_if_it_chooses(
    place, room, team, org
):
    given_back = book(team, room, organisation=org)
    services.cancel_booking(actor=team, booking=given_back, now=NOW)
    assert charge_of(given_back).voided_at is not None
    kept = book(team, room, start=14, end=16, organisation=org)
    late = at(MON, 13)
    services.cancel_booking(actor=team, booking=kept, refund=False, now=late)
    assert charge_of(kept).voided_at is None and charge_of(kept).unit_price_net == D("80.00")


def test_a_moved_booking_is_priced_again_for_the_organisation(place, room, team, org):
    booking = book(team, room, organisation=org)
    other = bf.room(place, name="Salle Verte")
    bf.rules(other)
    mf.room_rate(other, "non_member", "hour", "10.00")
    services.move_booking(
        actor=team, booking=booking, start=at(MON, 14), end=at(MON, 16), space=other, now=NOW
    )
    booking.refresh_from_db()
    assert booking.organisation == org and booking.price_net == D("20.00")
    charge = charge_of(booking)
    assert charge.unit_price_net == D("20.00") and charge.customer.organisation == org


def test_a_member_cannot_book_for_an_organisation_they_do_not_belong_to(place, room, org):
    """Its own people may (issue 10, `test_org_bookings_service`); nobody else, the team
    apart; an anonymous visitor not at all."""
    member = pf.member(place)
    with pytest.raises(ValidationError) as error:
        book(member, room, organisation=org)
    assert error.value.message_dict == {
        "organisation": ["You can only book for an organisation you belong to."]
    }
    with pytest.raises(PermissionDenied):
        book(AnonymousUser(), room, organisation=org)
    assert not Booking.objects.exists() and not Charge.objects.exists()


def test_an_organisation_of_another_place_is_refused(place, room, team, other_place):
    stranger = af.organisation(name="Ailleurs")
    PlaceRole.objects.create(place=other_place, organisation=stranger, role="member")
    with pytest.raises(ValidationError) as error:
        book(team, room, organisation=stranger.pk)
    assert error.value.message_dict == {
        "organisation": ["No such organisation is known to this place."]
    }
    assert not Booking.objects.exists() and not Charge.objects.exists()


def test_a_booking_is_for_a_person_or_an_organisation_never_both(place, room, team, org):
    member = pf.member(place)
    with pytest.raises(ValidationError) as error:
        book(team, room, organisation=org, person=member.person)
    assert error.value.message_dict == {
        "organisation": ["A booking is for a person or for an organisation, not both."]
    }
    assert not Booking.objects.exists()
    booking = book(team, room, organisation=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(person=member.person)


def test_an_organisation_with_bookings_is_kept(place, room, team, org):
    book(team, room, organisation=org)
    with pytest.raises(ProtectedError):
        org.delete()
