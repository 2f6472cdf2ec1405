"""The bill run's confirmation as a job: with the immediate task backend it is over within
the request and the team lands on the run's page; with a worker the team follows it on a
page that refreshes itself; a double click follows the same job; a refusal is recorded on
the job and shown; other people get 403, and a job of another place or month 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from tierslieux.billing.models import Invoice
from tierslieux.core.models import Job
from tierslieux.core.tests.factories import worker_call
from tierslieux.members.models import BillRun
from tierslieux.members.services.billrun_jobs import BILL_RUN
from tierslieux.members.tasks import confirm_bill_run
from tierslieux.members.tests import factories as f

WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def month(place):
    return place.today().replace(day=1)


@pytest.fixture
def subscribed(place, month):
    plan = f.product(place, "plan", name="Résident", price_net="150.00")
    person = f.member(place).person
    f.person_customer(place, person)
    return f.subscription(plan, person=person, start=month - timedelta(days=20))


@pytest.fixture
def team(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def queued(settings):
    """A worker that has not taken the job yet: the dummy backend keeps what it is given."""
    settings.TASKS = WORKER


def url(place, name, *args):
    return reverse(f"members_manage:{name}", args=[place.slug, *args])


def confirm(client, place, month):
    data = {"issue_date": f"{place.today():%Y-%m-%d}", "send": "on"}
    return client.post(url(place, "bill_run_confirm", f"{month:%Y-%m}"), data)


def test_with_the_immediate_backend_the_job_is_over_within_the_request(
    team, place, month, subscribed
):
    response = confirm(team, place, month)
    assert response["Location"] == url(place, "bill_run", f"{month:%Y-%m}")
    job = Job.objects.get(kind=BILL_RUN)
    assert (job.state, job.place_id, job.key) == (Job.State.DONE, place.pk, f"{month:%Y-%m}")
    assert (job.done, job.total) == (1, 1)
    assert BillRun.objects.get(place=place).invoice_count == 1
    follow = team.get(url(place, "bill_run_job", f"{month:%Y-%m}", job.pk))
    assert follow.status_code == 302 and follow["Location"] == response["Location"]


def test_with_a_worker_the_team_follows_the_job_then_lands_on_the_run(
    team, place, month, subscribed, queued
):
    response = confirm(team, place, month)
    job = Job.objects.get(kind=BILL_RUN)
    page_url = url(place, "bill_run_job", f"{month:%Y-%m}", job.pk)
    assert response.status_code == 302 and response["Location"] == page_url
    assert not Invoice.objects.exists()

    waiting = team.get(page_url)
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert '<meta http-equiv="refresh"' in html and "en attente" in html
    preview = team.get(url(place, "bill_run", f"{month:%Y-%m}")).content.decode()
    assert page_url in preview and 'name="issue_date"' not in preview  # no second button

    assert worker_call(confirm_bill_run, job.pk) == Job.State.DONE  # what the worker does
    over = team.get(page_url)
    assert over.status_code == 302 and over["Location"] == url(place, "bill_run", f"{month:%Y-%m}")
    assert Invoice.objects.filter(status=Invoice.Status.ISSUED).count() == 1


def test_a_double_click_follows_the_same_job_and_issues_once(
    team, place, month, subscribed, queued
):
    first, second = confirm(team, place, month), confirm(team, place, month)
    assert first["Location"] == second["Location"]
    job = Job.objects.get()
    worker_call(confirm_bill_run, job.pk)
    worker_call(confirm_bill_run, job.pk)  # a task delivered twice
    assert BillRun.objects.count() == 1 and Invoice.objects.count() == 1
    again = confirm(team, place, month)  # once the run is over: refused, as before
    assert again.status_code == 302
    refused = Job.objects.exclude(pk=job.pk).get()
    worker_call(confirm_bill_run, refused.pk)
    refused.refresh_from_db()
    assert refused.state == Job.State.FAILED and "1" in refused.error
    assert Invoice.objects.count() == 1


def test_a_refusal_is_recorded_and_shown_never_waiting(team, place, month, queued):
    """Nothing to bill: the service refuses, the job says why, the page stops refreshing."""
    confirm(team, place, month)
    job = Job.objects.get()
    assert worker_call(confirm_bill_run, job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "rien à facturer" in job.error
    page = team.get(url(place, "bill_run_job", f"{month:%Y-%m}", job.pk))
    html = page.content.decode()
    assert page.status_code == 200 and escape(job.error) in html and 'role="alert"' in html
    assert "http-equiv" not in html
    assert url(place, "bill_run", f"{month:%Y-%m}") in html


def test_an_error_in_the_worker_is_recorded(team, place, month, subscribed, queued, monkeypatch):
    confirm(team, place, month)
    job = Job.objects.get()

    def broken(**kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr("tierslieux.members.services.billrun.confirm", broken)
    assert worker_call(confirm_bill_run, job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert "RuntimeError: disque plein" in job.error and job.finished_at is not None


@pytest.mark.parametrize("who", ["staff", "member", "outsider"])
def test_people_without_billing_get_403(client, place, month, subscribed, queued, who):
    boss = f.coordinator(place)
    client.force_login(boss)
    confirm(client, place, month)
    job = Job.objects.get()
    user = {"staff": lambda: f.staff(place), "member": lambda: f.member(place), "outsider": f.user}
    client.force_login(user[who]())
    assert client.get(url(place, "bill_run_job", f"{month:%Y-%m}", job.pk)).status_code == 403
    assert confirm(client, place, month).status_code == 403
    assert Job.objects.count() == 1


def test_a_job_of_another_place_or_month_is_not_found(client, place, month, subscribed, queued):
    client.force_login(f.coordinator(place))
    confirm(client, place, month)
    job = Job.objects.get()
    elsewhere = f.place()
    client.force_login(f.coordinator(elsewhere))
    key = f"{month:%Y-%m}"
    assert client.get(url(elsewhere, "bill_run_job", key, job.pk)).status_code == 404
    client.force_login(f.coordinator(place))
    before = f"{month - timedelta(days=1):%Y-%m}"
    assert client.get(url(place, "bill_run_job", before, job.pk)).status_code == 404
    assert client.get(url(place, "bill_run_job", key, job.pk + 1)).status_code == 404


def test_the_run_page_counts_the_emails_and_refreshes_until_they_are_gone(
    team, place, month, subscribed, queued, django_capture_on_commit_callbacks
):
    confirm(team, place, month)
    with django_capture_on_commit_callbacks(execute=True):  # the run queues its e-mails
        worker_call(confirm_bill_run, Job.objects.get().pk)
    page = team.get(url(place, "bill_run", f"{month:%Y-%m}"))
    assert page.context["deliveries"] == {"sent": 0, "queued": 1, "failed": 0}
    html = page.content.decode()
    assert '<meta http-equiv="refresh"' in html and '<progress value="0" max="1"' in html


def test_a_confirmation_whose_worker_is_gone_can_be_asked_again(
    team, place, month, subscribed, queued, clock
):
    confirm(team, place, month)
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=clock.now())
    clock.advance(Job.STALE_AFTER * 2)
    page = team.get(url(place, "bill_run_job", f"{month:%Y-%m}", job.pk)).content.decode()
    assert "peut-être arrêté" in page
    preview = team.get(url(place, "bill_run", f"{month:%Y-%m}")).content.decode()
    assert 'name="issue_date"' in preview  # the button is back
    confirm(team, place, month)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and Job.objects.filter(state="queued").count() == 1
