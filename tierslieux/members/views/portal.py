"""The member portal of a place (/me/<slug>/): my plan, my credits and passes, my invoices
with their PDF, and the shop (passes, packs, membership, tickets).

Who sees it: a logged-in person who has something at the place, a role or a customer; anybody
else gets 404, as if the place had no portal. Invoices are those of the customers whose person
is the visitor (their own, or an organisation's they are the billing contact of): any other
invoice answers 404, never 403, so that its existence does not leak. Writes go through the
services (`sales.buy`, `subscriptions.cancel`), which decide; a refusal is shown in the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from tierslieux.accounts.models import Person
from tierslieux.billing import pdf, queries
from tierslieux.billing.models import Customer, Invoice
from tierslieux.core.formatting import amount, day
from tierslieux.core.forms import attach_error, form_status
from tierslieux.members import cycles, ledger
from tierslieux.members import queries as members_queries
from tierslieux.members.models import (
    BillRun,
    Charge,
    CreditEntry,
    Pass,
    Product,
    Subscription,
    Wallet,
)
from tierslieux.members.services import sales, subscriptions
from tierslieux.places.models import Place, PlaceRole

EXPIRING_DAYS = 30  # credits whose last day falls within this many days are "expiring soon"
SHOP_KINDS = (Product.Kind.PASS, Product.Kind.PACK, Product.Kind.MEMBERSHIP, Product.Kind.TICKET)
DATED_KINDS = (Product.Kind.PASS, Product.Kind.MEMBERSHIP)  # the buyer says when it starts
BUY_FIELDS = {"below_minimum": "price"}  # refusals of `sales.buy` shown on a field


@dataclass(frozen=True)
class Visitor:
    """The portal's visitor at one place: who they are and the customers they answer for."""

    place: Place
    person: Person
    customers: list[Customer]
    today: date


View = Callable[..., HttpResponse]


