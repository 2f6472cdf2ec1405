"""Asking for a bill run's confirmation: a job the task worker runs
(`members.tasks.confirm_bill_run`), followed by the team on its page.

A double click finds the job already under way for the month (one active job per place and
month, in the database too); a click after the run is over starts a job that the service
refuses with the run's date and count, as before: nothing is ever issued twice
(`services.billrun.confirm` takes the sequence lock and the `BillRun` is unique per month).
"""

from __future__ import annotations

from datetime import date

from tierslieux.core import jobs
from tierslieux.core.models import Job
from tierslieux.core.types import Actor
from tierslieux.members.tasks import confirm_bill_run
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

BILL_RUN = "members.bill_run"


def start_confirmation(
    *, actor: Actor, place: Place, month: date, issue_date: date, send: bool
) -> Job:
    """Queue the confirmation of `month` (its first day) and return its job; with the
    immediate task backend the job is over on return."""
    access.require(actor, place, Perm.MANAGE_BILLING)
    job, created = jobs.start(
        actor=actor,
        kind=BILL_RUN,
        place_id=place.pk,
        key=f"{month:%Y-%m}",
        params={
            "month": f"{month:%Y-%m-%d}",
            "issue_date": f"{issue_date:%Y-%m-%d}",
            "send": send,
        },
    )
    return jobs.hand_over(job, confirm_bill_run) if created else job


def active_job(place: Place, month: date) -> Job | None:
    """The confirmation of `month` under way, if any (the preview page points to it instead
    of its button); one whose worker is gone does not count."""
    active = jobs.for_place(place.pk, BILL_RUN).filter(state__in=Job.ACTIVE)
    job = active.filter(key=f"{month:%Y-%m}").first()
    return None if job is None or job.stale else job
