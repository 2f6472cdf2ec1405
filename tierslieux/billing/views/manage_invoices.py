"""Invoices and credit notes in the back office: the filtered list (and its CSV/XLSX), one
invoice with its settlement and actions, drafts, credit notes, the PDF and the Factur-X XML.

A draft has no number: its PDF and XML are refused (the page shows the draft instead), so a
document that leaves the place always carries its number. See `views` for the access rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.billing import buyer, facturx, pdf, queries, services, tax
from tierslieux.billing.exports import invoices_csv, invoices_xlsx
from tierslieux.billing.forms import (
    CreditNoteForm,
    InvoiceFilterForm,
    IssueForm,
    PaymentForm,
    PaymentState,
    SendForm,
)
from tierslieux.billing.models import (
    CustomerCreditEntry,
    Invoice,
    InvoiceDelivery,
    Payment,
    PaymentAllocation,
)
from tierslieux.billing.views.manage import ZERO, billing_view, download, paginate
from tierslieux.core import formatting
from tierslieux.core.money import round_money
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place

Status = Invoice.Status
Kind = Invoice.Kind
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def place_invoice(place: Place, invoice_id: int) -> Invoice:
    """The place's invoice, or 404 (another place's invoice does not exist here)."""
    return get_object_or_404(
        Invoice.objects.select_related("place", "customer", "corrects"),
        pk=invoice_id,
        place=place,
    )


def to_detail(place: Place, invoice: Invoice) -> Any:
    return redirect("billing_manage:invoice", slug=place.slug, invoice_id=invoice.pk)


def issued_refusal(invoice: Invoice) -> str:
    return _("Invoice %(number)s is issued: it can no longer change; issue a credit note.") % {
        "number": invoice.number
    }


# --- The list ---------------------------------------------------------------------------------


def filtered_invoices(place: Place, form: InvoiceFilterForm) -> QuerySet[Invoice]:
    """The place's invoices and credit notes under the form's valid filters, annotated with
    what they still owe (`queries.with_due`)."""
    chosen = form.filters()
    qs = queries.with_due(
        queries.invoices_for(
            place,
            status=chosen.get("status"),
            kind=chosen.get("kind"),
            customer=chosen.get("customer"),
            start=chosen.get("start"),
            end=chosen.get("end"),
        )
    )
    text = chosen.get("q")
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(customer__name__icontains=text))
    if chosen.get("payment"):
        qs = queries.filter_payment_state(qs, chosen["payment"], place.today())
    return qs


def row_state(invoice: Invoice, today: date) -> tuple[str, bool]:
    """(payment state, overdue) of an annotated row, as `queries.payment_state` says it."""
    if not invoice.is_issued:
        return "", False
    due = invoice.amount_due  # type: ignore[attr-defined]
    if invoice.kind == Kind.CREDIT_NOTE or due < queries.DUST:
        return PaymentState.PAID, False
    overdue = invoice.due_date is not None and invoice.due_date < today
    if invoice.amount_settled >= queries.DUST:  # type: ignore[attr-defined]
        return PaymentState.PARTLY_PAID, overdue
    return PaymentState.UNPAID, overdue


STATE_LABELS = dict(PaymentState.CHOICES)


@billing_view
def invoices(request: HttpRequest, place: Place) -> HttpResponse:
    form = InvoiceFilterForm(request.GET or None, place=place)
    qs = filtered_invoices(place, form)
    totals = qs.filter(status=Status.ISSUED).aggregate(
        net=Sum("total_net"), tax=Sum("total_tax"), gross=Sum("total_gross"), due=Sum("amount_due")
    )
    ordered = qs.order_by(F("sequence_number").desc(nulls_first=True), "-id")
    page, query = paginate(request, ordered)
    today = place.today()
    rows = []
    for invoice in page:
        state, overdue = row_state(invoice, today)
        rows.append({"invoice": invoice, "state": STATE_LABELS.get(state, ""), "overdue": overdue})
    return render(
        request,
        "billing/manage/invoices.html",
        {
            "place": place,
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "totals": {k: round_money(v or ZERO) for k, v in totals.items()},
        },
    )


def _documents(qs: QuerySet[Invoice]) -> list[Any]:
    issued = qs.filter(status=Status.ISSUED).prefetch_related("lines")
    return [queries.invoice_document(invoice, logo=False) for invoice in issued]


@billing_view
def invoices_csv_view(request: HttpRequest, place: Place) -> HttpResponse:
    """The issued documents of the filtered list (drafts have no number: never exported)."""
    qs = filtered_invoices(place, InvoiceFilterForm(request.GET or None, place=place))
    return download(invoices_csv(_documents(qs)), CSV, f"factures-{place.slug}.csv")


@billing_view
def invoices_xlsx_view(request: HttpRequest, place: Place) -> HttpResponse:
    """The filtered list's issued documents, and the payments allocated to them."""
    qs = filtered_invoices(place, InvoiceFilterForm(request.GET or None, place=place))
    docs = _documents(qs)
    paid = (
        Payment.objects.filter(place=place, allocations__invoice__in=qs.values("pk"))
        .distinct()
        .select_related("customer")
        .prefetch_related("allocations__invoice")
        .order_by("date", "id")
    )
    content = invoices_xlsx(docs, [queries.payment_document(p) for p in paid])
    return download(content, XLSX, f"factures-{place.slug}.xlsx")


