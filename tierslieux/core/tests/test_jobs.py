"""The job service (`core.jobs`): one active job per place, kind and key; the worker's run
records progress, the file, a refusal or an error, and never leaves a job waiting behind a
failure; the database refuses a second active job and impossible states."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from tierslieux.core import jobs
from tierslieux.core.models import Job

AT = datetime(2027, 3, 1, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job(clock, coordinator):
    clock.set(AT)
    started, created = jobs.start(
        actor=coordinator, kind="test.kind", place_id=7, key="2027-03", params={"n": 1}
    )
    assert created
    return started


def test_a_second_start_follows_the_active_job_then_a_new_one_once_it_is_over(job, coordinator):
    again, created = jobs.start(
        actor=coordinator, kind="test.kind", place_id=7, key="2027-03", params={"n": 2}
    )
    assert (again.pk, created) == (job.pk, False)
    other, created = jobs.start(
        actor=coordinator, kind="test.kind", place_id=8, key="2027-03", params={}
    )
    assert created and other.pk != job.pk  # another place: its own job
    jobs.run(job.pk, lambda j, report: None)
    later, created = jobs.start(
        actor=coordinator, kind="test.kind", place_id=7, key="2027-03", params={}
    )
    assert created and later.pk != job.pk
    assert Job.objects.filter(place_id=7).count() == 2


def test_a_job_whose_worker_is_gone_is_recorded_as_failed_and_asked_again(job, clock, coordinator):
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=AT)
    clock.advance(Job.STALE_AFTER / 2)
    assert not Job.objects.get(pk=job.pk).stale
    assert jobs.start(actor=coordinator, kind="test.kind", place_id=7, key="2027-03", params={})[
        0
    ] == Job.objects.get(pk=job.pk)
    clock.advance(Job.STALE_AFTER)
    assert Job.objects.get(pk=job.pk).stale
    again, created = jobs.start(
        actor=coordinator, kind="test.kind", place_id=7, key="2027-03", params={}
    )
    assert created and again.pk != job.pk
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "arrêté" in job.error


def test_the_job_remembers_who_asked_when_and_in_which_language(job, coordinator):
    assert job.state == Job.State.QUEUED and job.active
    assert (job.requested_by, job.created_at) == (coordinator, AT)
    assert job.params == {"n": 1, "language": "fr"}


def test_a_run_reports_its_progress_and_keeps_its_file(job, clock):
    seen = []

    def work(running, report):
        assert running.state == Job.State.RUNNING
        report(12, 40)
        seen.append(Job.objects.values_list("done", "total").get(pk=running.pk))
        report(99, 40)  # never past the total
        seen.append(Job.objects.values_list("done", "total").get(pk=running.pk))
        clock.advance(AT - AT.replace(minute=0))
        return jobs.Output("rapport.csv", b"a;b\r\n")

    assert jobs.run(job.pk, work) == Job.State.DONE
    assert seen == [(12, 40), (40, 40)]
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (Job.State.DONE, 40, 40, "")
    assert job.started_at == AT and job.finished_at > AT
    assert (job.file.name, job.filename) == (f"jobs/7/{job.pk}/rapport.csv", "rapport.csv")
    with job.file.open("rb") as kept:
        assert kept.read() == b"a;b\r\n"
    assert job.percent == 100 and not job.active


def test_a_job_runs_once(job):
    calls = []
    assert jobs.run(job.pk, lambda j, report: calls.append(j)) == Job.State.DONE
    assert jobs.run(job.pk, lambda j, report: calls.append(j)) == "skipped"
    assert len(calls) == 1


def test_a_refusal_is_recorded_in_the_language_of_the_person_who_asked(job):
    def work(running, report):
        raise ValidationError(translation.gettext("Enter a valid date."))

    with translation.override("en"):
        assert jobs.run(job.pk, work) == Job.State.FAILED
    job.refresh_from_db()
    assert (job.state, job.error) == (Job.State.FAILED, "Saisissez une date valide.")
    assert job.finished_at is not None and not job.active


def test_an_unexpected_error_is_recorded_and_logged(job, caplog):
    def work(running, report):
        raise ZeroDivisionError("division by zero")

    assert jobs.run(job.pk, work) == Job.State.FAILED
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert "ZeroDivisionError: division by zero" in job.error
    assert "failed" in caplog.text


def test_a_worker_stopped_in_the_middle_records_it_then_stops(job):
    def work(running, report):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        jobs.run(job.pk, work)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.error


def test_a_queue_that_refuses_the_task_fails_the_job_at_once(job):
    class Refusing:
        def enqueue(self, job_id):
            raise ConnectionError("queue unreachable")

    handed = jobs.hand_over(job, Refusing())
    assert handed.state == Job.State.FAILED and "queue unreachable" in handed.error


def test_the_database_refuses_a_second_active_job_and_impossible_states(job):
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.kind", place_id=7, key="2027-03")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=job.pk).update(done=5, total=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=job.pk).update(error="boom")  # queued, with an error
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.filter(pk=job.pk).update(state="done")  # over, never finished


def test_the_admin_shows_jobs_without_changing_them(admin_client, job):
    response = admin_client.get(f"/admin/core/job/{job.pk}/change/")
    assert response.status_code == 200
    assert admin_client.get("/admin/core/job/add/").status_code == 403
