"""One-off purchases, invoiced at once: passes, packs of credits, tickets, services, and a
yearly membership paid up front.

A member buys for themself from the portal (no billing permission needed, only a role at
the place); the team sells to anyone and may record the payment on the spot. Each sale is
one transaction: the invoice is issued with its number, and what was bought (a pass, the
credits, the subscription) exists exactly when the invoice does.

A membership bought this way is invoiced for its first year here, and that year's charge is
recorded as already invoiced (`Charge.source` "subscription:<id>:<period start>"), so the
bill run, which looks that source up, does not bill the year again. Monthly products
(plans) are billed by the bill run: the team subscribes members to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.services import LineInput, issue_sale, record_payment
from tierslieux.billing.services.customers import customer_for_person
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import day, money
from tierslieux.core.types import Actor
from tierslieux.members.models import Charge, CreditEntry, Pass, Product, Subscription
from tierslieux.members.services import credits as credit_services
from tierslieux.members.services.subscriptions import agreed_price, cycle_end, open_subscription
from tierslieux.places import access
from tierslieux.places.access import Perm

Kind = Product.Kind


@dataclass(frozen=True)
class Sale:
    """What a purchase made: always an issued invoice, and what it paid for."""

    invoice: Invoice
    pass_: Pass | None = None
    credit: CreditEntry | None = None
    subscription: Subscription | None = None


def _quantity(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or number < 1:
        refuse(
            _("The quantity is a whole number of at least 1 (“%(quantity)s”)."),
            "quantity",
            quantity=value,
        )
    return number


def _own_purchase(
    actor: Actor,
    place: Any,
    person: Person | None,
    customer: Customer | None,
    method: str | None,
    issue_date: date | None,
) -> Person:
    """A member buying without the billing permission: for themself only, at their place."""
    own = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    if own is None or not access.place_roles(actor, place):
        raise PermissionDenied(_("Only the people of this place can buy here."))
    if person is not None and person.pk != own.pk:
        raise PermissionDenied(_("You can buy only for yourself."))
    if customer is not None and (customer.person_id != own.pk or customer.organisation_id):
        raise PermissionDenied(_("You can buy only for yourself."))
    if method is not None:
        raise PermissionDenied(_("Only the team records payments."))
    if issue_date is not None:
        raise PermissionDenied(_("Only the team dates invoices."))
    return own


def _buyer(
    product: Product, person: Person | None, customer: Customer | None
) -> tuple[Customer, Person | None]:
    place = product.place
    if customer is None:
        if person is None:
            refuse(_("Say who buys: a person or a customer."), "no_buyer")
        customer = customer_for_person(place, person)
    if customer.place_id != place.pk:
        refuse(_("This customer belongs to another place."), "other_place")
    if person is None:
        person = customer.person
    needs_person = product.kind in (Kind.PASS, Kind.PACK) or bool(product.wallet)
    if needs_person and person is None:
        refuse(
            _("“%(product)s” is used by a person: say who (%(customer)s pays for them)."),
            "person_required",
            product=product.name,
            customer=customer.name,
        )
    return customer, person


def _period_text(start: date, end: date) -> str:
    if start == end:
        return day(start)
    return _("%(start)s to %(end)s") % {"start": day(start), "end": day(end)}


def _line(product: Product, quantity: int, price: Decimal, text: str) -> LineInput:
    return LineInput(
        description=f"{product.name} — {text}" if text else product.name,
        quantity=quantity,
        unit_price_net=price,
        tax_code=product.tax_code,
        account=product.account,
        family=product.family,
    )


def _check(product: Product, team: bool, price_net: Any, quantity: int) -> Decimal:
    if not product.active:
        refuse(_("“%(product)s” is no longer on sale."), "inactive", product=product.name)
    if product.is_recurring and product.period != Product.Period.YEAR:
        refuse(
            _(
                "“%(product)s” is billed each month by the bill run: subscribe to it instead "
                "of buying it."
            ),
            "monthly",
            product=product.name,
        )
    if product.is_recurring and quantity != 1:
        refuse(_("A membership is bought once."), "quantity_one")
    price = agreed_price(product, price_net)
    if not team and product.min_price_net is None and price != product.price_net:
        refuse(
            _("The price of “%(product)s” is %(price)s."),
            "fixed_price",
            product=product.name,
            price=money(product.price_net),
        )
    return price


def check_purchase(
    *, actor: Actor, product: Product, price_net: Decimal | int | str | None = None
) -> Decimal:
    """The price a purchase of `product` would be made at, checked as `buy` checks it, with
    nothing written: what the portal shows on its confirmation step."""
    team = access.has_perm(actor, product.place, Perm.MANAGE_BILLING)
    return _check(product, team, price_net, 1)


@transaction.atomic
def buy(
    *,
    actor: Actor,
    product: Product,
    person: Person | None = None,
    customer: Customer | None = None,
    price_net: Decimal | int | str | None = None,
    quantity: int = 1,
    start: date | None = None,
    payment_method: str | None = None,
    issue_date: date | None = None,
) -> Sale:
    """Buy `quantity` of a product and invoice it at once.

    A pass is valid from `start` (default today, in the place's time zone) for its validity
    (n passes: n validities in a row); a pack gives its credits, valid from `start` for its
    validity; a yearly membership starts on `start` and its first year is invoiced now.
    A member buys for themself at the product's price (pay what you want: from its minimum);
    the team sells to any person or customer, at any price, and may record a payment."""
    product = Product.objects.select_related("place").get(pk=product.pk)
    place = product.place
    team = access.has_perm(actor, place, Perm.MANAGE_BILLING)
    if not team:
        person = _own_purchase(actor, place, person, customer, payment_method, issue_date)
    count = _quantity(quantity)
    price = _check(product, team, price_net, count)
    customer, person = _buyer(product, person, customer)
    today = place.today()
    start = start or today
    if not team and start < today:
        refuse(_("A purchase cannot start in the past (%(start)s)."), "past", start=day(start))
    # Lock order of the billing services: the customer's row, then the invoice sequence.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()

    sale = _sell(actor, product, customer, person, price, count, start, issue_date)
    if payment_method is not None and sale.invoice.total_gross > 0:
        record_payment(
            actor=actor,
            customer=customer,
            amount=sale.invoice.total_gross,
            method=payment_method,
            date=sale.invoice.issue_date or today,
            allocations=[(sale.invoice, sale.invoice.total_gross)],
        )
    return sale


def _sell(
    actor: Actor,
    product: Product,
    customer: Customer,
    person: Person | None,
    price: Decimal,
    count: int,
    start: date,
    issue_date: date | None,
) -> Sale:
    place = product.place
    if product.is_recurring:
        return _sell_membership(actor, product, customer, person, price, start, issue_date)
    end = start
    if product.kind == Kind.PASS:
        end = start + timedelta(days=(product.validity_days or 1) * count - 1)
    expires_on = None
    if product.wallet and product.validity_days:
        expires_on = start + timedelta(days=product.validity_days - 1)
    with translation.override(customer.language):
        if product.kind == Kind.PASS:
            text = _period_text(start, end)
        elif expires_on is not None:
            text = _("valid until %(date)s") % {"date": day(expires_on)}
        else:
            text = ""
        line = _line(product, count, price, text)
    invoice = issue_sale(
        actor=actor,
        customer=customer,
        lines=[line],
        service_start=start,
        service_end=end,
        issue_date=issue_date,
    )
    pass_ = credit = None
    if product.kind == Kind.PASS:
        assert person is not None  # checked by _buyer
        pass_ = Pass.objects.create(
            place=place,
            person=person,
            product=product,
            valid_from=start,
            valid_until=end,
            invoice=invoice,
        )
    if product.wallet and product.credits:
        assert person is not None
        credit = credit_services.add_purchase(
            person=person,
            place=place,
            wallet=product.wallet,
            quantity=product.credits * count,
            product=product,
            expires_on=expires_on,
            actor=actor,
        )
    return Sale(invoice=invoice, pass_=pass_, credit=credit)


def _sell_membership(
    actor: Actor,
    product: Product,
    customer: Customer,
    person: Person | None,
    price: Decimal,
    start: date,
    issue_date: date | None,
) -> Sale:
    """The subscription, the invoice of its first year, and that year's charge marked as
    invoiced so the bill run skips it."""
    subscription = open_subscription(
        actor=actor, product=product, start=start, customer=customer, person=person, price_net=price
    )
    end = cycle_end(product.period, start, start)
    with translation.override(customer.language):
        line = _line(product, 1, price, _period_text(start, end))
    invoice = issue_sale(
        actor=actor,
        customer=customer,
        lines=[line],
        service_start=start,
        service_end=end,
        issue_date=issue_date,
    )
    Charge.objects.create(
        place=product.place,
        customer=customer,
        person=subscription.person,
        description=line.description,
        quantity=Decimal(1),
        unit_price_net=price,
        tax_code=product.tax_code,
        account=product.account,
        family=product.family,
        service_date=start,
        service_end=end,
        source=f"subscription:{subscription.pk}:{start.isoformat()}",
        subscription=subscription,
        invoice_line=invoice.lines.get(position=1),
    )
    credit = None
    if product.wallet and subscription.person_id is not None:
        credit = credit_services.grant_cycle(
            subscription=subscription, period_start=start, period_end=end
        )
    return Sale(invoice=invoice, subscription=subscription, credit=credit)
