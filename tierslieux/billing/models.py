"""Customers, invoices and credit notes with their lines, payments, the credit ledger and
closed periods.

Who keeps which guarantee:
- numbers: `services.issue_invoice` takes them from the locked `InvoiceSequence` row; the
  unique constraints below make a duplicate impossible even behind the services' back;
- an issued invoice never changes: the services refuse, `Invoice.save`/`delete` and the
  queryset's `delete` refuse here, and on PostgreSQL a trigger (migration 0002) refuses any
  UPDATE or DELETE of an issued invoice and any change to its lines;
- balances are append-only: `CustomerCreditEntry` rows are never changed nor deleted.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.tax import RULES
from tierslieux.core.validators import validate_siren
from tierslieux.places.models import Place

ZERO = Decimal("0.00")
HALF_CENT = Value(Decimal("0.005"))
# The rate of art. L441-10 of the Code de commerce when none is agreed: the ECB main
# refinancing rate (2.15 % since June 2025) plus 10 points. Each place sets its own.
DEFAULT_LATE_PENALTY_RATE = Decimal("12.15")
DEFAULT_PAYMENT_TERMS_DAYS = 30


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Family(models.TextChoices):
    """The four revenue families of the micro-centre economic model (the dashboard's rows)."""

    MEMBERSHIPS = "memberships", _("Memberships and subscriptions")
    SERVICES = "services", _("Services")
    PARTNERSHIPS = "partnerships", _("Partnerships")
    SIDE_ACTIVITIES = "side_activities", _("Side activities")


class InvoiceImmutable(ValidationError):
    """An issued invoice (or its lines, or a ledger entry) cannot change: correct it with a
    credit note."""


class Customer(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Company")
        PUBLIC_BODY = "public_body", _("Public body")

    class Language(models.TextChoices):
        FR = "fr", _("French")
        EN = "en", _("English")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="customers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INDIVIDUAL)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, default="FR")
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers"
    )
    # Direct debit: the debtor's account and the SEPA mandate they signed.
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    sepa_mandate_reference = models.CharField(
        _("SEPA mandate reference"), max_length=35, blank=True
    )
    sepa_mandate_date = models.DateField(_("SEPA mandate signed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["place", "name"], name="customer_place_name")]
        constraints = [
            models.CheckConstraint(
                name="customer_kind_valid",
                condition=Q(kind__in=["individual", "association", "company", "public_body"]),
            ),
            models.CheckConstraint(
                name="customer_language_valid", condition=Q(language__in=["fr", "en"])
            ),
            models.CheckConstraint(
                name="customer_mandate_reference_and_date",
                condition=Q(sepa_mandate_reference="", sepa_mandate_date__isnull=True)
                | (~Q(sepa_mandate_reference="") & Q(sepa_mandate_date__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_business(self) -> bool:
        """A company or a public body: its SIREN is required, the 40 EUR indemnity applies."""
        return self.kind in (self.Kind.COMPANY, self.Kind.PUBLIC_BODY)


class BillingProfile(models.Model):
    """What a place's invoices say beyond its sheet: VAT number, bank details, defaults.
    Without a row, the defaults apply (`BillingProfile(place=place)` unsaved)."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="billing_profile")
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    sepa_creditor_id = models.CharField(
        _("SEPA creditor identifier (ICS)"), max_length=35, blank=True
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=DEFAULT_PAYMENT_TERMS_DAYS
    )
    late_penalty_rate = models.DecimalField(
        _("late-payment penalty rate (% a year)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_LATE_PENALTY_RATE,
    )
    # PNG or JPEG, at most 1 MB (`services.update_billing_profile` checks); shown on the PDFs.
    # Never served from MEDIA_URL: the settings page streams it to the place's team.
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    class Meta:
        verbose_name = _("billing profile")
        verbose_name_plural = _("billing profiles")
        constraints = [
            models.CheckConstraint(
                name="billing_profile_penalty_not_negative", condition=Q(late_penalty_rate__gte=0)
            )
        ]

    def __str__(self) -> str:
        return str(self.place)


class InvoiceSequence(models.Model):
    """The one gap-free sequence of a place, shared by invoices and credit notes; its row is
    locked while a number is taken (docs/algorithms/numbering.md)."""

    place = models.OneToOneField(Place, on_delete=models.PROTECT, related_name="invoice_sequence")
    prefix = models.CharField(
        _("prefix"),
        max_length=10,
        default="F",
        validators=[RegexValidator(r"^[A-Z0-9]+$", _("Capital letters and digits only."))],
    )
    next_number = models.PositiveIntegerField(_("next number"), default=1)

    class Meta:
        verbose_name = _("invoice sequence")
        verbose_name_plural = _("invoice sequences")
        constraints = [
            models.CheckConstraint(
                name="sequence_next_number_positive", condition=Q(next_number__gte=1)
            )
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.prefix} {self.next_number}"


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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


class Payment(models.Model):
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["place", "date"], name="payment_place_date")]
        constraints = [
            models.CheckConstraint(name="payment_amount_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="payment_method_valid",
                condition=Q(
                    method__in=["cash", "cheque", "transfer", "card", "sepa_debit", "helloasso"]
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.customer} {self.amount}"


class PaymentAllocation(models.Model):
    """The part of a payment that settles one invoice."""

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


class CustomerCreditEntry(models.Model):
    """One movement of a customer's credit (append-only: the balance is the sum).

    + an overpayment (from a payment) or a credit note on an invoice already paid;
    − credit applied to settle an invoice."""

    class Reason(models.TextChoices):
        OVERPAYMENT = "overpayment", _("Overpayment")
        CREDIT_NOTE = "credit_note", _("Credit note on a paid invoice")
        APPLIED = "applied", _("Applied to an invoice")

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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise InvoiceImmutable(_("The credit ledger is append-only."), code="append_only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise InvoiceImmutable(_("The credit ledger is append-only."), code="append_only")


class ClosedPeriod(models.Model):
    """Dates on which nothing more may be issued (the accounts of the period are closed)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closed_periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["place", "start"]
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        constraints = [
            models.CheckConstraint(name="closed_period_ordered", condition=Q(end__gte=F("start")))
        ]

    def __str__(self) -> str:
        return f"{self.place}: {self.start} – {self.end}"


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

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
