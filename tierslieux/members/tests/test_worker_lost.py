"""A worker killed in the middle of a bill run loses no task (issue 12): the next worker
started (`tierslieux worker`) queues the task again, and the run ends once, with no duplicate
and no gap, whether the dead worker had committed it or not."""

from __future__ import annotations

import socket
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tierslieux.billing.models import Invoice
from tierslieux.core import worker
from tierslieux.core.models import Job
from tierslieux.members.models import BillRun
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def dead_worker() -> str:
    """The id of a worker of this host whose process has ended (killed)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return worker.worker_id(socket.gethostname(), process.pid)


def start_worker() -> None:
    call_command("worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)


@pytest.fixture
def asked(client, settings, place):
    """A bill run asked for by the team, queued for the worker."""
    settings.TASKS = DATABASE
    month = place.today().replace(day=1)
    plan = f.product(place, "plan", name="Résident", price_net="150.00")
    for _ in range(2):
        person = f.member(place).person
        f.person_customer(place, person)
        f.subscription(plan, person=person, start=month - timedelta(days=20))
    client.force_login(f.coordinator(place))
    client.post(
        reverse("members_manage:bill_run_confirm", args=[place.slug, f"{month:%Y-%m}"]),
        {"issue_date": f"{place.today():%Y-%m-%d}"},
    )
    return Job.objects.get()


def killed_while_running(job: Job) -> DBTaskResult:
    """The task row and the job as a worker SIGKILLed in the middle leaves them."""
    task = DBTaskResult.objects.get(task_path__endswith="confirm_bill_run")
    task.claim(dead_worker())
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=1, total=2)
    return task


def test_a_run_killed_before_it_committed_runs_again_once(asked, place):
    task = killed_while_running(asked)

    start_worker()

    task.refresh_from_db()
    asked.refresh_from_db()
    assert (task.status, len(task.worker_ids)) == ("SUCCESSFUL", 2)
    assert (asked.state, asked.error, asked.done) == (Job.State.DONE, "", 2)
    assert BillRun.objects.get(place=place).invoice_count == 2
    numbers = sorted(Invoice.objects.filter(place=place).values_list("number", flat=True))
    assert len(set(numbers)) == 2


def test_a_run_killed_after_it_committed_is_done_not_run_twice(asked, place):
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
    numbers = list(Invoice.objects.filter(place=place).values_list("number", flat=True))
    # Killed between the run's commit and the task's "successful": the row stays RUNNING.
    task = killed_while_running(asked)

    start_worker()

    task.refresh_from_db()
    asked.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert (asked.state, asked.error) == (Job.State.DONE, "")
    assert BillRun.objects.filter(place=place).count() == 1
    assert list(Invoice.objects.filter(place=place).values_list("number", flat=True)) == numbers


def test_a_task_that_killed_three_workers_is_given_up(asked):
    task = DBTaskResult.objects.get(task_path__endswith="confirm_bill_run")
    for _ in range(worker.MAX_ATTEMPTS):
        task.claim(dead_worker())

    start_worker()

    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == worker.LOST
    assert "stopped 3 times" in task.traceback
    assert not BillRun.objects.exists()


def test_a_worker_still_running_keeps_its_task(asked):
    task = DBTaskResult.objects.get(task_path__endswith="confirm_bill_run")
    task.claim(worker.worker_id(socket.gethostname(), 1))  # pid 1 always runs

    assert worker.recover() == worker.Recovery()
    task.refresh_from_db()
    assert task.status == "RUNNING"
