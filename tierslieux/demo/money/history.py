"""The money history of a demo place, through the services: subscriptions, room hire, the
bill runs, sales, payments, fundings and this month's allowances (see ``money/__init__.py``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Max

from tierslieux.accounts.models import Person, User
from tierslieux.billing.models import Customer, Funding, Invoice
from tierslieux.billing.services import record_payment
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.demo.money import reference
from tierslieux.demo.money.cast import Cast
from tierslieux.demo.money.reference import ROOM_KINDS, Writer
from tierslieux.members.models import BillRun, Charge, Product, RoomRate, Subscription
from tierslieux.members.services import billrun, charges, credits, sales, subscriptions
from tierslieux.places.models import Place

MONTHS = 3


class Clock:
    """Issue dates for one place: never before its last issued invoice (numbers follow
    dates), never after today."""

    def __init__(self, place: Place, today: date) -> None:
        last = Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED).aggregate(
            last=Max("issue_date")
        )["last"]
        self.last = last or date.min
        self.today = today

    def on(self, day: date) -> date:
        self.last = max(day, self.last)
        return min(self.last, self.today)


def _subscribe(actor: User, product: Product, start: date, **holder: Any) -> Subscription | None:
    key = {k: v for k, v in holder.items() if k in ("person", "organisation")}
    if "organisation" in key and "person" in key:
        key = {"person": key["person"]}  # an organisation paying for one of its people
    if Subscription.objects.filter(product=product, **key).exists():
        return None
    return subscriptions.subscribe(actor=actor, product=product, start=start, **holder)


def _subscriptions(w: Writer, cast: Cast, products: dict[str, Product], start: date) -> None:
    actor = cast.coordinator
    membership = products["Adhésion individuelle"]
    wanted: list[tuple[Product, dict[str, Any]]] = [
        (membership, {"person": cast.member_a}),
        (products["Coworking résident"], {"person": cast.member_a}),
        (membership, {"person": cast.member_b, "price_net": Decimal("10.00")}),  # solidarity
        (products["Coworking nomade"], {"person": cast.member_b, "organisation": cast.payer}),
        (membership, {"person": cast.volunteer}),
        (products["Adhésion structure"], {"organisation": cast.association}),
    ]
    if cast.login is not None:
        wanted += [
            (membership, {"person": cast.login}),
            (products["Coworking résident"], {"person": cast.login}),
        ]
    for product, holder in wanted:
        if _subscribe(actor, product, start, **holder) is not None:
            w.created += 1
    place = membership.place
    reference.mandate(w, customer_for_person(place, cast.member_a), start)
    if cast.login is not None:
        reference.mandate(w, customer_for_person(place, cast.login), start)


def _room_hire(place: Place, cast: Cast, town_hall: Customer, month: date) -> None:
    """A public meeting the town hall holds, an association's workshop: billed by the run."""
    room = place.spaces.filter(kind__in=list(ROOM_KINDS)).order_by("-kind", "slug").first()
    if room is None:
        return
    rates = {(r.audience, r.unit): r for r in RoomRate.objects.filter(space=room)}
    association = customer_for_organisation(place, cast.association)
    for customer, audience, unit, day, what in (
        (town_hall, "public_body", "half_day", 7, "réunion publique"),
        (association, "association", "half_day", 12, "atelier"),
    ):
        rate = rates[audience, unit]
        source = f"demo:room:{month:%Y-%m}:{audience}"
        if Charge.objects.filter(place=place, source=source).exists():
            continue
        charges.record_charge(
            place=place,
            customer=customer,
            description=f"Location {room.name} ({rate.get_unit_display().lower()}) — {what}",
            quantity=Decimal(1),
            unit_price_net=rate.price_net,
            tax_code=rate.tax_code,
            service_date=month + timedelta(days=day),
            source=source,
            actor=cast.coordinator,
        )


