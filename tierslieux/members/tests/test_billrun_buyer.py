"""The bill run lists an organisation's customer without its postal address (or a French
one without its SIREN) among its problems, before anything is confirmed, as issuing would
refuse it (`billing/buyer.py`)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tierslieux.billing.models import Invoice
from tierslieux.members.services import billrun
from tierslieux.members.tests import factories as mf
from tierslieux.places.tests import factories as pf


@pytest.fixture
def month_due(place, clock):
    clock.set(date(2026, 11, 3))
    plan = mf.product(place, "plan")
    organisation = pf.organisation(name="Collectif Terre", kind="association", address="")
    mf.subscription(plan, person=mf.person("Chloé"), organisation=organisation)
    return organisation


def test_the_bill_run_lists_the_organisation_before_anything_is_confirmed(
    place, coordinator, english, month_due
):
    planned = billrun.preview(place, date(2026, 10, 1))
    assert [(p.code, p.customer.name) for p in planned.problems] == [
        ("buyer_address", "Collectif Terre")
    ]
    assert planned.problems[0].message == (
        "Collectif Terre is an organisation: its invoice gives its postal address and, in "
        "France, its SIREN. To fill in before the run: address."
    )
    with pytest.raises(ValidationError):
        billrun.confirm(actor=coordinator, place=place, month=date(2026, 10, 1))
    assert not Invoice.objects.filter(place=place).exists()


def test_an_address_entered_on_the_organisation_clears_the_problem(place, coordinator, month_due):
    planned = billrun.preview(place, date(2026, 10, 1))
    customer = planned.problems[0].customer
    month_due.address = "4 place du Marché"
    month_due.save()
    assert not billrun.preview(place, date(2026, 10, 1)).problems
    customer.refresh_from_db()
    assert customer.address == "4 place du Marché"  # the customer took it, blanks only
    run = billrun.confirm(actor=coordinator, place=place, month=date(2026, 10, 1))
    invoice = Invoice.objects.get(place=place, customer=customer)
    assert run.invoice_count == 1 and invoice.buyer["address"] == "4 place du Marché"
