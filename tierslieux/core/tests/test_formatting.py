"""Money, numbers and dates as French and English readers write them; ids never grouped."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tierslieux.core import formatting

pytestmark = pytest.mark.pure

NBSP = "\u00a0"


def render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


def test_french_groups_thousands_with_no_break_spaces_and_writes_a_decimal_comma(french):
    assert formatting.number(33000) == f"33{NBSP}000"
    assert formatting.number(Decimal("1234567.5")) == f"1{NBSP}234{NBSP}567,5"
    assert formatting.amount(Decimal("1234.5")) == f"1{NBSP}234,50"
    assert formatting.money(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}€"
    assert formatting.money(-12) == f"-12,00{NBSP}€"
    assert formatting.percent(45) == f"45{NBSP}%"
    assert formatting.percent(Decimal("5.5"), 1) == f"5,5{NBSP}%"


def test_english_groups_with_commas_and_writes_a_decimal_point(english):
    assert formatting.number(33000) == "33,000"
    assert formatting.amount(Decimal("1234.5")) == "1,234.50"
    assert formatting.money(Decimal("1234.5")) == f"1,234.50{NBSP}€"
    assert formatting.day(date(2027, 3, 1)) == "March 1, 2027"


def test_numbers_keep_their_decimals_unless_fixed_and_floats_are_not_noisy(french):
    assert formatting.number(Decimal("250.00")) == "250"  # a whole value: no decimals
    assert formatting.number(2.5) == "2,5"
    assert formatting.number(0.1 + 0.2, 2) == "0,30"
    assert formatting.number(7, 1) == "7,0"


def test_nothing_is_written_for_nothing_and_text_stays_text(french):
    assert formatting.money(None) == ""
    assert formatting.number(None) == ""
    assert formatting.percent("") == ""
    assert formatting.number("n/a") == "n/a"
    assert formatting.day(None) == ""
    assert formatting.moment(None) == ""


def test_french_writes_the_first_of_the_month_1er(french):
    assert formatting.day(date(2027, 3, 1)) == "1er mars 2027"
    assert formatting.day(date(2027, 3, 11)) == "11 mars 2027"
    assert formatting.day(date(2027, 3, 21)) == "21 mars 2027"
    # 13:30 UTC is 14:30 in Paris (the instance's zone).
    assert formatting.moment(datetime(2027, 3, 1, 13, 30, tzinfo=UTC)) == "1er mars 2027 à 14:30"


def test_a_weekday_is_lower_case_and_the_first_still_1er_inside_a_french_date(french):
    assert formatting.day(date(2026, 12, 1), "l j F Y") == "mardi 1er décembre 2026"
    assert formatting.day(date(2026, 12, 11), "l j F Y") == "vendredi 11 décembre 2026"
    assert formatting.day(date(2027, 1, 1), "SHORT_DATE_FORMAT") == "01/01/2027"


def test_english_has_no_1er_and_a_24_hour_clock(english):
    assert "1er" not in formatting.day(date(2027, 3, 1))
    assert formatting.moment(datetime(2027, 3, 1, 13, 30, tzinfo=UTC)) == "March 1, 2027, 14:30"


def test_the_template_filters_are_the_same_helpers(french):
    page = render(
        "{{ total|money }}|{{ price|amount }}|{{ surface|number }}|{{ rate|percent:1 }}|"
        "{{ d|day }}|{{ at|moment }}",
        total=Decimal("1234.5"),
        price=Decimal("12"),
        surface=33000,
        rate=Decimal("5.5"),
        d=date(2027, 3, 1),
        at=datetime(2027, 3, 1, 13, 30, tzinfo=UTC),
    )
    assert page == (
        f"1{NBSP}234,50{NBSP}€|12,00|33{NBSP}000|5,5{NBSP}%|1er mars 2027|1er mars 2027 à 14:30"
    )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_ids_and_years_printed_raw_are_never_grouped(language):
    # Only the helpers group thousands (USE_THOUSAND_SEPARATOR is False).
    with translation.override(language):
        assert render("{{ pk }} {{ year }}", pk=12345, year=2027) == "12345 2027"
        assert render('<a href="/x/{{ pk }}/">', pk=1234567) == '<a href="/x/1234567/">'
