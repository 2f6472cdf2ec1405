"""Back-office views for support staff: read what is there; money changes through services.

Invoices (drafts included: they are edited on the billing pages), payments and their
allocations, the credit ledger, closed periods and invoice sequences are read-only here, for
superusers too (`core.admin.ReadOnlyAdmin`): an issued invoice never changes, a sequence only
moves on by issuing (its prefix is fixed at the first number), and a payment's allocations and
the ledger are derived by the services. On PostgreSQL the database refuses the same changes
(docs/algorithms/numbering.md)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tierslieux.billing.models import (
    BillingProfile,
    ClosedPeriod,
    Customer,
    CustomerCreditEntry,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Payment,
    PaymentAllocation,
)
from tierslieux.core.admin import ReadOnlyAdmin


class LineInline(admin.TabularInline):
    model = InvoiceLine
    fk_name = "invoice"
    extra = 0
    fields = readonly_fields = (
        "position",
        "description",
        "quantity",
        "unit",
        "unit_price_net",
        "tax_code",
        "net",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "place", "customer", "issue_date", "total_gross"]
    list_filter = ["status", "kind", "place"]
    search_fields = ["number", "customer__name"]
    date_hierarchy = "issue_date"
    raw_id_fields = ["customer", "corrects"]
    inlines = [LineInline]


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    fields = readonly_fields = ("invoice", "amount")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["date", "customer", "amount", "method", "reference", "place"]
    list_filter = ["method", "place"]
    search_fields = ["customer__name", "reference"]
    date_hierarchy = "date"
    inlines = [AllocationInline]


@admin.register(CustomerCreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "customer", "amount", "reason", "payment", "invoice"]
    list_filter = ["reason", "place"]
    search_fields = ["customer__name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place", "city", "siren", "email"]
    list_filter = ["kind", "place"]
    search_fields = ["name", "siren", "email"]
    raw_id_fields = ["place", "person", "organisation"]

    def has_delete_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return obj is None or not obj.invoices.exists()


@admin.register(BillingProfile)
class BillingProfileAdmin(admin.ModelAdmin):
    list_display = ["place", "vat_number", "payment_terms_days", "late_penalty_rate"]
    raw_id_fields = ["place"]


@admin.register(InvoiceSequence)
class InvoiceSequenceAdmin(ReadOnlyAdmin):
    """Created at the first issue, moved on by issuing only; its prefix is set on the billing
    settings page (`services.set_invoice_prefix`, refused once a number is taken)."""

    list_display = ["place", "prefix", "next_number"]


@admin.register(ClosedPeriod)
class ClosedPeriodAdmin(ReadOnlyAdmin):
    list_display = ["place", "start", "end", "closed_at"]
    list_filter = ["place"]
