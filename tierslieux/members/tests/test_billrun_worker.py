"""The production path, end to end: the database task backend and its worker (`db_worker`,
run here in-process for one batch). The confirmation leaves the request at once; the worker
issues the run, then sends its e-mails, which the run's page counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tierslieux.core.models import Job
from tierslieux.members.models import BillRun
from tierslieux.members.tests import factories as f

# Real commits: the worker claims its tasks in transactions of its own, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def work_off_the_queue() -> None:
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )


def test_the_worker_confirms_the_run_then_sends_its_emails(client, settings, place):
    settings.TASKS = DATABASE
    month = place.today().replace(day=1)
    plan = f.product(place, "plan", name="Résident", price_net="150.00")
    person = f.member(place).person
    f.person_customer(place, person)
    f.subscription(plan, person=person, start=month - timedelta(days=20))
    client.force_login(f.coordinator(place))
    key = f"{month:%Y-%m}"

    response = client.post(
        reverse("members_manage:bill_run_confirm", args=[place.slug, key]),
        {"issue_date": f"{place.today():%Y-%m-%d}", "send": "on"},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse(
        "members_manage:bill_run_job", args=[place.slug, key, job.pk]
    )
    assert job.state == Job.State.QUEUED and not BillRun.objects.exists()
    assert DBTaskResult.objects.get().status == "READY"

    work_off_the_queue()

    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.DONE, "")
    assert BillRun.objects.get(place=place).invoice_count == 1
    assert len(mail.outbox) == 1  # the e-mail's own task, queued by the run, ran too
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    page = client.get(reverse("members_manage:bill_run", args=[place.slug, key]))
    assert page.context["deliveries"] == {"sent": 1, "queued": 0, "failed": 0}