def portal_view(view: View) -> View:
    """Load the place and the visitor; 404 for a person with no role and no customer there."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        place = get_object_or_404(Place, slug=slug)
        person = getattr(request.user, "person", None)
        if person is None:
            raise Http404
        customers = list(Customer.objects.filter(place=place, person=person).order_by("id"))
        if not customers and not PlaceRole.objects.filter(place=place, person=person).exists():
            raise Http404
        visitor = Visitor(place, person, customers, place.today())
        return view(request, visitor, **kwargs)

    return wrapper


def _render(
    request: HttpRequest, v: Visitor, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.update({"place": v.place, "person": v.person, "today": v.today})
    return render(request, f"members/portal/{template}", context, status=status)


# --- What the pages show ------------------------------------------------------------------


def _subscriptions(v: Visitor) -> list[Subscription]:
    """Subscriptions the visitor holds or pays for, current or to come."""
    rows = list(
        Subscription.objects.filter(place=v.place)
        .filter(Q(person=v.person) | Q(customer__in=v.customers))
        .exclude(end__lt=v.today)
        .select_related("product", "customer", "organisation")
        .prefetch_related("pauses")
        .order_by("start", "id")
    )
    result = []
    first_unbilled = first_unbilled_month(v.place)
    billed = billed_periods(rows)
    for sub in rows:
        product = sub.product
        sub.next_period = next_period(sub, first_unbilled, billed.get(sub.pk, ()))  # type: ignore[attr-defined]
        sub.current_pauses = [p for p in sub.pauses.all() if p.end >= v.today]  # type: ignore[attr-defined]
        sub.can_cancel = sub.cancelled_at is None and sub.person_id == v.person.pk  # type: ignore[attr-defined]
        sub.notice_end = (  # type: ignore[attr-defined]
            subscriptions.earliest_end(product.period, sub.start, product.notice_days, v.today)
            if sub.cancelled_at is None
            else None
        )
        result.append(sub)
    return result


def next_period(
    sub: Subscription, first_unbilled: date | None, billed: Iterable[str] = ()
) -> date | None:
    """The first day of the next period to bill: in the first month no bill run has billed yet
    (`first_unbilled`; the subscription's own start when the place never ran one), skipping
    periods already billed (a membership sold at the desk); None when it ends before."""
    found = cycles.next_unbilled_period(
        start=sub.start,
        end=sub.end,
        period=sub.product.period,
        price=sub.price_net,
        from_month=first_unbilled or sub.start,
        pauses=[(p.start, p.end) for p in sub.pauses.all()],
        billed=billed,
    )
    return found.start if found is not None else None


def first_unbilled_month(place: Place) -> date | None:
    """The month after the place's last confirmed bill run (None: it never ran one)."""
    last = BillRun.objects.filter(place=place).aggregate(last=Max("month"))["last"]
    return cycles.last_of_month(last) + timedelta(days=1) if last is not None else None


def billed_periods(subscriptions: list[Subscription]) -> dict[int, set[str]]:
    """The period keys already charged, by subscription (one query)."""
    keys: dict[int, set[str]] = {sub.pk: set() for sub in subscriptions}
    if not subscriptions:
        return keys
    prefixes = Q()
    for sub in subscriptions:
        prefixes |= Q(source__startswith=f"subscription:{sub.pk}:")
    charges = Charge.objects.filter(prefixes, place_id=subscriptions[0].place_id)
    for source in charges.values_list("source", flat=True):
        _kind, pk, key = source.split(":", 2)
        keys.setdefault(int(pk), set()).add(key)
    return keys


@dataclass(frozen=True)
class Expiring:
    wallet: str
    quantity: Decimal
    expires_on: date

    @property
    def wallet_label(self) -> str:
        return str(Wallet(self.wallet).label)


def expiring_soon(entries: list[CreditEntry], today: date) -> list[Expiring]:
    """Credits still held whose last day falls within `EXPIRING_DAYS`, soonest first (the
    ledger's replay says what is left of each grant or purchase)."""
    by_wallet: dict[str, list[ledger.Entry]] = {}
    for e in entries:
        by_wallet.setdefault(e.wallet, []).append(
            ledger.Entry(e.pk, e.reason, e.quantity, e.expires_on, e.reverses_id)
        )
    horizon = today + timedelta(days=EXPIRING_DAYS)
    soon = []
    for wallet, rows in by_wallet.items():
        state = ledger.replay(rows)
        for lot in state.open_lots():
            last = state.expires_on[lot]
            if last is not None and today <= last <= horizon:
                soon.append(Expiring(wallet, state.remaining[lot], last))
    return sorted(soon, key=lambda x: (x.expires_on, x.wallet))


def _balances(v: Visitor) -> list[tuple[str, Decimal]]:
    return [
        (str(Wallet(wallet).label), amount)
        for wallet, amount in members_queries.balances(v.person, v.place).items()
    ]


def _passes(v: Visitor) -> list[Pass]:
    return list(
        Pass.objects.filter(place=v.place, person=v.person, valid_until__gte=v.today)
        .select_related("product")
        .order_by("valid_from", "id")
    )


def _invoices(v: Visitor) -> list[Invoice]:
    """The visitor's customers' issued invoices and credit notes, newest first, with what
    each still owes (`amount_due`)."""
    return list(
        queries.with_due(
            Invoice.objects.filter(
                place=v.place, customer__in=v.customers, status=Invoice.Status.ISSUED
            )
        )
        .select_related("customer")
        .order_by("-issue_date", "-sequence_number")
    )


# --- Pages --------------------------------------------------------------------------------


@require_safe
@portal_view
def home(request: HttpRequest, v: Visitor) -> HttpResponse:
    """Everything at a glance: plan, credits, passes, the latest invoices, the shop."""
    return _render(
        request,
        v,
        "home.html",
        {
            "subscriptions": _subscriptions(v),
            "balances": _balances(v),
            "passes": _passes(v),
            "invoices": _invoices(v)[:5],
        },
    )


@portal_view
def plan(request: HttpRequest, v: Visitor) -> HttpResponse:
    """My subscriptions: next period, pauses, notice; POST `cancel=<id>` cancels one."""
    if request.method == "POST":
        try:
            subscription_id = int(request.POST.get("cancel", ""))
        except ValueError:
            raise Http404 from None
        sub = get_object_or_404(Subscription, pk=subscription_id, place=v.place, person=v.person)
        if request.POST.get("confirm") != "1":
            return _confirm_cancellation(request, v, sub)
        try:
            cancelled = subscriptions.cancel(actor=request.user, subscription=sub, today=v.today)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            assert cancelled.end is not None
            messages.success(
                request,
                _("Your subscription “%(product)s” is cancelled: it ends on %(end)s.")
                % {"product": sub.product.name, "end": day(cancelled.end)},
            )
        return redirect("portal:plan", slug=v.place.slug)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return _render(request, v, "plan.html", {"subscriptions": _subscriptions(v)})


@require_safe
@portal_view
def credits(request: HttpRequest, v: Visitor) -> HttpResponse:
    entries = members_queries.history(v.person, v.place)
    return _render(
        request,
        v,
        "credits.html",
        {
            "balances": _balances(v),
            "entries": entries[:200],
            "expiring": expiring_soon(entries, v.today),
            "expiring_days": EXPIRING_DAYS,
            "passes": _passes(v),
        },
    )


@require_safe
@portal_view
def invoices(request: HttpRequest, v: Visitor) -> HttpResponse:
    rows = _invoices(v)
    new = request.GET.get("new", "")
    fresh = next((i for i in rows if str(i.pk) == new), None)
    return _render(request, v, "invoices.html", {"invoices": rows, "fresh": fresh})


@require_safe
@portal_view
def invoice_pdf(request: HttpRequest, v: Visitor, invoice_id: int) -> HttpResponse:
    """The PDF (Factur-X) of one of the visitor's issued invoices; 404 for any other."""
    invoice = get_object_or_404(
        Invoice.objects.select_related("place", "customer", "corrects"),
        pk=invoice_id,
        place=v.place,
        customer__in=v.customers,
        status=Invoice.Status.ISSUED,
    )
    response = HttpResponse(
        pdf.invoice_pdf(queries.invoice_document(invoice)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


# --- The shop -----------------------------------------------------------------------------


class BuyForm(forms.Form):
    """One product's order: its price when the buyer chooses it (pay what you want, at least
    the minimum: `sales.buy` checks it), its first day when it is dated."""

    price = forms.DecimalField(
        label=gettext_lazy("Your price (excluding tax, €)"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
        localize=True,
    )
    start = forms.DateField(
        label=gettext_lazy("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, product: Product, today: date, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"p{product.pk}")
        kwargs.setdefault("initial", {"price": product.price_net, "start": today})
        super().__init__(*args, **kwargs)
        self.product = product
        if product.min_price_net is None:
            del self.fields["price"]
        else:
            self.fields["price"].required = True
            self.fields["price"].help_text = _("At least %(minimum)s €, suggested %(price)s €.") % {
                "minimum": amount(product.min_price_net),
                "price": amount(product.price_net),
            }
        if product.kind in DATED_KINDS:
            self.fields["start"].required = True
        else:
            del self.fields["start"]

    def clean_start(self) -> date | None:
        start: date | None = self.cleaned_data.get("start")
        today = self.initial["start"]
        if start is not None and start < today:
            raise ValidationError(_("Choose today or a later day."), code="past")
        return start


def _shop(v: Visitor) -> list[Product]:
    """What the visitor may buy for themself, without the memberships they already hold."""
    held = Subscription.objects.filter(place=v.place, person=v.person).exclude(end__lt=v.today)
    return list(
        Product.objects.filter(
            place=v.place,
            active=True,
            kind__in=SHOP_KINDS,
            audience__in=[Product.Audience.ANYONE, Product.Audience.INDIVIDUAL],
        )
        .exclude(pk__in=held.values("product_id"))
        .order_by("kind", "position", "name", "id")
    )


@portal_view
def buy(request: HttpRequest, v: Visitor) -> HttpResponse:
    """The products a member may buy for themself; POST buys one and issues its invoice."""
    products = _shop(v)
    forms_by_product = {p.pk: BuyForm(product=p, today=v.today) for p in products}
    status = 200
    if request.method == "POST":
        try:
            product_id = int(request.POST.get("product_id", ""))
        except ValueError:
            raise Http404 from None
        product = next((p for p in products if p.pk == product_id), None)
        if product is None:
            raise Http404
        form = BuyForm(request.POST, product=product, today=v.today)
        forms_by_product[product.pk] = form
        if form.is_valid() and request.POST.get("confirm") != "1":
            try:
                price_net = sales.check_purchase(
                    actor=request.user, product=product, price_net=form.cleaned_data.get("price")
                )
            except ValidationError as error:
                attach_error(form, error, BUY_FIELDS)
            else:
                return _confirm_purchase(request, v, product, form, price_net)
        elif form.is_valid():
            try:
                sale = sales.buy(
                    actor=request.user,
                    product=product,
                    person=v.person,
                    price_net=form.cleaned_data.get("price"),
                    start=form.cleaned_data.get("start"),
                )
            except ValidationError as error:
                attach_error(form, error, BUY_FIELDS)
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal) or _("You cannot buy this here."))
            else:
                invoice = sale.invoice
                messages.success(
                    request, _("Your invoice %(number)s is ready.") % {"number": invoice.number}
                )
                url = reverse("portal:invoices", args=[v.place.slug])
                return redirect(f"{url}?new={invoice.pk}#invoice-{invoice.pk}")
        status = form_status(form)
    elif request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405)
    return _render(
        request,
        v,
        "buy.html",
        {"offers": [(p, forms_by_product[p.pk]) for p in products]},
        status=status,
    )


def _confirm_purchase(
    request: HttpRequest, v: Visitor, product: Product, form: BuyForm, price_net: Decimal
) -> HttpResponse:
    """Buying issues an invoice at once: say what it will be, and ask before."""
    price = form.cleaned_data.get("price")
    start = form.cleaned_data.get("start")
    return _render(
        request,
        v,
        "buy_confirm.html",
        {
            "product": product,
            "price_net": price_net,
            "start": start,
            "hidden": {
                "product_id": product.pk,
                **({form.add_prefix("price"): price} if price is not None else {}),
                **({form.add_prefix("start"): start.isoformat()} if start else {}),
            },
        },
    )


def _confirm_cancellation(request: HttpRequest, v: Visitor, sub: Subscription) -> HttpResponse:
    """Ending a subscription cannot be undone here: say when it ends, and ask before."""
    product = sub.product
    end = subscriptions.earliest_end(product.period, sub.start, product.notice_days, v.today)
    return _render(request, v, "plan_cancel.html", {"subscription": sub, "end": end})
