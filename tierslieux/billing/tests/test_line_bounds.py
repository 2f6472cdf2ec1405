"""Bounds a person would expect on an invoice line: a unit price, and a line's amount, of at
most a million euros; a quantity of at most 100,000. The service refuses beyond (on a draft,
so on an issued invoice too) and the line form names the field."""

import pytest

from tierslieux.billing import services
from tierslieux.billing.forms import LineForm
from tierslieux.billing.services import LineInput
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.test_bad_input import refused


@pytest.mark.parametrize(
    ("quantity", "price", "code"),
    [
        ("1", "1000000.01", "price_too_large"),
        ("3", "400000.00", "price_too_large"),
        ("100001", "0.01", "quantity_too_large"),
    ],
)
def test_a_line_beyond_the_bounds_is_refused_saying_why(place, coordinator, quantity, price, code):
    line = LineInput("Location", quantity, price, "vat_20")
    error = refused(
        services.create_draft, actor=coordinator, customer=f.customer(place), lines=[line]
    )
    assert error.code == code


def test_a_line_at_the_bounds_is_accepted(place, coordinator):
    lines = [LineInput("Bâtiment", "1", "1000000.00", "vat_20")]
    draft = services.create_draft(actor=coordinator, customer=f.customer(place), lines=lines)
    assert draft.lines.get().unit_price_net == 1_000_000


def test_the_line_form_names_the_field():
    form = LineForm(
        data={
            "description": "Location",
            "quantity": "100001",
            "unit": "C62",
            "unit_price_net": "1000000,01",
            "tax_code": "vat_20",
            "family": "services",
            "account": "706000",
        }
    )
    assert not form.is_valid()
    assert {"quantity", "unit_price_net"} <= set(form.errors)
