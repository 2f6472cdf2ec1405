"""The impact indicators against figures computed by hand from `indicator_data` (visits,
members, occupancy, jobs, revenue, the "not recorded" ones), and the constant number of
queries whatever the number of places."""

from __future__ import annotations

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.impact import indicator_defs
from tierslieux.impact.indicators import compute
from tierslieux.impact.periods import Period
from tierslieux.impact.tests.indicator_data import world_fixture
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

YEAR = Period(2025)


world = world_fixture(YEAR)


def amount(world, place: str, key: str):
    return world[place][key].amount


def test_every_indicator_is_there_for_every_place(world):
    keys = {i.key for i in indicator_defs.INDICATORS}
    for name in ("fabrique", "carbet", "untouched"):
        assert set(world[name]) == keys
        for value in world[name].values():
            assert value.recorded or value.reason  # never None without a reason


def test_visits(world):
    # Counts of 3 and 4 March 2025 (the 31 Dec 2024 and 1 Jan 2026 counts are outside).
    assert amount(world, "fabrique", "footfall") == 40 + 25
    assert world["fabrique"]["footfall"].basis == 2
    # Checked in: Alice's booking; Carol's was cancelled (its check-in is not a visit).
    assert amount(world, "fabrique", "checkins") == 1
    # Alice's booking for 3 people, Bob's done one without a headcount (1); Carol's is
    # cancelled, the event dates' bookings are not bookings of people.
    assert amount(world, "fabrique", "booking_people") == 3 + 1
    # Alice and Bob booked; Alice and Dave were checked in at the workshop, Alice and Erin
    # at the course: Alice, Bob, Dave, Erin (Carol's booking was cancelled).
    assert amount(world, "fabrique", "unique_users") == 4
    reason = world["untouched"]["footfall"].reason
    assert world["untouched"]["footfall"].amount is None and reason
    assert world["untouched"]["checkins"].amount is None
    assert world["untouched"]["unique_users"].amount is None


def test_members_and_organisations(world):
    # Alice (subscription since 2024 and a pass), Erin (from 31 Dec 2025), Gina (a pass);
    # Bob's subscription ended on 31 Dec 2024.
    assert amount(world, "fabrique", "members") == 3
    # Asso 1 (subscription and member role, once) and Asso 2 (resident, undated); Asso 3
    # arrived in 2026.
    assert amount(world, "fabrique", "resident_organisations") == 2
    # Carol (undated); Dave became a volunteer in 2026.
    assert amount(world, "fabrique", "volunteers") == 1
    assert world["untouched"]["members"].amount is None
    assert world["untouched"]["volunteers"].amount is None


def test_occupancy_of_a_quarter(world):
    """Q1 2025: 90 days less 1 January (a holiday) and the closed 10 February = 88 days of
    12 hours open, one room; booked: Alice's 4 h and Bob's 2 h (Carol's cancelled)."""
    fabrique = world["places"]["fabrique"]
    found = compute(Place.objects.filter(pk=fabrique.pk), Period(2025, 1))[fabrique.pk]
    assert found["occupancy"].basis == 88 * 12
    assert found["occupancy"].amount == D("0.6")  # 6 / 1056 = 0.568 %


def test_occupancy_of_the_year(world):
    """2025: 365 days less 11 holidays and the closed day = 353 days × 12 h = 4,236 h;
    booked: 4 + 2 (bookings) + 2 (workshop) + 3 + 3 (course) + 2 (peers) + 2 (the draft
    event's date holds its room all the same) = 18 h → 0.42 %."""
    value = world["fabrique"]["occupancy"]
    assert value.basis == 4236
    assert value.amount == D("0.4")
    assert world["untouched"]["occupancy"].amount is None  # no space, nothing open


def test_jobs(world):
    assert amount(world, "fabrique", "jobs_fte") == D("1.50")
    assert world["fabrique"]["jobs_fte"].basis == 3
    assert world["untouched"]["jobs_fte"].amount is None


def test_revenue(world):
    # 100 (Alice, March) + 200 (the town, April) + 300 (public funding) + 100 (private);
    # the invoice of 31 Dec 2024 is outside.
    assert amount(world, "fabrique", "revenue_total") == D("700.00")
    mix = amount(world, "fabrique", "revenue_mix")
    assert mix["services"] == {"amount": D("300.00"), "share": D("42.9")}
    assert mix["partnerships"] == {"amount": D("400.00"), "share": D("57.1")}
    assert mix["memberships"] == {"amount": D(0), "share": D("0.0")}
    # Public: the town's 200 and the public funder's 300, over 700.
    assert amount(world, "fabrique", "public_funding_share") == D("71.4")
    assert world["untouched"]["revenue_total"].amount is None


def test_not_recorded_ones_say_why(world):
    for key in ("volunteer_hours", "shared_bookings", "cross_sector_links"):
        value = world["fabrique"][key]
        assert value.amount is None
        assert value.reason == indicator_defs.BY_KEY[key].limits


def test_a_constant_number_of_queries(world, django_assert_num_queries):
    """Three places or thirteen: the same statements (none per place)."""
    three = Place.objects.filter(pk__in=[p.pk for p in world["places"].values()])
    with CaptureQueriesContext(connection) as few:
        compute(three, YEAR)
    for _n in range(10):
        pf.place()
    with django_assert_num_queries(len(few.captured_queries)):
        found = compute(Place.objects.all(), YEAR)
    assert len(found) >= 13
