"""A sale invoiced at once: the draft and its issue in one transaction.

The shop (`members.services.sales.buy`) lets a member buy for themself, so this service does
not ask for the billing permission: its caller decides who may sell what. Everything
`issue_invoice` refuses is refused here too (an empty invoice, a seller without SIRET, a
business buyer without SIREN, a closed period, a date before the last invoice's), and a
refusal leaves nothing behind: no draft, no number spent.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.services.common import LineInput, lock_sequence
from tierslieux.billing.services.drafts import write_draft
from tierslieux.billing.services.issuing import issue
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor


@transaction.atomic
def issue_sale(
    *,
    actor: Actor,
    customer: Customer,
    lines: Sequence[LineInput],
    service_start: date | None = None,
    service_end: date | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Invoice `lines` to `customer` and issue the invoice with its number at once.

    No access check: the caller authorised the sale (a member buying for themself, or the
    team). The place's sequence is locked first, as `issue_invoice` does."""
    place = customer.place
    sequence = lock_sequence(place)
    if not lines:
        refuse(_("An empty invoice cannot be issued: add at least one line."), "empty")
    invoice, built = write_draft(
        customer, lines, service_start=service_start, service_end=service_end
    )
    audit.record(
        actor=actor,
        action="billing.invoice.sale",
        obj=invoice,
        place_id=place.pk,
        changes={"customer": customer.pk, "lines": len(built)},
    )
    return issue(actor, invoice, sequence, issue_date)
