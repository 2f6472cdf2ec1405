"""The price of a booking (pure: no ORM). Rules and worked examples: docs/algorithms/pricing.md.

In short: a pass covers desk days; credits of the space's wallet are used first (hours for
rooms and machines, days for desks), partly if that is all there is; the rest is priced from
the rate card with the cheapest mix of day (up to 8 h), half-day (up to 4 h) and hourly rates.
A space without any rate is not priced (None: free, no credits used).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from math import ceil
from typing import NamedTuple

from django.utils.translation import gettext as _

from tierslieux.core.money import round_money

ZERO = Decimal("0")
MONEY_ZERO = Decimal("0.00")
HOUR = Decimal("0.01")
DAY_HOURS = 8
HALF_DAY_HOURS = 4
DESK_DAYS = "desk_days"
MEMBER, NON_MEMBER = "member", "non_member"

Card = Mapping[tuple[str, str], tuple[Decimal, str]]


class Rate(NamedTuple):
    price: Decimal
    tax_code: str


class Line(NamedTuple):
    """A priced part: (description, quantity, unit code, unit price excluding tax, tax code)."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    tax_code: str

    @property
    def net(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)


@dataclass(frozen=True)
class Quote:
    """`price_net` None: not priced (the space has no rate). `credits_used` in `wallet`;
    `billable`: what is left to pay for after credits, in the wallet's unit (hours or desk
    days); `pass_days`: desk days a pass covers (for telling the member why it is free)."""

    price_net: Decimal | None
    tax_code: str
    wallet: str
    credits_used: Decimal
    note: str
    lines: list[Line] = field(default_factory=list)
    billable: Decimal = ZERO
    pass_days: int = 0


def hours_of(minutes: int) -> Decimal:
    """Exact hours, to the hundredth (50 minutes: 0.83 h)."""
    return (Decimal(minutes) / 60).quantize(HOUR, rounding=ROUND_HALF_UP)


def rates_for(card: Card, audience: str) -> tuple[dict[str, Rate], bool]:
    """The audience's rates by unit, or the non-members' when the audience has none (then
    True: fallen back). Never a mix of the two: a card is read per audience."""
    own = {unit: Rate(*value) for (aud, unit), value in card.items() if aud == audience}
    if own or audience == NON_MEMBER:
        return own, False
    fallback = {unit: Rate(*value) for (aud, unit), value in card.items() if aud == NON_MEMBER}
    return fallback, bool(fallback)


def cheapest(hours: Decimal, rates: Mapping[str, Rate]) -> list[Line]:
    """The cheapest lines covering `hours` with the day, half-day and hourly rates there are.

    Every mix of d days and k half-days is tried (a day covers 8 h, a half-day 4 h), the rest
    at the hourly rate, exact to the hundredth of an hour; on equal cost, the mix with fewer
    hourly hours, then fewer units, wins."""
    if hours <= 0 or not rates:
        return []
    day, half, hour = rates.get("day"), rates.get("half_day"), rates.get("hour")
    max_days = ceil(hours / DAY_HOURS) if day else 0
    max_halves = ceil(hours / HALF_DAY_HOURS) if half else 0
    best: tuple[tuple[Decimal, Decimal, int], list[Line]] | None = None
    for d in range(max_days + 1):
        for k in range(max_halves + 1):
            left = max(ZERO, hours - DAY_HOURS * d - HALF_DAY_HOURS * k)
            if left > 0 and hour is None:
                continue
            lines = []
            if d and day:
                lines.append(Line(_("Day rate"), Decimal(d), "DAY", day.price, day.tax_code))
            if k and half:
                lines.append(Line(_("Half-day rate"), Decimal(k), "C62", half.price, half.tax_code))
            if left and hour:
                lines.append(Line(_("Hourly rate"), left, "HUR", hour.price, hour.tax_code))
            key = (sum((li.net for li in lines), MONEY_ZERO), left, d + k)
            if best is None or key < best[0]:
                best = (key, lines)
    return best[1] if best else []


def _times(lines: list[Line], factor: Decimal) -> list[Line]:
    return [li._replace(quantity=li.quantity * factor) for li in lines]


def _merge(lines: list[Line]) -> list[Line]:
    merged: dict[tuple[str, str, Decimal, str], Decimal] = {}
    for li in lines:
        if li.quantity > 0:
            key = (li.description, li.unit, li.unit_price, li.tax_code)
            merged[key] = merged.get(key, ZERO) + li.quantity
    return [Line(d, q, u, p, t) for (d, u, p, t), q in merged.items()]


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def quote(
    *,
    minutes: int,
    wallet: str,
    card: Card,
    audience: str = NON_MEMBER,
    units: int = 1,
    days: int = 1,
    credits: Decimal = ZERO,
    pass_covers: bool = False,
) -> Quote:
    """Price a booking of `units` for `minutes` spanning `days` local days.

    `credits`: what the person can spend in `wallet` (the available balance); `pass_covers`:
    a pass covers every day of the booking (desks only: one desk a day)."""
    rates, fell_back = rates_for(card, audience)
    desk = wallet == DESK_DAYS
    hours = hours_of(minutes)
    notes: list[str] = []
    if desk:
        covered = days if pass_covers else 0
        need = Decimal(days * units - covered)
        if covered:
            notes.append(_("covered by a pass"))
    else:
        covered = 0
        need = hours * units
    if need <= 0:
        return Quote(MONEY_ZERO, "", wallet, ZERO, "; ".join(notes), pass_days=covered)
    if not rates:
        price = MONEY_ZERO if covered else None
        notes.append(_("not priced: the space has no rate"))
        return Quote(price, "", wallet, ZERO, "; ".join(notes), pass_days=covered)
    used = min(max(credits, ZERO), need)
    rest = need - used
    if used:
        unit_name = _("day(s)") if desk else _("h")
        notes.append(
            _("%(quantity)s %(unit)s from credits") % {"quantity": _number(used), "unit": unit_name}
        )
    lines = _desk_lines(rest, hours, days, rates) if desk else _hour_lines(rest, hours, rates)
    lines = _merge(lines)
    if fell_back:
        notes.append(_("non-member rates"))
    notes.extend(f"{_number(li.quantity)} × {li.description}" for li in lines)
    price = sum((li.net for li in lines), MONEY_ZERO)
    tax_code = max(lines, key=lambda li: li.net).tax_code if lines else _any_tax(rates)
    return Quote(price, tax_code, wallet, used, "; ".join(notes), lines, rest, covered)


def _hour_lines(rest: Decimal, hours: Decimal, rates: Mapping[str, Rate]) -> list[Line]:
    """Credits cover whole units first; each unit left is priced on its own."""
    if rest <= 0:
        return []
    whole = int(rest // hours) if hours > 0 else 0
    part = rest - hours * whole
    return _times(cheapest(hours, rates), Decimal(whole)) + cheapest(part, rates)


def _desk_lines(rest: Decimal, hours: Decimal, days: int, rates: Mapping[str, Rate]) -> list[Line]:
    """A desk day at the day rate; without one, the cheapest mix covering the booking's hours
    of a day (at most 8)."""
    if rest <= 0:
        return []
    day = rates.get("day")
    if day is not None:
        return [Line(_("Desk day"), rest, "DAY", day.price, day.tax_code)]
    per_day = min(hours / max(days, 1), Decimal(DAY_HOURS)).quantize(HOUR, ROUND_HALF_UP)
    return _times(cheapest(per_day, rates), rest)


def _any_tax(rates: Mapping[str, Rate]) -> str:
    for unit in ("day", "half_day", "hour"):
        if unit in rates:
            return rates[unit].tax_code
    return ""
