"""Payments and their allocations to invoices, the customers' credit ledger, fundings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.billing.models.base import Family, money
from tierslieux.billing.models.customers import Customer
from tierslieux.billing.models.invoices import Invoice
from tierslieux.core import clock
from tierslieux.core.append_only import AppendOnlyModel
from tierslieux.places.models import Place


class Payment(AppendOnlyModel):
    """Money received: written once by `services.record_payment` with its allocations, and
    chained per place (`previous_hash`, `hash`: `billing.chain.payment_payload`); never
    changed nor deleted (`core.append_only`; on PostgreSQL a trigger)."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CHEQUE = "cheque", _("Cheque")
        TRANSFER = "transfer", _("Bank transfer")
        CARD = "card", _("Card")
        SEPA_DEBIT = "sepa_debit", _("SEPA direct debit")
        HELLOASSO = "helloasso", _("HelloAsso")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="payments")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="payments")
    date = models.DateField(_("date"))
    amount = money(_("amount"))
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    append_only_message = _("A payment is never changed nor deleted: record a new one.")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["place", "date"], name="payment_place_date")]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
            # One successor per link: two payments chained after the same one is a fork.
            models.UniqueConstraint(
                fields=["place", "previous_hash"], name="payment_chain_one_successor"
            ),
            models.CheckConstraint(
                name="payment_method_valid",
                condition=Q(
                    method__in=["cash", "cheque", "transfer", "card", "sepa_debit", "helloasso"]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.customer} {self.amount}"


class PaymentAllocation(AppendOnlyModel):
    """The part of a payment that settles one invoice (written with the payment, covered by
    its hash; never changed nor deleted)."""

    append_only_message = _("A payment is never changed nor deleted: record a new one.")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = money(_("amount"))

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.UniqueConstraint(fields=["payment", "invoice"], name="allocation_unique"),
            models.CheckConstraint(name="allocation_amount_positive", condition=Q(amount__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.amount} → {self.invoice}"


class CustomerCreditEntry(AppendOnlyModel):
    """One movement of a customer's credit (append-only: the balance is the sum; on
    PostgreSQL a trigger, migration 0006, refuses any UPDATE or DELETE).

    + an overpayment (from a payment) or a credit note on an invoice already paid;
    − credit applied to settle an invoice."""

    class Reason(models.TextChoices):
        OVERPAYMENT = "overpayment", _("Overpayment")
        CREDIT_NOTE = "credit_note", _("Credit note on a paid invoice")
        APPLIED = "applied", _("Applied to an invoice")

    append_only_message = _("The credit ledger is append-only.")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="credit_entries")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_entries")
    amount = money(_("amount"))
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_entries"
    )
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_entries"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("customer credit entry")
        verbose_name_plural = _("customer credit entries")
        constraints = [
            models.CheckConstraint(
                name="credit_entry_shape",
                condition=Q(reason="overpayment", payment__isnull=False, amount__gt=0)
                | Q(reason="credit_note", invoice__isnull=False, amount__gt=0)
                | Q(reason="applied", invoice__isnull=False, amount__lt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.amount:+}"


class Funding(models.Model):
    """Money a place receives without invoicing it: a grant, a local-authority agreement, a
    sponsorship. Counted in the revenue dashboard (partnerships) in the month received; a
    public funder's share is what the viability threshold (≤ 30 %) watches."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="fundings")
    funder = models.CharField(_("funder"), max_length=200)
    public = models.BooleanField(_("public funder"), default=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = money(_("amount"))
    received_on = models.DateField(_("received on"))
    family = models.CharField(
        _("revenue family"), max_length=16, choices=Family.choices, default=Family.PARTNERSHIPS
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "-received_on", "id"]
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        indexes = [models.Index(fields=["place", "received_on"], name="funding_place_date")]
        constraints = [
            models.CheckConstraint(name="funding_amount_positive", condition=Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.amount}"
