"""The credit ledger's writes: grants, purchases, consumptions, refunds, expiries, adjustments.

Every entry is appended, never changed (the model refuses). Writes to one person's credits
are serialised by locking the person's row, so that two bookings made at once cannot both
spend the last credit. Which lot a consumption uses and what expires is decided by the pure
`members.ledger` (first to expire, first used); retried jobs cannot count twice: a grant per
cycle, a refund per consumption and an expiry per lot are unique in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.members import ledger, queries
from tierslieux.members.models import (
    CreditEntry,
    Product,
    Subscription,
    SubscriptionPause,
    Wallet,
)
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

Reason = CreditEntry.Reason
CENT = Decimal("0.01")
CHUNK = 5000  # ids per IN (…) list, well under SQLite's limit of bound parameters


def _lock(person: Person) -> None:
    """Serialise the writes to one person's credits (a no-op on SQLite, whose IMMEDIATE
    transactions already serialise writers)."""
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk"))


def _quantity(value: Any) -> Decimal:
    quantity = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if quantity != quantity.quantize(CENT):
        refuse(
            _("A quantity of credits has at most 2 decimals (“%(quantity)s”)."),
            "quantity_decimals",
            quantity=quantity,
        )
    return quantity


def _wallet(value: str) -> str:
    if value not in Wallet.values:
        refuse(
            _("Unknown wallet “%(wallet)s”; known wallets: %(known)s."),
            "unknown_wallet",
            wallet=value,
            known=", ".join(Wallet.values),
        )
    return value


def _covered(pauses: Iterable[tuple[date, date]], start: date, end: date) -> bool:
    """True when the pauses (possibly several, overlapping) cover every day of start–end."""
    covered_until = start - timedelta(days=1)
    for pause_start, pause_end in sorted(pauses):
        if pause_end < start or pause_start > end:
            continue
        if pause_start > covered_until + timedelta(days=1):
            return False
        covered_until = max(covered_until, pause_end)
        if covered_until >= end:
            return True
    return covered_until >= end


def _grants_credits(subscription: Subscription) -> bool:
    product: Product = subscription.product
    return bool(product.wallet and product.credits and subscription.person_id is not None)


def _allowance(subscription: Subscription, period_start: date, period_end: date) -> CreditEntry:
    """The (unsaved) entry granting a plan's allowance for one cycle: what `grant_cycle` and
    `grant_cycles` write, the only place that builds it.

    The allowance is `product.credits` whole, never prorated (a plan started mid-month gets
    its full allowance for the month: simpler to explain, and the price is prorated instead),
    and it expires at the end of the cycle (`expires_on = period_end`: allowances do not roll
    over)."""
    held: Any = subscription  # one that grants credits: a holder, a wallet, credits
    product = held.product
    return CreditEntry(
        place_id=held.place_id,
        person_id=held.person_id,
        wallet=product.wallet,
        quantity=product.credits,
        reason=Reason.GRANT,
        expires_on=period_end,
        subscription=subscription,
        period_start=period_start,
        product=product,
    )


def _grant_of(subscription: Subscription, period_start: date) -> CreditEntry | None:
    return CreditEntry.objects.filter(
        reason=Reason.GRANT, subscription=subscription, period_start=period_start
    ).first()


@transaction.atomic
def grant_cycle(
    *, subscription: Subscription, period_start: date, period_end: date
) -> CreditEntry | None:
    """Grant a plan's allowance for one cycle (`_allowance`), once (idempotent: a second
    call, even racing the first, returns the existing grant). None when the product grants
    no credits, when nobody holds the subscription (an organisation's plan naming no person)
    or when pauses cover the whole period."""
    if not _grants_credits(subscription):
        return None
    existing = _grant_of(subscription, period_start)
    if existing is not None:
        return existing
    pauses = subscription.pauses.filter(end__gte=period_start, start__lte=period_end)
    if _covered(pauses.values_list("start", "end"), period_start, period_end):
        return None
    entry = _allowance(subscription, period_start, period_end)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a concurrent run granted it first
        existing = _grant_of(subscription, period_start)
        if existing is None:
            raise
        return existing
    _record(None, "credits.grant", entry)
    return entry


@dataclass(frozen=True)
class Cycle:
    """One cycle of a subscription whose allowance `grant_cycles` grants."""

    subscription: Subscription
    start: date
    end: date


@transaction.atomic
def grant_cycles(cycles: Iterable[Cycle]) -> list[CreditEntry]:
    """Grant many cycles' allowances at once (the bill run): the very entries `grant_cycle`
    would grant one by one, with the same rules (no credits, no holder, wholly paused,
    granted already: nothing), in a handful of statements whatever their number — one query
    per 5,000 subscriptions for their grants and pauses, one insert per 1,000 entries, their
    audit entries likewise. Returns the entries written."""
    wanted = [c for c in cycles if _grants_credits(c.subscription)]
    ids = sorted({c.subscription.pk for c in wanted})
    granted: set[tuple[int, date | None]] = set()
    pauses: dict[int, list[tuple[date, date]]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        granted.update(
            CreditEntry.objects.filter(reason=Reason.GRANT, subscription_id__in=chunk).values_list(
                "subscription_id", "period_start"
            )
        )
        for held, pause_start, pause_end in SubscriptionPause.objects.filter(
            subscription_id__in=chunk
        ).values_list("subscription_id", "start", "end"):
            pauses.setdefault(held, []).append((pause_start, pause_end))
    entries, seen = [], set()
    for cycle in wanted:
        key = (cycle.subscription.pk, cycle.start)
        if key in granted or key in seen:
            continue
        if _covered(pauses.get(cycle.subscription.pk, []), cycle.start, cycle.end):
            continue
        seen.add(key)
        entries.append(_allowance(cycle.subscription, cycle.start, cycle.end))
    CreditEntry.objects.bulk_create(entries, batch_size=1000)
    audit.record_many(
        actor=None,
        entries=[
            audit.Change("credits.grant", entry, entry.place_id, _changes(entry))
            for entry in entries
        ],
    )
    return entries


@transaction.atomic
def add_purchase(
    *,
    person: Person,
    place: Place,
    wallet: str,
    quantity: Decimal | int | str,
    product: Product | None = None,
    expires_on: date | None = None,
    actor: Actor | None = None,
) -> CreditEntry:
    """Credits bought (a pack, a book of passes). The caller authorised the sale."""
    quantity = _quantity(quantity)
    if quantity <= 0:
        refuse(
            _("A purchase adds credits: the quantity must be positive, not %(quantity)s."),
            "not_positive",
            quantity=quantity,
        )
    _lock(person)
    entry = CreditEntry.objects.create(
        place=place,
        person=person,
        wallet=_wallet(wallet),
        quantity=quantity,
        reason=Reason.PURCHASE,
        expires_on=expires_on,
        product=product,
        created_by=_user(actor),
    )
    _record(actor, "credits.purchase", entry)
    return entry


@transaction.atomic
def consume(
    *,
    person: Person,
    place: Place,
    wallet: str,
    quantity: Decimal | int | str,
    source: str,
    actor: Actor | None = None,
) -> CreditEntry:
    """Spend credits (a booking). Credits past their last day expire first; the balance never
    goes below zero: asking for more than is left is refused with the balance."""
    quantity = _quantity(quantity)
    if quantity <= 0:
        refuse(
            _("Credits used must be positive, not %(quantity)s."), "not_positive", quantity=quantity
        )
    _lock(person)
    _expire_person(person, place, _wallet(wallet), place.today())
    left = queries.balance(person, place, wallet)
    if quantity > left:
        refuse(
            _("Not enough credits: %(needed)s needed, %(balance)s left in “%(wallet)s”."),
            "not_enough_credits",
            needed=quantity,
            balance=left,
            wallet=Wallet(wallet).label,
        )
    entry = CreditEntry.objects.create(
        place=place,
        person=person,
        wallet=wallet,
        quantity=-quantity,
        reason=Reason.CONSUME,
        source=source,
        created_by=_user(actor),
    )
    _record(actor, "credits.consume", entry)
    return entry


@transaction.atomic
def refund(*, consumption: CreditEntry, actor: Actor | None = None) -> CreditEntry:
    """Give a consumption back (a booking cancelled in time), once: a second call returns the
    first refund. The credits go back to the lots they came from (`members.ledger`); those
    whose lot has expired meanwhile expire at once."""
    if consumption.reason != Reason.CONSUME:
        refuse(
            _("Only a consumption of credits can be refunded, not “%(reason)s”."),
            "not_a_consumption",
            reason=consumption.get_reason_display(),
        )
    existing = CreditEntry.objects.filter(reverses=consumption).first()
    if existing is not None:
        return existing
    person = consumption.person
    _lock(person)
    try:
        with transaction.atomic():
            entry = CreditEntry.objects.create(
                place_id=consumption.place_id,
                person=person,
                wallet=consumption.wallet,
                quantity=-consumption.quantity,
                reason=Reason.REFUND,
                reverses=consumption,
                source=consumption.source,
                created_by=_user(actor),
            )
    except IntegrityError:  # refunded concurrently
        return CreditEntry.objects.get(reverses=consumption)
    _record(actor, "credits.refund", entry)
    place = consumption.place
    _expire_person(person, place, consumption.wallet, place.today())
    return entry


def expire_due(*, today: date, place: Place | None = None) -> int:
    """Write the expiry of every lot past its last day (before `today`); returns how many
    entries were written. Idempotent: an expired lot is closed, and an expiry per lot is
    unique in the database. One transaction per person and wallet."""
    lots = CreditEntry.objects.filter(
        Q(reason__in=[Reason.GRANT, Reason.PURCHASE]) | Q(reason=Reason.ADJUST, quantity__gt=0),
        expires_on__lt=today,
        reversed_by__isnull=True,
    )
    if place is not None:
        lots = lots.filter(place=place)
    holders = set(lots.values_list("person_id", "place_id", "wallet").distinct().order_by())
    # Only a positive balance has anything left to expire: the lots used up long ago are
    # not replayed again every day.
    positive = (
        CreditEntry.objects.filter(person_id__in={h[0] for h in holders})
        .values("person_id", "place_id", "wallet")
        .annotate(total=Sum("quantity"))
        .filter(total__gt=0)
        .values_list("person_id", "place_id", "wallet")
        .order_by()
    )
    written = 0
    for person_id, place_id, wallet in sorted(holders & set(positive)):
        with transaction.atomic():
            person = Person.objects.get(pk=person_id)
            _lock(person)
            written += _expire_person(person, Place(pk=place_id), wallet, today)
    return written


def _expire_person(person: Person, place: Place, wallet: str, today: date) -> int:
    """Expire what is due in one wallet (the caller holds the person's lock)."""
    state = ledger.replay(queries.ledger_entries(person, place, wallet))
    written = 0
    for due in state.due(today):
        try:
            with transaction.atomic():
                entry = CreditEntry.objects.create(
                    place_id=place.pk,
                    person=person,
                    wallet=wallet,
                    quantity=due.quantity,
                    reason=Reason.EXPIRE,
                    reverses_id=due.reverses,
                    expires_on=due.expires_on,
                )
        except IntegrityError:  # expired concurrently
            continue
        _record(None, "credits.expire", entry)
        written += 1
    return written


@transaction.atomic
def adjust(
    *,
    actor: Actor,
    person: Person,
    place: Place,
    wallet: str,
    quantity: Decimal | int | str,
    note: str,
) -> CreditEntry:
    """The team adds (a gesture, a correction) or removes credits, saying why. Removing more
    than is left is refused: the balance never goes below zero."""
    access.require(actor, place, Perm.MANAGE_BILLING)
    quantity = _quantity(quantity)
    wallet = _wallet(wallet)
    if quantity == 0:
        refuse(_("An adjustment of zero credits changes nothing."), "zero")
    if not note.strip():
        refuse(_("Say why the credits are adjusted: the note is required."), "note_required")
    _lock(person)
    if quantity < 0:
        _expire_person(person, place, wallet, place.today())
        left = queries.balance(person, place, wallet)
        if -quantity > left:
            refuse(
                _("Cannot remove %(quantity)s credits: only %(balance)s left in “%(wallet)s”."),
                "not_enough_credits",
                quantity=-quantity,
                balance=left,
                wallet=Wallet(wallet).label,
            )
    entry = CreditEntry.objects.create(
        place=place,
        person=person,
        wallet=wallet,
        quantity=quantity,
        reason=Reason.ADJUST,
        note=note.strip()[:200],
        created_by=_user(actor),
    )
    _record(actor, "credits.adjust", entry)
    return entry


def _user(actor: Actor | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _changes(entry: CreditEntry) -> dict[str, Any]:
    return {
        "person": entry.person_id,
        "wallet": entry.wallet,
        "quantity": entry.quantity,
        "source": entry.source,
        "reverses": entry.reverses_id,
    }


def _record(actor: Actor | None, action: str, entry: CreditEntry) -> None:
    audit.record(
        actor=actor, action=action, obj=entry, place_id=entry.place_id, changes=_changes(entry)
    )