# --- One invoice ------------------------------------------------------------------------------


def render_detail(
    request: HttpRequest,
    place: Place,
    invoice: Invoice,
    *,
    issue_form: IssueForm | None = None,
    payment_form: PaymentForm | None = None,
    send_form: SendForm | None = None,
) -> HttpResponse:
    today = place.today()
    doc = queries.invoice_document(invoice, logo=False)
    settlement = queries.settlement(invoice) if invoice.is_issued else None
    due = settlement.due if settlement else ZERO
    is_invoice = invoice.kind == Kind.INVOICE
    context: dict[str, Any] = {
        "place": place,
        "invoice": invoice,
        "doc": doc,
        "taxes": [(tax.rule(t.tax_code).label, t) for t in doc.taxes],
        "lines": [(li, tax.rule(li.tax_code).label) for li in invoice.lines.order_by("position")],
        "settlement": settlement,
        "due": due,
        "overdue": bool(due and invoice.due_date and invoice.due_date < today),
        "state": STATE_LABELS.get(queries.payment_state(invoice), "") if invoice.is_issued else "",
        "allocations": PaymentAllocation.objects.filter(invoice=invoice)
        .select_related("payment")
        .order_by("payment__date", "payment_id"),
        "applied": [
            (entry, -entry.amount)
            for entry in CustomerCreditEntry.objects.filter(
                invoice=invoice, reason=CustomerCreditEntry.Reason.APPLIED
            )
        ],
        "credit_notes": invoice.credit_notes.filter(status=Status.ISSUED).order_by(
            "sequence_number"
        ),
        "credit_created": CustomerCreditEntry.objects.filter(
            invoice=invoice, reason=CustomerCreditEntry.Reason.CREDIT_NOTE
        ),
        "credit": queries.credit_balance(invoice.customer) if is_invoice and due else ZERO,
        "buyer_missing": ""
        if invoice.is_issued
        else buyer.missing_labels(buyer.missing_details(invoice.customer)),
    }
    if not invoice.is_issued:
        context["issue_form"] = issue_form or IssueForm(initial={"issue_date": today})
    else:
        context["send_form"] = send_form or SendForm(initial={"to": invoice.customer.email})
        context["deliveries"] = invoice.deliveries.order_by("-created_at", "-id")
    if invoice.is_issued and is_invoice:
        context["payment_form"] = payment_form or PaymentForm(
            initial={"date": today, "amount": due or None, "method": Payment.Method.TRANSFER}
        )
    return render(
        request, "billing/manage/invoice.html", context, issue_form, payment_form, send_form
    )


