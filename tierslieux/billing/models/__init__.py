"""Customers, invoices and credit notes with their lines, payments, the credit ledger and
closed periods: one module per concern (`base`, `customers`, `invoices`, `payments`), all
re-exported here, so `from tierslieux.billing.models import Invoice` stays the way in.

Who keeps which guarantee:
- numbers: `services.issue_invoice` takes them from the locked `InvoiceSequence` row; the
  unique constraints make a duplicate impossible even behind the services' back;
- an issued invoice never changes: the services refuse, `Invoice.save`/`delete` and the
  queryset's `delete` refuse here, and on PostgreSQL a trigger (migration 0002) refuses any
  UPDATE or DELETE of an issued invoice and any change to its lines;
- balances are append-only: `CustomerCreditEntry` rows are never changed nor deleted
  (`core.append_only`: the model, its queryset and, on PostgreSQL, migration 0006's trigger).
"""

from tierslieux.billing.models.base import (
    DEFAULT_LATE_PENALTY_RATE,
    DEFAULT_PAYMENT_TERMS_DAYS,
    HALF_CENT,
    MAX_PRICE,
    MAX_QUANTITY,
    ZERO,
    Family,
    InvoiceImmutable,
    money,
)
from tierslieux.billing.models.customers import BillingProfile, Customer, InvoiceSequence
from tierslieux.billing.models.invoices import (
    ClosedPeriod,
    Invoice,
    InvoiceDelivery,
    InvoiceLine,
    InvoiceQuerySet,
)
from tierslieux.billing.models.payments import (
    CustomerCreditEntry,
    Funding,
    Payment,
    PaymentAllocation,
)

__all__ = [
    "DEFAULT_LATE_PENALTY_RATE",
    "DEFAULT_PAYMENT_TERMS_DAYS",
    "HALF_CENT",
    "MAX_PRICE",
    "MAX_QUANTITY",
    "ZERO",
    "BillingProfile",
    "ClosedPeriod",
    "Customer",
    "CustomerCreditEntry",
    "Family",
    "Funding",
    "Invoice",
    "InvoiceDelivery",
    "InvoiceImmutable",
    "InvoiceLine",
    "InvoiceQuerySet",
    "InvoiceSequence",
    "Payment",
    "PaymentAllocation",
    "money",
]
