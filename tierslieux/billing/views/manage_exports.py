"""Accounting exports of a period (the FEC, invoices and payments as CSV and XLSX) and the
closing of periods. Only issued documents leave the place.

A file is built by the task worker, never inside the request: the team asks for it (POST),
follows its job on a page that refreshes itself, then downloads it; the files made stay
listed on the exports page with their date (`services.exports`, `export_files`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tierslieux.billing import export_files, services
from tierslieux.billing.forms import ClosePeriodForm, PeriodForm, year_bounds
from tierslieux.billing.models import ClosedPeriod
from tierslieux.billing.services.exports import EXPORT, start_export
from tierslieux.billing.views.manage import billing_view, download
from tierslieux.core import jobs
from tierslieux.core.formatting import day
from tierslieux.core.models import Job
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place

LISTED = 20  # files shown on the exports page, newest first


def _render(
    request: HttpRequest,
    place: Place,
    *,
    period_form: PeriodForm | None = None,
    close_form: ClosePeriodForm | None = None,
) -> HttpResponse:
    start, end = year_bounds(place.today())
    return render(
        request,
        "billing/manage/exports.html",
        {
            "place": place,
            "period_form": period_form or PeriodForm(initial={"start": start, "end": end}),
            "formats": export_files.FORMATS,
            "files": [_row(job) for job in jobs.for_place(place.pk, EXPORT)[:LISTED]],
            "close_form": close_form or ClosePeriodForm(prefix="close"),
            "closed_periods": ClosedPeriod.objects.filter(place=place).order_by("-start"),
            "siren": place.siret[:9],
        },
        period_form,
        close_form,
    )


def _row(job: Job) -> dict[str, Any]:
    """A job as the pages show it: which file, which period."""
    params = job.params
    return {
        "job": job,
        "label": export_files.FORMATS.get(params.get("format", ""), params.get("format")),
        "start": _date(params.get("start")),
        "end": _date(params.get("end")),
        "filename": job.filename,
    }


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


@billing_view
def exports(request: HttpRequest, place: Place) -> HttpResponse:
    return _render(request, place)


@require_POST
@billing_view
def export_start(request: HttpRequest, place: Place) -> HttpResponse:
    """Ask for the file of the button pressed; then follow its job."""
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            job = start_export(
                actor=request.user,
                place=place,
                fmt=request.POST.get("format", ""),
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect("billing_manage:export_job", slug=place.slug, job_id=job.pk)
    return _render(request, place, period_form=form)


def _job(place: Place, job_id: int) -> Job:
    job = jobs.for_place(place.pk, EXPORT).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@require_GET
@billing_view
def export_job(request: HttpRequest, place: Place, job_id: int) -> HttpResponse:
    """The job's state and progress (the page refreshes itself until it is over), then the
    file to download, or why it failed."""
    return render(
        request,
        "billing/manage/exports_job.html",
        {"place": place, "row": _row(_job(place, job_id))},
    )


@require_GET
@billing_view
def export_file(request: HttpRequest, place: Place, job_id: int) -> HttpResponse:
    job = _job(place, job_id)
    if job.state != Job.State.DONE or not job.file:
        raise Http404
    try:
        with job.file.open("rb") as kept:
            content = kept.read()
    except FileNotFoundError as missing:  # removed from the disk behind the application
        raise Http404 from missing
    return download(
        content, export_files.CONTENT_TYPES[job.params["format"]], _row(job)["filename"]
    )


@require_POST
@billing_view
def close_period(request: HttpRequest, place: Place) -> HttpResponse:
    form = ClosePeriodForm(request.POST, prefix="close")
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        try:
            services.close_period(actor=request.user, place=place, start=start, end=end)
        except ValidationError as error:
            attach_error(form, error)
        else:
            values: dict[str, Any] = {"start": day(start), "end": day(end)}
            messages.success(request, _("The period from %(start)s to %(end)s is closed.") % values)
            return redirect("billing_manage:exports", slug=place.slug)
    return _render(request, place, close_form=form)
