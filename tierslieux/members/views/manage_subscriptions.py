"""Subscriptions in the back office: the list with its filters, a new subscription, and one
subscription with its pauses, its cancellation (the notice shown before it is confirmed),
its charges and invoices and the credits it granted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tierslieux.core.formatting import day
from tierslieux.members.forms import (
    CancelForm,
    PauseForm,
    SubscriptionFilterForm,
    SubscriptionForm,
)
from tierslieux.members.models import Subscription, SubscriptionPause
from tierslieux.members.services import subscriptions as services
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

PER_PAGE = 50
# Which field a refusal of the services is about.
SUBSCRIBE_FIELDS = {
    "below_minimum": "price_net",
    "negative_price": "price_net",
    "overlap": "product",
    "inactive": "product",
    "not_recurring": "product",
    "no_holder": "person",
    "audience_individual": "person",
    "audience_organisation": "organisation",
    "not_in_organisation": "organisation",
    "other_place": "customer",
}
PAUSE_FIELDS = {
    "pause_order": "end",
    "pause_past": "start",
    "pause_outside": "start",
    "pause_overlap": "start",
}
CANCEL_FIELDS = {"end_before_start": "end", "notice": "end", "end_past": "end"}


@place_view(Perm.MANAGE_BILLING)
def subscriptions(request: HttpRequest, place: Place) -> HttpResponse:
    """Who holds which membership or plan, who pays, at what price, from when to when."""
    today = place.today()
    filters = SubscriptionFilterForm(request.GET or None, place=place)
    paused_today = SubscriptionPause.objects.filter(
        subscription=OuterRef("pk"), start__lte=today, end__gte=today
    )
    rows = (
        Subscription.objects.filter(place=place)
        .select_related("product", "person", "organisation", "customer")
        .annotate(paused_today=Exists(paused_today))
        .order_by("-start", "-id")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["product"]:
            rows = rows.filter(product=data["product"])
        not_ended = Q(end__isnull=True) | Q(end__gte=today)
        if data["state"] == "active":
            rows = rows.filter(not_ended, paused_today=False)
        elif data["state"] == "paused":
            rows = rows.filter(not_ended, paused_today=True)
        elif data["state"] == "ended":
            rows = rows.filter(end__lt=today)
        if query := data["q"].strip():
            rows = rows.filter(
                Q(person__first_name__icontains=query)
                | Q(person__last_name__icontains=query)
                | Q(person__email__icontains=query)
                | Q(organisation__name__icontains=query)
                | Q(customer__name__icontains=query)
            )
    listing = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "members/manage/subscriptions.html",
        {
            "place": place,
            "filters": filters,
            "listing": listing,
            "today": today,
            "query_string": query_string.urlencode(),
        },
    )


@place_view(Perm.MANAGE_BILLING)
def subscription_new(request: HttpRequest, place: Place) -> HttpResponse:
    initial = {"start": place.today(), "product": request.GET.get("product")}
    form = SubscriptionForm(request.POST or None, place=place, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription = services.subscribe(
                actor=request.user,
                product=data["product"],
                person=data["person"],
                organisation=data["organisation"],
                customer=data["customer"],
                start=data["start"],
                price_net=data["price_net"],
            )
        except ValidationError as error:
            attach_error(form, error, SUBSCRIBE_FIELDS)
        else:
            messages.success(request, _("The subscription is recorded."))
            return redirect(
                "members_manage:subscription", slug=place.slug, subscription_id=subscription.pk
            )
    return render(
        request, "members/manage/subscription_form.html", {"place": place, "form": form}, form
    )


@place_view(Perm.MANAGE_BILLING)
def subscription(request: HttpRequest, place: Place, subscription_id: int) -> HttpResponse:
    """One subscription; its pause and cancel forms post here (`form` says which)."""
    sub = get_object_or_404(
        Subscription.objects.select_related("product", "person", "organisation", "customer"),
        pk=subscription_id,
        place=place,
    )
    which = request.POST.get("form") if request.method == "POST" else None
    pause_form = PauseForm(request.POST if which == "pause" else None)
    cancel_form = CancelForm(request.POST if which == "cancel" else None)
    bound: BaseForm | None = None
    if which in ("pause", "cancel"):
        bound = pause_form if which == "pause" else cancel_form
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if bound is pause_form:
                    services.pause(
                        actor=request.user, subscription=sub, start=data["start"], end=data["end"]
                    )
                    done = _("The pause is recorded: those days are not billed.")
                else:
                    sub = services.cancel(actor=request.user, subscription=sub, end=data["end"])
                    done = _("The subscription is cancelled: it ends on %(end)s.") % {
                        "end": day(sub.end)
                    }
            except ValidationError as error:
                attach_error(bound, error, PAUSE_FIELDS if bound is pause_form else CANCEL_FIELDS)
            else:
                messages.success(request, done)
                return redirect(
                    "members_manage:subscription", slug=place.slug, subscription_id=sub.pk
                )
    return render(
        request,
        "members/manage/subscription.html",
        _detail(place, sub, pause_form, cancel_form),
        bound,
    )


def _detail(
    place: Place, sub: Subscription, pause_form: PauseForm, cancel_form: CancelForm
) -> dict[str, Any]:
    today = place.today()
    product = sub.product
    charges = list(
        sub.charges.select_related("invoice_line__invoice").order_by("service_date", "id")
    )
    invoices = {
        c.invoice_line.invoice_id: c.invoice_line.invoice for c in charges if c.invoice_line
    }
    return {
        "place": place,
        "sub": sub,
        "today": today,
        "pauses": list(sub.pauses.order_by("start")),
        "pause_form": pause_form,
        "cancel_form": cancel_form,
        "notice_days": product.notice_days,
        "earliest_end": (
            services.earliest_end(product.period, sub.start, product.notice_days, today)
            if sub.cancelled_at is None
            else None
        ),
        "charges": charges,
        "invoices": [
            {"invoice": inv, "url": reverse("billing_manage:invoice", args=[place.slug, inv.pk])}
            for inv in invoices.values()
        ],
        "credits": list(sub.credits.order_by("period_start", "id")),
        "customer_url": reverse("billing_manage:customer", args=[place.slug, sub.customer_id]),
    }
