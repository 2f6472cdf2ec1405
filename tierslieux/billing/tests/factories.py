"""Plain-function factories for billing tests: an invoicing place with its coordinator,
customers, drafts (rows written directly: fast) and issued invoices (through the services)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from tierslieux.accounts.models import User
from tierslieux.billing import services, tax
from tierslieux.billing.models import Customer, Invoice, InvoiceLine
from tierslieux.core.money import round_money
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

_seq = itertools.count(1)
SELLER_SIRET = "73282932000074"  # passes the Luhn check
COMPANY_SIREN = "552100554"
# (description, quantity, unit price, tax code)
Line = tuple[str, str, str, str]
DAY_PASS: Line = ("Journée coworking", "1", "20.00", "vat_20")


def place(**fields: Any) -> Place:
    """A place that can issue invoices: it has a SIRET and an address."""
    fields.setdefault("siret", SELLER_SIRET)
    fields.setdefault("address", "2 rue de l'Ancien Courrier")
    fields.setdefault("email", "contact@example.org")
    return pf.place(**fields)


def coordinator(place_: Place) -> User:
    return pf.coordinator(place_)


def member(place_: Place) -> User:
    return pf.member(place_)


def customer(place_: Place, **fields: Any) -> Customer:
    fields.setdefault("name", f"Client {next(_seq)}")
    fields.setdefault("address", "12 avenue Foch")
    fields.setdefault("postcode", "11100")
    fields.setdefault("city", "Narbonne")
    if fields.get("kind", Customer.Kind.INDIVIDUAL) != Customer.Kind.INDIVIDUAL:
        fields.setdefault("siren", COMPANY_SIREN)  # a French organisation's invoice needs it
    return Customer.objects.create(place=place_, **fields)


def draft(customer_: Customer, lines: Sequence[Line] = (DAY_PASS,), **fields: Any) -> Invoice:
    invoice = Invoice.objects.create(place_id=customer_.place_id, customer=customer_, **fields)
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=n,
            description=description,
            quantity=Decimal(quantity),
            unit_price_net=Decimal(price),
            tax_code=code,
            tax_rate=tax.rule(code).rate,
            net=round_money(Decimal(quantity) * Decimal(price)),
        )
        for n, (description, quantity, price, code) in enumerate(lines, start=1)
    )
    return invoice


def issued(
    actor: User,
    customer_: Customer,
    lines: Sequence[Line] = (DAY_PASS,),
    issue_date: date | None = None,
    **fields: Any,
) -> Invoice:
    return services.issue_invoice(
        actor=actor, invoice=draft(customer_, lines, **fields), issue_date=issue_date
    )
