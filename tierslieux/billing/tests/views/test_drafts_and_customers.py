"""Drafts with their lines, customers and their balances, payments and fundings."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tierslieux.billing import queries, services
from tierslieux.billing.models import (
    Customer,
    Funding,
    Invoice,
)
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.views.support import (
    SIXTY,
    TODAY,
    D,
    Status,
    a_line,
    draft_data,
    page,
    snapshot,
    url,
)
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf


def test_a_new_draft_with_its_lines(team, place, customer):
    response = team.post(
        url("invoice_new", place),
        draft_data(
            customer,
            a_line(),
            a_line(
                description="Adhésion",
                family="memberships",
                account="756000",
                tax_code="franchise_293b",
                quantity="1",
                unit="C62",
                unit_price_net="20",
            ),
        ),
    )
    assert response.status_code == 302
    draft = Invoice.objects.get()
    assert draft.status == Status.DRAFT and draft.service_end == date(2027, 2, 28)
    first, second = draft.lines.order_by("position")
    assert (first.quantity, first.unit_price_net, first.net, first.unit) == (
        D("2.5"),
        D("12.40"),
        D("31.00"),
        "HUR",
    )
    assert (second.family, second.account, second.tax_code) == (
        "memberships",
        "756000",
        "franchise_293b",
    )


def test_the_new_draft_page_offers_the_tax_rules_and_families(team, place, customer, english):
    html = page(team.get(url("invoice_new", place), {"customer": customer.pk}))
    assert "VAT not applicable (franchise)" in html
    assert "Side activities" in html
    assert f'<option value="{customer.pk}" selected>' in html


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ({"unit_price_net": "douze"}, "Saisissez un nombre."),
        ({"quantity": "-1"}, "The quantity must be positive"),
        ({"unit_price_net": "-3"}, "The unit price cannot be negative"),
        ({"tax_code": "vat_99"}, "Select a valid choice."),
        ({"account": "abc"}, "An account number has 3 to 10 digits."),
    ],
)
def test_a_bad_line_saves_nothing(team, place, customer, line, error, english):
    if error == "Saisissez un nombre.":
        error = "Enter a number."
    before = snapshot()
    response = team.post(url("invoice_new", place), draft_data(customer, a_line(**line)))
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_a_draft_needs_a_line_and_an_ordered_period(team, place, customer, english):
    response = team.post(url("invoice_new", place), draft_data(customer))
    assert response.status_code == 422
    assert "Add at least one line" in page(response)
    response = team.post(
        url("invoice_new", place), draft_data(customer, a_line(), service_end="2027-01-01")
    )
    assert response.status_code == 422
    assert "The service ends before it starts." in page(response)
    assert not Invoice.objects.exists()


def test_a_customer_of_another_place_cannot_be_invoiced(team, place):
    stranger = f.customer(f.place())
    response = team.post(url("invoice_new", place), draft_data(stranger, a_line()))
    assert response.status_code == 422
    assert not Invoice.objects.exists()


def test_editing_a_draft_replaces_its_lines(team, place, customer):
    draft = f.draft(customer)
    form = team.get(url("invoice_edit", place, draft.pk))
    assert "Journée coworking" in page(form)
    data = draft_data(customer, a_line(description="Autre chose", quantity="3"))
    assert team.post(url("invoice_edit", place, draft.pk), data).status_code == 302
    assert list(draft.lines.values_list("description", "quantity")) == [("Autre chose", D("3"))]


def test_editing_an_issued_invoice_is_refused_with_the_reason(team, place, ledger):
    invoice = ledger["unpaid"]
    before = snapshot()
    response = team.get(url("invoice_edit", place, invoice.pk), follow=True)
    reason = f"La facture {invoice.number} est émise\u00a0: elle ne peut plus être modifiée"
    assert reason in page(response)
    response = team.post(
        url("invoice_edit", place, invoice.pk),
        draft_data(invoice.customer, a_line(description="Falsifiée")),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("invoice", place, invoice.pk)
    assert reason in page(response)
    assert snapshot() == before


def test_deleting_a_draft_and_not_an_issued_invoice(team, place, ledger):
    assert team.post(url("invoice_delete", place, ledger["draft"].pk)).status_code == 302
    assert not Invoice.objects.filter(pk=ledger["draft"].pk).exists()
    before = snapshot()
    response = team.post(url("invoice_delete", place, ledger["paid"].pk), follow=True)
    assert "est émise" in page(response)
    assert snapshot() == before


def test_actions_are_post_only(team, place, ledger):
    for name in ("invoice_issue", "invoice_delete", "invoice_payment", "invoice_apply_credit"):
        assert team.get(url(name, place, ledger["draft"].pk)).status_code == 405


def test_customers_list_balances_in_a_fixed_number_of_queries(team, place, coordinator, ledger):
    response = team.get(url("customers", place))
    rows = {row["customer"].name: row["figures"] for row in response.context["rows"]}
    assert rows["Association Les Amis"] == queries.CustomerFigures(
        invoiced=D("180.00"), due=D("100.00"), overdue=D("60.00"), credit=D("0.00")
    )
    assert rows["Coopérative Octopus"].due == D("240.00")

    with CaptureQueriesContext(connection) as few:
        team.get(url("customers", place))
    for n in range(5):
        c = f.customer(place, name=f"Client supplémentaire {n}")
        f.issued(coordinator, c, SIXTY, issue_date=date(2027, 2, 15))
    with CaptureQueriesContext(connection) as many:
        team.get(url("customers", place))
    assert len(many) == len(few)


def test_customers_search(team, place, ledger):
    response = team.get(url("customers", place), {"q": "octo"})
    assert [row["customer"].name for row in response.context["rows"]] == ["Coopérative Octopus"]


def customer_data(**fields):
    return {
        "name": "Mairie de Gruissan",
        "kind": "public_body",
        "email": "",
        "address": "Boulevard du Pech-Maynaud",
        "postcode": "11430",
        "city": "Gruissan",
        "country": "FR",
        "siren": "",
        "vat_number": "",
        "language": "fr",
        "iban": "",
        "bic": "",
        "sepa_mandate_reference": "",
        "sepa_mandate_date": "",
        **fields,
    }


def test_creating_a_customer(team, place, english):
    form = team.get(url("customer_new", place))
    assert "needs its SIREN before an invoice is issued" in page(form)
    response = team.post(url("customer_new", place), customer_data(siren="552 100 554"))
    assert response.status_code == 302
    created = Customer.objects.get(name="Mairie de Gruissan")
    assert created.place == place and created.siren == "552100554"
    assert response["Location"] == url("customer", place, created.pk)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"siren": "123456789"}, "is not a valid SIREN"),
        ({"iban": "FR76 0000 0000 0000"}, "This IBAN is not valid"),
        ({"sepa_mandate_reference": "RUM-1"}, "A mandate has a signature date"),
        ({"name": ""}, "This field is required."),
        ({"kind": "alien"}, "Select a valid choice."),
    ],
)
def test_a_wrong_customer_saves_nothing(team, place, fields, error, english):
    before = snapshot()
    response = team.post(url("customer_new", place), customer_data(**fields))
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_editing_a_customer(team, place, customer):
    data = customer_data(
        name="Les Amis du Lieu",
        kind="association",
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="AGRIFRPP",
        sepa_mandate_reference="RUM-2027-01",
        sepa_mandate_date="2027-01-15",
    )
    response = team.post(url("customer_edit", place, customer.pk), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Les Amis du Lieu"
    assert customer.iban == "FR7630006000011234567890189"
    assert customer.sepa_mandate_date == date(2027, 1, 15)


def test_the_customer_page_shows_invoices_payments_and_credit(
    team, place, coordinator, ledger, customer
):
    services.record_payment(
        actor=coordinator,
        customer=customer,
        amount="7.00",
        method="card",
        date=date(2027, 2, 22),
        allocations=[],
    )
    response = team.get(url("customer", place, customer.pk))
    html = page(response)
    assert ledger["unpaid"].number in html and ledger["other"].number not in html
    assert response.context["figures"].credit == D("7.00")
    assert "7,00" in html


def test_a_customer_payment_settles_the_oldest_invoice_first(team, place, ledger, customer):
    response = team.post(
        url("customer_payment", place, customer.pk),
        {"amount": "60", "date": "2027-02-27", "method": "sepa_debit", "reference": ""},
    )
    assert response.status_code == 302
    assert queries.payment_state(ledger["unpaid"]) == "paid"
    assert queries.settlement(ledger["partly"]).due == D("40.00")


def test_a_bad_customer_payment_saves_nothing(team, place, ledger, customer):
    before = snapshot()
    response = team.post(
        url("customer_payment", place, customer.pk),
        {"amount": "-1", "date": "2027-02-27", "method": "cash"},
    )
    assert response.status_code == 422
    assert "Un paiement doit être un montant positif" in page(response)
    assert snapshot() == before


def test_payments_are_listed_by_date_and_filtered_by_method(
    team, place, coordinator, ledger, customer
):
    services.record_payment(
        actor=coordinator, customer=customer, amount="5.00", method="cash", date=date(2027, 2, 25)
    )
    everything = team.get(url("payments", place))
    assert [p.date for p in everything.context["page"]] == [date(2027, 2, 25), date(2027, 2, 20)]
    cash = team.get(url("payments", place), {"method": "cash"})
    assert [p.amount for p in cash.context["page"]] == [D("5.00")]
    assert cash.context["total"] == D("5.00")


def test_recording_a_funding(team, place):
    response = team.post(
        url("fundings", place),
        {
            "funder": "Région Occitanie",
            "public": "on",
            "amount": "12 500,00",
            "received_on": "2027-02-14",
            "family": "partnerships",
            "description": "Appel à projets tiers-lieux",
        },
    )
    assert response.status_code == 302
    funding = Funding.objects.get()
    assert (funding.place, funding.amount, funding.public) == (place, D("12500.00"), True)
    html = page(team.get(url("fundings", place)))
    assert "Région Occitanie" in html and "12\u00a0500,00" in html
    assert AuditEntry.objects.filter(action="billing.funding.record").count() == 1


def test_a_bad_funding_saves_nothing(team, place):
    before = snapshot()
    response = team.post(
        url("fundings", place),
        {"funder": "", "amount": "-10", "received_on": "demain", "family": "partnerships"},
    )
    assert response.status_code == 422
    html = page(response)
    assert "Ce champ est obligatoire." in html
    assert "doit être un montant positif" in html
    assert "Saisissez une date valide." in html
    assert snapshot() == before


def test_the_funding_service_checks_access_and_amounts(place, coordinator):
    with pytest.raises(PermissionDenied):
        services.record_funding(
            actor=pf.staff(place), place=place, funder="Ville", amount="10", received_on=TODAY
        )
    with pytest.raises(ValidationError):
        services.record_funding(
            actor=coordinator, place=place, funder="Ville", amount="10.001", received_on=TODAY
        )
    with pytest.raises(ValidationError):
        services.record_funding(
            actor=coordinator, place=place, funder=" ", amount="10", received_on=TODAY
        )
    assert not Funding.objects.exists()
