"""The billing customer behind a person or an organisation of a place, created on first need.

Bookings, sales and subscriptions all invoice somebody: a person pays as an individual, an
organisation pays for its people. The customer copies the name, e-mail and language at
creation; the team keeps the address and SIREN up to date in the customers' pages.
"""

from __future__ import annotations

from django.db import transaction

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import Customer
from tierslieux.core import audit
from tierslieux.places.models import Place

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
def customer_for_organisation(place: Place, organisation: Organisation) -> Customer:
    """The organisation's customer at the place; its kind follows the organisation's."""
    existing = (
        Customer.objects.filter(place=place, organisation=organisation).order_by("id").first()
    )
    if existing is not None:
        return existing
    customer = Customer.objects.create(
        place=place,
        name=organisation.name,
        kind=ORGANISATION_KINDS.get(organisation.kind, Customer.Kind.ASSOCIATION),
        siren=organisation.siret[:9] if organisation.siret else "",
        email=organisation.email,
        organisation=organisation,
    )
    audit.record(
        actor=None,
        action="billing.customer.create",
        obj=customer,
        place_id=place.pk,
        changes={"name": customer.name, "organisation": organisation.pk},
    )
    return customer
