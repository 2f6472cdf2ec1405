"""A place's customers, its billing profile (terms, bank details, logo) and its invoice
sequence."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models.base import DEFAULT_LATE_PENALTY_RATE, DEFAULT_PAYMENT_TERMS_DAYS
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line, validate_siren
from tierslieux.places.models import Place


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
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
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
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

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
