"""What the billing models share: money fields, revenue families, the refusal of a change
to an issued invoice, the defaults of a place's terms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")
HALF_CENT = Value(Decimal("0.005"))
# The rate of art. L441-10 of the Code de commerce when none is agreed: the ECB main
# refinancing rate (2.15 % since June 2025) plus 10 points. Each place sets its own.
DEFAULT_LATE_PENALTY_RATE = Decimal("12.15")
DEFAULT_PAYMENT_TERMS_DAYS = 30
# Bounds a person would expect: no price of a tiers-lieu reaches a million euros, nor an
# invoice line a hundred thousand units; beyond, it is a typing error (and far enough below
# the columns' 12 digits that no total of lines overflows them).
MAX_PRICE = Decimal("1000000.00")
MAX_QUANTITY = Decimal("100000")


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Family(models.TextChoices):
    """The four revenue families of the micro-centre economic model (the dashboard's rows)."""

    MEMBERSHIPS = "memberships", _("Memberships and subscriptions")
    SERVICES = "services", _("Services")
    PARTNERSHIPS = "partnerships", _("Partnerships")
    SIDE_ACTIVITIES = "side_activities", _("Side activities")


class InvoiceImmutable(ValidationError):
    """An issued invoice (or its lines) cannot change: correct it with a credit note. (A
    ledger entry refuses with `core.append_only.AppendOnlyError`.)"""
