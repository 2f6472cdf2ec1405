"""Long work off the request: the only writer of `Job` rows.

A page asks for work with `start` (a double click finds the job already under way, backed by
the unique index on the active jobs), enqueues its task, and sends the team to a page that
follows the job. The task's body runs inside `run`, which marks the job running, lets the
work report its progress, keeps its file, and records why it failed — a refusal's message,
or the error that stopped it — so that a job never stays "waiting" behind a failure.

With the immediate task backend (the default, and the tests) the job is over when `start`'s
caller enqueues it; with the database backend a worker (`manage.py db_worker`) runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks.base import Task

from tierslieux.core import clock
from tierslieux.core.models import Job
from tierslieux.core.types import Actor

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000  # enough for a refusal naming its customers; a traceback goes to the log


@dataclass(frozen=True)
class Output:
    """A file a job made, kept for the place."""

    filename: str
    content: bytes


Report = Callable[[int, int | None], None]
Work = Callable[[Job, Report], Output | None]


def _active(place_id: int, kind: str, key: str) -> Job | None:
    return Job.objects.filter(place_id=place_id, kind=kind, key=key, state__in=Job.ACTIVE).first()


def start(
    *, actor: Actor, kind: str, place_id: int, key: str, params: dict[str, Any]
) -> tuple[Job, bool]:
    """The active job of this kind and key for the place, or a new queued one (`True`): the
    caller enqueues the task only for a new one. A job whose worker is gone (`Job.stale`) is
    recorded as failed and replaced. The caller has checked access."""
    with transaction.atomic():
        active = _active(place_id, kind, key)
        if active is not None and active.stale:
            _fail(active.pk, _("The task worker stopped during the work; it was asked for again."))
            active = None
        if active is not None:
            return active, False
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    kind=kind,
                    place_id=place_id,
                    key=key,
                    params={**params, "language": translation.get_language()},
                    requested_by_id=actor.pk if actor.is_authenticated else None,
                )
        except IntegrityError:  # the other click's job won the race: follow it
            active = _active(place_id, kind, key)
            if active is None:
                raise
            return active, False
    return job, True


def hand_over(job: Job, task: Task[[int], str]) -> Job:
    """Enqueue the task of a new job (`task(job_id)`); a queue that refuses it fails the job
    at once rather than leaving it waiting. Returns the job as it is now: over already with
    the immediate backend."""
    try:
        task.enqueue(job.pk)
    except Exception as error:
        logger.exception("Job %s (%s) could not be queued", job.pk, job.kind)
        _fail(job.pk, _("The work could not be queued: %(error)s") % {"error": _describe(error)})
    job.refresh_from_db()
    return job


def for_place(place_id: int, kind: str) -> QuerySet[Job]:
    """The place's jobs of a kind, newest first (the pages' lists and lookups)."""
    return Job.objects.filter(place_id=place_id, kind=kind).select_related("requested_by")


def run(job_id: int, work: Work, *, resumed: bool = False) -> str:
    """The body of a job's task: runs `work(job, report)` once (a job already taken by
    another worker, or over, is skipped), in the language of the person who asked, and
    records the outcome. Returns the final state.

    `resumed` (the task's further attempt, after its worker died: `core.worker`) takes over
    the job the dead worker left running; the work is written to be run again (a bill run
    confirms each month once, an export is rebuilt whole)."""
    claimable = Job.ACTIVE if resumed else (Job.State.QUEUED,)
    claimed = Job.objects.filter(pk=job_id, state__in=claimable).update(
        state=Job.State.RUNNING, started_at=clock.now(), done=0
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    language = job.params.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            output = work(job, lambda done, total: _progress(job_id, done, total))
        except ValidationError as refusal:
            _fail(job_id, " ".join(refusal.messages))
            return Job.State.FAILED
        except Exception as error:  # whatever stopped it, the team must see it
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            _fail(job_id, _("Unexpected error: %(error)s") % {"error": _describe(error)})
            return Job.State.FAILED
        except BaseException:  # the worker was stopped in the middle (a second Ctrl-C)
            _fail(job_id, _("The work was interrupted: ask for it again."))
            raise
    _finish(job_id, output)
    return Job.State.DONE


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _progress(job_id: int, done: int, total: int | None) -> None:
    """How far the work is; `done` never passes `total`."""
    if total is not None:
        done = min(done, total)
    Job.objects.filter(pk=job_id, state=Job.State.RUNNING).update(done=max(done, 0), total=total)


def _finish(job_id: int, output: Output | None) -> None:
    job = Job.objects.get(pk=job_id)
    if output is not None:
        job.file.save(output.filename, ContentFile(output.content), save=False)
        job.filename = output.filename
    job.state = Job.State.DONE
    if job.total is not None:
        job.done = job.total
    job.finished_at = clock.now()
    job.save(update_fields=["file", "filename", "state", "done", "finished_at"])


def _fail(job_id: int, error: str) -> None:
    Job.objects.filter(pk=job_id, state__in=Job.ACTIVE).update(
        state=Job.State.FAILED, error=error[:ERROR_LENGTH] or "?", finished_at=clock.now()
    )
