"""An import of a census file into a network: the file kept, its dry run, its outcome.

The uploaded file is kept as it came (what was imported can be read again); the report is
the dry run's, then the import's, line by line (`import_services` writes both). The status
and progress are what the result page shows while the task worker imports; one import per
network is under way at a time (a double click follows it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock


def _import_file(census_import: CensusImport, filename: str) -> str:
    return f"imports/{census_import.network_id}/{filename}"


class CensusImport(models.Model):
    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked (dry run)")
        QUEUED = "queued", _("Waiting for the task worker")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed: nothing was imported")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    network = models.ForeignKey(
        "places.Network",
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="census_imports",
    )
    mapping = models.CharField(_("source"), max_length=60)
    file = models.FileField(_("file"), upload_to=_import_file, max_length=255)
    filename = models.CharField(_("file name"), max_length=200)  # as uploaded
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKED
    )
    done = models.PositiveIntegerField(_("lines done"), default=0)
    total = models.PositiveIntegerField(_("lines"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    language = models.CharField(max_length=10, default="fr", editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=clock.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("census import")
        verbose_name_plural = _("census imports")
        constraints = [
            models.CheckConstraint(
                name="census_import_status_valid",
                condition=Q(status__in=["checked", "queued", "running", "done", "failed"]),
            ),
            models.CheckConstraint(
                name="census_import_done_within_total", condition=Q(done__lte=models.F("total"))
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(status__in=["queued", "running"]),
                name="census_import_one_active_per_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mapping}: {self.filename}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0
