"""Charges waiting for the bill run: recorded by the apps that sell (a booking's price), voided
while not yet invoiced. The bill run (`services.billrun`) invoices them.

A charge with a `source` ("booking:42") is the one charge of that source at the place (the
database holds it unique): recording it again replaces the pending one, so that a booking
moved and priced again still has one charge; an invoiced charge never changes.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.billing.models import Customer, Family, Invoice
from tierslieux.billing.services.common import check_line, check_tax_code
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.members.models import Charge
from tierslieux.places.models import Place


@transaction.atomic
def record_charge(
    *,
    place: Place,
    customer: Customer,
    description: str,
    quantity: Decimal,
    unit_price_net: Decimal,
    tax_code: str,
    service_date: date,
    source: str = "",
    person: Person | None = None,
    unit: str = "C62",
    account: str = "706000",
    family: str = Family.SERVICES,
    service_end: date | None = None,
    actor: Actor | None = None,
) -> Charge:
    """Record something to invoice at the next bill run. The caller authorised it (a booking
    made by its person, a sale by the team). With a `source` already charged and not yet
    invoiced, the pending charge is replaced (and un-voided); an invoiced one is refused."""
    if customer.place_id != place.pk:
        refuse(_("The customer belongs to another place."), "other_place")
    check_tax_code(tax_code)
    check_line(Invoice.Kind.INVOICE, 1, quantity, unit_price_net)
    if not description.strip():
        refuse(_("A charge needs a description."), "no_description")
    values = {
        "customer": customer,
        "person": person,
        "description": description.strip()[:500],
        "quantity": quantity,
        "unit": unit,
        "unit_price_net": unit_price_net,
        "tax_code": tax_code,
        "account": account,
        "family": family,
        "service_date": service_date,
        "service_end": service_end,
        "voided_at": None,
    }
    charge = (
        Charge.objects.select_for_update().filter(place=place, source=source).first()
        if source
        else None
    )
    if charge is not None:
        if charge.invoice_line_id is not None:
            refuse(
                _("The charge “%(description)s” is already invoiced: it can no longer change."),
                "invoiced",
                description=charge.description,
            )
        for name, value in values.items():
            setattr(charge, name, value)
        charge.save()
        action = "members.charge.update"
    else:
        charge = Charge.objects.create(place=place, source=source, **values)
        action = "members.charge.create"
    audit.record(
        actor=actor,
        action=action,
        obj=charge,
        place_id=place.pk,
        changes={
            "customer": customer.pk,
            "description": charge.description,
            "quantity": quantity,
            "unit_price_net": unit_price_net,
            "tax_code": tax_code,
            "service_date": service_date,
            "source": source,
        },
    )
    return charge


@transaction.atomic
def void_charge(
    *, charge: Charge, actor: Actor | None = None, now: datetime | None = None
) -> Charge:
    """Drop a charge that is not invoiced yet (a booking cancelled in time); voiding twice
    changes nothing. An invoiced charge is refused: correct it with a credit note."""
    charge = Charge.objects.select_for_update().get(pk=charge.pk)
    if charge.invoice_line_id is not None:
        refuse(
            _(
                "The charge “%(description)s” is already invoiced: "
                "correct the invoice with a credit note."
            ),
            "invoiced",
            description=charge.description,
        )
    if charge.voided_at is not None:
        return charge
    charge.voided_at = now or clock.now()
    charge.save(update_fields=["voided_at"])
    audit.record(
        actor=actor,
        action="members.charge.void",
        obj=charge,
        place_id=charge.place_id,
        changes={"source": charge.source},
    )
    return charge
