"""The catalogue: a place's products and its room-hire rate card.

Only the team that manages the place's billing writes them. A product is never deleted
once created (subscriptions, passes, credits and invoices refer to it): it is archived, and
what was sold keeps the price it was sold at. Every refusal says what to fix.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing.models import MAX_PRICE, Family
from tierslieux.billing.services.common import check_tax_code, decimal
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import money
from tierslieux.core.types import Actor
from tierslieux.members.models import Product, RoomRate, Wallet
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, Space

Kind = Product.Kind

# Which revenue family and account a product of each kind falls in unless the team says.
DEFAULT_FAMILY = {
    Kind.MEMBERSHIP: Family.MEMBERSHIPS,
    Kind.PLAN: Family.MEMBERSHIPS,
    Kind.PASS: Family.MEMBERSHIPS,
    Kind.PACK: Family.SERVICES,
    Kind.TICKET: Family.SERVICES,
    Kind.SERVICE: Family.SERVICES,
}
MEMBERSHIP_ACCOUNT = "756000"  # cotisations
SALES_ACCOUNT = "706000"  # prestations de services

EDITABLE = frozenset(
    {
        "name",
        "description",
        "active",
        "position",
        "audience",
        "price_net",
        "min_price_net",
        "tax_code",
        "account",
        "family",
        "period",
        "wallet",
        "credits",
        "validity_days",
        "notice_days",
    }
)


def _choice(value: Any, choices: Any, code: str, message: str) -> str:
    if value not in choices.values:
        refuse(message, code, value=value, known=", ".join(v for v in choices.values if v))
    return str(value)


def cents(value: Any, what: str) -> Decimal:
    """A price: a number from zero to `MAX_PRICE`, in cents."""
    if value is None or value == "":
        refuse(_("%(what)s is required."), "required", what=what)
    amount = decimal(value, what)
    if not amount.is_finite():
        refuse(_("%(what)s is not a number: “%(value)s”."), "not_a_number", what=what, value=value)
    if amount < 0:
        refuse(
            _("%(what)s cannot be negative (%(value)s)."), "negative_price", what=what, value=amount
        )
    if amount > MAX_PRICE:
        refuse(
            _("%(what)s cannot exceed %(maximum)s (%(value)s)."),
            "price_too_large",
            what=what,
            maximum=money(MAX_PRICE),
            value=amount,
        )
    if amount != amount.quantize(Decimal("0.01")):
        refuse(_("%(what)s is in cents (“%(value)s”)."), "price_decimals", what=what, value=amount)
    return amount.quantize(Decimal("0.01"))


def _whole(value: Any, what: str, minimum: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or number < minimum:
        refuse(
            _("%(what)s must be a whole number of at least %(minimum)s (“%(value)s”)."),
            "not_whole",
            what=what,
            minimum=minimum,
            value=value,
        )
    return number


def _check(product: Product) -> None:
    """Normalise and check a product's fields in place (nothing saved)."""
    _choice(
        product.kind, Kind, "unknown_kind", _("Unknown kind “%(value)s”; known kinds: %(known)s.")
    )
    product.name = (product.name or "").strip()
    if not product.name:
        refuse(_("A product needs a name."), "no_name")
    product.tax_code = check_tax_code(product.tax_code).code
    product.price_net = cents(product.price_net, _("The price"))
    if product.min_price_net in ("", None):
        product.min_price_net = None
    else:
        product.min_price_net = cents(product.min_price_net, _("The minimum price"))
        if product.min_price_net > product.price_net:
            refuse(
                _("The minimum price (%(minimum)s) cannot exceed the price (%(price)s)."),
                "min_above_price",
                minimum=money(product.min_price_net),
                price=money(product.price_net),
            )
    _choice(
        product.audience,
        Product.Audience,
        "unknown_audience",
        _("Unknown audience “%(value)s”; known audiences: %(known)s."),
    )
    _choice(
        product.family,
        Family,
        "unknown_family",
        _("Unknown revenue family “%(value)s”; known families: %(known)s."),
    )
    product.account = (product.account or "").strip()
    if not (product.account.isdigit() and 3 <= len(product.account) <= 10):
        refuse(
            _("A revenue account is 3 to 10 digits (“%(account)s”)."),
            "account",
            account=product.account,
        )
    product.period = product.period or ""
    _choice(
        product.period,
        Product.Period,
        "unknown_period",
        _("Unknown billing period “%(value)s”; known periods: %(known)s."),
    )
    if product.is_recurring and not product.period:
        refuse(
            _("A membership or a plan is billed monthly or yearly: choose its billing period."),
            "period_required",
        )
    if not product.is_recurring and product.period:
        refuse(
            _("Only memberships and plans have a billing period; this product is sold once."),
            "period_not_recurring",
        )
    _check_credits(product)
    product.validity_days = _whole(product.validity_days, _("The validity"), 1)
    if product.kind == Kind.PASS and product.validity_days is None:
        refuse(_("A pass needs the number of days it is valid for."), "validity_required")
    product.notice_days = _whole(product.notice_days, _("The notice"), 0) or 0
    product.position = _whole(product.position, _("The position"), 0) or 0


