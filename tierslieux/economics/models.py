"""A scenario a place or a network saves (issue 15): its data is exactly what
`scenario.parse` reads, so the page, the command and the exports read the same thing.

A place's scenarios hold its finances (the team with `Perm.MANAGE_BILLING`); a network's are
the projects its administrators model with towns and project holders, with a `project` label
for a place that has no building yet. Only `economics.services` writes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
        ]

    def __str__(self) -> str:
        return self.name