def _pay_run(run: BillRun, cast: Cast, month: date, unpaid_every: int) -> int:
    """Most of the run's invoices are paid on the 10th (direct debit under a mandate)."""
    paid = 0
    for index, invoice in enumerate(run.invoices.select_related("customer").order_by("number")):
        if index % unpaid_every == unpaid_every - 1 or invoice.total_gross <= 0:
            continue
        customer = invoice.customer
        method = ("transfer", "card")[index % 2]
        if customer.sepa_mandate_reference:
            method = "sepa_debit"
        record_payment(
            actor=cast.coordinator,
            customer=customer,
            amount=invoice.total_gross,
            method=method,
            date=month + timedelta(days=9),
            reference=f"{run.month:%Y-%m}-{invoice.number}",
            allocations=[(invoice, invoice.total_gross)],
        )
        paid += 1
    return paid


def _sales(cast: Cast, products: dict[str, Product], month: date, clock: Clock, last: bool) -> int:
    """Passes, packs, tickets and meals sold over the counter during the month."""
    plan: list[tuple[int, str, Person, int, str | None]] = [
        (4, "Pass journée", cast.volunteer, 1, "card"),
        (11, "Pass semaine", cast.member_a, 1, None if last else "card"),
        (18, "Billet événement", cast.volunteer, 3, "cash"),
        (20, "Repas à la cantine", cast.member_b, 8, "cash"),
    ]
    if month.month % 3 == 0:
        plan.append((8, "Carnet de 10 journées", cast.member_b, 1, "transfer"))
    if last:
        plan.append((6, "Pack 10 h machines", cast.login or cast.member_a, 1, "card"))
        plan.append((14, "Pass mois", cast.volunteer, 1, None))
    for day, name, person, quantity, method in sorted(plan, key=lambda row: row[0]):
        when = clock.on(month + timedelta(days=day))
        sales.buy(
            actor=cast.coordinator,
            product=products[name],
            person=person,
            quantity=quantity,
            start=when,
            payment_method=method,
            issue_date=when,
        )
    return len(plan)


def _fundings(w: Writer, place: Place, months: list[date]) -> None:
    """A local authority's agreement, a regional grant and a sponsorship: written once."""
    if Funding.objects.filter(place=place).exists():
        return
    rows = [
        (f"Ville de {place.commune}", True, "Convention d'objectifs", "500.00", months[1], 14),
        ("Conseil régional", True, "Subvention de fonctionnement", "250.00", months[2], 9),
        ("Fondation des territoires", False, "Mécénat", "450.00", months[0], 19),
    ]
    for funder, public, description, amount, month, day in rows:
        w.upsert(
            Funding,
            {"place": place, "funder": funder, "description": description},
            {
                "public": public,
                "amount": Decimal(amount),
                "received_on": month + timedelta(days=day),
                "family": "partnerships",
            },
        )


def load_place_money(w: Writer, place: Place, cast: Cast | None) -> None:
    reference.profile(w, place)
    products = reference.catalogue(w, place)
    town_hall = reference.town_hall(w, place)
    if cast is None:
        return
    today = place.today()
    current = today.replace(day=1)
    months = [current - relativedelta(months=n) for n in range(MONTHS, 0, -1)]
    _subscriptions(w, cast, products, months[0])
    _fundings(w, place, months)
    clock = Clock(place, today)
    for month in months:
        if BillRun.objects.filter(place=place, month=month).exists():
            continue
        _room_hire(place, cast, town_hall, month)
        run = billrun.confirm(
            actor=cast.coordinator, place=place, month=month, issue_date=clock.on(month)
        )
        last = month == months[-1]
        w.created += 1 + run.invoice_count
        w.created += _pay_run(run, cast, month, unpaid_every=3 if last else 5)
        w.created += _sales(cast, products, month, clock, last)
    w.created += _current_allowances(place, current)
    w.created += credits.expire_due(today=today, place=place)


def _current_allowances(place: Place, month: date) -> int:
    """This month's plan allowances, as the month's bill run will grant them (`grant_cycle`
    is idempotent per cycle): the members can book with their hours before the run."""
    granted = 0
    rows = (
        Subscription.objects.filter(
            place=place, product__kind=Product.Kind.PLAN, person__isnull=False, start__lte=month
        )
        .exclude(product__wallet="")
        .exclude(end__lt=month)
        .select_related("product")
    )
    for subscription in rows:
        if not subscription.credits.filter(period_start=month).exists():
            end = month + relativedelta(months=1) - timedelta(days=1)
            if credits.grant_cycle(subscription=subscription, period_start=month, period_end=end):
                granted += 1
    return granted
