"""The lines of a place's resource team, as its technical sheet declares them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TeamMember(models.Model):
    """A line of the place's resource team as declared on its sheet (roles and FTE)."""

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("role"), max_length=150)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    fte = models.DecimalField(
        _("full-time equivalent"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["place", "id"]
        verbose_name = _("team line")
        verbose_name_plural = _("team")
        constraints = [
            models.CheckConstraint(name="team_fte_not_negative", condition=Q(fte__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.role} ×{self.people}"
