"""The invoice list (filters, totals, downloads) and one invoice's actions: issue, payment,
customer credit, credit note, PDF and Factur-X."""

from __future__ import annotations

from datetime import date

import pytest

from tierslieux.billing import queries, services
from tierslieux.billing.models import (
    Customer,
    Invoice,
    Payment,
    PaymentAllocation,
)
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.views.support import (
    D,
    Status,
    listed,
    numbers,
    page,
    snapshot,
    url,
)


def test_the_list_filters_by_payment_state(team, place, ledger):
    def shown(state):
        return numbers(listed(team, place, payment=state))

    assert shown("unpaid") == {ledger["unpaid"].number, ledger["other"].number}
    assert shown("partly_paid") == {ledger["partly"].number}
    assert shown("paid") == {ledger["paid"].number}
    assert shown("overdue") == {ledger["unpaid"].number}


def test_the_list_filters_by_customer_kind_status_period_and_text(team, place, ledger):
    company = ledger["company"]
    assert numbers(listed(team, place, customer=company.pk)) == {ledger["other"].number}
    assert numbers(listed(team, place, q="octopus")) == {ledger["other"].number}
    assert numbers(listed(team, place, q=ledger["paid"].number)) == {ledger["paid"].number}
    in_february = listed(team, place, start="2027-02-01", end="2027-02-11")
    assert numbers(in_february) == {ledger["partly"].number, ledger["paid"].number}
    drafts = listed(team, place, status="draft")
    assert [row["invoice"].pk for row in drafts.context["rows"]] == [ledger["draft"].pk]
    assert numbers(listed(team, place, kind="credit_note")) == set()


def test_the_list_totals_the_filtered_issued_documents(team, place, ledger):
    totals = listed(team, place, q="amis").context["totals"]
    assert totals == {
        "net": D("150.00"),
        "tax": D("30.00"),
        "gross": D("180.00"),
        "due": D("100.00"),  # 60 unpaid + 40 on the partly paid one
    }
    everything = listed(team, place).context["totals"]
    assert everything["gross"] == D("420.00") and everything["due"] == D("340.00")


def test_a_wrong_filter_is_shown_and_ignored(team, place, ledger, english):
    response = listed(team, place, start="yesterday", q="octopus")
    assert numbers(response) == {ledger["other"].number}
    assert "Enter a valid date." in page(response)


def test_the_list_is_paginated_by_50(team, place, customer):
    for _ in range(51):
        f.draft(customer)
    first = listed(team, place, status="draft")
    assert len(first.context["rows"]) == 50
    assert "page=2" in page(first) and "status=draft" in page(first)
    assert len(listed(team, place, status="draft", page=2).context["rows"]) == 1


def test_the_filtered_list_downloads_as_csv_and_xlsx(team, place, ledger):
    csv = team.get(url("invoices_csv", place), {"customer": ledger["company"].pk})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in csv["Content-Disposition"]
    text = csv.content.decode("utf-8-sig")
    assert ledger["other"].number in text and ledger["paid"].number not in text
    xlsx = team.get(url("invoices_xlsx", place), {"payment": "paid"})
    assert xlsx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx.content[:2] == b"PK"


def test_the_detail_shows_lines_taxes_and_what_is_due(team, place, ledger):
    response = team.get(url("invoice", place, ledger["partly"].pk))
    assert response.status_code == 200
    html = page(response)
    assert "Bureau fermé, janvier" in html
    assert response.context["due"] == D("40.00")
    assert response.context["settlement"].paid == D("20.00")
    assert "40,00" in html  # localised


