"""Events, audiences, free and solidarity access, learning and links between organisations,
against figures computed by hand from `indicator_data` (year 2025).

La Fabrique's events: "Avant" (Asso 1 and 2, one date in November 2024); the workshop (free,
for children and families, Asso 1, 2 and 4; 10 April held: Alice 2 seats and Dave 1 present,
a cancelled registration of 3; 11 April cancelled, with a registration of 1); the course
(training of 6 h for job seekers, non-member 50 € and solidarity 10 €, Asso 1 and 2; 12 and
13 May, 3 h each; Alice 1 seat at solidarity price, Erin 2 seats; present: both on the 12th,
Alice on the 13th); the peer-learning morning of 1 June (no price, no registration); a
draft's date in July and a date in March 2026, neither counted.
"""

from __future__ import annotations

from decimal import Decimal as D

from tierslieux.impact.periods import Period
from tierslieux.impact.tests.indicator_data import world_fixture

world = world_fixture(Period(2025))


def amount(world, place: str, key: str):
    return world[place][key].amount


def test_events_and_participants(world):
    # The workshop, the course and the peers' morning (not "Avant", the draft, 2026).
    assert amount(world, "fabrique", "events_held") == 3
    # 10 April, 12 and 13 May, 1 June (11 April was cancelled).
    assert amount(world, "fabrique", "sessions_held") == 4
    # 10 April: 2 + 1 (the cancelled 3 left out); the course's 1 + 2 seats at each of its
    # two dates: 3 + 6 = 9. The registration for the cancelled date is not counted.
    assert amount(world, "fabrique", "registered_seats") == 9
    # 2 + 1 on 10 April, 1 + 2 on 12 May, 1 on 13 May.
    assert amount(world, "fabrique", "participants") == 7
    assert amount(world, "fabrique", "attendance_rate") == D("77.8")  # 7 / 9
    assert world["fabrique"]["attendance_rate"].basis == 9


def test_a_place_in_another_time_zone(world):
    """Le Carbet (Cayenne, UTC−3): 1 Jan 2025 02:00 UTC is still 2024 there, 1 Jan 2026
    01:00 UTC is still 2025: one date held in 2025. No registration, no check-in ever."""
    assert amount(world, "carbet", "sessions_held") == 1
    assert amount(world, "carbet", "events_held") == 1
    assert amount(world, "carbet", "registered_seats") is None
    assert world["carbet"]["participants"].reason
    assert amount(world, "untouched", "events_held") is None


def test_audiences(world):
    audiences = amount(world, "fabrique", "audiences")
    assert audiences["children"] == {"events": 1, "participants": 3}
    assert audiences["families"] == {"events": 1, "participants": 3}
    assert audiences["job_seekers"] == {"events": 1, "participants": 4}
    assert audiences["seniors"] == {"events": 0, "participants": 0}


def test_free_and_solidarity_access(world):
    # Free: the workshop (a free price only) and the peers' morning (no price): 2 of 3.
    assert amount(world, "fabrique", "free_events_share") == D("66.7")
    assert world["fabrique"]["free_events_share"].basis == 3
    # A solidarity price: the course, 1 of 3.
    assert amount(world, "fabrique", "solidarity_offer_share") == D("33.3")
    # Seats: the workshop's 2 + 1 free, the course's 1 solidarity and 2 at 50 €: 4 of 6.
    assert amount(world, "fabrique", "free_or_solidarity_seats_share") == D("66.7")
    assert amount(world, "carbet", "free_or_solidarity_seats_share") is None


def test_learning(world):
    assert amount(world, "fabrique", "peer_learning_sessions") == 1
    assert amount(world, "fabrique", "training_sessions") == 2
    # 12 May: 3 people × 3 h; 13 May: 1 person × 3 h.
    assert amount(world, "fabrique", "training_hours") == D("12.0")
    assert world["carbet"]["training_hours"].amount is None


def test_links_between_organisations(world):
    # In 2025: Asso 1, 2 and 4 (the workshop), 1 and 2 (the course).
    assert amount(world, "fabrique", "co_organisers") == 3
    # Pairs: (1, 2), (1, 4), (2, 4); (1, 2) had co-organised "Avant" in 2024.
    assert amount(world, "fabrique", "links") == 3
    assert amount(world, "fabrique", "new_links") == 2
    assert amount(world, "carbet", "links") == 0  # an event, with no co-organiser
    assert amount(world, "untouched", "links") is None
