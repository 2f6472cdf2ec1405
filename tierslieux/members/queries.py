"""Read helpers for the members app: wallets, balances, membership, passes, the rate card.

Bookings price themselves with these (bookings sit above members), the portal shows them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from tierslieux.accounts.models import Person
from tierslieux.members import ledger
from tierslieux.members.models import (
    Charge,
    CreditEntry,
    Pass,
    Product,
    RoomRate,
    Subscription,
    Wallet,
)
from tierslieux.places.models import Place, Space

ZERO = Decimal("0")
DESK_KINDS = frozenset({Space.Kind.DESK, Space.Kind.COWORKING})


def wallet_for_space_kind(kind: str) -> str:
    """Machines spend machine hours, desks and coworking spaces desk days, every room (and
    anything else) room hours."""
    if kind == Space.Kind.MACHINE:
        return Wallet.MACHINE_HOURS
    if kind in DESK_KINDS:
        return Wallet.DESK_DAYS
    return Wallet.ROOM_HOURS


def _entries(person: Person, place: Place, wallet: str | None = None) -> Q:
    condition = Q(person=person, place=place)
    return condition & Q(wallet=wallet) if wallet is not None else condition


def balance(person: Person, place: Place, wallet: str) -> Decimal:
    """The sum of the person's entries in the wallet at the place."""
    total = CreditEntry.objects.filter(_entries(person, place, wallet)).aggregate(
        total=Sum("quantity")
    )["total"]
    return total if total is not None else ZERO


def balances(person: Person, place: Place) -> dict[str, Decimal]:
    """Every wallet's balance, zero included, in the order of `Wallet`."""
    totals = dict(
        CreditEntry.objects.filter(_entries(person, place))
        .values("wallet")
        .annotate(total=Sum("quantity"))
        .values_list("wallet", "total")
    )
    return {wallet: totals.get(wallet) or ZERO for wallet in Wallet.values}


def ledger_entries(person: Person, place: Place, wallet: str) -> list[ledger.Entry]:
    rows = (
        CreditEntry.objects.filter(_entries(person, place, wallet))
        .order_by("id")
        .values_list("id", "reason", "quantity", "expires_on", "reverses_id")
    )
    return [ledger.Entry(*row) for row in rows]


def available(person: Person, place: Place, wallet: str, on: date) -> Decimal:
    """The balance a booking made on `on` can use: without the credits past their last day
    whose expiry the periodic job has not written yet."""
    return ledger.replay(ledger_entries(person, place, wallet)).available(on)


def history(person: Person, place: Place) -> list[CreditEntry]:
    """The person's ledger at the place, newest first (for the portal and the team)."""
    return list(
        CreditEntry.objects.filter(_entries(person, place))
        .select_related("product", "subscription__product")
        .order_by("-created_at", "-id")
    )


def is_member(person: Person, place: Place, on: date) -> bool:
    """True when the person holds, on that day, a membership or a plan at the place — their own
    or one of an organisation they belong to. A pause does not end the membership."""
    return (
        _current_subscriptions(place, on)
        .filter(Q(person=person) | Q(organisation__people=person))
        .exists()
    )


def _current_subscriptions(place: Place, on: date) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        place=place,
        product__kind__in=[Product.Kind.MEMBERSHIP, Product.Kind.PLAN],
        start__lte=on,
    ).filter(Q(end__isnull=True) | Q(end__gte=on))


def active_pass(person: Person, place: Place, on: date) -> Pass | None:
    """The pass that lets the person use the desks that day (the one lasting longest)."""
    return (
        Pass.objects.filter(person=person, place=place, valid_from__lte=on, valid_until__gte=on)
        .order_by("-valid_until", "id")
        .first()
    )


def rate_card(space: Space) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """The space's rates: (audience, unit) → (price excluding tax, tax code)."""
    return {
        (audience, unit): (price, tax_code)
        for audience, unit, price, tax_code in RoomRate.objects.filter(space=space).values_list(
            "audience", "unit", "price_net", "tax_code"
        )
    }


def consumption(place: Place, source: str) -> CreditEntry | None:
    """The latest consumption for a source ("booking:42") that no refund has reversed yet."""
    return (
        CreditEntry.objects.filter(
            place=place,
            source=source,
            reason=CreditEntry.Reason.CONSUME,
            reversed_by__isnull=True,
        )
        .order_by("-id")
        .first()
    )


def charge_for(place: Place, source: str) -> Charge | None:
    """The charge recorded for a source ("booking:42"), invoiced, voided or pending."""
    return Charge.objects.filter(place=place, source=source).first()
