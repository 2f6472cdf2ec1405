"""Background tasks of members: the bill run's confirmation runs in the task worker, never
inside the request (`services.billrun_jobs.start_confirmation` enqueues it)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django_tasks import TaskContext, task

from tierslieux.core import jobs
from tierslieux.core.models import Job
from tierslieux.core.types import Actor
from tierslieux.members.models import BillRun
from tierslieux.members.services import billrun
from tierslieux.places.models import Place


@task(takes_context=True)
def confirm_bill_run(context: TaskContext, job_id: int) -> str:
    """Confirm the month of a bill-run job (`services.billrun.confirm`: all the invoices or
    none, a month never twice); a refusal or an error is recorded on the job. The invoices'
    e-mails then leave one by one (`billing.tasks.deliver_invoice`). Run again after its
    worker died (`core.worker`), it finds the month confirmed if the dead worker had
    committed it, and the job is done."""
    resumed = context.attempt > 1
    work = _confirm_again if resumed else _confirm
    return jobs.run(job_id, work, resumed=resumed)


def _confirm_again(job: Job, report: jobs.Report) -> None:
    try:
        return _confirm(job, report)
    except ValidationError as refusal:
        month = date.fromisoformat(job.params["month"])
        ours = BillRun.objects.filter(
            place_id=job.place_id, month=month, confirmed_at__gte=job.created_at
        ).first()
        if refusal.code != "already_run" or ours is None:
            raise
        report(ours.invoice_count, ours.invoice_count)
        return None


def _confirm(job: Job, report: jobs.Report) -> None:
    place = Place.objects.get(pk=job.place_id)
    params = job.params
    actor: Actor = AnonymousUser()  # someone whose login was removed since: refused
    if job.requested_by_id is not None:
        actor = get_user_model().objects.get(pk=job.requested_by_id)
    run = billrun.confirm(
        actor=actor,
        place=place,
        month=date.fromisoformat(params["month"]),
        issue_date=date.fromisoformat(params["issue_date"]),
        send=params["send"],
    )
    report(run.invoice_count, run.invoice_count)
    return None
