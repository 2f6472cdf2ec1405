"""A place's declaration to a network's census, waiting for the network's decision.

A declaration is not a place: until a network administrator accepts it, nothing of it shows
on the directory, the map, the statistics or the open data. Accepting creates the place (with
a membership whose source is "declaration"); merging writes the chosen values into an
existing place instead; rejecting keeps the row, with the reason, for the declarant's answer.
The sheet is kept as the public form cleaned it (`sheet`: field → value, categories as codes),
with the few columns a moderation queue and the duplicate search need beside it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line


class Declaration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the network")
        ACCEPTED = "accepted", _("Accepted")
        MERGED = "merged", _("Merged into an existing place")
        REJECTED = "rejected", _("Declined")

    network = models.ForeignKey(
        "places.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    postcode = models.CharField(_("postcode"), max_length=10)
    commune = models.CharField(_("commune"), max_length=120)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Folded name and postcode: one pending declaration per place and network (see Meta).
    match_key = models.CharField(max_length=260, editable=False)
    sheet = models.JSONField(_("technical sheet"), default=dict)
    declarant_name = models.CharField(
        _("your name"), max_length=150, validators=[validate_single_line]
    )
    declarant_email = models.EmailField(_("your e-mail"))
    declarant_role = models.CharField(
        _("your role in the place"), max_length=150, blank=True, validators=[validate_single_line]
    )
    language = models.CharField(max_length=10, default="fr", editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=clock.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="declarations",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.CheckConstraint(
                name="declaration_status_valid",
                condition=Q(status__in=["pending", "accepted", "merged", "rejected"]),
            ),
            models.CheckConstraint(
                name="declaration_pending_undecided",
                condition=~Q(status="pending") | Q(decided_at__isnull=True, place__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["network", "match_key"],
                condition=Q(status="pending"),
                name="declaration_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune})"


from tierslieux.observatory.import_models import CensusImport  # noqa: E402, F401
