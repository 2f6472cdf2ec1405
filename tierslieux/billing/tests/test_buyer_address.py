"""An invoice to an organisation gives the buyer's postal address and, for a French company
or public body, its SIREN: issuing refuses without them, alone or in a batch, naming every
missing field, and writes nothing; the bill run's plan lists such customers before anything
is confirmed (`members/tests/test_billrun_buyer.py`). The organisation's details reach its
customer (`customer_for_organisation`)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tierslieux.billing import services
from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.services import BatchInvoice, LineInput
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.test_bad_input import refused
from tierslieux.places.tests import factories as pf

NO_ADDRESS = {"address": "", "postcode": "", "city": ""}


def test_an_association_without_address_is_refused_naming_each_missing_field(
    place, coordinator, english
):
    association = f.customer(
        place, name="Repair café", kind=Customer.Kind.ASSOCIATION, **NO_ADDRESS
    )

    error = refused(services.issue_invoice, actor=coordinator, invoice=f.draft(association))

    assert error.code == "buyer_address"
    assert error.messages == [
        "Repair café is an organisation: an invoice to it gives its postal address and, in "
        "France, its SIREN. To fill in: address, postcode, city."
    ]


def test_the_refusal_speaks_french_and_a_per_cent_sign_in_a_name_is_harmless(place, coordinator):
    company = f.customer(place, name="100% Bio", kind=Customer.Kind.COMPANY, siren="", city="")
    with translation.override("fr"):
        error = refused(services.issue_invoice, actor=coordinator, invoice=f.draft(company))
        assert error.messages == [
            "100% Bio est une organisation\xa0: une facture à son nom indique son adresse "
            "postale et, en France, son SIREN. À renseigner\xa0: ville, SIREN."
        ]


def test_a_foreign_organisation_needs_its_address_but_no_siren(place, coordinator):
    belgian = f.customer(place, kind=Customer.Kind.COMPANY, siren="", country="BE", postcode="1000")
    invoice = services.issue_invoice(actor=coordinator, invoice=f.draft(belgian))
    assert invoice.buyer["address"] == "12 avenue Foch" and invoice.buyer["siren"] == ""


def test_a_french_association_without_siren_is_invoiced_with_its_address(place, coordinator):
    # A small association registered only at the prefecture has no SIREN to give.
    club = f.customer(place, name="Club de go", kind=Customer.Kind.ASSOCIATION, siren="")
    invoice = services.issue_invoice(actor=coordinator, invoice=f.draft(club))
    assert invoice.is_issued and invoice.buyer["siren"] == ""
    assert invoice.buyer["city"]


def test_an_individual_is_invoiced_without_address(place, coordinator):
    person = f.customer(place, **NO_ADDRESS)
    assert services.issue_invoice(actor=coordinator, invoice=f.draft(person)).is_issued


def test_a_batch_with_one_organisation_without_address_issues_nothing(
    place, coordinator, english, clock
):
    clock.set(date(2026, 11, 3))
    fine = f.customer(place, name="Anna")
    bare = f.customer(place, name="Mairie", kind=Customer.Kind.PUBLIC_BODY, **NO_ADDRESS)
    line = [LineInput("Bureau", "1", "300.00", "vat_20")]
    batch = [BatchInvoice(fine, line), BatchInvoice(bare, line)]
    with pytest.raises(ValidationError) as caught:
        services.issue_batch(
            actor=coordinator, place=place, invoices=batch, issue_date=date(2026, 11, 3)
        )
    assert caught.value.code == "buyer_address"
    assert "Mairie" in caught.value.messages[0]
    assert "To fill in: address, postcode, city." in caught.value.messages[0]
    assert not Invoice.objects.filter(place=place).exists()


def test_the_organisation_s_address_and_siren_reach_its_customer(place):
    organisation = pf.organisation(name="SCOP Les Bâtisseurs", kind="cooperative")
    customer = services.customer_for_organisation(place, organisation)
    assert (customer.address, customer.postcode, customer.city, customer.country) == (
        "3 rue de la Mairie",
        "11100",
        "Narbonne",
        "FR",
    )
    assert customer.siren == organisation.siret[:9] == organisation.siren


def test_an_older_customer_gets_the_details_it_lacks_and_keeps_what_the_team_typed(place):
    organisation = pf.organisation(name="Atelier")
    older = Customer.objects.create(
        place=place, name="Atelier", kind="company", organisation=organisation, siren="732829320"
    )
    customer = services.customer_for_organisation(place, organisation)
    assert customer.pk == older.pk
    older.refresh_from_db()
    assert (older.address, older.city) == ("3 rue de la Mairie", "Narbonne")
    assert older.siren == "732829320"  # typed by the team: kept


def test_a_place_s_organisation_customers_are_completed_at_once(place):
    organisation = pf.organisation(name="Atelier")
    Customer.objects.create(place=place, name="Atelier", kind="company", organisation=organisation)
    complete = f.customer(place, name="Complet", kind="company", organisation=organisation)
    assert services.complete_from_organisations(place) == 1
    assert services.complete_from_organisations(place) == 0
    completed = Customer.objects.get(place=place, name="Atelier")
    assert (completed.address, completed.siren) == ("3 rue de la Mairie", "552100554")
    assert Customer.objects.get(pk=complete.pk).address == "12 avenue Foch"
