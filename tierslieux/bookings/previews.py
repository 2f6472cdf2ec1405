"""What a booking will cost and how it may be cancelled, before and just after booking: the
booking form's price line and cancellation terms (server-rendered and live through the form's
script), and the message after booking.

Read-only. The numbers come from `services.prices.preview`, which gathers the same inputs as
the real pricing; this module only checks who may ask, and words and formats the quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierslieux.billing import tax
from tierslieux.bookings import checks
from tierslieux.bookings.forms import BookingForm
from tierslieux.bookings.models import Booking, grace_minutes
from tierslieux.bookings.pricing import Line, Quote
from tierslieux.bookings.services import prices, team
from tierslieux.core import clock
from tierslieux.core.formatting import money, number
from tierslieux.members.models import Wallet
from tierslieux.places.models import Place, Space

ONE = Decimal(1)


@dataclass(frozen=True)
class Answer:
    """An HTTP status and the JSON body: the quote, or {"error": message}."""

    status: int
    body: dict[str, Any]


SLOT = ("space", "date", "start_time", "end_time", "units")


def answer(user: Any, place: Place, params: Mapping[str, Any]) -> Answer:
    """Quote the slot in `params` (the booking form's space, date, start_time, end_time and
    units) for the user, if they may book that space: 401 for a visitor, 400 for a slot the
    form refuses, 403 for a space the user may not book (its audience, a machine's training).
    The quote comes with the cancellation terms the booking would have (`terms`)."""
    found = _slot(user, place, params)
    if isinstance(found, Answer):
        return found
    person = getattr(user, "person", None)
    org = found.get("organisation_found")
    quote = prices.preview(
        None if org else person,
        found["space"],
        found["start"],
        found["end"],
        found["units"],
        organisation=org,
    )
    return Answer(200, {**as_json(quote), "terms": terms(found["space"], found["start"])})


def terms_for(user: Any, place: Place, params: Mapping[str, Any]) -> str:
    """The cancellation terms of the slot in `params`, or "" when they do not name a slot the
    user may book (as `answer` would refuse it); the price is not made."""
    found = _slot(user, place, params)
    return "" if isinstance(found, Answer) else terms(found["space"], found["start"])


def _slot(user: Any, place: Place, params: Mapping[str, Any]) -> Answer | dict[str, Any]:
    """The slot's cleaned values, or the refusal `answer` gives."""
    if not getattr(user, "is_authenticated", False):
        return Answer(401, {"error": _("Log in to see what a booking costs.")})
    person = getattr(user, "person", None)
    mine = team.organisations_of(person, place.pk) if params.get("holder") else []
    form = BookingForm(params, place=place, organisations=mine)
    if not form.is_valid():
        return Answer(400, {"error": _first_error(form)})
    data: dict[str, Any] = form.cleaned_data
    org = next((o for o in mine if o.pk == data.get("organisation")), None)
    data["organisation_found"] = org
    ctx = checks.context_for(user, data["space"])
    try:
        checks.check_who(
            user,
            ctx,
            getattr(person, "pk", None),
            data["start"],
            organisation_id=org.pk if org else None,
        )
    except ValidationError as error:
        return Answer(403, {"error": " ".join(error.messages)})
    return data


def terms(space: Space, start: datetime, now: datetime | None = None) -> str:
    """The cancellation terms a booking of `space` from `start`, made now, would have, from
    `checks.free_cancellation_until` (the function the cancellation itself obeys), e.g.
    "Free cancellation until Tuesday 1 December at 9:00, or within 15 minutes of booking"."""
    now = now or clock.now()
    booking = Booking(place=space.place, space=space, start=start, created_at=now)
    until = checks.free_cancellation_until(booking)
    deadline = checks.cancellation_deadline(booking)
    grace = grace_minutes(space.place)
    tz = ZoneInfo(space.place.timezone)
    values = {"when": written_moment(deadline, tz, now), "minutes": grace}
    if deadline > now and grace:
        return (
            ngettext(
                "Free cancellation until %(when)s, or within %(minutes)s minute of booking.",
                "Free cancellation until %(when)s, or within %(minutes)s minutes of booking.",
                grace,
            )
            % values
        )
    if deadline > now:
        return _("Free cancellation until %(when)s.") % values
    if until > now:
        first = ngettext(
            "Free cancellation only within %(minutes)s minute of booking",
            "Free cancellation only within %(minutes)s minutes of booking",
            grace,
        )
        after = _("after that, only the place's team can cancel it, and it stays due.")
        # Translated whole: French puts a no-break space before the semicolon.
        return _("%(first)s; %(after)s") % {"first": first % values, "after": after}
    return _(
        "No free cancellation: once booked, only the place's team can cancel it, and it stays due."
    )


def written_moment(moment: datetime, tz: ZoneInfo, now: datetime) -> str:
    """ "mardi 1er décembre à 9 h" / "Tuesday 1 December at 9:00", with the year when it is
    not the current one."""
    local, today = moment.astimezone(tz), now.astimezone(tz)
    day = formats.date_format(local, "l j F" if local.year == today.year else "l j F Y")
    if translation.get_language() == "fr":  # "mardi 1er décembre": no capital, "1er"
        day = day[:1].lower() + day[1:]
        if local.day == 1:
            day = day.replace(" 1 ", " 1er ", 1)
    if local.minute:
        hour = _("%(hour)s:%(minute)02d") % {"hour": local.hour, "minute": local.minute}
    else:
        hour = _("%(hour)s:00") % {"hour": local.hour}
    return _("%(day)s at %(hour)s") % {"day": day, "hour": hour}


def _first_error(form: BookingForm) -> str:
    """The first error, after its field's label: "End time: The end must come after…"."""
    name, errors = next(iter(form.errors.items()))
    field = form.fields.get(name)
    return f"{field.label}: {errors[0]}" if field is not None else str(errors[0])


def as_json(quote: Quote | None) -> dict[str, Any]:
    """Money as strings of Decimals ("30.00"), never floats; `wallet` empty when not priced."""
    if quote is None:
        return {
            "price_net": None,
            "price_gross": None,
            "credits_used": "0",
            "wallet": "",
            "note": "",
            "text": "",
        }
    net, gross = amounts(quote)
    return {
        "price_net": None if net is None else str(net),
        "price_gross": None if gross is None else str(gross),
        "credits_used": str(quote.credits_used),
        "wallet": quote.wallet if quote.price_net is not None else "",
        "note": quote.note,
        "text": describe(quote),
    }


def amounts(quote: Quote) -> tuple[Decimal | None, Decimal | None]:
    """Excluding and including tax; the tax computed as an invoice computes it."""
    if quote.price_net is None:
        return None, None
    totals = tax.totals(
        tax.LineAmount(line.quantity, line.unit_price, line.tax_code) for line in quote.lines
    )
    return quote.price_net, totals.gross


def of_booking(booking: Booking) -> Quote:
    """A made booking's stored price as a quote (one line, as its charge is invoiced)."""
    lines = []
    if booking.price_net:
        lines = [Line("", ONE, "C62", booking.price_net, booking.tax_code)]
    return Quote(
        booking.price_net,
        booking.tax_code,
        booking.wallet,
        booking.credits_used,
        booking.price_note,
        lines,
    )


def describe(quote: Quote) -> str:
    """One sentence in the active language: "2 room hour(s) from your credits + 1 h for
    30.00 € excl. tax (36.00 € incl. tax)", "Free: covered by your pass", "Not priced: free".
    Amounts and quantities are written by `core.formatting`."""
    if quote.price_net is None:
        return _("Not priced: free")
    if quote.pass_days and not quote.credits_used and not quote.price_net:
        return _("Free: covered by your pass")
    parts = []
    if quote.pass_days:
        parts.append(
            ngettext(
                "%(count)s desk day covered by your pass",
                "%(count)s desk days covered by your pass",
                quote.pass_days,
            )
            % {"count": quote.pass_days}
        )
    if quote.credits_used:
        parts.append(_credits(quote.wallet, quote.credits_used))
    net, gross = amounts(quote)
    if net:
        values = {"net": money(net), "gross": money(gross or net)}
        if quote.billable:
            values["quantity"] = _quantity(quote.wallet, quote.billable)
            parts.append(_("%(quantity)s for %(net)s excl. tax (%(gross)s incl. tax)") % values)
        else:
            parts.append(_("%(net)s excl. tax (%(gross)s incl. tax)") % values)
    elif not parts:
        parts.append(_("Free of charge"))
    return " + ".join(parts)


def _credits(wallet: str, used: Decimal) -> str:
    """The wording of "my bookings" and of the e-mail (bookings/_credits.txt)."""
    values = {"quantity": number(used, _places(used))}
    if wallet == Wallet.DESK_DAYS:
        return _("%(quantity)s desk day(s) from your credits") % values
    if wallet == Wallet.MACHINE_HOURS:
        return _("%(quantity)s machine hour(s) from your credits") % values
    return _("%(quantity)s room hour(s) from your credits") % values


def _quantity(wallet: str, value: Decimal) -> str:
    text = number(value, _places(value))
    if wallet == Wallet.DESK_DAYS:
        count = int(value) if value == value.to_integral_value() else 2
        return ngettext("%(count)s desk day", "%(count)s desk days", count) % {"count": text}
    return _("%(hours)s h") % {"hours": text}


def _places(value: Decimal) -> int:
    """No decimals for a whole number, two otherwise (as `floatformat:"-2"`)."""
    return 0 if value == value.to_integral_value() else 2
