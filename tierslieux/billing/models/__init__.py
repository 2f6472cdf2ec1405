"""Customers, invoices and credit notes with their lines, payments, the credit ledger and
closed periods.

Who keeps which guarantee:
- numbers: `services.issue_invoice` takes them from the locked `InvoiceSequence` row; the
  unique constraints below make a duplicate impossible even behind the services' back;
- an issued invoice never changes: the services refuse, `Invoice.save`/`delete` and the
  queryset's `delete` refuse here, and on PostgreSQL a trigger (migration 0002) refuses any
  UPDATE or DELETE of an issued invoice and any change to its lines;
- balances are append-only: `CustomerCreditEntry` rows are never changed nor deleted.
"""

from tierslieux.billing.models.base import (
    DEFAULT_LATE_PENALTY_RATE,
    DEFAULT_PAYMENT_TERMS_DAYS,
    HALF_CENT,
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
