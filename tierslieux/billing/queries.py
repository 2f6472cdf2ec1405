"""Read helpers: what an invoice still owes, customers' balances, an invoice as a document.

An invoice is settled by payments (allocations), by customer credit applied to it, and by the
credit notes that correct it. What is still due never goes below zero: a credit note on an
invoice already paid turns into customer credit instead (`services.create_credit_note`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from tierslieux.billing import snapshots, tax
from tierslieux.billing.documents import InvoiceDoc, LineDoc, PaymentDoc, TaxLineDoc
from tierslieux.billing.models import (
    BillingProfile,
    ClosedPeriod,
    Customer,
    CustomerCreditEntry,
    Invoice,
    InvoiceDelivery,
    Payment,
    PaymentAllocation,
)
from tierslieux.core.money import round_money
from tierslieux.places.models import Place

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)
Status = Invoice.Status


class PaymentState:
    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    LABELS = {UNPAID: _("Unpaid"), PARTLY_PAID: _("Partly paid"), PAID: _("Paid")}


@dataclass(frozen=True)
class Settlement:
    gross: Decimal
    paid: Decimal  # payments and customer credit applied
    credited: Decimal  # credit notes (positive)

    @property
    def due(self) -> Decimal:
        return max(ZERO, self.gross - self.paid - self.credited)


@dataclass(frozen=True)
class Balance:
    due: Decimal  # what the customer still owes on issued invoices
    credit: Decimal  # the customer's credit (sum of the ledger)

    @property
    def net(self) -> Decimal:
        """Positive: the customer owes; negative: the place owes the customer."""
        return self.due - self.credit


def _sum(qs: QuerySet, field: str, group: str) -> Coalesce:
    return Coalesce(
        Subquery(qs.values(group).annotate(s=Sum(field)).values("s")[:1], output_field=MONEY),
        Value(ZERO),
        output_field=MONEY,
    )


def with_settlement(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate `amount_paid` and `amount_credited` (three subqueries, one round trip)."""
    allocations = PaymentAllocation.objects.filter(invoice=OuterRef("pk"))
    applied = CustomerCreditEntry.objects.filter(
        invoice=OuterRef("pk"), reason=CustomerCreditEntry.Reason.APPLIED
    )
    credit_notes = Invoice.objects.filter(corrects=OuterRef("pk"), status=Status.ISSUED)
    return qs.annotate(
        amount_allocated=_sum(allocations, "amount", "invoice"),
        amount_applied=_sum(applied, "amount", "invoice"),
        amount_credited_neg=_sum(credit_notes, "total_gross", "corrects"),
    )


def _settlement_of_annotated(invoice: Invoice) -> Settlement:
    paid = round_money(invoice.amount_allocated) - round_money(invoice.amount_applied)  # type: ignore[attr-defined]
    credited = -round_money(invoice.amount_credited_neg)  # type: ignore[attr-defined]
    return Settlement(invoice.total_gross, paid, credited)


def settlement(invoice: Invoice) -> Settlement:
    row = with_settlement(Invoice.objects.filter(pk=invoice.pk)).get()
    return _settlement_of_annotated(row)


def payment_state(invoice: Invoice) -> str:
    """unpaid, partly_paid or paid. A credit note counts as settled (it settles its invoice
    or becomes customer credit when issued); so does what credit notes cancelled."""
    if invoice.kind == Invoice.Kind.CREDIT_NOTE and invoice.is_issued:
        return PaymentState.PAID
    s = settlement(invoice)
    if invoice.is_issued and s.due == ZERO:
        return PaymentState.PAID
    return PaymentState.PARTLY_PAID if s.paid + s.credited > ZERO else PaymentState.UNPAID


def open_invoices(customer: Customer) -> list[tuple[Invoice, Decimal]]:
    """The customer's issued invoices with something still due, oldest first, with that due."""
    qs = with_settlement(
        Invoice.objects.filter(
            customer=customer, status=Status.ISSUED, kind=Invoice.Kind.INVOICE
        ).order_by("issue_date", "sequence_number")
    )
    rows = ((inv, _settlement_of_annotated(inv).due) for inv in qs)
    return [(inv, due) for inv, due in rows if due > ZERO]


def credit_balance(customer: Customer) -> Decimal:
    total = CustomerCreditEntry.objects.filter(customer=customer).aggregate(s=Sum("amount"))["s"]
    return round_money(total or ZERO)


def customer_balance(customer: Customer) -> Balance:
    due = sum((due for _, due in open_invoices(customer)), ZERO)
    return Balance(due=due, credit=credit_balance(customer))


def customers_for(place: Place) -> QuerySet[Customer]:
    return Customer.objects.filter(place=place)


