"""The seller and the buyer as an invoice names them: plain dicts with the fields of
`documents.Party`, copied onto the invoice when it is issued (and built live for a draft's
preview). Reads attributes only."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from tierslieux.billing.documents import Party
from tierslieux.billing.models import BillingProfile, Customer
from tierslieux.places.models import Place

PARTY_FIELDS = tuple(f.name for f in fields(Party))


def profile_of(place: Place) -> BillingProfile:
    """The place's billing profile, or an unsaved one holding the defaults."""
    return BillingProfile.objects.filter(place=place).first() or BillingProfile(place=place)


def seller(place: Place, profile: BillingProfile) -> dict[str, Any]:
    return {
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "city": place.commune,
        "country": place.country,
        "siren": place.siret[:9],
        "siret": place.siret,
        "vat_number": profile.vat_number,
        "email": place.email,
        "is_business": True,
        "iban": profile.iban,
        "bic": profile.bic,
        "sepa_creditor_id": profile.sepa_creditor_id,
    }


def buyer(customer: Customer) -> dict[str, Any]:
    """Party fields, plus `language` (the documents speak it to this buyer) and the SEPA
    `mandate_reference`. Bank details are copied only under a mandate (direct debit)."""
    debit = bool(customer.sepa_mandate_reference)
    return {
        "name": customer.name,
        "address": customer.address,
        "postcode": customer.postcode,
        "city": customer.city,
        "country": customer.country,
        "siren": customer.siren,
        "siret": "",
        "vat_number": customer.vat_number,
        "email": customer.email,
        "is_business": customer.is_business,
        "iban": customer.iban if debit else "",
        "bic": customer.bic if debit else "",
        "sepa_creditor_id": "",
        "language": customer.language,
        "mandate_reference": customer.sepa_mandate_reference if debit else "",
    }


def party(snapshot: dict[str, Any]) -> Party:
    return Party(**{k: v for k, v in snapshot.items() if k in PARTY_FIELDS})
