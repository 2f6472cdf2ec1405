"""Subscriptions to memberships and plans: start, pause, cancel with notice.

Who holds it and who pays: a person pays for themself (their own customer); an organisation
pays for its own membership or for one of its people (the organisation's customer). Billing
itself is the bill run's (`members.services.billrun`): monthly plans bill calendar months,
yearly memberships twelve months from their start date.

Cancelling (what Cobot and Nexudus users expect): the subscription runs until the notice has
passed, then to the end of that billing cycle — the calendar month of a monthly plan, the
day before the anniversary of a yearly membership. A subscription that has not started yet
ends on its start day (the model has no empty subscription; the team may credit that day).
The team may waive the notice and end it earlier, but not before the current month.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import Customer
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import day, money
from tierslieux.core.types import Actor
from tierslieux.members.models import Product, Subscription, SubscriptionPause
from tierslieux.members.services import billrun
from tierslieux.members.services.catalogue import cents
from tierslieux.places import access
from tierslieux.places.access import Perm

Period = Product.Period


# --- Pure date arithmetic -------------------------------------------------------------------


def add_years(start: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def month_end(day_: date) -> date:
    return day_.replace(day=calendar.monthrange(day_.year, day_.month)[1])


def cycle_end(period: str, start: date, day_: date) -> date:
    """The last day of the billing cycle that contains `day_`, for a subscription that started
    on `start`: the end of the calendar month (monthly), the day before the next anniversary
    of `start` (yearly)."""
    if period == Period.YEAR:
        years = max(1, day_.year - start.year)
        while add_years(start, years) <= day_:
            years += 1
        while years > 1 and add_years(start, years - 1) > day_:
            years -= 1
        return add_years(start, years) - timedelta(days=1)
    return month_end(day_)


def earliest_end(period: str, start: date, notice_days: int, today: date) -> date:
    """Where a cancellation made `today` ends the subscription: after the notice, at the end
    of that cycle; on its start day when it has not started yet."""
    if start > today:
        return start
    return cycle_end(period, start, max(today + timedelta(days=notice_days), start))


def first_of_month(day_: date) -> date:
    return day_.replace(day=1)


# --- Services -------------------------------------------------------------------------------


def _holder(
    product: Product,
    customer: Customer | None,
    person: Person | None,
    organisation: Organisation | None,
) -> tuple[Customer, Person | None, Organisation | None]:
    """Who holds the subscription and who pays for it (the subscription's stored holder is
    the person when there is one; an organisation paying for them is its customer)."""
    place = product.place
    if person is None and organisation is None:
        if customer is None:
            refuse(_("Say who subscribes: a person or an organisation."), "no_holder")
        person, organisation = customer.person, customer.organisation
        if customer.person_id is not None:
            organisation = None
        if person is None and organisation is None:
            refuse(
                _("Say who subscribes: %(customer)s is neither a person nor an organisation."),
                "no_holder",
                customer=customer.name,
            )
    if product.audience == Product.Audience.ORGANISATION and (
        person is not None or organisation is None
    ):
        refuse(
            _("“%(product)s” is for organisations: an organisation holds it, not a person."),
            "audience_organisation",
            product=product.name,
        )
    if product.audience == Product.Audience.INDIVIDUAL and person is None:
        refuse(
            _("“%(product)s” is for individuals: say which person holds it."),
            "audience_individual",
            product=product.name,
        )
    if person is not None and organisation is not None:
        # The organisation pays for one of its people.
        if not organisation.people.filter(pk=person.pk).exists():
            refuse(
                _("%(person)s is not one of %(organisation)s's people."),
                "not_in_organisation",
                person=str(person),
                organisation=organisation.name,
            )
        if customer is None:
            customer = customer_for_organisation(place, organisation)
        organisation = None
    if customer is None:
        customer = (
            customer_for_person(place, person)
            if person is not None
            else customer_for_organisation(place, organisation)  # type: ignore[arg-type]
        )
    if customer.place_id != place.pk:
        refuse(_("This customer belongs to another place."), "other_place")
    return customer, person, organisation


def agreed_price(product: Product, price_net: Decimal | int | str | None) -> Decimal:
    """The price the buyer pays: the product's, or what they chose (pay what you want: not
    below the minimum)."""
    price = product.price_net if price_net is None else cents(price_net, _("The price"))
    if product.min_price_net is not None and price < product.min_price_net:
        refuse(
            _("The price of “%(product)s” is at least %(minimum)s, not %(price)s."),
            "below_minimum",
            product=product.name,
            minimum=money(product.min_price_net),
            price=money(price),
        )
    return price


def open_subscription(
    *,
    actor: Actor,
    product: Product,
    start: date,
    customer: Customer | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    price_net: Decimal | int | str | None = None,
) -> Subscription:
    """`subscribe` without the access check: for callers that authorised it themselves
    (a member buying their membership in `sales.buy`). Call it inside a transaction."""
    # Subscriptions to one product are serialised on its row: no overlapping twins.
    product = Product.objects.select_for_update().select_related("place").get(pk=product.pk)
    if not product.is_recurring:
        refuse(
            _("Only a membership or a plan is subscribed to; “%(product)s” is bought."),
            "not_recurring",
            product=product.name,
        )
    if not product.active:
        refuse(_("“%(product)s” is no longer on sale."), "inactive", product=product.name)
    customer, person, organisation = _holder(product, customer, person, organisation)
    price = agreed_price(product, price_net)
    holder = {"person": person} if person is not None else {"organisation": organisation}
    clash = (
        Subscription.objects.filter(product=product, **holder)
        .exclude(end__lt=start)
        .order_by("start")
        .first()
    )
    if clash is not None:
        refuse(
            _(
                "%(holder)s already holds “%(product)s” from %(start)s: a subscription to the "
                "same product cannot overlap it."
            ),
            "overlap",
            holder=str(person or organisation),
            product=product.name,
            start=day(clash.start),
        )
    subscription = Subscription.objects.create(
        place=product.place,
        product=product,
        customer=customer,
        person=person,
        organisation=organisation,
        price_net=price,
        start=start,
    )
    audit.record(
        actor=actor,
        action="members.subscription.create",
        obj=subscription,
        place_id=product.place_id,
        changes={
            "product": product.pk,
            "customer": customer.pk,
            "person": person,
            "organisation": organisation,
            "price_net": price,
            "start": start,
        },
    )
    return subscription


@transaction.atomic
def subscribe(
    *,
    actor: Actor,
    product: Product,
    start: date,
    customer: Customer | None = None,
    person: Person | None = None,
    organisation: Organisation | None = None,
    price_net: Decimal | int | str | None = None,
) -> Subscription:
    """Subscribe a person or an organisation to a membership or a plan from `start`.

    The customer defaults to the person's own, or the organisation's; a person with an
    organisation means the organisation pays for them. The price defaults to the product's;
    the team may agree another (pay what you want: not below its minimum)."""
    access.require(actor, product.place, Perm.MANAGE_BILLING)
    subscription = open_subscription(
        actor=actor,
        product=product,
        start=start,
        customer=customer,
        person=person,
        organisation=organisation,
        price_net=price_net,
    )
    # Started in a month already billed: its period there goes to the next run.
    billrun.charge_months_already_run(subscription)
    return subscription


@transaction.atomic
def pause(
    *,
    actor: Actor,
    subscription: Subscription,
    start: date,
    end: date,
    today: date | None = None,
) -> SubscriptionPause:
    """Suspend a subscription from `start` to `end` (inclusive): those days are not billed.
    A pause starts today at the earliest; the team may backdate it within the current month
    (the month not yet billed)."""
    access.require(actor, subscription.place, Perm.MANAGE_BILLING)
    fresh = Subscription.objects.select_for_update().select_related("place").get(pk=subscription.pk)
    today = today or fresh.place.today()
    if end < start:
        refuse(
            _("The pause ends (%(end)s) before it starts (%(start)s)."),
            "pause_order",
            start=day(start),
            end=day(end),
        )
    if start < first_of_month(today):
        refuse(
            _("A pause cannot start before %(first)s: earlier months may be billed already."),
            "pause_past",
            first=day(first_of_month(today)),
        )
    if start < fresh.start or (fresh.end is not None and end > fresh.end):
        refuse(
            _("The pause must fall within the subscription (%(period)s)."),
            "pause_outside",
            period=_("from %(start)s to %(end)s")
            % {"start": day(fresh.start), "end": day(fresh.end)}
            if fresh.end
            else _("from %(start)s") % {"start": day(fresh.start)},
        )
    other = fresh.pauses.filter(start__lte=end, end__gte=start).first()
    if other is not None:
        refuse(
            _("This pause overlaps the pause from %(start)s to %(end)s."),
            "pause_overlap",
            start=day(other.start),
            end=day(other.end),
        )
    paused = SubscriptionPause.objects.create(subscription=fresh, start=start, end=end)
    audit.record(
        actor=actor,
        action="members.subscription.pause",
        obj=fresh,
        place_id=fresh.place_id,
        changes={"pause": paused.pk, "start": start, "end": end},
    )
    return paused


@transaction.atomic
def cancel(
    *,
    actor: Actor,
    subscription: Subscription,
    end: date | None = None,
    today: date | None = None,
) -> Subscription:
    """Cancel a subscription (see the module docstring for where it ends). The member who
    holds it may cancel it, and so may the team; a later `end` than the notice gives is kept
    as is, an earlier one only by the team."""
    fresh = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("place", "product")
        .get(pk=subscription.pk)
    )
    team = access.has_perm(actor, fresh.place, Perm.MANAGE_BILLING)
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    if not team and (person is None or fresh.person_id != person.pk):
        access.require(actor, fresh.place, Perm.MANAGE_BILLING)  # raises PermissionDenied
    if fresh.cancelled_at is not None:
        refuse(
            _("This subscription is already cancelled: it ends on %(end)s."),
            "already_cancelled",
            end=day(fresh.end) if fresh.end else "",
        )
    today = today or fresh.place.today()
    product = fresh.product
    earliest = earliest_end(product.period, fresh.start, product.notice_days, today)
    if end is None:
        end = earliest
    elif end < fresh.start:
        refuse(
            _("A subscription cannot end (%(end)s) before it starts (%(start)s)."),
            "end_before_start",
            end=day(end),
            start=day(fresh.start),
        )
    elif end < earliest and not team:
        refuse(
            _(
                "With %(days)s days' notice, the subscription can end on %(earliest)s at the "
                "earliest."
            ),
            "notice",
            days=product.notice_days,
            earliest=day(earliest),
        )
    elif end < first_of_month(today):
        refuse(
            _("A subscription cannot end before %(first)s: earlier months may be billed already."),
            "end_past",
            first=day(first_of_month(today)),
        )
    fresh.end = end
    fresh.cancelled_at = clock.now()
    fresh.save(update_fields=["end", "cancelled_at"])
    audit.record(
        actor=actor,
        action="members.subscription.cancel",
        obj=fresh,
        place_id=fresh.place_id,
        changes={"end": end, "notice_end": earliest},
    )
    return fresh