@billing_view
def invoice(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    return render_detail(request, place, place_invoice(place, invoice_id))


@require_POST
@billing_view
def record_payment(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    """A payment for this invoice: it settles what is due; the rest becomes the customer's
    credit (said in the form and in the message)."""
    invoice = place_invoice(place, invoice_id)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        due = queries.settlement(invoice).due if invoice.is_issued else ZERO
        part = min(data["amount"], due)
        try:
            payment = services.record_payment(
                actor=request.user,
                customer=invoice.customer,
                amount=data["amount"],
                method=data["method"],
                date=data["date"],
                reference=data["reference"],
                allocations=[(invoice, part)] if part > 0 else [],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            payment_message(request, payment, data["amount"] - part)
            return to_detail(place, invoice)
    return render_detail(request, place, invoice, payment_form=form)


@require_POST
@billing_view
def send(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    """E-mail the issued invoice with its PDF; the worker sends it, the page lists how it went."""
    invoice = place_invoice(place, invoice_id)
    if not invoice.is_issued:  # a draft's page has no sending form: the refusal goes there
        messages.error(request, _("A draft has no number yet: issue it before sending it."))
        return to_detail(place, invoice)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            delivery = services.send_invoice(
                actor=request.user, invoice=invoice, to=form.cleaned_data["to"] or None
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            delivery_message(request, invoice, delivery)
            return to_detail(place, invoice)
    return render_detail(request, place, invoice, send_form=form)


def delivery_message(request: HttpRequest, invoice: Invoice, delivery: InvoiceDelivery) -> None:
    """Where the e-mail stands (a worker without delay has already tried by now)."""
    delivery.refresh_from_db()
    facts = {"number": invoice.number, "address": delivery.to, "error": delivery.error}
    if delivery.state == "sent":
        messages.success(request, _("%(number)s was sent to %(address)s.") % facts)
    elif delivery.state == "failed":
        messages.error(request, _("%(number)s could not be sent to %(address)s: %(error)s") % facts)
    else:
        messages.success(request, _("%(number)s is on its way to %(address)s.") % facts)


def payment_message(request: HttpRequest, payment: Payment, credit: Decimal) -> None:
    text = _("The payment of %(amount)s is recorded.") % {
        "amount": formatting.money(payment.amount)
    }
    if credit > 0:
        text += " " + _(
            "%(credit)s more than what was due becomes %(customer)s's credit, usable on "
            "their next invoices."
        ) % {"credit": formatting.money(credit), "customer": payment.customer.name}
    messages.success(request, text)


@require_POST
@billing_view
def apply_credit(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    invoice = place_invoice(place, invoice_id)
    try:
        entry = services.apply_credit(
            actor=request.user, customer=invoice.customer, invoice=invoice
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(amount)s of the customer's credit settles %(number)s.")
            % {"amount": formatting.money(-entry.amount), "number": invoice.number},
        )
    return to_detail(place, invoice)


@billing_view
def credit_note(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    """Credit the whole invoice or some of its lines; the credit note is issued at once."""
    original = place_invoice(place, invoice_id)
    if not original.is_issued or original.kind != Kind.INVOICE:
        messages.error(request, _("Only an issued invoice is credited."))
        return to_detail(place, original)
    lines = list(original.lines.order_by("position"))
    form = CreditNoteForm(
        request.POST or None,
        lines=lines,
        initial={"mode": CreditNoteForm.WHOLE, "issue_date": place.today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = None
        if data["mode"] == CreditNoteForm.PARTS:
            wanted = [
                services.CreditLine(position=position, quantity=quantity, amount=amount)
                for position, quantity, amount in data["parts"]
            ]
        try:
            note = services.create_credit_note(
                actor=request.user, invoice=original, lines=wanted, issue_date=data["issue_date"]
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request,
                _("Credit note %(number)s is issued for %(amount)s.")
                % {"number": note.number, "amount": formatting.money(-note.total_gross)},
            )
            return to_detail(place, note)
    return render(
        request,
        "billing/manage/credit_note.html",
        {"place": place, "invoice": original, "form": form},
        form,
    )


@billing_view
def invoice_pdf(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    invoice = place_invoice(place, invoice_id)
    if not invoice.is_issued:
        messages.error(request, _("A draft has no number yet: issue it to download its PDF."))
        return to_detail(place, invoice)
    content = pdf.invoice_pdf(queries.invoice_document(invoice))
    return download(content, "application/pdf", f"{invoice.number}.pdf")


@billing_view
def invoice_xml(request: HttpRequest, place: Place, invoice_id: int) -> HttpResponse:
    invoice = place_invoice(place, invoice_id)
    if not invoice.is_issued:
        messages.error(request, _("A draft has no number yet: issue it to download its XML."))
        return to_detail(place, invoice)
    content = facturx.facturx_xml(queries.invoice_document(invoice))
    return download(content, "application/xml", f"{invoice.number}.xml")
