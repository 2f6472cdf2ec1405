"""Changing a customer's details. Issued invoices keep the buyer they were issued to (their
snapshot): a change applies to drafts and to what is issued next."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tierslieux.billing.models import Customer
from tierslieux.billing.services.common import require
from tierslieux.core import audit

EDITABLE = frozenset(
    {
        "name",
        "kind",
        "address",
        "postcode",
        "city",
        "country",
        "siren",
        "vat_number",
        "email",
        "language",
        "iban",
        "bic",
        "sepa_mandate_reference",
        "sepa_mandate_date",
    }
)


@transaction.atomic
def update_customer(*, actor: Any, customer: Customer, **changes: Any) -> Customer:
    """Change the given fields (checked by the model's validators, e.g. the SIREN)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"update_customer() cannot change {sorted(unknown)}")
    require(actor, customer.place)
    fresh = Customer.objects.select_for_update().get(pk=customer.pk)
    for text in ("siren", "vat_number", "iban", "bic"):
        if text in changes:
            changes[text] = str(changes[text]).replace(" ", "").upper()
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    changed = {k: v for k, v in changes.items() if getattr(fresh, k) != v}
    for field, value in changed.items():
        setattr(fresh, field, value)
    fresh.full_clean()
    fresh.save()
    audit.record(
        actor=actor,
        action="billing.customer.update",
        obj=fresh,
        place_id=fresh.place_id,
        changes={k: v for k, v in changed.items() if k not in ("iban", "bic")},
    )
    return fresh
