"""Plain-function factories for members tests: products with sensible defaults per kind,
room-hire rates, subscriptions and customers (rows written directly: fast).

Places, people and invoices come from the billing and places factories (re-exported here):
`place()` has a SIRET, so sales can issue invoices.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import BillingProfile, Customer, Invoice
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.billing.tests.factories import coordinator, customer, member, place
from tierslieux.members.models import Charge, Product, RoomRate, Subscription
from tierslieux.places.models import Place, Space
from tierslieux.places.tests.factories import organisation, space, staff, user

__all__ = [
    "charge",
    "coordinator",
    "customer",
    "invoice_lines",
    "member",
    "organisation",
    "person",
    "person_customer",
    "place",
    "product",
    "room_rate",
    "space",
    "staff",
    "subscription",
    "user",
]

_seq = itertools.count(1)

DEFAULTS: dict[str, dict[str, Any]] = {
    "plan": {
        "name": "Résident",
        "price_net": Decimal("150.00"),
        "tax_code": "vat_20",
        "period": Product.Period.MONTH,
        "family": "memberships",
        "wallet": "room_hours",
        "credits": Decimal("10"),
        "notice_days": 30,
    },
    "membership": {
        "name": "Adhésion",
        "price_net": Decimal("50.00"),
        "tax_code": "exempt_261_7_1b",
        "period": Product.Period.YEAR,
        "family": "memberships",
        "account": "756000",
        "audience": Product.Audience.INDIVIDUAL,
    },
    "pass": {
        "name": "Pass journée",
        "price_net": Decimal("20.00"),
        "tax_code": "vat_20",
        "family": "memberships",
        "validity_days": 1,
    },
    "pack": {
        "name": "Carnet 10 heures",
        "price_net": Decimal("90.00"),
        "tax_code": "vat_20",
        "family": "services",
        "wallet": "room_hours",
        "credits": Decimal("10"),
        "validity_days": 365,
    },
    "ticket": {
        "name": "Concert",
        "price_net": Decimal("12.00"),
        "tax_code": "vat_5_5",
        "family": "services",
    },
    "service": {
        "name": "Domiciliation",
        "price_net": Decimal("30.00"),
        "tax_code": "vat_20",
        "family": "services",
    },
}


def product(place_: Place, kind: str = "plan", **fields: Any) -> Product:
    """A product of the given kind, on sale; `fields` override the kind's defaults (pass
    `wallet=""` with `credits=None` for a product without credits)."""
    values = {**DEFAULTS[kind], **fields}
    values["name"] = f"{values['name']} {next(_seq)}" if "name" not in fields else values["name"]
    for key in ("price_net", "min_price_net", "credits"):
        if values.get(key) is not None:
            values[key] = Decimal(str(values[key]))
    return Product.objects.create(place=place_, kind=kind, **values)


def room_rate(
    space_: Space,
    audience: str = "non_member",
    unit: str = "hour",
    price_net: str = "25.00",
    tax_code: str = "vat_20",
) -> RoomRate:
    return RoomRate.objects.create(
        place_id=space_.place_id,
        space=space_,
        audience=audience,
        unit=unit,
        price_net=Decimal(price_net),
        tax_code=tax_code,
    )


def person_customer(place_: Place, person: Person) -> Customer:
    """The person's own customer at the place (created on first need)."""
    return customer_for_person(place_, person)


def subscription(
    product_: Product,
    person: Person | None = None,
    organisation: Organisation | None = None,
    customer: Customer | None = None,
    start: date = date(2026, 1, 1),
    price_net: Decimal | str | None = None,
    **fields: Any,
) -> Subscription:
    """A subscription row (no checks): paid by `customer`, else the organisation's customer,
    else the person's own. Without a holder, a new user's person holds it."""
    place_ = product_.place
    if person is None and organisation is None:
        person = user().person
    if customer is None:
        customer = (
            customer_for_organisation(place_, organisation)
            if organisation is not None
            else customer_for_person(place_, person)  # type: ignore[arg-type]
        )
    return Subscription.objects.create(
        place=place_,
        product=product_,
        customer=customer,
        person=person,
        organisation=organisation,
        start=start,
        price_net=Decimal(str(price_net)) if price_net is not None else product_.price_net,
        **fields,
    )


def person(first: str, language: str = "en") -> Person:
    """A new user's person named « <first> Martin », writing `language`."""
    user_ = user()
    user_.language = language
    user_.save()
    user_.person.first_name, user_.person.last_name = first, "Martin"
    user_.person.save()
    return user_.person


def charge(
    place_: Place,
    customer_: Customer,
    day: date,
    price: str = "25.00",
    quantity: str = "2",
    **fields: Any,
) -> Charge:
    """A pending charge (two hours of a room by default) waiting for the bill run."""
    fields.setdefault("source", f"booking:{next(_seq)}")
    return Charge.objects.create(
        place=place_,
        customer=customer_,
        description=fields.pop("description", f"Salle — {day}"),
        quantity=Decimal(quantity),
        unit="HUR",
        unit_price_net=Decimal(price),
        tax_code="vat_20",
        service_date=day,
        **fields,
    )


def invoice_lines(invoice: Invoice) -> list[tuple[str, Decimal, Decimal, str]]:
    """An invoice's lines as (description, quantity, unit price, tax rule), in order."""
    return [
        (line.description, line.quantity, line.unit_price_net, line.tax_code)
        for line in invoice.lines.order_by("position")
    ]


def collecting_by_sepa(place: Place) -> Place:
    """La Fabrique, collecting by SEPA direct debit (its IBAN, BIC and creditor id)."""
    BillingProfile.objects.create(
        place=place,
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        sepa_creditor_id="FR72ZZZ123456",
    )
    return place
