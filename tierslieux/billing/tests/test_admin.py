"""The Django admin only reads billing's records: an invoice (issued or not) and the invoice
sequence can be neither added, changed nor deleted there."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tierslieux.billing.models import Invoice, InvoiceSequence
from tierslieux.billing.tests import factories as f


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root@example.org", "x"))
    return client


@pytest.fixture
def issued(place, coordinator):
    return f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))


def test_an_issued_invoice_is_shown_but_neither_changed_nor_deleted(admin_client, issued):
    change = reverse("admin:billing_invoice_change", args=[issued.pk])
    delete = reverse("admin:billing_invoice_delete", args=[issued.pk])
    before = Invoice.objects.values().get(pk=issued.pk)

    page = admin_client.get(change)
    assert page.status_code == 200
    assert issued.number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.post(change, {"payment_terms": "Comptant"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:billing_invoice_add")).status_code == 403
    assert Invoice.objects.values().get(pk=issued.pk) == before


def test_the_invoice_sequence_is_neither_changed_nor_deleted(admin_client, issued):
    sequence = InvoiceSequence.objects.get(place=issued.place)
    change = reverse("admin:billing_invoicesequence_change", args=[sequence.pk])

    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"prefix": "X", "next_number": "1"}).status_code == 403
    delete = reverse("admin:billing_invoicesequence_delete", args=[sequence.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:billing_invoicesequence_add")).status_code == 403
    sequence.refresh_from_db()
    assert (sequence.prefix, sequence.next_number) == ("F", 2)
