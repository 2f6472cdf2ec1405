"""What the billing pages' tests share: URLs, the rows a page could write, the lists of
every page and every action, and form data builders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.urls import reverse

from tierslieux.billing.models import (
    Customer,
    CustomerCreditEntry,
    Funding,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentAllocation,
)
from tierslieux.core.models import AuditEntry, Job

D = Decimal


TODAY = date(2027, 3, 1)


SIXTY = [("Bureau fermé, janvier", "1", "50.00", "vat_20")]  # 60.00 with VAT


Status = Invoice.Status


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
        Job.objects.count(),
    )


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
            url("export_start", place),
            {"start": "2027-01-01", "end": "2027-12-31", "format": "xlsx"},
        ),
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


def listed(client, place, **filters):
    response = client.get(url("invoices", place), filters)
    assert response.status_code == 200
    return response


def numbers(response):
    return {row["invoice"].number for row in response.context["rows"] if row["invoice"].number}


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
