"""The Django admin only reads the legal records, for superusers too: the audit log, the
ledgers, invoices, the invoice sequence (its prefix included), payments and their
allocations, closed periods. Nothing there adds, changes or deletes one."""

from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tierslieux.billing import services
from tierslieux.billing.models import (
    ClosedPeriod,
    CustomerCreditEntry,
    Invoice,
    InvoiceSequence,
    Payment,
    PaymentAllocation,
)
from tierslieux.billing.tests.records import books
from tierslieux.core.append_only import AppendOnlyModel
from tierslieux.core.models import AuditEntry

LEGAL = [AuditEntry, CustomerCreditEntry, Invoice, InvoiceSequence, Payment, ClosedPeriod]


@pytest.fixture
def root(client):
    client.force_login(get_user_model().objects.create_superuser("root@example.org", "x"))
    return client


@pytest.fixture
def kept():
    kept = books()
    customer = kept.invoices[0].customer
    services.record_payment(  # settles the rest, 58 € of credit
        actor=kept.coordinator,
        customer=customer,
        amount="100",
        method="cash",
        date=date(2027, 2, 1),
    )
    services.close_period(
        actor=kept.coordinator, place=kept.place, start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    return kept


def snapshot() -> list:
    return [list(model.objects.order_by("pk").values()) for model in [*LEGAL, PaymentAllocation]]


def test_no_legal_record_is_added_changed_nor_deleted_by_a_superuser(root, kept):
    before = snapshot()
    for model in LEGAL:
        row = model.objects.order_by("-pk").first()
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        page = root.get(reverse(f"{name}_change", args=[row.pk]))
        assert page.status_code == 200, model
        assert 'name="_save"' not in page.content.decode(), model
        assert root.post(reverse(f"{name}_change", args=[row.pk]), {}).status_code == 403
        assert (
            root.post(reverse(f"{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
        )
        assert root.get(reverse(f"{name}_add")).status_code == 403, model
        listing = root.post(
            reverse(f"{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )
        assert listing.status_code in (200, 302), model
    assert snapshot() == before


def test_a_payment_s_allocations_are_shown_read_only(root, kept):
    payment = kept.payments[1]
    page = root.get(reverse("admin:billing_payment_change", args=[payment.pk])).content.decode()

    assert "F-000002" in page
    assert "6,00" in page or "6.00" in page
    assert 'name="allocations-0-amount"' not in page and "allocations-0-DELETE" not in page


def test_every_append_only_model_in_the_admin_is_read_only(rf):
    request = rf.get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        if issubclass(model, AppendOnlyModel) or model in LEGAL:
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
    # The members' credits ledger (an app above billing: no import) is append-only too.
    assert issubclass(apps.get_model("members", "CreditEntry"), AppendOnlyModel)
