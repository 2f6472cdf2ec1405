"""A booking's price: made when the booking is, given back when it is cancelled in time, made
again when it moves. Called inside the booking services' transactions, so that a refused
booking leaves no credit used nor charge.

The price is stored on the booking (`price_net`, `credits_used`…) and never recomputed: later
changes of the rate card do not touch it. Credits are spent through `members.services.credits`
and the billable rest becomes one `members.Charge` per booking (source "booking:<id>"), which
the next bill run invoices. A booking the team makes for an organisation is priced at the
organisation's rates (members' when it holds a membership or a plan itself) with no credits
(credits and passes are a person's, organisations have none) and charged to its customer.
Bookings by the team for nobody and the machine rows a room booking blocks are not priced.
`preview` quotes a booking not yet made from the same inputs, read-only, for the booking form.

A new booking is priced before its insert (`quote_for`, then `fields` written with the row)
and settled after it (`settle`: the credits and the charge name the booking); a space without
rates costs no read of the card, the membership or the credits (`card_of`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, translation
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import Family
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.bookings import pricing, queries
from tierslieux.bookings.models import Booking
from tierslieux.core.types import Actor
from tierslieux.members import queries as members
from tierslieux.members.models import Wallet
from tierslieux.members.services import charges, credits
from tierslieux.places.models import Space

ZERO = Decimal(0)

PRICE_FIELDS = ["price_net", "tax_code", "wallet", "credits_used", "price_note"]


def source_of(booking: Booking) -> str:
    return f"booking:{booking.pk}"


def card_of(space: Space, priced: bool | None = None) -> pricing.Card:
    """The space's rate card; no query when the caller knows it has no rate (`priced` False)."""
    return members.rate_card(space) if priced is not False else {}


def quote_for(
    person: Person | None,
    space: Space,
    start: datetime,
    end: datetime,
    units: int = 1,
    *,
    card: pricing.Card | None = None,
    organisation: Organisation | None = None,
) -> pricing.Quote | None:
    """The price of a booking about to be made, for `person` or (the team) `organisation`:
    None when not priced (a booking by the team for nobody). `card`: the space's rates when
    the caller has them (None: read here)."""
    if organisation is not None:
        return _organisation_quote(organisation, space, start, end, units, card)
    if person is None:
        return None
    return _quote(person, space, start, end, units, card)


def fields(quote: pricing.Quote | None) -> dict[str, Any]:
    """The price columns of a booking, to be written with its row."""
    if quote is None:
        return {}
    return {
        "price_net": quote.price_net,
        "tax_code": quote.tax_code,
        "wallet": quote.wallet if quote.price_net is not None else "",
        "credits_used": quote.credits_used,
        "price_note": quote.note[:255],
    }


def settle(booking: Booking, quote: pricing.Quote | None, *, actor: Actor) -> None:
    """After the insert (the source names the booking): spend the credits, record the charge.
    Nothing to do, and no statement, for a booking that costs nothing."""
    if quote is None:
        return
    person, organisation, space = booking.person, booking.organisation, booking.space
    place = space.place
    source = source_of(booking)
    if person is not None and quote.credits_used > 0:
        credits.consume(
            person=person,
            place=place,
            wallet=quote.wallet,
            quantity=quote.credits_used,
            source=source,
            actor=actor,
        )
    if quote.price_net:
        tz = ZoneInfo(place.timezone)
        first, last = local_days(booking.start, booking.end, tz)
        if person is not None:
            customer = customer_for_person(place, person)
        else:
            assert organisation is not None  # `quote_for` prices no booking for nobody
            customer = customer_for_organisation(place, organisation)
        with translation.override(customer.language):
            description = _("%(space)s — %(when)s") % {
                "space": space.name,
                "when": when(booking, tz),
            }
        charges.record_charge(
            place=place,
            customer=customer,
            person=person,
            description=description,
            quantity=Decimal(1),
            unit_price_net=quote.price_net,
            tax_code=quote.tax_code,
            service_date=first,
            service_end=last if last != first else None,
            source=source,
            family=Family.SERVICES,
            actor=actor,
        )


def price(booking: Booking, *, actor: Actor) -> pricing.Quote | None:
    """Price an existing booking again (a move): quote it, store the price, spend the credits
    and record the charge, voiding a pending one the new price no longer has; None when the
    booking is not priced (for nobody, a machine block)."""
    if not priced(booking):
        return None
    quote = quote_for(
        booking.person,
        booking.space,
        booking.start,
        booking.end,
        booking.units,
        organisation=booking.organisation,
    )
    for name, value in fields(quote).items():
        setattr(booking, name, value)
    booking.save(update_fields=PRICE_FIELDS)
    settle(booking, quote, actor=actor)
    if quote is not None and not quote.price_net:
        pending = members.charge_for(booking.space.place, source_of(booking))
        if pending is not None and pending.invoice_line_id is None:
            charges.void_charge(charge=pending, actor=actor)
    return quote