def test_issuing_from_the_page_assigns_a_number(team, place, customer):
    draft = f.draft(customer)
    response = team.post(url("invoice_issue", place, draft.pk), {"issue_date": "2027-02-01"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.ISSUED and draft.number
    assert draft.issue_date == date(2027, 2, 1)
    shown = page(team.get(response["Location"]))
    assert draft.number in shown


def test_a_refused_issue_says_why_and_keeps_the_draft(team, place):
    company = f.customer(place, name="Octopus", kind=Customer.Kind.COMPANY, siren="")
    draft = f.draft(company)
    before = snapshot()
    response = team.post(url("invoice_issue", place, draft.pk), {"issue_date": "2027-02-01"})
    assert response.status_code == 422
    assert "ces informations manquent\u00a0: SIREN" in page(response)
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
    team, place, ledger, amount, error
):
    before = snapshot()
    response = team.post(
        url("invoice_payment", place, ledger["unpaid"].pk),
        {"amount": amount, "date": "2027-02-25", "method": "cheque", "reference": ""},
    )
    assert response.status_code == 422
    assert error in page(response)
    assert snapshot() == before


def test_a_payment_settles_the_invoice_and_an_overpayment_becomes_credit(team, place, ledger):
    invoice = ledger["unpaid"]
    response = team.post(
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


def test_the_page_says_an_overpayment_becomes_credit(team, place, ledger, english):
    html = page(team.get(url("invoice", place, ledger["unpaid"].pk)))
    assert "the rest becomes the customer's credit" in html


def test_customer_credit_settles_an_invoice(team, place, coordinator, customer, ledger):
    services.record_payment(
        actor=coordinator,
        customer=customer,
        amount="100.00",
        method="card",
        date=date(2027, 2, 21),
        allocations=[],
    )
    response = team.post(url("invoice_apply_credit", place, ledger["unpaid"].pk))
    assert response.status_code == 302
    assert queries.settlement(ledger["unpaid"]).due == D("0.00")
    assert queries.credit_balance(customer) == D("40.00")


def test_applying_credit_without_any_says_so(team, place, ledger, customer):
    before = snapshot()
    response = team.post(url("invoice_apply_credit", place, ledger["unpaid"].pk), follow=True)
    assert "Association Les Amis ne dispose d’aucun avoir." in page(response)
    assert snapshot() == before


def test_a_whole_credit_note_from_the_page(team, place, ledger):
    invoice = ledger["unpaid"]
    response = team.post(
        url("invoice_credit_note", place, invoice.pk), {"mode": "whole", "issue_date": "2027-02-26"}
    )
    assert response.status_code == 302
    note = Invoice.objects.get(corrects=invoice)
    assert note.total_gross == D("-60.00") and note.number
    assert queries.settlement(invoice).due == D("0.00")


def test_a_partial_credit_note_per_line(team, place, coordinator, customer):
    invoice = f.issued(
        coordinator,
        customer,
        [("Journée", "3", "20.00", "vat_20"), ("Café", "1", "10.00", "vat_10")],
        issue_date=date(2027, 2, 1),
    )
    response = team.post(
        url("invoice_credit_note", place, invoice.pk),
        {"mode": "parts", "quantity_1": "1", "amount_2": "5", "issue_date": "2027-02-02"},
    )
    assert response.status_code == 302
    note = Invoice.objects.get(corrects=invoice)
    assert note.total_net == D("-25.00")


def test_a_credit_note_beyond_what_remains_is_refused(team, place, ledger):
    before = snapshot()
    response = team.post(
        url("invoice_credit_note", place, ledger["unpaid"].pk),
        {"mode": "parts", "quantity_1": "2", "issue_date": "2027-02-26"},
    )
    assert response.status_code == 422
    assert "Ligne 1\u00a0: impossible de créditer 100,00\u00a0€" in page(response)
    assert snapshot() == before


def test_a_credit_note_needs_a_part_when_parts_are_chosen(team, place, ledger, english):
    response = team.post(
        url("invoice_credit_note", place, ledger["unpaid"].pk),
        {"mode": "parts", "issue_date": "2027-02-26"},
    )
    assert response.status_code == 422
    assert "Give a quantity or an amount for at least one line." in page(response)


def test_the_pdf_is_an_attachment_named_after_the_number(team, place, ledger):
    invoice = ledger["unpaid"]
    response = team.get(url("invoice_pdf", place, invoice.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_factur_x_xml_downloads(team, place, ledger):
    invoice = ledger["unpaid"]
    response = team.get(url("invoice_xml", place, invoice.pk))
    assert response["Content-Type"] == "application/xml"
    assert f"{invoice.number}.xml" in response["Content-Disposition"]
    assert invoice.number.encode() in response.content


def test_a_draft_has_no_pdf(team, place, ledger, english):
    draft = ledger["draft"]
    response = team.get(url("invoice_pdf", place, draft.pk), follow=True)
    assert response.redirect_chain[-1][0] == url("invoice", place, draft.pk)
    assert "A draft has no number yet" in page(response)


def test_amounts_dates_and_quantities_are_written_as_the_reader_writes_them(
    team, place, customer, coordinator
):
    invoice = f.issued(
        coordinator,
        customer,
        [("Salle plénière", "2.5", "500.00", "vat_20")],
        issue_date=date(2027, 2, 1),
    )

    html = page(team.get(url("invoice", place, invoice.pk)))

    assert "1\u00a0500,00\u00a0€" in html  # 1 250,00 net + 250,00 VAT, grouped, no-break spaces
    assert "1\u00a0250,00\u00a0€" in html
    assert "2,5 " in html and "2,500" not in html  # the quantity without its useless zeros
    assert "1er février 2027" in html
    listed_html = page(team.get(url("invoices", place)))
    assert "1\u00a0500,00\u00a0€" in listed_html
