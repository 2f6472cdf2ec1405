"""Accounting exports of a period (the FEC, invoices and payments as CSV and XLSX) and the
closing of periods. Only issued documents leave the place; the files come from the pure
builders of `billing.exports`. See `views` for the access rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.billing import queries, services
from tierslieux.billing.documents import InvoiceDoc, PaymentDoc
from tierslieux.billing.exports import (
    UnbalancedEntry,
    fec_file,
    fec_filename,
    invoices_csv,
    invoices_xlsx,
    payments_csv,
)
from tierslieux.billing.exports.fec import ENCODING
from tierslieux.billing.forms import ClosePeriodForm, PeriodForm, year_bounds
from tierslieux.billing.models import ClosedPeriod, Invoice
from tierslieux.billing.views.manage import billing_view, download
from tierslieux.billing.views.manage_invoices import CSV, XLSX
from tierslieux.core.formatting import day
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place


def _documents(place: Place, start: date, end: date) -> list[InvoiceDoc]:
    issued = queries.invoices_for(
        place, status=Invoice.Status.ISSUED, start=start, end=end
    ).prefetch_related("lines")
    return [queries.invoice_document(invoice, logo=False) for invoice in issued]


def _payments(place: Place, start: date, end: date) -> list[PaymentDoc]:
    return [queries.payment_document(p) for p in queries.payments_for(place, start=start, end=end)]


def _render(
    request: HttpRequest,
    place: Place,
    *,
    period_form: PeriodForm | None = None,
    close_form: ClosePeriodForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    start, end = year_bounds(place.today())
    response = render(
        request,
        "billing/manage/exports.html",
        {
            "place": place,
            "period_form": period_form or PeriodForm(initial={"start": start, "end": end}),
            "close_form": close_form or ClosePeriodForm(prefix="close"),
            "closed_periods": ClosedPeriod.objects.filter(place=place).order_by("-start"),
            "siren": place.siret[:9],
        },
        close_form,
    )
    if status is not None:
        response.status_code = status
    return response


@billing_view
def exports(request: HttpRequest, place: Place) -> HttpResponse:
    return _render(request, place)


def _period(request: HttpRequest, place: Place) -> tuple[date, date] | HttpResponse:
    """The period asked for in the query string, or the page with the form's errors (400)."""
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _render(request, place, period_form=form, status=400)
    return form.cleaned_data["start"], form.cleaned_data["end"]


def _stamp(start: date, end: date) -> str:
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


@billing_view
def export_fec(request: HttpRequest, place: Place) -> HttpResponse:
    """The FEC of the period, named `<SIREN>FEC<closing date>.txt` (the period's end is the
    closing date of the financial year)."""
    period = _period(request, place)
    if isinstance(period, HttpResponse):
        return period
    start, end = period
    form = PeriodForm(request.GET)
    form.is_valid()
    try:
        filename = fec_filename(place.siret[:9], end)
    except ValueError:
        form.add_error(None, _("The place has no SIRET: the FEC file is named after its SIREN."))
        return _render(request, place, period_form=form, status=400)
    try:
        content = fec_file(_documents(place, start, end), _payments(place, start, end))
    except UnbalancedEntry as error:
        form.add_error(None, _("An entry does not balance: %(error)s") % {"error": str(error)})
        return _render(request, place, period_form=form, status=400)
    return download(content, f"text/plain; charset={ENCODING}", filename)


@billing_view
def export_invoices_csv(request: HttpRequest, place: Place) -> HttpResponse:
    period = _period(request, place)
    if isinstance(period, HttpResponse):
        return period
    content = invoices_csv(_documents(place, *period))
    return download(content, CSV, f"factures-{place.slug}-{_stamp(*period)}.csv")


@billing_view
def export_payments_csv(request: HttpRequest, place: Place) -> HttpResponse:
    period = _period(request, place)
    if isinstance(period, HttpResponse):
        return period
    content = payments_csv(_payments(place, *period))
    return download(content, CSV, f"paiements-{place.slug}-{_stamp(*period)}.csv")


@billing_view
def export_xlsx(request: HttpRequest, place: Place) -> HttpResponse:
    """A workbook of the period: the invoices sheet, then the payments sheet."""
    period = _period(request, place)
    if isinstance(period, HttpResponse):
        return period
    content = invoices_xlsx(_documents(place, *period), _payments(place, *period))
    return download(content, XLSX, f"factures-paiements-{place.slug}-{_stamp(*period)}.xlsx")


@require_POST
@billing_view
def close_period(request: HttpRequest, place: Place) -> HttpResponse:
    form = ClosePeriodForm(request.POST, prefix="close")
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        try:
            services.close_period(actor=request.user, place=place, start=start, end=end)
        except ValidationError as error:
            attach_error(form, error)
        else:
            values: dict[str, Any] = {"start": day(start), "end": day(end)}
            messages.success(request, _("The period from %(start)s to %(end)s is closed.") % values)
            return redirect("billing_manage:exports", slug=place.slug)
    return _render(request, place, close_form=form)
