"""The coordinator's billing pages (mounted under /manage/<slug>/billing/): what they share,
and the payments and fundings pages. Invoices, drafts, customers, exports, settings and
the revenue dashboard have their own `manage_*` modules.

Every view goes through `places.backoffice.place_view` with `Perm.MANAGE_BILLING`: someone
without it gets 403 on every page of the place, and an object of another place is a 404.
GET never writes. Invalid input re-renders the form with its errors and status 422 (the
kit's `render`): nothing is written; a service's refusal is shown on the same form
(`attach_error`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tierslieux.billing import queries, services
from tierslieux.billing.forms import FundingForm, PaymentFilterForm, year_bounds
from tierslieux.billing.models import Funding
from tierslieux.core import formatting
from tierslieux.core.money import round_money
from tierslieux.places.access import Perm
from tierslieux.places.backoffice import attach_error, place_view, render
from tierslieux.places.models import Place

PER_PAGE = 50
ZERO = Decimal("0.00")
View = Callable[..., HttpResponse]
billing_view: Callable[[View], View] = place_view(Perm.MANAGE_BILLING)


def paginate(request: HttpRequest, qs: Any) -> tuple[Page, str]:
    """The requested page (50 rows), and the query string of the filters for its links."""
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    kept = [(k, v) for k, v in request.GET.items() if k != "page" and v]
    return page, urlencode(kept)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- Payments --------------------------------------------------------------------------------


def filtered_payments(place: Place, form: PaymentFilterForm) -> QuerySet:
    chosen = form.filters()
    qs = queries.payments_for(place, start=chosen.get("start"), end=chosen.get("end"))
    if chosen.get("method"):
        qs = qs.filter(method=chosen["method"])
    return qs


@billing_view
def payments(request: HttpRequest, place: Place) -> HttpResponse:
    """Payments received, newest first, by method and period."""
    form = PaymentFilterForm(request.GET or None)
    qs = filtered_payments(place, form)
    total = qs.aggregate(s=Sum("amount"))["s"] or ZERO
    page, query = paginate(request, qs.order_by("-date", "-id"))
    return render(
        request,
        "billing/manage/payments.html",
        {
            "place": place,
            "form": form,
            "page": page,
            "query": query,
            "total": round_money(total),
            "count": page.paginator.count,
        },
    )


# --- Fundings --------------------------------------------------------------------------------


@billing_view
def fundings(request: HttpRequest, place: Place) -> HttpResponse:
    """Grants, agreements and sponsorship received, and the form to record one."""
    today = place.today()
    form = FundingForm(request.POST or None, initial={"received_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            funding = services.record_funding(actor=request.user, place=place, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("The funding of %(amount)s from %(funder)s is recorded.")
                % {"amount": formatting.money(funding.amount), "funder": funding.funder},
            )
            return redirect("billing_manage:fundings", slug=place.slug)
    start, end = year_bounds(today)
    year = Funding.objects.filter(place=place, received_on__range=(start, end)).aggregate(
        total=Sum("amount"), public=Sum("amount", filter=Q(public=True))
    )
    return render(
        request,
        "billing/manage/fundings.html",
        {
            "place": place,
            "form": form,
            "fundings": Funding.objects.filter(place=place).order_by("-received_on", "-id"),
            "year": today.year,
            "year_total": round_money(year["total"] or ZERO),
            "year_public": round_money(year["public"] or ZERO),
        },
        form,
    )