def invoices_for(
    place: Place,
    *,
    status: str | None = None,
    kind: str | None = None,
    customer: Customer | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[Invoice]:
    """A place's invoices, filtered; dates bound the issue date (inclusive)."""
    qs = Invoice.objects.filter(place=place).select_related("customer", "corrects")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if customer is not None:
        qs = qs.filter(customer=customer)
    if start:
        qs = qs.filter(issue_date__gte=start)
    if end:
        qs = qs.filter(issue_date__lte=end)
    return qs.order_by("sequence_number", "id")


def closed_period_containing(place: Place, day: date) -> ClosedPeriod | None:
    return ClosedPeriod.objects.filter(place=place, start__lte=day, end__gte=day).first()


def local_today(place: Place) -> date:
    """Deprecated: `place.today()`. Kept for members, bookings and demo until they move."""
    return place.today()


def numbers_issued(place: Place) -> bool:
    """Whether the place has taken a number (an invoice or a credit note): its series, prefix
    included, is then fixed."""
    return Invoice.objects.filter(place=place, sequence_number__isnull=False).exists()


def _tax_lines(invoice: Invoice) -> tuple[TaxLineDoc, ...]:
    if invoice.is_issued:
        rows = invoice.taxes
    else:
        amounts = [
            tax.LineAmount(li.quantity, li.unit_price_net, li.tax_code)
            for li in invoice.lines.all()
        ]
        rows = tax_rows(tax.totals(amounts).by_rule)
    return tuple(
        TaxLineDoc(
            tax_code=r["code"],
            rate=Decimal(r["rate"]),
            category=r["category"],
            exemption_code=r["exemption_code"],
            exemption_mention=r["mention"],
            base=Decimal(r["base"]),
            tax=Decimal(r["tax"]),
        )
        for r in rows
    )


def tax_rows(by_rule: tuple[tax.TaxTotal, ...]) -> list[dict[str, str]]:
    """The per-rule VAT as frozen on an issued invoice (strings: exact through JSON)."""
    return [
        {
            "code": t.code,
            "rate": str(t.rate),
            "category": tax.RULES[t.code].category,
            "exemption_code": tax.RULES[t.code].exemption_code,
            "mention": tax.RULES[t.code].mention,
            "base": str(t.base),
            "tax": str(t.tax),
        }
        for t in by_rule
    ]


def logo_path(name: str) -> str:
    """The file of a stored logo (the PDF embeds it), "" without one."""
    return BillingProfile._meta.get_field("logo").storage.path(name) if name else ""


def invoice_document(invoice: Invoice, *, logo: bool = True) -> InvoiceDoc:
    """An invoice as the PDF, Factur-X and exports see it: the frozen snapshots and lines of
    an issued invoice; for a draft, a preview built from today's data (no number).
    The place's current logo comes along (one more query for an issued invoice; `logo=False`
    spares it where no PDF is made, e.g. exports of many invoices)."""
    lines = tuple(
        LineDoc(
            position=li.position,
            description=li.description,
            quantity=li.quantity,
            unit=li.unit,
            unit_price_net=li.unit_price_net,
            tax_code=li.tax_code,
            tax_rate=li.tax_rate,
            net=li.net,
            account=li.account,
        )
        for li in invoice.lines.all()
    )
    taxes = _tax_lines(invoice)
    if invoice.is_issued:
        seller, buyer = invoice.seller, invoice.buyer
        issue_date = invoice.issue_date
        due_date = invoice.due_date
        net, tax_total, gross = invoice.total_net, invoice.total_tax, invoice.total_gross
        paid = settlement(invoice).paid
        penalty = invoice.late_penalty_rate
        logo_name = (
            BillingProfile.objects.filter(place_id=invoice.place_id)
            .values_list("logo", flat=True)
            .first()
            if logo
            else None
        )
    else:
        profile = snapshots.profile_of(invoice.place)
        logo_name = profile.logo.name if logo else None
        seller, buyer = snapshots.seller(invoice.place, profile), snapshots.buyer(invoice.customer)
        issue_date = invoice.place.today()
        days = invoice.payment_terms_days
        due_date = issue_date + timedelta(days=profile.payment_terms_days if days is None else days)
        net = sum((t.base for t in taxes), ZERO)
        tax_total = sum((t.tax for t in taxes), ZERO)
        gross, paid = net + tax_total, ZERO
        penalty = invoice.late_penalty_rate
        if penalty is None:
            penalty = profile.late_penalty_rate
    assert issue_date is not None and due_date is not None
    buyer_party = snapshots.party(buyer)
    return InvoiceDoc(
        kind=invoice.kind,
        number=invoice.number or "",
        issue_date=issue_date,
        service_start=invoice.service_start or issue_date,
        service_end=invoice.service_end or invoice.service_start or issue_date,
        due_date=due_date,
        seller=snapshots.party(seller),
        buyer=buyer_party,
        lines=lines,
        taxes=taxes,
        total_net=net,
        total_tax=tax_total,
        total_gross=gross,
        amount_paid=paid,
        payment_terms=invoice.payment_terms,
        late_penalty_rate=penalty if penalty is not None else ZERO,
        fixed_recovery_indemnity=buyer_party.is_business and invoice.kind == Invoice.Kind.INVOICE,
        mandate_reference=buyer.get("mandate_reference", ""),
        corrects_number=(invoice.corrects.number or "") if invoice.corrects else "",
        corrects_issue_date=invoice.corrects.issue_date if invoice.corrects else None,
        customer_account=customer_account(invoice.customer_id),
        language=buyer.get("language", "fr"),
        logo_path=logo_path(logo_name or ""),
    )


def customer_account(customer_id: int) -> str:
    """The customer's auxiliary account in the accounts (FEC): 411 and the customer id."""
    return f"411{customer_id:05d}"


def payment_document(payment: Payment) -> PaymentDoc:
    """A payment for the accounting exports (prefetch `allocations__invoice` for lists)."""
    return PaymentDoc(
        reference=payment.reference or f"P{payment.pk}",
        date=payment.date,
        customer_name=payment.customer.name,
        customer_account=customer_account(payment.customer_id),
        method=payment.method,
        amount=payment.amount,
        invoice_numbers=tuple(a.invoice.number or "" for a in payment.allocations.all()),
    )


def payments_for(
    place: Place, *, start: date | None = None, end: date | None = None
) -> QuerySet[Payment]:
    qs = Payment.objects.filter(place=place).select_related("customer")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs.prefetch_related("allocations__invoice").order_by("date", "id")


# --- Lists of the back office --------------------------------------------------------------

# SQLite keeps decimals as binary floats: "nothing due" is "less than half a cent due".
DUST = Decimal("0.005")


def with_due(qs: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """`with_settlement`, plus `amount_due` (what an issued invoice still owes, never below
    zero; zero for drafts and credit notes) and `amount_settled` (paid + credited)."""
    settled = F("amount_allocated") - F("amount_applied") - F("amount_credited_neg")
    owed = Case(
        When(
            status=Status.ISSUED,
            kind=Invoice.Kind.INVOICE,
            then=Greatest(F("total_gross") - settled, Value(ZERO), output_field=MONEY),
        ),
        default=Value(ZERO),
        output_field=MONEY,
    )
    return with_settlement(qs).annotate(
        amount_settled=ExpressionWrapper(settled, output_field=MONEY), amount_due=owed
    )


def filter_payment_state(qs: QuerySet[Invoice], state: str, today: date) -> QuerySet[Invoice]:
    """Issued documents in a payment state of `payment_state` (or "overdue": something due
    after the due date); `qs` comes from `with_due`. A draft owes nothing yet."""
    issued = qs.filter(status=Status.ISSUED)
    owing = issued.filter(Q(kind=Invoice.Kind.INVOICE) & Q(amount_due__gte=DUST))
    if state == PaymentState.PAID:
        return issued.filter(Q(kind=Invoice.Kind.CREDIT_NOTE) | Q(amount_due__lt=DUST))
    if state == PaymentState.UNPAID:
        return owing.filter(Q(amount_settled__lt=DUST))
    if state == PaymentState.PARTLY_PAID:
        return owing.filter(Q(amount_settled__gte=DUST))
    if state == "overdue":
        return owing.filter(due_date__lt=today)
    raise ValueError(f"unknown payment state {state!r}")


@dataclass(frozen=True)
class CustomerFigures:
    invoiced: Decimal  # issued invoices less credit notes, tax included
    due: Decimal  # still owed on issued invoices
    overdue: Decimal  # the part of `due` past its due date
    credit: Decimal  # available customer credit


NO_FIGURES = CustomerFigures(ZERO, ZERO, ZERO, ZERO)
FIGURE_COLUMNS = ("customer_id", "total_gross", "amount_due", "due_date")


def customer_figures(customer_ids: list[int], today: date) -> dict[int, CustomerFigures]:
    """The balances of many customers in two queries (a list page's worth)."""
    invoiced: dict[int, Decimal] = {}
    due: dict[int, Decimal] = {}
    overdue: dict[int, Decimal] = {}
    rows = with_due(
        Invoice.objects.filter(customer_id__in=customer_ids, status=Status.ISSUED)
    ).values_list(*FIGURE_COLUMNS)
    for customer_id, gross, owed, due_date in rows:
        owed = round_money(owed)
        invoiced[customer_id] = invoiced.get(customer_id, ZERO) + gross
        due[customer_id] = due.get(customer_id, ZERO) + owed
        if due_date < today:
            overdue[customer_id] = overdue.get(customer_id, ZERO) + owed
    credit = dict(
        CustomerCreditEntry.objects.filter(customer_id__in=customer_ids)
        .values("customer_id")
        .annotate(s=Sum("amount"))
        .values_list("customer_id", "s")
    )
    return {
        pk: CustomerFigures(
            invoiced=round_money(invoiced.get(pk, ZERO)),
            due=due.get(pk, ZERO),
            overdue=overdue.get(pk, ZERO),
            credit=round_money(credit.get(pk) or ZERO),
        )
        for pk in customer_ids
    }


def delivery_counts(invoices: QuerySet[Invoice]) -> dict[str, int]:
    """How many e-mails of these invoices were sent, are queued, failed (one query)."""
    counts = InvoiceDelivery.objects.filter(invoice__in=invoices.values("pk")).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(error="")),
        queued=Count("pk", filter=Q(sent_at__isnull=True, error="")),
    )
    return {key: value or 0 for key, value in counts.items()}
