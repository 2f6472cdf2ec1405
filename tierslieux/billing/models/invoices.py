"""Invoices and credit notes, their lines, closed periods and e-mail deliveries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tierslieux.billing.models.base import HALF_CENT, ZERO, Family, InvoiceImmutable, money
from tierslieux.billing.models.customers import Customer
from tierslieux.billing.tax import RULES
from tierslieux.core import clock
from tierslieux.core.append_only import AppendOnlyModel
from tierslieux.places.models import Place


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=Invoice.Status.ISSUED).exists():
            raise InvoiceImmutable(_("An issued invoice is never deleted: issue a credit note."))
        return super().delete()

    def issued(self) -> InvoiceQuerySet:
        return self.filter(status=Invoice.Status.ISSUED)


class Invoice(models.Model):
    """An invoice or a credit note. A draft has no number; issuing assigns it, copies the
    seller and the buyer and freezes everything (hash-chained to the previous one)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("corrects invoice"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    sequence_number = models.PositiveIntegerField(_("sequence number"), null=True, blank=True)
    # NULL until issued (never ""): the unique constraint below covers issued numbers only.
    number = models.CharField(_("number"), max_length=20, null=True, blank=True)  # noqa: DJ001
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    service_start = models.DateField(_("service from"), null=True, blank=True)
    service_end = models.DateField(_("service until"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=255, blank=True)
    # Null on a draft: the place's billing profile decides at issue.
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), null=True, blank=True
    )
    late_penalty_rate = models.DecimalField(
        _("late-payment penalty rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # Copied at issue: the invoice says what was true that day, whatever changes later.
    seller = models.JSONField(_("seller"), default=dict, blank=True)
    buyer = models.JSONField(_("buyer"), default=dict, blank=True)
    taxes = models.JSONField(_("taxes per rule"), default=list, blank=True)
    total_net = money(_("total excluding tax"), default=ZERO)
    total_tax = money(_("total tax"), default=ZERO)
    total_gross = money(_("total including tax"), default=ZERO)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["place", "sequence_number", "id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(
                fields=["place", "status", "issue_date"], name="invoice_place_status_date"
            ),
            models.Index(fields=["customer", "status"], name="invoice_customer_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "number"],
                condition=Q(number__isnull=False),
                name="invoice_number_unique_per_place",
            ),
            models.UniqueConstraint(
                fields=["place", "sequence_number"],
                condition=Q(sequence_number__isnull=False),
                name="invoice_sequence_number_unique_per_place",
            ),
            models.CheckConstraint(
                name="invoice_kind_valid", condition=Q(kind__in=["invoice", "credit_note"])
            ),
            models.CheckConstraint(
                name="invoice_status_valid", condition=Q(status__in=["draft", "issued"])
            ),
            models.CheckConstraint(
                name="invoice_credit_note_corrects_an_invoice",
                condition=Q(kind="invoice", corrects__isnull=True)
                | Q(kind="credit_note", corrects__isnull=False),
            ),
            models.CheckConstraint(
                name="invoice_number_iff_issued",
                condition=Q(
                    status="draft",
                    number__isnull=True,
                    sequence_number__isnull=True,
                    issued_at__isnull=True,
                )
                | (
                    Q(
                        status="issued",
                        number__isnull=False,
                        sequence_number__isnull=False,
                        issued_at__isnull=False,
                        issue_date__isnull=False,
                        due_date__isnull=False,
                    )
                    & ~Q(hash="")
                ),
            ),
            models.CheckConstraint(
                name="invoice_service_period_ordered",
                condition=Q(service_start__isnull=True)
                | Q(service_end__isnull=True)
                | Q(service_end__gte=F("service_start")),
            ),
            # Equal to the cent: SQLite keeps decimals as binary floats (-0.27 + -0.01 is not
            # -0.28 there), PostgreSQL's numeric is exact.
            models.CheckConstraint(
                name="invoice_totals_add_up",
                condition=Q(total_gross__gt=F("total_net") + F("total_tax") - HALF_CENT)
                & Q(total_gross__lt=F("total_net") + F("total_tax") + HALF_CENT),
            ),
            models.CheckConstraint(
                name="invoice_sign_by_kind",
                condition=Q(status="draft")
                | Q(kind="invoice", total_gross__gte=0)
                | Q(kind="credit_note", total_gross__lte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft #%(id)s") % {"id": self.pk})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Invoice.objects.filter(pk=self.pk, status=self.Status.ISSUED).exists():
            raise InvoiceImmutable(
                _("Invoice %(number)s is issued: it can no longer change; issue a credit note."),
                code="issued",
                params={"number": self.number},
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_issued or Invoice.objects.filter(pk=self.pk, status=self.Status.ISSUED).exists():
            raise InvoiceImmutable(
                _("Invoice %(number)s is issued: it is never deleted; issue a credit note."),
                code="issued",
                params={"number": self.number},
            )
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"))
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=3, default="C62")  # UN/ECE rec. 20
    unit_price_net = money(_("unit price excluding tax"))
    tax_code = models.CharField(_("tax rule"), max_length=20)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    net = money(_("amount excluding tax"))
    account = models.CharField(_("revenue account"), max_length=10, default="706000")
    family = models.CharField(
        _("revenue family"), max_length=16, choices=Family.choices, default=Family.SERVICES
    )
    # On a credit note: the invoice line it credits (what remains uncredited is per line).
    corrects_line = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credited_by"
    )

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoice_line_position_unique"
            ),
            models.CheckConstraint(
                name="invoice_line_tax_code_known", condition=Q(tax_code__in=sorted(RULES))
            ),
            models.CheckConstraint(
                name="invoice_line_rate_not_negative", condition=Q(tax_rate__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.description}"


class ClosedPeriod(AppendOnlyModel):
    """Dates on which nothing more may be issued (the accounts of the period are closed):
    never reopened, changed nor deleted (`core.append_only`; on PostgreSQL a trigger)."""

    append_only_message = _("A closed period is never reopened, changed nor deleted.")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closed_periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    closed_at = models.DateTimeField(_("closed at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "start"]
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        constraints = [
            models.CheckConstraint(name="closed_period_ordered", condition=Q(end__gte=F("start")))
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.start} – {self.end}"


class InvoiceDelivery(models.Model):
    """One sending of an issued invoice or credit note by e-mail. The invoice's row never
    changes once issued, so each sending is a row of its own: queued (neither `sent_at` nor
    `error`), sent, or failed with the mail server's answer."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="deliveries")
    to = models.EmailField(_("to"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invoice delivery")
        verbose_name_plural = _("invoice deliveries")
        constraints = [
            models.CheckConstraint(
                name="invoice_delivery_sent_or_failed",
                condition=Q(sent_at__isnull=True) | Q(error=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} → {self.to}"

    @property
    def state(self) -> str:
        """ "sent", "failed" or "queued"."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.error else "queued"
