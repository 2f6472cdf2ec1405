"""What the organisation-booking service tests share: a place open every weekday, its yellow
room with member and non-member rates, a resident organisation, and `book` at a fixed now."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings import services
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import PlaceRole

D = Decimal
NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"


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
    bf.rules(space, cancellation_deadline_hours=24)
    mf.room_rate(space, "member", "hour", "30.00")
    mf.room_rate(space, "non_member", "hour", "40.00")
    return space


@pytest.fixture
def org(place):
    found = af.organisation(name="Atelier Vélo")
    PlaceRole.objects.create(place=place, organisation=found, role="resident_organisation")
    return found


def book(actor, space, day=MON, start=10, end=13, **kw):
    return services.create_booking(
        actor=actor, space=space, start=at(day, start), end=at(day, end), now=NOW, **kw
    )
