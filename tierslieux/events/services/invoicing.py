"""Paid seats, invoiced through billing the moment they are taken, credited when given back.

A registration with a price takes its seats when it is confirmed: at once (a member from the
portal, someone the team adds), from the visitor's e-mail link, or promoted from the waiting
list. Then, in the same transaction, an invoice is issued for seats × the price per seat at
the tax rule frozen on the registration, to the person's own customer (a visitor without an
account: a customer for their name and address), and e-mailed as every invoice is. A pending
or waitlisted registration holds no seat and is never invoiced; a seat at 0 (free,
solidarity at 0, no price) has no invoice. When a paid registration is cancelled (by the
attendee, by the team, or with its date or event), a credit note cancels its invoice in full.

The attendee cancelling needs no billing permission: like a shop sale (`issue_sale`), the
caller here decides. Locks follow billing's order after the event's row: customers' rows
before the place's invoice sequence. Issuing takes the sequence only (as `issue_sale`); a
credit note locks its customer first, so every customer to credit is locked, in id order,
before the first credit note takes the sequence: a cancellation that credits one attendee
and then invoices the one it promotes never waits for a customer while holding the sequence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.billing.models import Customer, Family, Invoice
from tierslieux.billing.services import (
    LineInput,
    credit_invoice,
    customer_for_person,
    customer_for_visitor,
    issue_sale,
    send_to_customer,
)
from tierslieux.core import audit, clock
from tierslieux.core.formatting import day
from tierslieux.core.types import Actor
from tierslieux.events import emails
from tierslieux.events.models import PriceCategory, Registration

ACCOUNT = "706000"  # services rendered: the account of the shop's tickets too


def _actor(actor: Actor | None) -> Actor:
    """Billing's services take an actor; nobody logged in (a visitor's link) is anonymous."""
    return actor if actor is not None else AnonymousUser()


def _customer(registration: Registration) -> Customer:
    place = registration.event.place
    if registration.person is not None:
        return customer_for_person(place, registration.person)
    return customer_for_visitor(
        place, registration.name, registration.email, emails.language_of(registration)
    )


def _dates(registration: Registration) -> tuple[date, date]:
    """The days the seats are for, in the place's time zone: the session's, or the course's
    first and last (cancelled dates left out)."""
    tz = registration.event.place.timezone
    if registration.session is not None:
        starts = [registration.session.start]
    else:
        sessions = registration.event.sessions.filter(cancelled_at__isnull=True)
        starts = list(sessions.order_by("start").values_list("start", flat=True))
    if not starts:
        today = clock.today(tz)
        return today, today
    zone = clock.zone(tz)
    return starts[0].astimezone(zone).date(), starts[-1].astimezone(zone).date()


def _description(registration: Registration, start: date, end: date) -> str:
    """E.g. « Atelier couture — 3 mars 2027 — Non-adhérent », in the customer's language."""
    when = (
        day(start)
        if start == end
        else _("%(start)s to %(end)s")
        % {
            "start": day(start),
            "end": day(end),
        }
    )
    parts = [registration.event.title, when]
    if registration.price_kind in PriceCategory.Kind.values:
        parts.append(str(PriceCategory.Kind(registration.price_kind).label))
    return " — ".join(parts)


def needs_invoice(registration: Registration) -> bool:
    """Seats taken at a price, not invoiced yet."""
    return (
        registration.status == Registration.Status.CONFIRMED
        and registration.unit_price_net > 0
        and registration.invoice_id is None
    )


def invoice_seats(registration: Registration, actor: Actor | None = None) -> Invoice | None:
    """Issue and e-mail the invoice of a registration that has just taken its seats (None
    when there is nothing to invoice). The caller holds the event's lock, in its
    transaction: a refusal of billing (say, a place without SIRET) rolls the seats back."""
    if not needs_invoice(registration):
        return None
    customer = _customer(registration)
    start, end = _dates(registration)
    with translation.override(customer.language):
        line = LineInput(
            description=_description(registration, start, end),
            quantity=registration.seats,
            unit_price_net=registration.unit_price_net,
            tax_code=registration.tax_code,
            account=ACCOUNT,
            family=Family.SERVICES,
        )
    invoice = issue_sale(
        actor=_actor(actor),
        customer=customer,
        lines=[line],
        service_start=start,
        service_end=end,
    )
    registration.invoice = invoice
    registration.save(update_fields=["invoice"])
    audit.record(
        actor=actor,
        action="event.registration_invoice",
        obj=registration.event,
        place_id=registration.event.place_id,
        changes={"registration": registration.pk, "invoice": invoice.number},
    )
    send_to_customer(actor=_actor(actor), invoice=invoice)
    return invoice


def credit_seats(
    registrations: Sequence[Registration], actor: Actor | None = None
) -> list[Invoice]:
    """Cancelled registrations: credit what remains of each one's invoice and e-mail the
    credit notes. Their customers are locked first, in id order (see the module)."""
    invoiced = [r for r in registrations if r.invoice_id is not None]
    if not invoiced:
        return []
    invoices = Invoice.objects.in_bulk([r.invoice_id for r in invoiced])
    customers = sorted({invoice.customer_id for invoice in invoices.values()})
    list(Customer.objects.select_for_update().filter(pk__in=customers).order_by("pk"))
    notes = []
    for registration in invoiced:
        invoice = invoices[registration.invoice_id]
        if _fully_credited(invoice):
            continue
        note = credit_invoice(actor=_actor(actor), invoice=invoice)
        audit.record(
            actor=actor,
            action="event.registration_credit",
            obj=registration.event,
            place_id=registration.event.place_id,
            changes={"registration": registration.pk, "credit_note": note.number},
        )
        send_to_customer(actor=_actor(actor), invoice=note)
        notes.append(note)
    return notes


def _fully_credited(invoice: Invoice) -> bool:
    """The team may have credited the invoice by hand already (from billing's pages)."""
    notes = invoice.credit_notes.filter(status=Invoice.Status.ISSUED)
    credited = sum((-note.total_net for note in notes), Decimal("0.00"))
    return credited >= invoice.total_net
