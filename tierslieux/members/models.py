"""A place's catalogue (products and room-hire rates), subscriptions and their pauses, passes,
the credit ledger and the charges waiting for the bill run.

Who keeps which guarantee:
- the credit ledger is append-only (`core.append_only`: the model, its queryset and, on
  PostgreSQL, a trigger refuse a change or a deletion); a balance is the sum of a person's
  entries in a wallet; a grant per subscription cycle, a refund per consumption and an expiry
  per grant are unique in the database, so a retried job cannot count twice;
- a charge is invoiced once: `Charge.source` is unique per place when set (one charge per
  booking, one per subscription period) and its `invoice_line` is set when a bill run
  invoices it;
- a bill run is unique per place and month.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import MAX_PRICE, Customer, Family, Invoice, InvoiceLine, money
from tierslieux.billing.tax import RULES
from tierslieux.core import clock
from tierslieux.core.append_only import AppendOnlyModel
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, Space

TAX_CODES = sorted(RULES)
DESCRIPTION_LENGTH = 2_000  # a product is described in a few lines, on a page


class Wallet(models.TextChoices):
    """What a credit buys: hours of rooms, hours of machines, days at a desk."""

    ROOM_HOURS = "room_hours", _("Room hours")
    MACHINE_HOURS = "machine_hours", _("Machine hours")
    DESK_DAYS = "desk_days", _("Desk days")


class Product(models.Model):
    """Something a place sells: a membership fee, a coworking plan, a pass, a pack of hours,
    an event ticket or any other service. Room hire is priced by `RoomRate`."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Membership fee")
        PLAN = "plan", _("Coworking plan")
        PASS = "pass", _("Pass")
        PACK = "pack", _("Pack of credits")
        TICKET = "ticket", _("Event ticket")
        SERVICE = "service", _("Other service")

    class Period(models.TextChoices):
        NONE = "", _("One-off")
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        INDIVIDUAL = "individual", _("Individuals")
        ORGANISATION = "organisation", _("Organisations")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_LENGTH)],
    )
    active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    audience = models.CharField(
        _("for"), max_length=12, choices=Audience.choices, default=Audience.ANYONE
    )
    price_net = money(_("price excluding tax"), validators=[MaxValueValidator(MAX_PRICE)])
    # Solidarity / pay-what-you-want: the buyer chooses a price of at least this much.
    min_price_net = money(
        _("minimum price (pay what you want)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PRICE)],
    )
    tax_code = models.CharField(_("tax rule"), max_length=20, choices=[(c, c) for c in TAX_CODES])
    account = models.CharField(_("revenue account"), max_length=10, default="706000")
    family = models.CharField(
        _("revenue family"), max_length=16, choices=Family.choices, default=Family.SERVICES
    )
    period = models.CharField(
        _("billing period"), max_length=5, choices=Period.choices, default="", blank=True
    )
    # Credits granted on purchase (pack, book of passes) or each cycle (plan allowance).
    wallet = models.CharField(_("credits in"), max_length=14, choices=Wallet.choices, blank=True)
    credits = models.DecimalField(
        _("credits"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # How long a pass covers, or how long purchased credits last (null: no expiry).
    validity_days = models.PositiveIntegerField(_("valid for (days)"), null=True, blank=True)
    notice_days = models.PositiveIntegerField(_("notice to cancel (days)"), default=0)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "kind", "position", "name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                name="product_kind_valid",
                condition=Q(kind__in=["membership", "plan", "pass", "pack", "ticket", "service"]),
            ),
            models.CheckConstraint(
                name="product_tax_code_known", condition=Q(tax_code__in=TAX_CODES)
            ),
            models.CheckConstraint(
                name="product_price_not_negative", condition=Q(price_net__gte=0)
            ),
            models.CheckConstraint(
                name="product_price_at_most_the_maximum", condition=Q(price_net__lte=MAX_PRICE)
            ),
            models.CheckConstraint(
                name="product_min_price_within",
                condition=Q(min_price_net__isnull=True)
                | (Q(min_price_net__gte=0) & Q(min_price_net__lte=F("price_net"))),
            ),
            models.CheckConstraint(
                name="product_recurring_has_period",
                condition=~Q(kind__in=["membership", "plan"]) | ~Q(period=""),
            ),
            models.CheckConstraint(
                name="product_credits_with_wallet",
                condition=Q(wallet="", credits__isnull=True) | (~Q(wallet="") & Q(credits__gt=0)),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recurring(self) -> bool:
        return self.kind in (self.Kind.MEMBERSHIP, self.Kind.PLAN)


class RoomRate(models.Model):
    """The rate card: a price per hour, half-day or day for a space and a kind of customer."""

    class Audience(models.TextChoices):
        MEMBER = "member", _("Members")
        NON_MEMBER = "non_member", _("Non-members")
        ASSOCIATION = "association", _("Associations")
        COMPANY = "company", _("Companies")
        PUBLIC_BODY = "public_body", _("Public bodies")

    class Unit(models.TextChoices):
        HOUR = "hour", _("Hour")
        HALF_DAY = "half_day", _("Half-day")
        DAY = "day", _("Day")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="room_rates")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="rates")
    audience = models.CharField(_("for"), max_length=12, choices=Audience.choices)
    unit = models.CharField(_("per"), max_length=8, choices=Unit.choices)
    price_net = money(_("price excluding tax"), validators=[MaxValueValidator(MAX_PRICE)])
    tax_code = models.CharField(_("tax rule"), max_length=20, choices=[(c, c) for c in TAX_CODES])

    class Meta:
        ordering = ["space", "audience", "unit"]
        verbose_name = _("room-hire rate")
        verbose_name_plural = _("room-hire rates")
        constraints = [
            models.UniqueConstraint(
                fields=["space", "audience", "unit"], name="room_rate_unique_per_space"
            ),
            models.CheckConstraint(
                name="room_rate_audience_valid",
                condition=Q(
                    audience__in=["member", "non_member", "association", "company", "public_body"]
                ),
            ),
            models.CheckConstraint(
                name="room_rate_unit_valid", condition=Q(unit__in=["hour", "half_day", "day"])
            ),
            models.CheckConstraint(
                name="room_rate_price_not_negative", condition=Q(price_net__gte=0)
            ),
            models.CheckConstraint(
                name="room_rate_price_at_most_the_maximum", condition=Q(price_net__lte=MAX_PRICE)
            ),
            models.CheckConstraint(
                name="room_rate_tax_code_known", condition=Q(tax_code__in=TAX_CODES)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space} · {self.get_audience_display()} · {self.get_unit_display()}"


class Subscription(models.Model):
    """A membership or a plan held by a person (or an organisation), paid by a customer —
    the person themself or the organisation that pays for its people."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="subscriptions")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="subscriptions")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("paid by")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="subscriptions"
    )
    # The agreed price per period (a pay-what-you-want fee keeps what the member chose).
    price_net = money(_("price excluding tax"), validators=[MaxValueValidator(MAX_PRICE)])
    start = models.DateField(_("starts on"))
    # Set by a cancellation: the last day covered (notice included).
    end = models.DateField(_("ends on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "start", "id"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [models.Index(fields=["place", "end"], name="subscription_place_end")]
        constraints = [
            models.CheckConstraint(
                name="subscription_holder",
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="subscription_price_not_negative", condition=Q(price_net__gte=0)
            ),
            models.CheckConstraint(
                name="subscription_price_at_most_the_maximum", condition=Q(price_net__lte=MAX_PRICE)
            ),
            models.CheckConstraint(
                name="subscription_period_ordered",
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.person or self.organisation}"


class SubscriptionPause(models.Model):
    """Days (inclusive) when a subscription is suspended: not billed, no credits granted."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="pauses")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))

    class Meta:
        ordering = ["subscription", "start"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(name="pause_ordered", condition=Q(end__gte=F("start")))
        ]

    def __str__(self) -> str:
        return f"{self.subscription}: {self.start} – {self.end}"


class Pass(models.Model):
    """A day, week or month pass: the holder may use the desks of the place on these days."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="passes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="passes")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="passes")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "valid_from", "id"]
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        indexes = [models.Index(fields=["person", "valid_until"], name="pass_person_until")]
        constraints = [
            models.CheckConstraint(
                name="pass_period_ordered", condition=Q(valid_until__gte=F("valid_from"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.person} · {self.valid_from}"


class CreditEntry(AppendOnlyModel):
    """One movement of a person's credits in a wallet (append-only; the balance is the sum).

    + grant (a plan's allowance for one cycle), purchase (a pack, a book of passes), refund
    (a consumption given back, `reverses` it), adjust (by the team, either sign);
    − consume (a booking), expire (what is left of a grant or purchase, `reverses` it)."""

    class Reason(models.TextChoices):
        GRANT = "grant", _("Plan allowance")
        PURCHASE = "purchase", _("Purchase")
        CONSUME = "consume", _("Used by a booking")
        REFUND = "refund", _("Booking cancelled in time")
        EXPIRE = "expire", _("Expired")
        ADJUST = "adjust", _("Adjustment")

    append_only_message = _("The credit ledger is append-only.")

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="credit_ledger")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credit_entries")
    wallet = models.CharField(_("wallet"), max_length=14, choices=Wallet.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=8, choices=Reason.choices)
    # Grants and purchases: the last day the credits can be used (null: no expiry).
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="credits"
    )
    period_start = models.DateField(_("cycle starting"), null=True, blank=True)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # What consumed it, e.g. "booking:42" (bookings sit above this app: a label, not a key).
    source = models.CharField(_("source"), max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")
        indexes = [models.Index(fields=["person", "place", "wallet"], name="credit_person_wallet")]
        constraints = [
            models.CheckConstraint(
                name="credit_entry_sign_by_reason",
                condition=Q(reason__in=["grant", "purchase", "refund"], quantity__gt=0)
                | Q(reason__in=["consume", "expire"], quantity__lt=0)
                | (Q(reason="adjust") & ~Q(quantity=0)),
            ),
            models.CheckConstraint(
                name="credit_entry_reverses_shape",
                condition=Q(reason__in=["refund", "expire"], reverses__isnull=False)
                | (~Q(reason__in=["refund", "expire"]) & Q(reverses__isnull=True)),
            ),
            models.CheckConstraint(
                name="credit_entry_grant_has_cycle",
                condition=~Q(reason="grant")
                | Q(subscription__isnull=False, period_start__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["subscription", "period_start"],
                condition=Q(reason="grant"),
                name="credit_grant_once_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["reverses"],
                condition=Q(reverses__isnull=False),
                name="credit_reversed_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.wallet} {self.quantity:+}"


class BillRun(models.Model):
    """A month of a place's billing, confirmed once: subscriptions and usage invoiced."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bill_runs")
    month = models.DateField(_("month"))  # the first day of the month
    issue_date = models.DateField(_("issue date"))
    invoices = models.ManyToManyField(Invoice, related_name="bill_runs", blank=True)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    total_gross = money(_("total including tax"), default=Decimal("0.00"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "-month"]
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")
        constraints = [
            models.UniqueConstraint(fields=["place", "month"], name="bill_run_once_per_month"),
            models.CheckConstraint(name="bill_run_month_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.month:%Y-%m}"


class Charge(models.Model):
    """Something to invoice at the next bill run: a booking's price, a subscription's
    period, an item added by the team. Invoiced once (`invoice_line`), or voided."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="charges")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="charges")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="charges"
    )
    description = models.CharField(_("description"), max_length=500)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=3, default="C62")  # UN/ECE rec. 20
    unit_price_net = money(_("unit price excluding tax"))
    tax_code = models.CharField(_("tax rule"), max_length=20)
    account = models.CharField(_("revenue account"), max_length=10, default="706000")
    family = models.CharField(
        _("revenue family"), max_length=16, choices=Family.choices, default=Family.SERVICES
    )
    service_date = models.DateField(_("service date"))
    service_end = models.DateField(_("service until"), null=True, blank=True)
    # "booking:42", "subscription:7:2026-11-01": one charge per source and place.
    source = models.CharField(_("source"), max_length=60, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    invoice_line = models.OneToOneField(
        InvoiceLine, null=True, blank=True, on_delete=models.PROTECT, related_name="charge"
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "service_date", "id"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        indexes = [
            models.Index(
                fields=["place", "service_date"],
                condition=Q(invoice_line__isnull=True, voided_at__isnull=True),
                name="charge_pending",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "source"], condition=~Q(source=""), name="charge_source_once"
            ),
            models.CheckConstraint(name="charge_quantity_positive", condition=Q(quantity__gt=0)),
            models.CheckConstraint(
                name="charge_price_not_negative", condition=Q(unit_price_net__gte=0)
            ),
            models.CheckConstraint(
                name="charge_tax_code_known", condition=Q(tax_code__in=TAX_CODES)
            ),
            models.CheckConstraint(
                name="charge_invoiced_or_voided",
                condition=Q(invoice_line__isnull=True) | Q(voided_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_date} {self.description}"
