"""The only code that writes billing data (a package: one module per concern, re-exported).

Every service takes a keyword-only `actor` who must manage the place's billing, runs in one
transaction and leaves an audit entry. Refusals are `ValidationError`s whose message says
why (`InvoiceImmutable` for an issued invoice). Locks, always in this order when several
are taken: the customer's row (payments, credit notes), then the place's invoice sequence
(issuing, closing a period), then the invoice's row.
"""

from tierslieux.billing.models import InvoiceImmutable
from tierslieux.billing.queries import invoice_document, payment_state
from tierslieux.billing.services.batch import BatchInvoice, issue_batch
from tierslieux.billing.services.common import CreditLine, LineInput
from tierslieux.billing.services.credit_notes import create_credit_note, credit_invoice
from tierslieux.billing.services.customers import (
    complete_from_organisations,
    customer_for_organisation,
    customer_for_person,
    customer_for_visitor,
    update_customer,
)
from tierslieux.billing.services.delivery import send_invoice, send_invoices, send_to_customer
from tierslieux.billing.services.drafts import (
    add_line,
    create_customer,
    create_draft,
    delete_draft,
    update_draft,
)
from tierslieux.billing.services.fundings import record_funding
from tierslieux.billing.services.issuing import close_period, issue_invoice
from tierslieux.billing.services.payments import apply_credit, record_payment
from tierslieux.billing.services.profile import set_invoice_prefix, update_billing_profile
from tierslieux.billing.services.sales import issue_sale

__all__ = [
    "BatchInvoice",
    "CreditLine",
    "InvoiceImmutable",
    "LineInput",
    "add_line",
    "apply_credit",
    "close_period",
    "complete_from_organisations",
    "create_credit_note",
    "create_customer",
    "create_draft",
    "credit_invoice",
    "customer_for_organisation",
    "customer_for_person",
    "customer_for_visitor",
    "delete_draft",
    "invoice_document",
    "issue_batch",
    "issue_invoice",
    "issue_sale",
    "payment_state",
    "record_funding",
    "record_payment",
    "send_invoice",
    "send_invoices",
    "send_to_customer",
    "set_invoice_prefix",
    "update_billing_profile",
    "update_customer",
    "update_draft",
]
