"""The pure price of a booking: passes, credits first, the cheapest mix of rates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from tierslieux.bookings.pricing import Line, Rate, cheapest, hours_of, quote, rates_for

pytestmark = pytest.mark.pure

D = Decimal
ROOM, DESK, MACHINE = "room_hours", "desk_days", "machine_hours"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def card(audience="non_member", tax="vat_20", **prices):
    return {(audience, unit): (D(price), tax) for unit, price in prices.items()}


ROOM_CARD = card(hour="30.00", half_day="100.00", day="180.00")


def test_three_hours_with_two_credits_left_use_both_and_one_hour_at_the_hourly_rate():
    q = quote(minutes=180, wallet=ROOM, card=ROOM_CARD, credits=D("2"))
    assert q.credits_used == D("2")
    assert q.lines == [Line("Hourly rate", D("1.00"), "HUR", D("30.00"), "vat_20")]
    assert q.price_net == D("30.00")
    assert (q.tax_code, q.wallet) == ("vat_20", ROOM)
    assert q.note == "2 h from credits; 1 × Hourly rate"


def test_credits_covering_everything_make_it_free_and_only_what_is_needed_is_used():
    q = quote(minutes=90, wallet=ROOM, card=ROOM_CARD, credits=D("10"))
    assert (q.credits_used, q.price_net, q.lines) == (D("1.50"), D("0.00"), [])


def test_six_hours_take_a_half_day_and_two_hours_when_that_is_cheaper_than_a_day():
    q = quote(minutes=360, wallet=ROOM, card=ROOM_CARD)
    assert q.price_net == D("160.00")  # 100 + 2 × 30, against 180 for the day
    assert [(li.description, li.quantity) for li in q.lines] == [
        ("Half-day rate", D("1")),
        ("Hourly rate", D("2.00")),
    ]


def test_six_hours_take_the_day_when_the_day_is_cheaper():
    q = quote(minutes=360, wallet=ROOM, card=card(hour="30.00", half_day="100.00", day="150.00"))
    assert q.price_net == D("150.00")
    assert [li.description for li in q.lines] == ["Day rate"]


def test_four_hours_take_the_half_day_over_four_hours_at_the_same_price():
    q = quote(minutes=240, wallet=ROOM, card=card(hour="25.00", half_day="100.00"))
    assert q.lines == [Line("Half-day rate", D("1"), "C62", D("100.00"), "vat_20")]


def test_ten_hours_can_mix_a_day_and_hours():
    assert cheapest(
        D("10"), {"day": Rate(D("150"), "vat_20"), "hour": Rate(D("30"), "vat_20")}
    ) == [
        Line("Day rate", D("1"), "DAY", D("150"), "vat_20"),
        Line("Hourly rate", D("2"), "HUR", D("30"), "vat_20"),
    ]


def test_with_only_a_day_rate_a_short_booking_pays_the_day():
    q = quote(minutes=60, wallet=ROOM, card=card(day="80.00"))
    assert q.price_net == D("80.00")


def test_hours_are_exact_to_the_hundredth():
    assert hours_of(50) == D("0.83")
    assert hours_of(135) == D("2.25")
    q = quote(minutes=50, wallet=ROOM, card=card(hour="30.00"))
    assert q.price_net == D("24.90")


def test_line_nets_are_rounded_half_up_to_the_cent():
    q = quote(minutes=20, wallet=ROOM, card=card(hour="10.05"))  # 0.33 h × 10.05 = 3.3165
    assert q.price_net == D("3.32")


def test_members_pay_the_member_rate_and_others_the_non_member_rate():
    rates = {**card("member", hour="10.00"), **card("non_member", hour="25.00")}
    assert quote(minutes=120, wallet=ROOM, card=rates, audience="member").price_net == D("20.00")
    assert quote(minutes=120, wallet=ROOM, card=rates, audience="non_member").price_net == D(
        "50.00"
    )


def test_an_audience_without_rates_falls_back_to_the_non_member_rates_as_a_whole():
    rates = {**card("member", hour="10.00"), **card("non_member", hour="25.00", day="100.00")}
    assert rates_for(rates, "company") == (
        {"hour": (D("25.00"), "vat_20"), "day": (D("100.00"), "vat_20")},
        True,
    )
    assert rates_for(rates, "member") == ({"hour": (D("10.00"), "vat_20")}, False)
    q = quote(minutes=60, wallet=ROOM, card=rates, audience="association")
    assert q.price_net == D("25.00")
    assert "non-member rates" in q.note


def test_a_space_without_rates_is_not_priced_and_uses_no_credit():
    q = quote(minutes=120, wallet=ROOM, card={}, credits=D("5"))
    assert (q.price_net, q.credits_used, q.lines) == (None, 0, [])
    assert "not priced" in q.note
    only_members = card("member", hour="10.00")
    assert quote(minutes=60, wallet=ROOM, card=only_members).price_net is None


def test_a_desk_with_a_day_pass_is_free():
    q = quote(minutes=480, wallet=DESK, card=card(day="20.00"), credits=D("3"), pass_covers=True)
    assert (q.price_net, q.credits_used, q.lines) == (D("0.00"), 0, [])
    assert q.note == "covered by a pass"


def test_a_pass_covers_one_desk_a_day_the_others_are_priced():
    q = quote(minutes=480, wallet=DESK, card=card(day="20.00"), units=3, pass_covers=True)
    assert q.price_net == D("40.00")


def test_a_desk_counts_days_whatever_the_hours():
    q = quote(minutes=60, wallet=DESK, card=card(day="20.00", hour="3.00"))
    assert q.lines == [Line("Desk day", D("1"), "DAY", D("20.00"), "vat_20")]
    two_days = quote(minutes=600, wallet=DESK, card=card(day="20.00"), days=2, units=2)
    assert two_days.price_net == D("80.00")


def test_desk_days_come_from_credits_first_partly_if_need_be():
    q = quote(minutes=480, wallet=DESK, card=card(day="20.00"), days=3, credits=D("1.5"))
    assert q.credits_used == D("1.5")
    assert q.price_net == D("30.00")
    assert q.note == "1.5 day(s) from credits; 1.5 × Desk day"


def test_a_desk_without_day_rate_pays_its_hours_of_the_day():
    q = quote(minutes=180, wallet=DESK, card=card(hour="3.00", half_day="10.00"))
    assert q.price_net == D("9.00")


def test_units_of_a_machine_count_each_and_credits_cover_whole_units_first():
    rates = card(hour="10.00", half_day="30.00")
    q = quote(minutes=240, wallet=MACHINE, card=rates, units=2, credits=D("5"))
    # 8 unit-hours: 5 from credits, 3 left on the second unit (3 × 10 = 30 = a half-day; hours
    # are cheaper only below 3 h).
    assert q.credits_used == D("5")
    assert q.price_net == D("30.00")


def test_the_tax_code_is_the_rates():
    q = quote(minutes=60, wallet=ROOM, card=card(tax="exempt_261_7_1b", hour="12.00"))
    assert q.tax_code == "exempt_261_7_1b"
    assert q.lines[0].tax_code == "exempt_261_7_1b"


def test_negative_credits_count_as_none():
    q = quote(minutes=60, wallet=ROOM, card=card(hour="12.00"), credits=D("-1"))
    assert (q.credits_used, q.price_net) == (0, D("12.00"))