def preview(
    person: Person | None,
    space: Space,
    start: datetime,
    end: datetime,
    units: int = 1,
    *,
    organisation: Organisation | None = None,
) -> pricing.Quote | None:
    """What booking `space` from `start` to `end` would cost `person` (or `organisation`)
    now, as `price` would quote it, without writing anything (the booking form shows it
    before one books). None when such a booking is not priced (a booking for nobody)."""
    return quote_for(person, space, start, end, units, organisation=organisation)


def priced(booking: Booking) -> bool:
    """Whether the booking has a price of its own: for a person or an organisation, and not
    the machine row a room booking blocks."""
    return (
        booking.person_id is not None or booking.organisation_id is not None
    ) and booking.blocked_by_id is None


def _organisation_quote(
    organisation: Organisation,
    space: Space,
    start: datetime,
    end: datetime,
    units: int,
    card: pricing.Card | None = None,
) -> pricing.Quote:
    """An organisation's booking: its rate class (members' when it holds a membership or a
    plan itself), rates only: organisations hold no credits nor passes."""
    place = space.place
    first, last = local_days(start, end, ZoneInfo(place.timezone))
    if card is None:
        card = members.rate_card(space)
    member = bool(card) and queries.organisation_is_member(organisation, place, first)
    return pricing.quote(
        minutes=int((end - start).total_seconds() // 60),
        wallet=members.wallet_for_space_kind(space.kind),
        card=card,
        audience=pricing.MEMBER if member else pricing.NON_MEMBER,
        units=units,
        days=(last - first).days + 1,
    )


def _quote(
    person: Person,
    space: Space,
    start: datetime,
    end: datetime,
    units: int,
    card: pricing.Card | None = None,
) -> pricing.Quote:
    """Gather the rule's inputs (audience, pass, available credits, rate card) and quote: the
    one place both the real price and the preview come from. Without rates, neither the
    audience nor the credits change anything: they are not read."""
    place = space.place
    first, last = local_days(start, end, ZoneInfo(place.timezone))
    wallet = members.wallet_for_space_kind(space.kind)
    if card is None:
        card = members.rate_card(space)
    pass_covers = False
    if wallet == Wallet.DESK_DAYS:
        held = members.active_pass(person, place, first)
        pass_covers = held is not None and held.valid_until >= last
    member = bool(card) and members.is_member(person, place, first)
    return pricing.quote(
        minutes=int((end - start).total_seconds() // 60),
        wallet=wallet,
        card=card,
        audience=pricing.MEMBER if member else pricing.NON_MEMBER,
        units=units,
        days=(last - first).days + 1,
        credits=members.available(person, place, wallet, place.today()) if card else ZERO,
        pass_covers=pass_covers,
    )


def local_days(start: datetime, end: datetime, tz: ZoneInfo) -> tuple[date, date]:
    """The first and last local days a booking touches (an end at midnight is the day before)."""
    return start.astimezone(tz).date(), (end - timedelta(microseconds=1)).astimezone(tz).date()


def when(booking: Booking, tz: ZoneInfo) -> str:
    """12 janvier 2027 10:00–12:00 (in the active language), both dates when days differ."""
    start, end = booking.start.astimezone(tz), booking.end.astimezone(tz)
    if start.date() == end.date():
        return (
            f"{formats.date_format(start, 'DATE_FORMAT')} "
            f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
        )
    return (
        f"{formats.date_format(start, 'DATE_FORMAT')} {formats.time_format(start, 'H:i')} – "
        f"{formats.date_format(end, 'DATE_FORMAT')} {formats.time_format(end, 'H:i')}"
    )


def release(booking: Booking, *, actor: Actor) -> None:
    """A booking cancelled in time (or rejected): its credits come back and its charge is
    voided while not invoiced (an invoiced one is corrected by a credit note, by the team)."""
    if not priced(booking):
        return
    source = source_of(booking)
    consumption = members.consumption(booking.place, source)
    if consumption is not None:
        credits.refund(consumption=consumption, actor=actor)
    charge = members.charge_for(booking.place, source)
    if charge is not None and charge.invoice_line_id is None:
        charges.void_charge(charge=charge, actor=actor)


def reprice(booking: Booking, *, actor: Actor) -> None:
    """A moved booking is priced again (credits given back, then spent anew), unless its
    charge is invoiced already: then the price stays, and the note says so."""
    if not priced(booking):
        return
    charge = members.charge_for(booking.place, source_of(booking))
    if charge is not None and charge.invoice_line_id is not None:
        note = _("moved after invoicing: price kept")
        booking.price_note = f"{booking.price_note}; {note}"[:255] if booking.price_note else note
        booking.save(update_fields=["price_note"])
        return
    consumption = members.consumption(booking.place, source_of(booking))
    if consumption is not None:
        credits.refund(consumption=consumption, actor=actor)
    price(booking, actor=actor)
