"""Drafts in the back office: the form that creates or edits one with its lines, issuing
(the number is taken then) and deleting a draft. An issued invoice never changes: it is
corrected by a credit note (`manage_invoices.credit_note`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.billing import services
from tierslieux.billing.forms import DraftForm, IssueForm, LineFormSet, line_initial
from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.views.manage import billing_view
from tierslieux.billing.views.manage_invoices import (
    issued_refusal,
    place_invoice,
    render_detail,
    to_detail,
)
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place

# --- Drafts -----------------------------------------------------------------------------------


def _line_inputs(formset: Any) -> list[services.LineInput]:
    return [
        services.LineInput(
            description=line["description"],
            quantity=line["quantity"],
            unit_price_net=line["unit_price_net"],
            tax_code=line["tax_code"],
            unit=line["unit"],
            account=line["account"],
            family=line["family"],
        )
        for line in formset.kept()
    ]


def _draft_page(request: HttpRequest, place: Place, draft: Invoice | None) -> HttpResponse:
    if draft is None:
        chosen = Customer.objects.filter(place=place, pk=request.GET.get("customer") or 0).first()
        initial: dict[str, Any] = {"customer": chosen}
        lines: list[dict[str, Any]] = []
    else:
        initial = {
            "customer": draft.customer,
            "service_start": draft.service_start,
            "service_end": draft.service_end,
            "payment_terms_days": draft.payment_terms_days,
        }
        lines = line_initial(list(draft.lines.order_by("position")))
    data = request.POST if request.method == "POST" else None
    form = DraftForm(data, place=place, initial=initial)
    formset = LineFormSet(data, initial=lines, prefix="lines")
    if data is not None and form.is_valid() and formset.is_valid():
        fields = form.cleaned_data
        try:
            if draft is None:
                saved = services.create_draft(
                    actor=request.user,
                    customer=fields["customer"],
                    lines=_line_inputs(formset),
                    service_start=fields["service_start"],
                    service_end=fields["service_end"],
                    payment_terms_days=fields["payment_terms_days"],
                )
            else:
                saved = services.update_draft(
                    actor=request.user, invoice=draft, lines=_line_inputs(formset), **fields
                )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            return to_detail(place, saved)
    return render(
        request,
        "billing/manage/invoice_form.html",
        {
            "place": place,
            "invoice": draft,
            "form": form,
            "formset": formset,
            "has_customers": Customer.objects.filter(place=place).exists(),
        },
        form,
        formset,
    )


@billing_view
def invoice_new(request: HttpRequest, place: Place) -> HttpResponse:
    return _draft_page(request, place, None)


@billing_view
def invoice_edit(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    """Only a draft changes; an issued invoice is corrected by a credit note (said so)."""
    draft = place_invoice(place, invoice_id)
    if draft.is_issued:
        messages.error(request, issued_refusal(draft))
        return to_detail(place, draft)
    return _draft_page(request, place, draft)


@require_POST
@billing_view
def issue(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    draft = place_invoice(place, invoice_id)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issued = services.issue_invoice(
                actor=request.user, invoice=draft, issue_date=form.cleaned_data["issue_date"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request, _("Invoice %(number)s is issued.") % {"number": issued.number}
            )
            return to_detail(place, issued)
    return render_detail(request, place, place_invoice(place, invoice_id), issue_form=form)


@require_POST
@billing_view
def delete(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    draft = place_invoice(place, invoice_id)
    try:
        services.delete_draft(actor=request.user, invoice=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return to_detail(place, draft)
    messages.success(request, _("The draft is deleted."))
    return redirect("billing_manage:invoices", slug=place.slug)
