"""The coordinator's billing pages, per persona: who may see and act (403/404 and nothing
changes otherwise), the invoice list's filters and totals, an invoice's actions (issue,
payment, credit, credit note, PDF), drafts, customers, payments and fundings. The exports
have their own file (test_views_exports.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.billing import queries, services
from tierslieux.billing.models import (
    Customer,
    CustomerCreditEntry,
    Funding,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf

D = Decimal
TODAY = date(2027, 3, 1)
SIXTY = [("Bureau fermé, janvier", "1", "50.00", "vat_20")]  # 60.00 with VAT
Status = Invoice.Status


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The pages read "today" in the place's time zone: fixed, so "overdue" is stable."""
    monkeypatch.setattr(queries, "local_today", lambda place: TODAY)


@pytest.fixture
def place():
    return f.place(name="La Fabrique")


@pytest.fixture
def boss(place):
    return f.coordinator(place)


@pytest.fixture
def customer(place):
    return f.customer(place, name="Association Les Amis")


@pytest.fixture
def coordinator(client, boss):
    client.force_login(boss)
    return client


@pytest.fixture
def english(client):
    """Assertions read the English source strings, whatever the catalogues say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(name, place, *args):
    return reverse(f"billing_manage:{name}", args=[place.slug, *args])


def page(response):
    return response.content.decode()


def snapshot():
    """Everything the pages could write."""
    return (
        list(Invoice.objects.values_list("pk", "status", "number", "customer_id")),
        list(InvoiceLine.objects.values_list("pk", "description", "quantity")),
        Payment.objects.count(),
        PaymentAllocation.objects.count(),
        CustomerCreditEntry.objects.count(),
        list(Customer.objects.values_list("pk", "name", "siren")),
        Funding.objects.count(),
        AuditEntry.objects.count(),
    )


# --- Who may see what -------------------------------------------------------------------------


@pytest.fixture
def books(place, boss, customer):
    """A draft, an issued invoice with a payment, a credit note."""
    draft = f.draft(customer)
    issued = f.issued(boss, customer, SIXTY, issue_date=date(2027, 1, 10))
    services.record_payment(
        actor=boss, customer=customer, amount="10.00", method="cash", date=date(2027, 1, 12)
    )
    other = f.issued(boss, customer, SIXTY, issue_date=date(2027, 1, 11))
    note = services.create_credit_note(actor=boss, invoice=other, issue_date=date(2027, 1, 11))
    return {"draft": draft, "issued": issued, "note": note}


def every_get(place, books, customer):
    issued, draft = books["issued"], books["draft"]
    return [
        url("invoices", place),
        url("invoices_csv", place),
        url("invoices_xlsx", place),
        url("invoice_new", place),
        url("invoice", place, issued.pk),
        url("invoice", place, draft.pk),
        url("invoice_edit", place, draft.pk),
        url("invoice_credit_note", place, issued.pk),
        url("invoice_pdf", place, issued.pk),
        url("invoice_xml", place, issued.pk),
        url("customers", place),
        url("customer_new", place),
        url("customer", place, customer.pk),
        url("customer_edit", place, customer.pk),
        url("payments", place),
        url("exports", place),
        url("export_fec", place) + "?start=2027-01-01&end=2027-12-31",
        url("export_invoices_csv", place) + "?start=2027-01-01&end=2027-12-31",
        url("export_payments_csv", place) + "?start=2027-01-01&end=2027-12-31",
        url("export_xlsx", place) + "?start=2027-01-01&end=2027-12-31",
        url("fundings", place),
    ]


def every_post(place, books, customer):
    issued, draft = books["issued"], books["draft"]
    payment = {"amount": "5", "date": "2027-02-01", "method": "cash", "reference": ""}
    return [
        (url("invoice_issue", place, draft.pk), {"issue_date": "2027-02-01"}),
        (url("invoice_delete", place, draft.pk), {}),
        (url("invoice_payment", place, issued.pk), payment),
        (url("invoice_apply_credit", place, issued.pk), {}),
        (
            url("invoice_credit_note", place, issued.pk),
            {"mode": "whole", "issue_date": "2027-02-01"},
        ),
        (url("invoice_edit", place, draft.pk), {"customer": customer.pk}),
        (url("invoice_new", place), {"customer": customer.pk}),
        (url("customer_new", place), {"name": "Intrus", "kind": "individual", "country": "FR"}),
        (url("customer_edit", place, customer.pk), {"name": "Piraté", "kind": "individual"}),
        (url("customer_payment", place, customer.pk), payment),
        (
            url("close_period", place),
            {"close-start": "2027-01-01", "close-end": "2027-01-31", "close-confirm": "on"},
        ),
        (
            url("fundings", place),
            {
                "funder": "Ville",
                "amount": "100",
                "received_on": "2027-02-01",
                "family": "partnerships",
            },
        ),
    ]


def test_anonymous_visitors_are_sent_to_login(client, place, books, customer):
    for target in every_get(place, books, customer):
        response = client.get(target)
        assert response.status_code == 302, target
        assert response["Location"].startswith("/accounts/login/"), target


@pytest.mark.parametrize("persona", ["staff", "member", "outsider", "other_coordinator"])
def test_without_the_billing_permission_every_page_is_403_and_nothing_changes(
    client, place, books, customer, persona
):
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(f.place()),
    }[persona]()
    client.force_login(user)
    before = snapshot()
    for target in every_get(place, books, customer):
        assert client.get(target).status_code == 403, target
    for target, data in every_post(place, books, customer):
        assert client.post(target, data).status_code == 403, target
    assert snapshot() == before


def test_a_coordinator_of_another_place_finds_nothing_of_this_place_under_their_own(
    client, place, books, customer
):
    elsewhere = f.place()
    client.force_login(f.coordinator(elsewhere))
    before = snapshot()
    for name in ("invoice", "invoice_edit", "invoice_pdf", "invoice_credit_note"):
        assert client.get(url(name, elsewhere, books["issued"].pk)).status_code == 404, name
    assert client.get(url("customer", elsewhere, customer.pk)).status_code == 404
    assert client.post(url("invoice_delete", elsewhere, books["draft"].pk)).status_code == 404
    payment = {"amount": "5", "date": "2027-02-01", "method": "cash"}
    assert (
        client.post(url("invoice_payment", elsewhere, books["issued"].pk), payment).status_code
        == 404
    )
    listing = page(client.get(url("invoices", elsewhere)))
    assert "Association Les Amis" not in listing and books["issued"].number not in listing
    assert "Association Les Amis" not in page(client.get(url("customers", elsewhere)))
    assert snapshot() == before


def test_an_unknown_place_is_404(coordinator):
    assert coordinator.get("/manage/nowhere/billing/").status_code == 404


def test_the_coordinator_sees_every_page_and_get_never_writes(coordinator, place, books, customer):
    before = snapshot()
    for target in every_get(place, books, customer):
        assert coordinator.get(target).status_code == 200, target
    assert snapshot() == before


# --- The invoice list -------------------------------------------------------------------------


@pytest.fixture
def ledger(place, boss, customer):
    """Four invoices of Les Amis in four payment states, one of another customer, a draft."""
    company = f.customer(place, name="Coopérative Octopus", kind=Customer.Kind.COMPANY)
    unpaid = f.issued(boss, customer, SIXTY, issue_date=date(2027, 1, 5))  # due 4 Feb: overdue
    partly = f.issued(boss, customer, SIXTY, issue_date=date(2027, 2, 10))  # due 12 March
    paid = f.issued(boss, customer, SIXTY, issue_date=date(2027, 2, 11))
    other = f.issued(
        boss, company, [("Salle", "2", "100.00", "vat_20")], issue_date=date(2027, 2, 12)
    )
    services.record_payment(
        actor=boss,
        customer=customer,
        amount="80.00",
        method="transfer",
        date=date(2027, 2, 20),
        allocations=[(partly, "20.00"), (paid, "60.00")],
    )
    draft = f.draft(customer)
    return {
        "unpaid": unpaid,
        "partly": partly,
        "paid": paid,
        "other": other,
        "draft": draft,
        "company": company,
    }


def listed(client, place, **filters):
    response = client.get(url("invoices", place), filters)
    assert response.status_code == 200
    return response


def numbers(response):
    return {row["invoice"].number for row in response.context["rows"] if row["invoice"].number}


def test_the_list_filters_by_payment_state(coordinator, place, ledger):
    def shown(state):
        return numbers(listed(coordinator, place, payment=state))

    assert shown("unpaid") == {ledger["unpaid"].number, ledger["other"].number}
    assert shown("partly_paid") == {ledger["partly"].number}
    assert shown("paid") == {ledger["paid"].number}
    assert shown("overdue") == {ledger["unpaid"].number}


def test_the_list_filters_by_customer_kind_status_period_and_text(coordinator, place, ledger):
    company = ledger["company"]
    assert numbers(listed(coordinator, place, customer=company.pk)) == {ledger["other"].number}
    assert numbers(listed(coordinator, place, q="octopus")) == {ledger["other"].number}
    assert numbers(listed(coordinator, place, q=ledger["paid"].number)) == {ledger["paid"].number}
    in_february = listed(coordinator, place, start="2027-02-01", end="2027-02-11")
    assert numbers(in_february) == {ledger["partly"].number, ledger["paid"].number}
    drafts = listed(coordinator, place, status="draft")
    assert [row["invoice"].pk for row in drafts.context["rows"]] == [ledger["draft"].pk]
    assert numbers(listed(coordinator, place, kind="credit_note")) == set()


def test_the_list_totals_the_filtered_issued_documents(coordinator, place, ledger):
    totals = listed(coordinator, place, q="amis").context["totals"]
    assert totals == {
        "net": D("150.00"),
        "tax": D("30.00"),
        "gross": D("180.00"),
        "due": D("100.00"),  # 60 unpaid + 40 on the partly paid one
    }
    everything = listed(coordinator, place).context["totals"]
    assert everything["gross"] == D("420.00") and everything["due"] == D("340.00")


def test_a_wrong_filter_is_shown_and_ignored(coordinator, place, ledger, english):
    response = listed(coordinator, place, start="yesterday", q="octopus")
    assert numbers(response) == {ledger["other"].number}
    assert "Enter a valid date." in page(response)


def test_the_list_is_paginated_by_50(coordinator, place, customer):
    for _ in range(51):
        f.draft(customer)
    first = listed(coordinator, place, status="draft")
    assert len(first.context["rows"]) == 50
    assert "page=2" in page(first) and "status=draft" in page(first)
    assert len(listed(coordinator, place, status="draft", page=2).context["rows"]) == 1


def test_the_filtered_list_downloads_as_csv_and_xlsx(coordinator, place, ledger):
    csv = coordinator.get(url("invoices_csv", place), {"customer": ledger["company"].pk})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv["Content-Disposition"]
    text = csv.content.decode("utf-8-sig")
    assert ledger["other"].number in text and ledger["paid"].number not in text
    xlsx = coordinator.get(url("invoices_xlsx", place), {"payment": "paid"})
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx.content[:2] == b"PK"


# --- One invoice ------------------------------------------------------------------------------


def test_the_detail_shows_lines_taxes_and_what_is_due(coordinator, place, ledger):
    response = coordinator.get(url("invoice", place, ledger["partly"].pk))
    assert response.status_code == 200
    html = page(response)
    assert "Bureau fermé, janvier" in html
    assert response.context["due"] == D("40.00")
    assert response.context["settlement"].paid == D("20.00")
    assert "40,00" in html  # localised


def test_issuing_from_the_page_assigns_a_number(coordinator, place, customer):
    draft = f.draft(customer)
    response = coordinator.post(url("invoice_issue", place, draft.pk), {"issue_date": "2027-02-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ISSUED and draft.number
    assert draft.issue_date == date(2027, 2, 1)
    shown = page(coordinator.get(response["Location"]))
    assert draft.number in shown


def test_a_refused_issue_says_why_and_keeps_the_draft(coordinator, place):
    company = f.customer(place, name="Octopus", kind=Customer.Kind.COMPANY, siren="")
    draft = f.draft(company)
    before = snapshot()
    response = coordinator.post(url("invoice_issue", place, draft.pk), {"issue_date": "2027-02-01"})
    assert response.status_code == 422
    assert "son SIREN est" in page(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("amount", "error"),
    [
        ("-5", "Un paiement doit être un montant positif au centime près"),
        ("0", "Un paiement doit être un montant positif au centime près"),
        ("abc", "Saisissez un nombre."),
        ("12,345", "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."),
    ],
)
def test_a_bad_payment_amount_shows_the_french_error_and_saves_nothing(
    coordinator, place, ledger, amount, error
):
    before = snapshot()
    response = coordinator.post(
        url("invoice_payment", place, ledger["unpaid"].pk),
        {"amount": amount, "date": "2027-02-25", "method": "cheque", "reference": ""},
    )
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_a_payment_settles_the_invoice_and_an_overpayment_becomes_credit(
    coordinator, place, ledger
):
    invoice = ledger["unpaid"]
    response = coordinator.post(
        url("invoice_payment", place, invoice.pk),
        {"amount": "75,50", "date": "2027-02-25", "method": "helloasso", "reference": "HA-1"},
        follow=True,
    )
    assert response.status_code == 200
    payment = Payment.objects.get(reference="HA-1")
    assert payment.method == "helloasso" and payment.amount == D("75.50")
    assert PaymentAllocation.objects.get(payment=payment).invoice == invoice
    assert queries.payment_state(invoice) == "paid"
    assert queries.credit_balance(invoice.customer) == D("15.50")
    assert "15,50" in page(response)  # the message says what became credit


def test_the_page_says_an_overpayment_becomes_credit(coordinator, place, ledger, english):
    html = page(coordinator.get(url("invoice", place, ledger["unpaid"].pk)))
    assert "the rest becomes the customer's credit" in html


def test_customer_credit_settles_an_invoice(coordinator, place, boss, customer, ledger):
    services.record_payment(
        actor=boss,
        customer=customer,
        amount="100.00",
        method="card",
        date=date(2027, 2, 21),
        allocations=[],
    )
    response = coordinator.post(url("invoice_apply_credit", place, ledger["unpaid"].pk))
    assert response.status_code == 302
    assert queries.settlement(ledger["unpaid"]).due == D("0.00")
    assert queries.credit_balance(customer) == D("40.00")


def test_applying_credit_without_any_says_so(coordinator, place, ledger, customer):
    before = snapshot()
    response = coordinator.post(
        url("invoice_apply_credit", place, ledger["unpaid"].pk), follow=True
    )
    assert "Association Les Amis ne dispose d&#x27;aucun avoir." in page(response)
    assert snapshot() == before


def test_a_whole_credit_note_from_the_page(coordinator, place, ledger):
    invoice = ledger["unpaid"]
    response = coordinator.post(
        url("invoice_credit_note", place, invoice.pk), {"mode": "whole", "issue_date": "2027-02-26"}
    )
    assert response.status_code == 302
    note = Invoice.objects.get(corrects=invoice)
    assert note.total_gross == D("-60.00") and note.number
    assert queries.settlement(invoice).due == D("0.00")


def test_a_partial_credit_note_per_line(coordinator, place, boss, customer):
    invoice = f.issued(
        boss,
        customer,
        [("Journée", "3", "20.00", "vat_20"), ("Café", "1", "10.00", "vat_10")],
        issue_date=date(2027, 2, 1),
    )
    response = coordinator.post(
        url("invoice_credit_note", place, invoice.pk),
        {"mode": "parts", "quantity_1": "1", "amount_2": "5", "issue_date": "2027-02-02"},
    )
    assert response.status_code == 302
    note = Invoice.objects.get(corrects=invoice)
    assert note.total_net == D("-25.00")


def test_a_credit_note_beyond_what_remains_is_refused(coordinator, place, ledger):
    before = snapshot()
    response = coordinator.post(
        url("invoice_credit_note", place, ledger["unpaid"].pk),
        {"mode": "parts", "quantity_1": "2", "issue_date": "2027-02-26"},
    )
    assert response.status_code == 422
    assert "Ligne 1 : impossible de créditer 100,00 €" in page(response)
    assert snapshot() == before


def test_a_credit_note_needs_a_part_when_parts_are_chosen(coordinator, place, ledger, english):
    response = coordinator.post(
        url("invoice_credit_note", place, ledger["unpaid"].pk),
        {"mode": "parts", "issue_date": "2027-02-26"},
    )
    assert response.status_code == 422
    assert "Give a quantity or an amount for at least one line." in page(response)


def test_the_pdf_is_an_attachment_named_after_the_number(coordinator, place, ledger):
    invoice = ledger["unpaid"]
    response = coordinator.get(url("invoice_pdf", place, invoice.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_factur_x_xml_downloads(coordinator, place, ledger):
    invoice = ledger["unpaid"]
    response = coordinator.get(url("invoice_xml", place, invoice.pk))
    assert response["Content-Type"] == "application/xml"
    assert f"{invoice.number}.xml" in response["Content-Disposition"]
    assert invoice.number.encode() in response.content


def test_a_draft_has_no_pdf(coordinator, place, ledger, english):
    draft = ledger["draft"]
    response = coordinator.get(url("invoice_pdf", place, draft.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("invoice", place, draft.pk)
    assert "A draft has no number yet" in page(response)


# --- Drafts -----------------------------------------------------------------------------------


def draft_data(customer, *lines, **fields):
    data = {
        "customer": customer.pk,
        "service_start": "2027-02-01",
        "service_end": "2027-02-28",
        "payment_terms_days": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for n, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{n}-{key}"] = value
    return data


def a_line(**fields):
    return {
        "description": "Location salle Jaune",
        "quantity": "2,5",
        "unit": "HUR",
        "unit_price_net": "12,40",
        "tax_code": "vat_20",
        "family": "services",
        "account": "706000",
        **fields,
    }


def test_a_new_draft_with_its_lines(coordinator, place, customer):
    response = coordinator.post(
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


def test_the_new_draft_page_offers_the_tax_rules_and_families(
    coordinator, place, customer, english
):
    html = page(coordinator.get(url("invoice_new", place), {"customer": customer.pk}))
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
def test_a_bad_line_saves_nothing(coordinator, place, customer, line, error, english):
    if error == "Saisissez un nombre.":
        error = "Enter a number."
    before = snapshot()
    response = coordinator.post(url("invoice_new", place), draft_data(customer, a_line(**line)))
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_a_draft_needs_a_line_and_an_ordered_period(coordinator, place, customer, english):
    response = coordinator.post(url("invoice_new", place), draft_data(customer))
    assert response.status_code == 422
    assert "Add at least one line" in page(response)
    response = coordinator.post(
        url("invoice_new", place), draft_data(customer, a_line(), service_end="2027-01-01")
    )
    assert response.status_code == 422
    assert "The service ends before it starts." in page(response)
    assert not Invoice.objects.exists()


def test_a_customer_of_another_place_cannot_be_invoiced(coordinator, place):
    stranger = f.customer(f.place())
    response = coordinator.post(url("invoice_new", place), draft_data(stranger, a_line()))
    assert response.status_code == 422
    assert not Invoice.objects.exists()


def test_editing_a_draft_replaces_its_lines(coordinator, place, customer):
    draft = f.draft(customer)
    form = coordinator.get(url("invoice_edit", place, draft.pk))
    assert "Journée coworking" in page(form)
    data = draft_data(customer, a_line(description="Autre chose", quantity="3"))
    assert coordinator.post(url("invoice_edit", place, draft.pk), data).status_code == 302
    assert list(draft.lines.values_list("description", "quantity")) == [("Autre chose", D("3"))]


def test_editing_an_issued_invoice_is_refused_with_the_reason(coordinator, place, ledger):
    invoice = ledger["unpaid"]
    before = snapshot()
    response = coordinator.get(url("invoice_edit", place, invoice.pk), follow=True)
    reason = f"La facture {invoice.number} est émise : elle ne peut plus être modifiée"
    assert reason in page(response)
    response = coordinator.post(
        url("invoice_edit", place, invoice.pk),
        draft_data(invoice.customer, a_line(description="Falsifiée")),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("invoice", place, invoice.pk)
    assert reason in page(response)
    assert snapshot() == before


def test_deleting_a_draft_and_not_an_issued_invoice(coordinator, place, ledger):
    assert coordinator.post(url("invoice_delete", place, ledger["draft"].pk)).status_code == 302
    assert not Invoice.objects.filter(pk=ledger["draft"].pk).exists()
    before = snapshot()
    response = coordinator.post(url("invoice_delete", place, ledger["paid"].pk), follow=True)
    assert "est émise" in page(response)
    assert snapshot() == before


def test_actions_are_post_only(coordinator, place, ledger):
    for name in ("invoice_issue", "invoice_delete", "invoice_payment", "invoice_apply_credit"):
        assert coordinator.get(url(name, place, ledger["draft"].pk)).status_code == 405


# --- Customers --------------------------------------------------------------------------------


def test_customers_list_balances_in_a_fixed_number_of_queries(coordinator, place, boss, ledger):
    response = coordinator.get(url("customers", place))
    rows = {row["customer"].name: row["figures"] for row in response.context["rows"]}
    assert rows["Association Les Amis"] == queries.CustomerFigures(
        invoiced=D("180.00"), due=D("100.00"), overdue=D("60.00"), credit=D("0.00")
    )
    assert rows["Coopérative Octopus"].due == D("240.00")

    with CaptureQueriesContext(connection) as few:
        coordinator.get(url("customers", place))
    for n in range(5):
        c = f.customer(place, name=f"Client supplémentaire {n}")
        f.issued(boss, c, SIXTY, issue_date=date(2027, 2, 15))
    with CaptureQueriesContext(connection) as many:
        coordinator.get(url("customers", place))
    assert len(many) == len(few)


def test_customers_search(coordinator, place, ledger):
    response = coordinator.get(url("customers", place), {"q": "octo"})
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


def test_creating_a_customer(coordinator, place, english):
    form = coordinator.get(url("customer_new", place))
    assert "needs its SIREN before an invoice is issued" in page(form)
    response = coordinator.post(url("customer_new", place), customer_data(siren="552 100 554"))
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
def test_a_wrong_customer_saves_nothing(coordinator, place, fields, error, english):
    before = snapshot()
    response = coordinator.post(url("customer_new", place), customer_data(**fields))
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_editing_a_customer(coordinator, place, customer):
    data = customer_data(
        name="Les Amis du Lieu",
        kind="association",
        iban="FR76 3000 6000 0112 3456 7890 189",
        bic="AGRIFRPP",
        sepa_mandate_reference="RUM-2027-01",
        sepa_mandate_date="2027-01-15",
    )
    response = coordinator.post(url("customer_edit", place, customer.pk), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Les Amis du Lieu"
    assert customer.iban == "FR7630006000011234567890189"
    assert customer.sepa_mandate_date == date(2027, 1, 15)


def test_the_customer_page_shows_invoices_payments_and_credit(
    coordinator, place, boss, ledger, customer
):
    services.record_payment(
        actor=boss,
        customer=customer,
        amount="7.00",
        method="card",
        date=date(2027, 2, 22),
        allocations=[],
    )
    response = coordinator.get(url("customer", place, customer.pk))
    html = page(response)
    assert ledger["unpaid"].number in html and ledger["other"].number not in html
    assert response.context["figures"].credit == D("7.00")
    assert "7,00" in html


def test_a_customer_payment_settles_the_oldest_invoice_first(coordinator, place, ledger, customer):
    response = coordinator.post(
        url("customer_payment", place, customer.pk),
        {"amount": "60", "date": "2027-02-27", "method": "sepa_debit", "reference": ""},
    )
    assert response.status_code == 302
    assert queries.payment_state(ledger["unpaid"]) == "paid"
    assert queries.settlement(ledger["partly"]).due == D("40.00")


def test_a_bad_customer_payment_saves_nothing(coordinator, place, ledger, customer):
    before = snapshot()
    response = coordinator.post(
        url("customer_payment", place, customer.pk),
        {"amount": "-1", "date": "2027-02-27", "method": "cash"},
    )
    assert response.status_code == 422
    assert "Un paiement doit être un montant positif" in page(response)
    assert snapshot() == before


# --- Payments and fundings --------------------------------------------------------------------


def test_payments_are_listed_by_date_and_filtered_by_method(
    coordinator, place, boss, ledger, customer
):
    services.record_payment(
        actor=boss, customer=customer, amount="5.00", method="cash", date=date(2027, 2, 25)
    )
    everything = coordinator.get(url("payments", place))
    assert [p.date for p in everything.context["page"]] == [date(2027, 2, 25), date(2027, 2, 20)]
    cash = coordinator.get(url("payments", place), {"method": "cash"})
    assert [p.amount for p in cash.context["page"]] == [D("5.00")]
    assert cash.context["total"] == D("5.00")


def test_recording_a_funding(coordinator, place):
    response = coordinator.post(
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
    html = page(coordinator.get(url("fundings", place)))
    assert "Région Occitanie" in html and "12\u00a0500,00" in html
    assert AuditEntry.objects.filter(action="billing.funding.record").count() == 1


def test_a_bad_funding_saves_nothing(coordinator, place):
    before = snapshot()
    response = coordinator.post(
        url("fundings", place),
        {"funder": "", "amount": "-10", "received_on": "demain", "family": "partnerships"},
    )
    assert response.status_code == 422
    html = page(response)
    assert "Ce champ est obligatoire." in html
    assert "doit être un montant positif" in html
    assert "Saisissez une date valide." in html
    assert snapshot() == before


def test_the_funding_service_checks_access_and_amounts(place, boss):
    with pytest.raises(PermissionDenied):
        services.record_funding(
            actor=pf.staff(place), place=place, funder="Ville", amount="10", received_on=TODAY
        )
    with pytest.raises(ValidationError):
        services.record_funding(
            actor=boss, place=place, funder="Ville", amount="10.001", received_on=TODAY
        )
    with pytest.raises(ValidationError):
        services.record_funding(actor=boss, place=place, funder=" ", amount="10", received_on=TODAY)
    assert not Funding.objects.exists()
