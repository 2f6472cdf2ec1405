"""A place's consent that its network's administrators read its management data.

Data minimisation: by default a network sees a place's aggregated figures only; the place's
coordinator may grant its network's administrators the people, bookings, members and billing
pages. One row per place and network while granted; revoking deletes it (the audit log keeps
who granted and revoked, and when)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock


class NetworkGrant(models.Model):
    """“Le réseau peut consulter nos données de gestion”: while this row exists."""

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="network_grants"
    )
    network = models.ForeignKey("places.Network", on_delete=models.CASCADE, related_name="grants")
    granted_by = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("network's access to management data")
        verbose_name_plural = _("network's accesses to management data")
        constraints = [
            models.UniqueConstraint(fields=["place", "network"], name="network_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.network} → {self.place}"
