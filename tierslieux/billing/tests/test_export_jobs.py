"""The exports as jobs: the page asks for a file, follows its job (refreshing itself while
the worker has not finished), then offers it; the files stay listed with their date; a
failure is recorded and shown; others get 403, and a job of another place 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from tierslieux.billing.services.exports import EXPORT, start_export
from tierslieux.billing.tasks import build_export
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import Job
from tierslieux.core.tests.factories import worker_call
from tierslieux.places.tests import factories as pf

PERIOD = {"start": "2027-01-01", "end": "2027-12-31"}
SIXTY = [("Bureau fermé, janvier", "1", "50.00", "vat_20")]
WORKER = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _setting(clock, settings, tmp_path):
    clock.set(date(2027, 3, 1))
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def team(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def queued(settings):
    """A worker that has not taken the job yet: the dummy backend keeps what it is given."""
    settings.TASKS = WORKER


@pytest.fixture
def books(place, coordinator):
    customer = f.customer(place, name="Association Les Amis")
    return [f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, day)) for day in (5, 6)]


def url(name, place, *args):
    return reverse(f"billing_manage:{name}", args=[place.slug, *args])


def ask(client, place, fmt="xlsx", period=PERIOD):
    return client.post(url("export_start", place), {**period, "format": fmt})


def test_the_file_is_listed_with_its_date_and_downloads_again(team, place, books):
    response = ask(team, place, "invoices_csv")
    job = Job.objects.get(kind=EXPORT)
    assert response["Location"] == url("export_job", place, job.pk)
    assert (job.state, job.done, job.total) == (Job.State.DONE, 2, 2)
    page = team.get(url("exports", place)).content.decode()
    assert url("export_file", place, job.pk) in page
    assert "1er mars 2027" in page and "Invoices (CSV)" not in page  # French, dated
    assert "Factures (CSV)" in page
    for _ in range(2):  # kept: it downloads again
        download = team.get(url("export_file", place, job.pk))
        assert download.status_code == 200
        text = download.content.decode("utf-8-sig")
        assert books[0].number in text and books[1].number in text


def test_while_the_worker_has_not_finished_the_page_refreshes_itself(team, place, books, queued):
    response = ask(team, place)
    job = Job.objects.get()
    follow = team.get(response["Location"])
    html = follow.content.decode()
    assert follow.status_code == 200 and '<meta http-equiv="refresh"' in html
    assert url("export_file", place, job.pk) not in html
    assert team.get(url("export_file", place, job.pk)).status_code == 404  # not yet
    assert "En préparation" in team.get(url("exports", place)).content.decode()
    assert ask(team, place)["Location"] == response["Location"]  # a double click
    assert Job.objects.count() == 1

    assert worker_call(build_export, job.pk) == Job.State.DONE  # what the worker does
    over = team.get(response["Location"]).content.decode()
    assert "http-equiv" not in over and url("export_file", place, job.pk) in over


def test_a_failure_is_recorded_and_shown(team, place, books, queued, monkeypatch):
    ask(team, place, "fec")
    job = Job.objects.get()

    def broken(*args):
        raise ValueError("écriture déséquilibrée")

    monkeypatch.setattr("tierslieux.billing.export_files.fec_file", broken)
    assert worker_call(build_export, job.pk) == Job.State.FAILED
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "écriture déséquilibrée" in job.error
    page = team.get(url("export_job", place, job.pk)).content.decode()
    assert escape(job.error) in page and 'role="alert"' in page and "http-equiv" not in page
    assert "Échec" in team.get(url("exports", place)).content.decode()
    assert team.get(url("export_file", place, job.pk)).status_code == 404


def test_what_cannot_be_built_is_refused_at_once(team, place):
    place.siret = ""
    place.save(update_fields=["siret"])
    response = ask(team, place, "fec")
    assert response.status_code == 422 and "SIRET" in response.content.decode()
    assert ask(team, place, "pdf").status_code == 422
    assert ask(team, place, "xlsx", {"start": "2027-12-31", "end": "2027-01-01"}).status_code == 422
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "member", "outsider"])
def test_people_without_billing_get_403(client, place, coordinator, books, persona):
    job = start_export(
        actor=coordinator, place=place, fmt="xlsx", start=date(2027, 1, 1), end=date(2027, 12, 31)
    )
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
    }
    client.force_login(user[persona]())
    for name in ("export_job", "export_file"):
        assert client.get(url(name, place, job.pk)).status_code == 403
    assert ask(client, place).status_code == 403
    assert Job.objects.count() == 1


def test_a_job_of_another_place_is_not_found(client, place, coordinator, books):
    job = start_export(
        actor=coordinator, place=place, fmt="xlsx", start=date(2027, 1, 1), end=date(2027, 12, 31)
    )
    elsewhere = pf.place()
    client.force_login(pf.coordinator(elsewhere))
    for name in ("export_job", "export_file"):
        assert client.get(url(name, elsewhere, job.pk)).status_code == 404
    assert (
        url("export_file", elsewhere, job.pk)
        not in client.get(url("exports", elsewhere)).content.decode()
    )
