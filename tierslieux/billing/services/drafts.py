"""Customers and draft invoices: everything that may still change before issue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import Customer, Family, Invoice, InvoiceLine
from tierslieux.billing.services.common import (
    LineInput,
    check_line,
    check_tax_code,
    decimal,
    refuse_issued,
    require,
)
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import day
from tierslieux.core.money import round_money
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

DRAFT_FIELDS = frozenset(
    {
        "customer",
        "service_start",
        "service_end",
        "payment_terms",
        "payment_terms_days",
        "late_penalty_rate",
    }
)


@transaction.atomic
def create_customer(
    *,
    actor: Actor,
    place: Place,
    name: str,
    kind: str = Customer.Kind.INDIVIDUAL,
    address: str = "",
    postcode: str = "",
    city: str = "",
    country: str = "FR",
    siren: str = "",
    vat_number: str = "",
    email: str = "",
    language: str = Customer.Language.FR,
    person: Person | None = None,
    organisation: Organisation | None = None,
    iban: str = "",
    bic: str = "",
    sepa_mandate_reference: str = "",
    sepa_mandate_date: date | None = None,
) -> Customer:
    """A customer of the place (a SIREN, when given, must be valid; a company or a public
    body needs one only when an invoice is issued to it)."""
    require(actor, place)
    customer = Customer(
        place=place,
        name=name.strip(),
        kind=kind,
        address=address,
        postcode=postcode,
        city=city,
        country=country,
        siren=siren.replace(" ", ""),
        vat_number=vat_number.replace(" ", "").upper(),
        email=email,
        language=language,
        person=person,
        organisation=organisation,
        iban=iban.replace(" ", "").upper(),
        bic=bic.replace(" ", "").upper(),
        sepa_mandate_reference=sepa_mandate_reference,
        sepa_mandate_date=sepa_mandate_date,
    )
    customer.full_clean()
    customer.save()
    audit.record(
        actor=actor,
        action="billing.customer.create",
        obj=customer,
        place_id=place.pk,
        changes={"name": customer.name, "kind": kind},
    )
    return customer


def _line(invoice: Invoice, position: int, item: LineInput) -> InvoiceLine:
    """A checked, unsaved line: its net is quantity × unit price, rounded half-up."""
    if not item.description.strip():
        refuse(_("Line %(position)s has no description."), "no_description", position=position)
    quantity, price = check_line(
        invoice.kind,
        position,
        decimal(item.quantity, _("The quantity")),
        decimal(item.unit_price_net, _("The unit price")),
    )
    rule = check_tax_code(item.tax_code)
    if item.family not in Family.values:
        refuse(
            _("Line %(position)s: unknown revenue family “%(family)s”."),
            "unknown_family",
            position=position,
            family=item.family,
        )
    return InvoiceLine(
        invoice=invoice,
        position=position,
        description=item.description.strip(),
        quantity=quantity,
        unit=item.unit,
        unit_price_net=price,
        tax_code=rule.code,
        tax_rate=rule.rate,
        net=round_money(quantity * price),
        account=item.account,
        family=item.family,
    )


def _check_period(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        refuse(
            _("The service ends (%(end)s) before it starts (%(start)s)."),
            "service_period",
            start=day(start),
            end=day(end),
        )


def _locked_draft(invoice: Invoice) -> Invoice:
    """The invoice's row, locked and read afresh; refused unless it is still a draft."""
    fresh = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if fresh.is_issued:
        refuse_issued(fresh)
    return fresh


def write_draft(
    customer: Customer,
    lines: Iterable[LineInput],
    *,
    service_start: date | None = None,
    service_end: date | None = None,
    **terms: Any,
) -> tuple[Invoice, list[InvoiceLine]]:
    """Check and write a draft with its lines (no access check, no audit: the caller's)."""
    _check_period(service_start, service_end)
    invoice = Invoice(
        place_id=customer.place_id,
        customer=customer,
        service_start=service_start,
        service_end=service_end,
        **terms,
    )
    built = [_line(invoice, n, item) for n, item in enumerate(lines, start=1)]
    invoice.save()
    InvoiceLine.objects.bulk_create(built)
    return invoice, built


@transaction.atomic
def create_draft(
    *,
    actor: Actor,
    customer: Customer,
    lines: Iterable[LineInput] = (),
    service_start: date | None = None,
    service_end: date | None = None,
    payment_terms: str = "",
    payment_terms_days: int | None = None,
    late_penalty_rate: Decimal | None = None,
) -> Invoice:
    """A draft invoice (no number yet). Unset terms and penalty rate come from the place's
    billing profile when the invoice is issued."""
    require(actor, customer.place)
    invoice, built = write_draft(
        customer,
        lines,
        service_start=service_start,
        service_end=service_end,
        payment_terms=payment_terms,
        payment_terms_days=payment_terms_days,
        late_penalty_rate=late_penalty_rate,
    )
    audit.record(
        actor=actor,
        action="billing.invoice.create_draft",
        obj=invoice,
        place_id=customer.place_id,
        changes={"customer": customer.pk, "lines": len(built)},
    )
    return invoice


@transaction.atomic
def add_line(
    *,
    actor: Actor,
    invoice: Invoice,
    description: str,
    quantity: Decimal | int | str,
    unit_price_net: Decimal | int | str,
    tax_code: str,
    unit: str = "C62",
    account: str = "706000",
) -> InvoiceLine:
    require(actor, invoice.place)
    draft = _locked_draft(invoice)
    last = draft.lines.aggregate(m=Max("position"))["m"] or 0
    line = _line(
        draft, last + 1, LineInput(description, quantity, unit_price_net, tax_code, unit, account)
    )
    line.save()
    audit.record(
        actor=actor,
        action="billing.invoice.add_line",
        obj=draft,
        place_id=draft.place_id,
        changes={"position": line.position, "net": line.net, "tax_code": line.tax_code},
    )
    return line


@transaction.atomic
def update_draft(
    *, actor: Actor, invoice: Invoice, lines: Iterable[LineInput] | None = None, **changes: Any
) -> Invoice:
    """Change a draft's customer, service period or terms; `lines` replaces all its lines."""
    unknown = set(changes) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"update_draft() cannot change {sorted(unknown)}")
    require(actor, invoice.place)
    draft = _locked_draft(invoice)
    customer = changes.get("customer")
    if customer is not None and customer.place_id != draft.place_id:
        refuse(_("This customer belongs to another place."), "other_place")
    for field, value in changes.items():
        setattr(draft, field, value)
    _check_period(draft.service_start, draft.service_end)
    if lines is not None:
        built = [_line(draft, n, item) for n, item in enumerate(lines, start=1)]
        draft.lines.all().delete()
        InvoiceLine.objects.bulk_create(built)
        changes["lines"] = len(built)
    draft.save()
    audit.record(
        actor=actor,
        action="billing.invoice.update_draft",
        obj=draft,
        place_id=draft.place_id,
        changes=changes,
    )
    return draft


@transaction.atomic
def delete_draft(*, actor: Actor, invoice: Invoice) -> None:
    require(actor, invoice.place)
    draft = _locked_draft(invoice)
    audit.record(
        actor=actor, action="billing.invoice.delete_draft", obj=draft, place_id=draft.place_id
    )
    draft.delete()
