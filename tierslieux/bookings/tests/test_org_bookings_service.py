"""A person of a resident or member organisation of the place books as it (issue 10): the
booking is the organisation's (priced at its rates, charged to its customer), `booked_by`
says who made it; only the organisation's people may, and only for one that holds a role in
the place; they see and cancel it under the member's rules. A headcount (1 to the space's
capacity) and a purpose go with any booking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.bookings.services import prices
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests import org_service_setup as setup
from tierslieux.bookings.tests.factories import at
from tierslieux.members.models import Charge
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

# The shared set-up (`org_service_setup`): the place, its yellow room, the resident organisation.
D, NOW, MON, book = setup.D, setup.NOW, setup.MON, setup.book
english, place, room, org = setup.english, setup.place, setup.room, setup.org


@pytest.fixture
def occupant(place, org):
    """A member of the place who belongs to the resident organisation."""
    user = pf.member(place)
    org.people.add(user.person)
    return user


def test_a_member_of_a_resident_organisation_books_as_it(room, org, occupant):
    booking = book(occupant, room, organisation=org, headcount=4, purpose="meeting")
    assert booking.organisation == org and booking.person is None
    assert booking.booked_by == occupant and booking.title == "Atelier Vélo"
    assert (booking.headcount, booking.purpose) == (4, "meeting")
    assert booking.get_purpose_display() == "Meeting"
    charge = Charge.objects.get(source=prices.source_of(booking))
    assert charge.customer.organisation == org and charge.customer.person is None
    # The organisation's rate class (it holds no membership itself), not the person's.
    assert booking.price_net == D("120.00") == charge.unit_price_net


def test_a_person_of_the_organisation_without_a_role_of_their_own_books_as_it(place, room, org):
    """The organisation's role in the place is what counts (audience "members")."""
    bf.rules(room, audience="members")
    outsider = af.user()
    org.people.add(outsider.person)
    with pytest.raises(ValidationError):
        book(outsider, room)  # for themselves: no role in the place
    assert book(outsider, room, organisation=org.pk).organisation == org


def test_the_residents_audience_accepts_a_resident_organisation_not_a_member_one(place, room):
    bf.rules(room, audience="residents")
    resident, member_org = af.organisation(name="Résidente"), af.organisation(name="Adhérente")
    PlaceRole.objects.create(place=place, organisation=resident, role="resident_organisation")
    PlaceRole.objects.create(place=place, organisation=member_org, role="member")
    user = af.user()
    person = user.person
    member_org.people.add(person)
    with pytest.raises(ValidationError) as error:
        book(user, room, organisation=member_org)
    assert error.value.code == "audience"
    resident.people.add(person)
    assert book(user, room, organisation=resident).organisation == resident


def test_someone_not_in_the_organisation_is_refused_with_the_field_named(place, room, org):
    stranger = pf.member(place)
    with pytest.raises(ValidationError) as error:
        book(stranger, room, organisation=org)
    assert error.value.message_dict == {
        "organisation": ["You can only book for an organisation you belong to."]
    }
    assert not Booking.objects.exists() and not Charge.objects.exists()


def test_an_organisation_without_a_role_in_the_place_is_refused(place, room, other_place):
    elsewhere = af.organisation(name="Ailleurs")
    PlaceRole.objects.create(place=other_place, organisation=elsewhere, role="member")
    user = pf.member(place)
    elsewhere.people.add(user.person)
    with pytest.raises(ValidationError) as error:
        book(user, room, organisation=elsewhere)
    assert error.value.message_dict == {
        "organisation": ["No such organisation is known to this place."]
    }
    assert services.organisations_of(user.person, place.pk) == []


def test_headcount_above_capacity_or_below_one_and_unknown_purpose_are_refused(room, occupant):
    for headcount in (7, 0, -1):
        with pytest.raises(ValidationError) as error:
            book(occupant, room, headcount=headcount)
        assert error.value.message_dict == {
            "headcount": ["Between 1 and 6 people fit in this space."]
        }
    with pytest.raises(ValidationError) as error:
        book(occupant, room, purpose="party")
    assert error.value.message_dict == {"purpose": ["Choose a purpose from the list."]}
    assert not Booking.objects.exists()
    assert book(occupant, room, headcount=6).headcount == 6


def test_moving_to_a_smaller_space_checks_the_headcount(place, room, occupant):
    small = bf.room(place, name="Bulle", capacity=2)
    bf.rules(small)
    booking = book(occupant, room, headcount=5)
    with pytest.raises(ValidationError) as error:
        services.move_booking(
            actor=occupant, booking=booking, start=at(MON, 14), end=at(MON, 15), space=small
        )
    assert "headcount" in error.value.message_dict
    booking.refresh_from_db()
    assert booking.space == room


def test_the_maker_cancels_and_moves_the_organisations_booking_others_may_not(
    place, room, org, occupant
):
    booking = book(occupant, room, organisation=org)
    colleague = pf.member(place)
    org.people.add(colleague.person)
    with pytest.raises(PermissionDenied):  # made by someone else
        services.cancel_booking(actor=colleague, booking=booking, now=NOW)
    moved = services.move_booking(
        actor=occupant, booking=booking, start=at(MON, 14), end=at(MON, 16), now=NOW
    )
    assert moved.start == at(MON, 14)
    services.cancel_booking(actor=occupant, booking=booking, now=NOW)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    charge = Charge.objects.get(source=prices.source_of(booking))
    assert charge.voided_at is not None  # in time: nothing billed


def test_after_leaving_the_organisation_the_maker_may_no_longer_change_it(room, org, occupant):
    booking = book(occupant, room, organisation=org)
    org.people.remove(occupant.person)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(actor=occupant, booking=booking, now=NOW)


def test_late_cancellation_by_the_maker_follows_the_members_rule(room, org, occupant):
    booking = book(occupant, room, organisation=org)
    with pytest.raises(ValidationError) as error:
        services.cancel_booking(actor=occupant, booking=booking, now=at(MON, 9))
    assert error.value.code == "deadline"


def test_a_series_for_the_organisation(room, org, occupant):
    outcome = services.create_series(
        actor=occupant,
        space=room,
        start=at(MON, 10),
        end=at(MON, 12),
        recurrence=Recurrence(freq="weekly", count=3),
        skip_conflicts=False,
        organisation=org,
        headcount=3,
        purpose="training",
        now=NOW,
    )
    assert len(outcome.created) == 3
    assert all(
        b.organisation == org and b.person is None and b.headcount == 3 and b.purpose == "training"
        for b in outcome.created
    )
    assert Charge.objects.filter(customer__organisation=org).count() == 3
