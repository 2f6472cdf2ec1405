"""The monthly bill run: preview a month, confirm it once, and the SEPA file of a run.

A run for month M invoices every subscription period due in M (`members.cycles`) not yet
charged, and every pending charge dated in M or before, one invoice per customer, issued
together (`billing.services.issue_batch`): all the invoices or none. Confirming takes the
place's invoice sequence lock first, so two confirmations of one place wait for each other;
the second then finds the month's `BillRun` and is refused, and the unique constraint on
(place, month) backs this if anything bypassed the lock. The preview reads the same plan
with a handful of queries whatever the number of members. See docs/algorithms/billrun.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierslieux.billing.models import Customer, InvoiceLine
from tierslieux.billing.services import BatchInvoice, LineInput, issue_batch, send_invoices
from tierslieux.billing.services import customers as customer_for
from tierslieux.billing.services.common import lock_sequence
from tierslieux.core import audit
from tierslieux.core.batch import bulk_set
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import day, moment, money
from tierslieux.core.types import Actor
from tierslieux.members import cycles
from tierslieux.members.billrun import BillRunPlan, Item, Problem, plan
from tierslieux.members.models import (
    BillRun,
    Charge,
    Subscription,
    SubscriptionPause,
)
from tierslieux.members.services.credits import Cycle, grant_cycle, grant_cycles
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

CHUNK = 5000  # ids per IN (…) list, well under SQLite's limit of bound parameters
CHARGE_FIELDS = (
    "id",
    "customer_id",
    "person_id",
    "description",
    "quantity",
    "unit",
    "unit_price_net",
    "tax_code",
    "account",
    "family",
    "service_date",
    "service_end",
    "source",
    "subscription_id",
)


@dataclass(frozen=True)
class _Due:
    """A subscription's period due in the month."""

    subscription: Subscription
    period: cycles.Period
    item: Item | None  # None: nothing to invoice (charged already, or free): credits only


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _month_name(month: date) -> str:
    return day(month, "YEAR_MONTH_FORMAT")


def _description(subscription: Subscription, customer: Customer, period: cycles.Period) -> str:
    """The line's text in the customer's language, e.g. « Abonnement Coworking résident —
    novembre 2026 (prorata 9/30 jours) »; the holder is named when another pays."""
    product = subscription.product
    with translation.override(customer.language):
        if product.period == cycles.MONTH:
            text = _("Subscription %(product)s — %(month)s") % {
                "product": product.name,
                "month": _month_name(period.start),
            }
            if period.prorated:
                text += " " + _("(prorated %(days)s/%(total)s days)") % {
                    "days": period.billed_days,
                    "total": period.days_in_period,
                }
        else:
            dates = _("%(start)s to %(end)s") % {"start": day(period.start), "end": day(period.end)}
            text = f"{product.name} — {dates}"
    holder = subscription.person
    if holder is not None and customer.person_id != holder.pk:
        text += f" — {holder.first_name} {holder.last_name}".rstrip()
    return text


