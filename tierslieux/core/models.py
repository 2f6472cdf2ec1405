"""The audit log: who changed what, when. Written by services through `core.audit`, never
edited nor deleted (append-only in the model, its queryset, and a PostgreSQL trigger)."""

from __future__ import annotations

from datetime import timedelta

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


def _job_file(job: Job, filename: str) -> str:
    return f"jobs/{job.place_id}/{job.pk}/{filename}"


class Job(models.Model):
    """Long work the task worker does for a place (a bill run, an export): its state and
    progress for the page that follows it, its error if it failed (never "waiting" forever),
    its file if it made one. Written only by `core.jobs`; the apps name their kinds."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    ACTIVE = (State.QUEUED, State.RUNNING)
    # No job of the project runs this long (a bill run of 2,000 members: seconds): one that
    # has, lost its worker (killed, machine restarted) and is asked for again.
    STALE_AFTER = timedelta(hours=1)

    kind = models.CharField(_("kind"), max_length=40)
    place_id = models.BigIntegerField(_("place id"))  # core knows nothing of places
    # What the job is about within its kind (a month, a format and period): one active job
    # per place, kind and key, so a double click follows the job already under way.
    key = models.CharField(_("key"), max_length=120, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=_job_file, max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)  # as downloaded
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["place_id", "kind", "-created_at"], name="job_place_kind")]
        constraints = [
            models.UniqueConstraint(
                fields=["place_id", "kind", "key"],
                condition=models.Q(state__in=["queued", "running"]),
                name="job_one_active_per_key",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="job_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(state="failed") | models.Q(error=""),
                name="job_error_only_when_failed",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running"])
                | models.Q(finished_at__isnull=False),
                name="job_finished_when_over",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def stale(self) -> bool:
        """Running for longer than any job takes: its worker is gone."""
        return (
            self.state == self.State.RUNNING
            and self.started_at is not None
            and clock.now() - self.started_at > self.STALE_AFTER
        )

    @property
    def percent(self) -> int | None:
        """How far along, 0–100, when the total is known."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