def _check_credits(product: Product) -> None:
    product.wallet = product.wallet or ""
    if product.wallet:
        _choice(
            product.wallet,
            Wallet,
            "unknown_wallet",
            _("Unknown wallet “%(value)s”; known wallets: %(known)s."),
        )
    if product.credits in ("", None):
        product.credits = None
    else:
        credits = decimal(product.credits, _("The credits"))
        if not credits.is_finite() or credits <= 0 or credits != credits.quantize(Decimal("0.01")):
            refuse(
                _("The credits are a positive number with at most 2 decimals (“%(value)s”)."),
                "credits_not_positive",
                value=credits,
            )
        product.credits = credits
    if product.wallet and product.credits is None:
        refuse(_("Say how many credits the product gives in its wallet."), "credits_required")
    if product.credits is not None and not product.wallet:
        refuse(_("Say which wallet the credits go to."), "wallet_required")
    if product.kind == Kind.PACK and product.credits is None:
        refuse(_("A pack of credits needs its credits and their wallet."), "pack_without_credits")


@transaction.atomic
def create_product(
    *,
    actor: Actor,
    place: Place,
    kind: str,
    name: str,
    price_net: Decimal | int | str,
    tax_code: str,
    **fields: Any,
) -> Product:
    """A new product on sale. Unless given, the revenue family follows the kind (memberships,
    plans and passes: memberships; the rest: services) and the account too (membership fees:
    756000, the rest: 706000)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"create_product() got unknown fields {sorted(unknown)}")
    access.require(actor, place, Perm.MANAGE_BILLING)
    fields.setdefault("family", DEFAULT_FAMILY.get(kind, Family.SERVICES))  # type: ignore[call-overload]
    fields.setdefault("account", MEMBERSHIP_ACCOUNT if kind == Kind.MEMBERSHIP else SALES_ACCOUNT)
    product = Product(
        place=place, kind=kind, name=name, price_net=price_net, tax_code=tax_code, **fields
    )
    _check(product)
    product.save()
    audit.record(
        actor=actor,
        action="members.product.create",
        obj=product,
        place_id=place.pk,
        changes={"kind": product.kind, "name": product.name, "price_net": product.price_net},
    )
    return product


@transaction.atomic
def update_product(*, actor: Actor, product: Product, **changes: Any) -> Product:
    """Change a product. What was already sold keeps its price (a subscription keeps its
    agreed price). Its kind and place never change: create another product instead."""
    if "kind" in changes and changes["kind"] != product.kind:
        refuse(
            _("A product's kind cannot change; create a new product and archive this one."),
            "kind_fixed",
        )
    changes.pop("kind", None)
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"update_product() cannot change {sorted(unknown)}")
    access.require(actor, product.place, Perm.MANAGE_BILLING)
    fresh = Product.objects.select_for_update().select_related("place").get(pk=product.pk)
    for field, value in changes.items():
        setattr(fresh, field, value)
    _check(fresh)
    fresh.save()
    audit.record(
        actor=actor,
        action="members.product.update",
        obj=fresh,
        place_id=fresh.place_id,
        changes={field: getattr(fresh, field) for field in changes},
    )
    return fresh


@transaction.atomic
def archive_product(*, actor: Actor, product: Product) -> Product:
    """Take a product off sale (its subscriptions go on; `update_product(active=True)` puts it
    back). Archiving an archived product changes nothing."""
    access.require(actor, product.place, Perm.MANAGE_BILLING)
    fresh = Product.objects.select_for_update().get(pk=product.pk)
    if fresh.active:
        fresh.active = False
        fresh.save(update_fields=["active"])
        audit.record(
            actor=actor,
            action="members.product.archive",
            obj=fresh,
            place_id=fresh.place_id,
            changes={"active": False},
        )
    return fresh


@transaction.atomic
def set_room_rate(
    *,
    actor: Actor,
    space: Space,
    audience: str,
    unit: str,
    price_net: Decimal | int | str,
    tax_code: str,
    place: Place | None = None,
) -> RoomRate:
    """Set the price of a space per hour, half-day or day for one kind of customer (the rate
    is created, or updated when it exists). `place`, when given (the page's place), must be
    the space's. Bookings already made keep their price."""
    if place is not None and space.place_id != place.pk:
        refuse(_("The space “%(space)s” belongs to another place."), "other_place", space=space)
    access.require(actor, space.place, Perm.MANAGE_BILLING)
    _choice(
        audience,
        RoomRate.Audience,
        "unknown_audience",
        _("Unknown customer class “%(value)s”; known classes: %(known)s."),
    )
    _choice(unit, RoomRate.Unit, "unknown_unit", _("Unknown unit “%(value)s”; known: %(known)s."))
    price = cents(price_net, _("The price"))
    code = check_tax_code(tax_code).code
    rate = (
        RoomRate.objects.select_for_update()
        .filter(space=space, audience=audience, unit=unit)
        .first()
    )
    created = rate is None
    if rate is None:
        rate = RoomRate(place_id=space.place_id, space=space, audience=audience, unit=unit)
    rate.price_net, rate.tax_code = price, code
    rate.save()
    audit.record(
        actor=actor,
        action="members.room_rate.create" if created else "members.room_rate.update",
        obj=rate,
        place_id=space.place_id,
        changes={
            "space": space.pk,
            "audience": audience,
            "unit": unit,
            "price_net": price,
            "tax_code": code,
        },
    )
    return rate


@transaction.atomic
def delete_room_rate(*, actor: Actor, rate: RoomRate) -> None:
    """Remove a rate: the space is no longer priced for that customer class and unit
    (bookings already made keep their price)."""
    access.require(actor, rate.place, Perm.MANAGE_BILLING)
    audit.record(
        actor=actor,
        action="members.room_rate.delete",
        obj=rate,
        place_id=rate.place_id,
        changes={"space": rate.space_id, "audience": rate.audience, "unit": rate.unit},
    )
    rate.delete()
