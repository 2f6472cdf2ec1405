"""A scenario a place or a network saves (issue 15): its data is exactly what
`scenario.parse` reads, so the page, the command and the exports read the same thing.

A place's scenarios hold its finances (the team with `Perm.MANAGE_BILLING`); a network's are
the projects its administrators model with towns and project holders, with a `project` label
for a place that has no building yet, handed over to the place once it exists. Only
`economics.services` writes them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tierslieux.billing.models import Funding
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Network, Place


class Scenario(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="economic_scenarios",
    )  # fmt: skip
    network = models.ForeignKey(
        Network, verbose_name=_("network"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="economic_scenarios",
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    project = models.CharField(
        _("project"), max_length=200, blank=True, validators=[validate_single_line],
        help_text=_("A project without a building yet, e.g. “Tiers-lieu de Felletin (projet)”."),
    )  # fmt: skip
    template = models.CharField(_("template"), max_length=40, blank=True)
    data = models.JSONField(_("scenario data"))
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, editable=False)
    # A network's project handed over to the place it became (`services.hand_over`): the
    # place got a copy; the network keeps this one as it was.
    handed_to = models.ForeignKey(
        Place, verbose_name=_("handed over to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    handed_at = models.DateTimeField(_("handed over at"), null=True, blank=True, editable=False)
    # A read-only link its team sends to a town or a funder (`services.share`): whoever has
    # it reads the scenario without an account, until the team withdraws it.
    share_key = models.CharField(
        _("read-only link key"), max_length=40, unique=True, null=True, blank=True,
        editable=False,
    )  # fmt: skip

    class Meta:
        verbose_name = _("economic scenario")
        verbose_name_plural = _("economic scenarios")
        ordering = ("archived", "-updated_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=(Q(place__isnull=False) & Q(network__isnull=True))
                | (Q(place__isnull=True) & Q(network__isnull=False)),
                name="economics_scenario_one_owner",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="economics_scenario_named"),
            models.CheckConstraint(
                condition=Q(handed_to__isnull=True)
                | (Q(network__isnull=False) & Q(handed_at__isnull=False)),
                name="economics_scenario_handed_from_a_network",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# A running place's actuals against its plan. Amounts in euros as Decimal (they are what was
# paid, not an estimate); at most a million a line, as billing caps a price.
MAX_AMOUNT = Decimal("1000000.00")


class ExpenseCategory(models.TextChoices):
    """The engine's cost lines, so that an expense compares with the plan's line."""

    RENT = "rent", _("Rent and charges")
    STAFF = "staff", _("Staff costs")
    INSURANCE = "insurance", _("Insurance")
    MAINTENANCE = "maintenance", _("Maintenance")
    SUBSCRIPTIONS = "subscriptions", _("Subscriptions and licences")
    VARIABLE = "variable", _("Variable costs")
    INVESTMENT = "investment", _("Investment")
    OTHER = "other", _("Other")


class FunderKind(models.TextChoices):
    """The scenario's funding sources (`scenario.FUNDING_SOURCES`), loans aside."""

    EU = "eu", _("European Union")
    STATE = "state", _("State")
    REGION = "region", _("Region")
    DEPARTEMENT = "departement", _("Département")
    TOWN = "town", _("Town or grouping")
    PRIVATE = "private", _("Private")
    OWN_FUNDS = "own_funds", _("Own funds")


class Paid(models.Model):
    """What an expense and a grant share: an amount in euros as Decimal (what was paid or
    agreed, not an estimate; at most a million, as billing caps a price; each model's check
    holds it in the database too) and who recorded it, when."""

    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        abstract = True


class Expense(Paid):
    """One cost the place paid, as its ledger or its accountant's export records it. Only
    `economics.services_actuals` writes them."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="expenses"
    )
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    label = models.CharField(_("label"), max_length=200, validators=[validate_single_line])

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=["place", "date"], name="economics_expense_place_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT),
                name="economics_expense_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(category__in=ExpenseCategory.values),
                name="economics_expense_category_known",
            ),
            models.CheckConstraint(condition=~Q(label=""), name="economics_expense_labelled"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class Grant(Paid):
    """A grant agreed for a period: its amount is spread evenly over its months, first and
    last included (both stored as the first day of their month)."""

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="grants"
    )
    funder_kind = models.CharField(_("funder kind"), max_length=20, choices=FunderKind.choices)
    funder = models.CharField(_("funder"), max_length=200, validators=[validate_single_line])
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ("-first_month", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=F("first_month")), name="economics_grant_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT),
                name="economics_grant_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(funder_kind__in=FunderKind.values),
                name="economics_grant_funder_kind_known",
            ),
            models.CheckConstraint(condition=~Q(funder=""), name="economics_grant_funder_named"),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.first_month}–{self.last_month}"


class GrantReceipt(models.Model):
    """A funding billing recorded as received (`billing.Funding`) that pays a grant: the
    actuals then count the grant over its agreed months and not this funding in the month
    received, so that the same money is not counted twice. A funding pays at most one grant
    (unique in the database). Both must be the same place's: the database cannot say so, as
    a check constraint reads only its own row and the two places live in two other tables;
    `services_actuals.link_funding` checks it, the only writer."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="receipts"
    )
    funding = models.ForeignKey(
        Funding, verbose_name=_("funding received"), on_delete=models.CASCADE,
        related_name="grant_receipts",
    )  # fmt: skip
    linked_at = models.DateTimeField(_("linked at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("grant receipt")
        verbose_name_plural = _("grant receipts")
        ordering = ("grant", "pk")
        constraints = [
            models.UniqueConstraint(fields=["funding"], name="economics_receipt_pays_one_grant")
        ]

    def __str__(self) -> str:
        return f"{self.grant} ← {self.funding}"