def _subscriptions_due(place: Place, first: date, last: date) -> list[_Due]:
    """Every subscription period due in the month, with the line to bill when its charge
    does not exist yet (two queries for the subscriptions and their pauses, one per 5,000
    periods for the charges)."""
    subscriptions = (
        Subscription.objects.filter(place=place, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("product", "customer", "person")
        .prefetch_related(
            Prefetch(
                "pauses",
                queryset=SubscriptionPause.objects.filter(end__gte=first, start__lte=last),
                to_attr="pauses_in_month",
            )
        )
        .order_by("id")
    )
    due: list[tuple[Subscription, cycles.Period]] = []
    for subscription in subscriptions:
        pauses = [(p.start, p.end) for p in subscription.pauses_in_month]
        for period in cycles.periods_due(
            start=subscription.start,
            end=subscription.end,
            period=subscription.product.period,
            price=subscription.price_net,
            month=first,
            pauses=pauses,
        ):
            due.append((subscription, period))
    sources = [_source(s, p) for s, p in due]
    charged: set[str] = set()
    for chunk in _chunks(sources):
        charged.update(
            Charge.objects.filter(place=place, source__in=chunk).values_list("source", flat=True)
        )
    found = []
    for (held, period), source in zip(due, sources, strict=True):
        item = None
        if period.amount > 0 and source not in charged:
            product, customer = held.product, held.customer
            item = Item(
                customer_id=customer.pk,
                description=_description(held, customer, period),
                quantity=Decimal(1),
                unit_price_net=period.amount,
                tax_code=product.tax_code,
                service_date=period.start,
                service_end=period.end,
                account=product.account,
                family=product.family,
                source=source,
                subscription_id=held.pk,
                person_id=held.person_id,
            )
        found.append(_Due(held, period, item))
    return found


def _source(subscription: Subscription, period: cycles.Period) -> str:
    return f"subscription:{subscription.pk}:{period.key}"


def _pending_charges(place: Place, last: date) -> list[Item]:
    """Charges dated in the month or before, neither invoiced nor voided (one query)."""
    rows = (
        Charge.objects.filter(
            place=place, invoice_line__isnull=True, voided_at__isnull=True, service_date__lte=last
        )
        .order_by("service_date", "id")
        .values_list(*CHARGE_FIELDS)
    )
    return [
        Item(
            customer_id=customer_id,
            description=description,
            quantity=quantity,
            unit_price_net=price,
            tax_code=tax_code,
            service_date=service_date,
            service_end=service_end,
            unit=unit,
            account=account,
            family=family,
            source=source,
            charge_id=pk,
            subscription_id=subscription_id,
            person_id=person_id,
        )
        for (
            pk,
            customer_id,
            person_id,
            description,
            quantity,
            unit,
            price,
            tax_code,
            account,
            family,
            service_date,
            service_end,
            source,
            subscription_id,
        ) in rows
    ]


def _customers(due: list[_Due], items: list[Item]) -> dict[int, Customer]:
    known = {d.subscription.customer_id: d.subscription.customer for d in due}
    missing = sorted({item.customer_id for item in items} - set(known))
    for chunk in _chunks(missing):
        known.update((c.pk, c) for c in Customer.objects.filter(pk__in=chunk))
    return known


def _when(run: BillRun, place: Place) -> str:
    with timezone.override(place.timezone):
        return moment(run.confirmed_at)


def _already_run(run: BillRun, place: Place) -> str:
    return ngettext(
        "The bill run of %(month)s was confirmed on %(when)s: %(count)s invoice was issued "
        "then. Nothing is issued twice; what was added since is billed next month.",
        "The bill run of %(month)s was confirmed on %(when)s: %(count)s invoices were issued "
        "then. Nothing is issued twice; what was added since is billed next month.",
        run.invoice_count,
    ) % {"month": _month_name(run.month), "when": _when(run, place), "count": run.invoice_count}


def _plan(place: Place, first: date) -> tuple[BillRunPlan, list[_Due]]:
    # An address or SIREN entered on an organisation reaches its customer first (blanks
    # only, idempotent, audited): otherwise the plan would flag what the team just fixed.
    customer_for.complete_from_organisations(place)
    last = cycles.last_of_month(first)
    due = _subscriptions_due(place, first, last)
    items = [d.item for d in due if d.item is not None] + _pending_charges(place, last)
    problems = []
    run = BillRun.objects.filter(place=place, month=first).first()
    if run is not None:
        problems.append(Problem(_already_run(run, place), code="already_run"))
    if not place.siret:
        problems.append(
            Problem(
                _("The place has no SIRET: an invoice must name the seller's SIREN."),
                code="seller_siren",
            )
        )
    return plan(first, items, _customers(due, items), problems=problems), due


def preview(place: Place, month: date) -> BillRunPlan:
    """What confirming `month` would issue now, per customer, and what would refuse it
    (it writes only the organisations' details its customers lack; the caller checks
    access)."""
    return _plan(place, cycles.first_of_month(month))[0]


@transaction.atomic
def confirm(
    *, actor: Actor, place: Place, month: date, issue_date: date | None = None, send: bool = False
) -> BillRun:
    """Issue the month's invoices (see the module docstring). `issue_date` defaults to
    today in the place's time zone; a month that has not started, a month already run and
    a plan with problems are refused, and then nothing is written. With `send`, each
    invoice whose customer has an e-mail address is also e-mailed, once the run is
    committed (`billing.services.send_invoices`)."""
    access.require(actor, place, Perm.MANAGE_BILLING)
    first = cycles.first_of_month(month)
    today = place.today()
    if first > today:
        refuse(
            _("%(month)s has not started yet: a month is billed once it has begun."),
            "future_month",
            month=_month_name(first),
        )
    lock_sequence(place)  # first: two confirmations of the place run one after the other
    billed, due = _plan(place, first)
    if billed.problems:
        already = [p for p in billed.problems if p.code == "already_run"]
        if already:
            refuse(already[0].message, "already_run")
        refuse(
            _("The bill run cannot be confirmed: %(problems)s"),
            "plan_problems",
            problems=" ".join(p.message for p in billed.problems),
        )
    if not billed.customers:
        refuse(
            _("There is nothing to invoice for %(month)s."),
            "nothing_to_bill",
            month=_month_name(first),
        )
    run = _create_run(actor, place, first, issue_date or today)
    charges = _materialise(place, due)
    grant_cycles(Cycle(d.subscription, d.period.start, d.period.end) for d in due)
    invoices = issue_batch(
        actor=actor,
        place=place,
        invoices=[
            BatchInvoice(
                customer=c.customer,
                lines=[
                    LineInput(
                        description=i.description,
                        quantity=i.quantity,
                        unit_price_net=i.unit_price_net,
                        tax_code=i.tax_code,
                        unit=i.unit,
                        account=i.account,
                        family=i.family,
                    )
                    for i in c.items
                ],
                service_start=c.service_start,
                service_end=c.service_end,
            )
            for c in billed.customers
        ],
        issue_date=run.issue_date,
    )
    _link(billed, invoices, charges)
    run.invoice_count = len(invoices)
    run.total_gross = billed.total_gross
    run.save(update_fields=["invoice_count", "total_gross"])
    run.invoices.add(*invoices)
    sent = send_invoices(actor=actor, invoices=invoices) if send else 0
    audit.record(
        actor=actor,
        action="members.billrun.confirm",
        obj=run,
        place_id=place.pk,
        changes={
            "month": f"{first:%Y-%m}",
            "invoices": run.invoice_count,
            "lines": billed.line_count,
            "total_gross": run.total_gross,
            "first": invoices[0].number,
            "last": invoices[-1].number,
            "sent": sent,
        },
    )
    return run


def _create_run(actor: Actor, place: Place, first: date, issue_date: date) -> BillRun:
    try:
        with transaction.atomic():
            return BillRun.objects.create(
                place=place,
                month=first,
                issue_date=issue_date,
                confirmed_by_id=actor.pk if actor.is_authenticated else None,
            )
    except IntegrityError:  # a run that bypassed the lock won the race: same refusal
        run = BillRun.objects.filter(place=place, month=first).first()
        if run is None:
            raise
        refuse(_already_run(run, place), "already_run")


def _materialise(place: Place, due: list[_Due]) -> dict[str, int]:
    """The charges of the month's subscription periods; their ids by source."""
    rows = [
        Charge(
            place_id=place.pk,
            customer_id=d.item.customer_id,
            person_id=d.item.person_id,
            description=d.item.description,
            quantity=d.item.quantity,
            unit_price_net=d.item.unit_price_net,
            tax_code=d.item.tax_code,
            account=d.item.account,
            family=d.item.family,
            service_date=d.item.service_date,
            service_end=d.item.service_end,
            source=d.item.source,
            subscription=d.subscription,
        )
        for d in due
        if d.item is not None
    ]
    Charge.objects.bulk_create(rows, batch_size=1000)
    return {c.source: c.pk for c in rows}


def _link(billed: BillRunPlan, invoices: list[Any], charges: dict[str, int]) -> None:
    """Each charge points at the invoice line that billed it."""
    lines = {
        (invoice_id, position): pk
        for pk, invoice_id, position in InvoiceLine.objects.filter(
            invoice__in=[i.pk for i in invoices]
        ).values_list("pk", "invoice_id", "position")
    }
    updates = []
    for customer_plan, invoice in zip(billed.customers, invoices, strict=True):
        for position, item in enumerate(customer_plan.items, start=1):
            pk = item.charge_id if item.charge_id is not None else charges[item.source]
            updates.append((pk, lines[invoice.pk, position]))
    bulk_set(Charge, ["invoice_line"], updates)


def totals_text(plan_: BillRunPlan) -> str:
    """One line for logs and the command: invoices, lines, total."""
    return _("%(invoices)s invoices, %(lines)s lines, %(total)s including tax") % {
        "invoices": plan_.invoice_count,
        "lines": plan_.line_count,
        "total": money(plan_.total_gross),
    }


def charge_months_already_run(subscription: Subscription, *, today: date | None = None) -> int:
    """Write as pending charges the periods of `subscription` in months whose bill run is
    already confirmed — a subscription started, or backdated, into a month already billed —
    so the next run invoices them instead of forgetting them; grants the allowance of such a
    period when it is not over. Idempotent (a charge's source is unique). Returns how many
    charges were written."""
    place = subscription.place
    today = today or place.today()
    months = BillRun.objects.filter(
        place=place, month__gte=cycles.first_of_month(subscription.start)
    ).values_list("month", flat=True)
    pauses = [(p.start, p.end) for p in subscription.pauses.all()]
    customer, product = subscription.customer, subscription.product
    written = 0
    for month in sorted(months):
        for period in cycles.periods_due(
            start=subscription.start,
            end=subscription.end,
            period=product.period,
            price=subscription.price_net,
            month=month,
            pauses=pauses,
        ):
            source = _source(subscription, period)
            if period.amount > 0 and not Charge.objects.filter(place=place, source=source).exists():
                Charge.objects.create(
                    place=place,
                    customer=customer,
                    person_id=subscription.person_id,
                    description=_description(subscription, customer, period),
                    quantity=Decimal(1),
                    unit_price_net=period.amount,
                    tax_code=product.tax_code,
                    account=product.account,
                    family=product.family,
                    service_date=period.start,
                    service_end=period.end,
                    source=source,
                    subscription=subscription,
                )
                written += 1
            if period.end >= today:
                grant_cycle(
                    subscription=subscription, period_start=period.start, period_end=period.end
                )
    return written
