"""Customers: the one code that creates them, and changing their details.

Bookings, sales and subscriptions all invoice somebody: a person pays as an individual, an
organisation pays for its people. The customer behind a person or an organisation is created
on first need (`customer_for_person`, `customer_for_organisation`), copying the name, e-mail
and language, and an organisation's postal address and SIREN (which issuing requires of an
organisation, `billing/buyer.py`); the team keeps them up to date. Issued invoices keep the buyer
they were issued to (their snapshot): a change applies to drafts and to what is issued next."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import Customer
from tierslieux.billing.services.common import require
from tierslieux.core import audit
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

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
def update_customer(*, actor: Actor, customer: Customer, **changes: Any) -> Customer:
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


ORGANISATION_KINDS = {
    "association": Customer.Kind.ASSOCIATION,
    "company": Customer.Kind.COMPANY,
    "cooperative": Customer.Kind.COMPANY,
    "public_body": Customer.Kind.PUBLIC_BODY,
}


def _language(person: Person) -> str:
    user = person.user
    language = (user.language if user else "fr")[:2]
    return language if language in Customer.Language.values else Customer.Language.FR


@transaction.atomic
def customer_for_person(place: Place, person: Person) -> Customer:
    """The person's own customer at the place (the oldest, if the team made several)."""
    existing = (
        Customer.objects.filter(place=place, person=person, organisation__isnull=True)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    customer = Customer.objects.create(
        place=place,
        name=f"{person.first_name} {person.last_name}".strip() or person.email,
        kind=Customer.Kind.INDIVIDUAL,
        email=person.email or (person.user.email if person.user else ""),
        language=_language(person),
        person=person,
    )
    audit.record(
        actor=None,
        action="billing.customer.create",
        obj=customer,
        place_id=place.pk,
        changes={"name": customer.name, "person": person.pk},
    )
    return customer


@transaction.atomic
def customer_for_visitor(place: Place, name: str, email: str, language: str = "fr") -> Customer:
    """The customer of someone without an account at the place (a visitor paying a seat at
    an event): the oldest individual customer of that name and address with no person nor
    organisation behind it, else a new one. No access check: its caller sells."""
    name, email = name.strip(), email.strip().lower()
    existing = (
        Customer.objects.filter(
            place=place,
            kind=Customer.Kind.INDIVIDUAL,
            name=name,
            email__iexact=email,
            person__isnull=True,
            organisation__isnull=True,
        )
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    language = language[:2] if language[:2] in Customer.Language.values else "fr"
    customer = Customer(
        place=place, name=name, kind=Customer.Kind.INDIVIDUAL, email=email, language=language
    )
    customer.full_clean()
    customer.save()
    audit.record(
        actor=None,
        action="billing.customer.create",
        obj=customer,
        place_id=place.pk,
        changes={"name": customer.name, "email": email},
    )
    return customer


def _organisation_details(organisation: Organisation) -> dict[str, str]:
    """What the customer copies of the organisation for its invoices: the postal address
    and the SIREN (the SIRET's first nine digits)."""
    return {
        "address": organisation.address,
        "postcode": organisation.postcode,
        "city": organisation.city,
        "country": organisation.country or "FR",
        "siren": organisation.siren,
    }


def _fill_blanks(customer: Customer, organisation: Organisation) -> Customer:
    """Complete an older customer with the organisation's details it lacks: the address when
    it is blank or the same address in part (never mixing two addresses), the SIREN alone.
    What the team typed is kept."""
    details = _organisation_details(organisation)
    changes: dict[str, str] = {}
    parts = ("address", "postcode", "city")
    # The same address, part of it blank (copied before the organisation was complete):
    # every part the customer has agrees with the organisation's.
    same = all(not getattr(customer, k) or getattr(customer, k) == details[k] for k in parts)
    if same and any(not getattr(customer, k) and details[k] for k in parts):
        changes.update({k: details[k] for k in (*parts, "country") if details[k]})
    if not customer.siren and details["siren"]:
        changes["siren"] = details["siren"]
    if not changes:
        return customer
    Customer.objects.filter(pk=customer.pk).update(**changes)
    for field, value in changes.items():
        setattr(customer, field, value)
    audit.record(
        actor=None,
        action="billing.customer.update",
        obj=customer,
        place_id=customer.place_id,
        changes={**changes, "from_organisation": organisation.pk},
    )
    return customer


@transaction.atomic
def complete_from_organisations(place: Place) -> int:
    """Give every customer of the place that stands for an organisation the address and
    SIREN it lacks and its organisation has (as `customer_for_organisation` does for one):
    what a bill run's preview runs first, so that an address entered on the organisation
    reaches its invoices. Returns how many customers changed."""
    lacking = (
        Customer.objects.filter(place=place, organisation__isnull=False)
        .filter(Q(address="") | Q(postcode="") | Q(city="") | Q(siren=""))
        .select_related("organisation")
        .order_by("id")
    )
    changed = 0
    for customer in lacking:
        before = (customer.address, customer.siren)
        assert customer.organisation is not None
        _fill_blanks(customer, customer.organisation)
        changed += (customer.address, customer.siren) != before
    return changed


@transaction.atomic
def customer_for_organisation(place: Place, organisation: Organisation) -> Customer:
    """The organisation's customer at the place; its kind follows the organisation's, its
    address and SIREN are the organisation's (an older customer lacking them gets them)."""
    existing = (
        Customer.objects.filter(place=place, organisation=organisation).order_by("id").first()
    )
    if existing is not None:
        return _fill_blanks(existing, organisation)
    customer = Customer.objects.create(
        place=place,
        name=organisation.name,
        kind=ORGANISATION_KINDS.get(organisation.kind, Customer.Kind.ASSOCIATION),
        email=organisation.email,
        organisation=organisation,
        **_organisation_details(organisation),
    )
    audit.record(
        actor=None,
        action="billing.customer.create",
        obj=customer,
        place_id=place.pk,
        changes={"name": customer.name, "organisation": organisation.pk},
    )
    return customer
