"""Customers in the back office: the list with balances (a fixed number of queries whatever
the page's length), creation and changes, and one customer's invoices, payments and credit.
See `views` for the access rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.billing import buyer, queries, services
from tierslieux.billing.forms import CustomerForm, PaymentForm
from tierslieux.billing.models import Customer, Payment
from tierslieux.billing.views.manage import ZERO, billing_view, paginate
from tierslieux.billing.views.manage_invoices import STATE_LABELS, payment_message, row_state
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place


def _customer(place: Place, customer_id: int) -> Customer:
    return get_object_or_404(Customer.objects.select_related("place"), pk=customer_id, place=place)


@billing_view
def customers(request: HttpRequest, place: Place) -> HttpResponse:
    text = (request.GET.get("q") or "").strip()[:100]
    qs = Customer.objects.filter(place=place)
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(email__icontains=text) | Q(siren__icontains=text)
        )
    page, query = paginate(request, qs.order_by("name", "id"))
    today = place.today()
    figures = queries.customer_figures([c.pk for c in page], today)
    rows = [{"customer": c, "figures": figures[c.pk]} for c in page]
    return render(
        request,
        "billing/manage/customers.html",
        {"place": place, "q": text, "page": page, "query": query, "rows": rows},
    )


def _customer_form(request: HttpRequest, place: Place, customer: Customer | None) -> HttpResponse:
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        try:
            if customer is None:
                saved = services.create_customer(actor=request.user, place=place, **form.values())
            else:
                saved = services.update_customer(
                    actor=request.user, customer=customer, **form.values()
                )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The customer %(name)s is saved.") % {"name": saved.name})
            return redirect("billing_manage:customer", slug=place.slug, customer_id=saved.pk)
    return render(
        request,
        "billing/manage/customer_form.html",
        {"place": place, "customer": customer, "form": form},
        form,
    )


@billing_view
def customer_new(request: HttpRequest, place: Place) -> HttpResponse:
    return _customer_form(request, place, None)


@billing_view
def customer_edit(request: HttpRequest, place: Place, customer_id: int) -> HttpResponse:
    # A fresh copy: the ModelForm writes the posted values on its instance while validating.
    return _customer_form(request, place, _customer(place, customer_id))


def _render_customer(
    request: HttpRequest, place: Place, customer: Customer, payment_form: PaymentForm | None = None
) -> HttpResponse:
    today = place.today()
    figures = queries.customer_figures([customer.pk], today)[customer.pk]
    invoices = queries.with_due(
        customer.invoices.select_related("corrects").order_by(
            F("sequence_number").desc(nulls_first=True), "-id"
        )
    )
    rows = []
    for invoice in invoices:
        state, overdue = row_state(invoice, today)
        rows.append({"invoice": invoice, "state": STATE_LABELS.get(state, ""), "overdue": overdue})
    context: dict[str, Any] = {
        "place": place,
        "customer": customer,
        "figures": figures,
        "rows": rows,
        "payments": customer.payments.prefetch_related("allocations__invoice").order_by(
            "-date", "-id"
        ),
        "credit_entries": customer.credit_entries.select_related("payment", "invoice").order_by(
            "-created_at", "-id"
        ),
        "payment_form": payment_form
        or PaymentForm(initial={"date": today, "method": Payment.Method.TRANSFER}),
        "buyer_missing": buyer.missing_labels(buyer.missing_details(customer)),
    }
    return render(request, "billing/manage/customer.html", context, payment_form)


@billing_view
def customer(request: HttpRequest, place: Place, customer_id: int) -> HttpResponse:
    return _render_customer(request, place, _customer(place, customer_id))


@require_POST
@billing_view
def customer_payment(request: HttpRequest, place: Place, customer_id: int) -> HttpResponse:
    """A payment from the customer: it settles their oldest unpaid invoices first; what
    remains becomes their credit."""
    customer = _customer(place, customer_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.record_payment(
                actor=request.user,
                customer=customer,
                amount=data["amount"],
                method=data["method"],
                date=data["date"],
                reference=data["reference"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            settled = sum((a.amount for a in payment.allocations.all()), ZERO)
            payment_message(request, payment, payment.amount - settled)
            return redirect("billing_manage:customer", slug=place.slug, customer_id=customer.pk)
    return _render_customer(request, place, customer, form)
