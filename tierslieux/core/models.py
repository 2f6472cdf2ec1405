"""The audit log: who changed what, when. Written by services through `core.audit`, never
edited nor deleted (append-only in the model, its queryset, and a PostgreSQL trigger)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock
from tierslieux.core.append_only import AppendOnlyModel


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("at"), default=clock.now, editable=False, db_index=True)
    # Deleting a user keeps their entries and forgets who they were: the trigger lets ON
    # DELETE SET NULL through (`nullable=("actor_id",)` in the migration), nothing else.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    # Scope of tenant data, kept as a plain id: core knows nothing of places.
    place_id = models.BigIntegerField(_("place id"), null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
