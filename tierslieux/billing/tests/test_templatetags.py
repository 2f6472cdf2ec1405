"""The money filters of templates: tax labels and prices including tax."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tierslieux.billing.templatetags.billing import tax_label, unit, with_tax

pytestmark = pytest.mark.pure


def test_a_price_including_tax_follows_the_rule_and_rounds_half_up():
    assert with_tax(Decimal("15.00"), "vat_20") == Decimal("18.00")
    assert with_tax(Decimal("8.00"), "vat_5_5") == Decimal("8.44")
    assert with_tax(Decimal("50.00"), "exempt_261_7_1b") == Decimal("50.00")


def test_an_unknown_rule_or_no_price_gives_nothing_rather_than_a_wrong_price():
    assert with_tax(Decimal("15.00"), "vat_99") is None
    assert with_tax(None, "vat_20") is None


def test_a_tax_rule_reads_in_the_reader_s_language():
    with translation.override("fr"):
        assert str(tax_label("vat_20")) == "TVA 20\u00a0%"  # the no-break space French puts
    with translation.override("en"):
        assert str(tax_label("vat_20")) == "VAT 20 %"
    assert tax_label("vat_99") == "vat_99"


def test_the_filters_work_in_a_template():
    template = Template("{% load billing %}{{ p|with_tax:'vat_20' }} {{ 'vat_10'|tax_label }}")
    with translation.override("en"):
        assert template.render(Context({"p": Decimal("10.00")})) == "12.00 VAT 10 %"


def test_a_unit_reads_as_a_word_agreeing_with_the_quantity_never_as_its_code():
    template = Template(
        "{% load billing %}{{ 'HUR'|unit:1 }}, {{ 'C62'|unit:3 }}, {{ 'DAY'|unit:h }}"
    )
    with translation.override("fr"):
        assert template.render(Context({"h": Decimal("0.5")})) == "heure, unités, jours"
    with translation.override("en"):
        assert template.render(Context({"h": Decimal("1")})) == "hour, units, day"
    assert unit("XYZ", 2) == "XYZ"
