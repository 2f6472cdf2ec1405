"""The monthly bill run in the back office: past runs, the preview of a month (what would
be invoiced, and what would refuse the run), the confirmation, the SEPA direct-debit file.

Confirming is the service's business (`services.billrun.confirm`): it issues every invoice
at once, or nothing; a second run for a month is refused with its reason. It runs in the task
worker (`services.billrun_jobs`): the team follows the job on a page that refreshes itself,
then lands on the run's page, which counts the e-mails as they leave.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tierslieux.billing.queries import delivery_counts
from tierslieux.core import jobs
from tierslieux.core.models import Job
from tierslieux.members.forms import ConfirmRunForm, MonthForm, SepaForm, parse_month
from tierslieux.members.models import BillRun
from tierslieux.members.services import billrun, billrun_jobs, billrun_sepa
from tierslieux.members.views.manage import add_month, next_run_month
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

# The bank needs the file a few days before the collection; the invoices leave the
# customers two weeks to check them first.
COLLECTION_AFTER_ISSUE = timedelta(days=14)
BANK_LEAD_TIME = timedelta(days=2)


def _month(text: str) -> date:
    month = parse_month(text)
    if month is None:
        raise Http404
    return month


def _run_url(place: Place, month: date) -> Any:
    return redirect("members_manage:bill_run", slug=place.slug, month=f"{month:%Y-%m}")


def default_collection(run: BillRun, today: date) -> date:
    return max(run.issue_date + COLLECTION_AFTER_ISSUE, today + BANK_LEAD_TIME)


@place_view(Perm.MANAGE_BILLING)
def bill_runs(request: HttpRequest, place: Place) -> HttpResponse:
    """Past runs, newest first, and a month to preview."""
    today = place.today()
    form = MonthForm(
        request.GET or None, initial={"month": f"{next_run_month(place, today):%Y-%m}"}
    )
    if form.is_bound and form.is_valid():
        return _run_url(place, form.cleaned_data["month"])
    runs = BillRun.objects.filter(place=place).select_related("confirmed_by").order_by("-month")
    return render(
        request, "members/manage/bill_runs.html", {"place": place, "form": form, "runs": runs}, form
    )


@place_view(Perm.MANAGE_BILLING)
def bill_run(request: HttpRequest, place: Place, month: str) -> HttpResponse:
    """A confirmed run with its invoices, or the preview of a month not run yet."""
    first = _month(month)
    run = BillRun.objects.filter(place=place, month=first).select_related("confirmed_by").first()
    if run is not None:
        return _run_page(request, place, run)
    form = ConfirmRunForm(initial={"issue_date": place.today()})
    return _preview_page(request, place, first, form)


def _preview_page(
    request: HttpRequest, place: Place, month: date, form: ConfirmRunForm
) -> HttpResponse:
    plan = billrun.preview(place, month)
    return render(
        request,
        "members/manage/bill_run_preview.html",
        {
            "place": place,
            "month": month,
            "month_key": f"{month:%Y-%m}",
            "previous": f"{add_month(month, -1):%Y-%m}",
            "next": f"{add_month(month):%Y-%m}",
            "plan": plan,
            "customers": _plan_customers(place, plan),
            "problems": _plan_problems(place, plan),
            "job": billrun_jobs.active_job(place, month),
            "form": form,
        },
        form,
    )


def _plan_customers(place: Place, plan: Any) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "url": reverse("billing_manage:customer_edit", args=[place.slug, item.customer.pk]),
        }
        for item in plan.customers
    ]


def _plan_problems(place: Place, plan: Any) -> list[dict[str, Any]]:
    """Each problem with the page where it is fixed: the customer's, or the place's sheet."""
    rows = []
    for problem in plan.problems:
        url = None
        if problem.customer is not None:
            url = reverse("billing_manage:customer_edit", args=[place.slug, problem.customer.pk])
        elif problem.code == "seller_siren":
            url = reverse("places:manage_sheet", args=[place.slug])
        rows.append({"problem": problem, "url": url})
    return rows


def _run_page(request: HttpRequest, place: Place, run: BillRun) -> HttpResponse:
    invoices = run.invoices.select_related("customer").order_by("sequence_number", "id")
    today = place.today()
    return render(
        request,
        "members/manage/bill_run.html",
        {
            "place": place,
            "run": run,
            "invoices": [
                {
                    "invoice": inv,
                    "url": reverse("billing_manage:invoice", args=[place.slug, inv.pk]),
                }
                for inv in invoices
            ],
            "deliveries": delivery_counts(run.invoices.all()),
            "sepa_form": SepaForm(initial={"collection_date": default_collection(run, today)}),
            "previous": f"{add_month(run.month, -1):%Y-%m}",
            "next": f"{add_month(run.month):%Y-%m}",
        },
    )


@require_POST
@place_view(Perm.MANAGE_BILLING)
def bill_run_confirm(request: HttpRequest, place: Place, month: str) -> HttpResponse:
    first = _month(month)
    form = ConfirmRunForm(request.POST)
    if not form.is_valid():
        if BillRun.objects.filter(place=place, month=first).exists():
            return _run_url(place, first)
        return _preview_page(request, place, first, form)
    job = billrun_jobs.start_confirmation(
        actor=request.user,
        place=place,
        month=first,
        issue_date=form.cleaned_data["issue_date"],
        send=form.cleaned_data["send"],
    )
    if job.state == Job.State.FAILED:
        messages.error(request, job.error)
        return _run_url(place, first)
    if job.state == Job.State.DONE:  # the immediate task backend: over already
        messages.success(request, _issued_text(place, first, job))
        return _run_url(place, first)
    return redirect(
        "members_manage:bill_run_job", slug=place.slug, month=f"{first:%Y-%m}", job_id=job.pk
    )


def _issued_text(place: Place, month: date, job: Job) -> str:
    run = BillRun.objects.get(place=place, month=month)
    count = run.invoice_count
    text = ngettext("%(count)d invoice issued.", "%(count)d invoices issued.", count) % {
        "count": count
    }
    if job.params.get("send"):
        emailed = sum(delivery_counts(run.invoices.all()).values())
        text += " " + ngettext(
            "%(emailed)d of them is e-mailed; the others' customers have no e-mail address.",
            "%(emailed)d of them are e-mailed; the others' customers have no e-mail address.",
            emailed,
        ) % {"emailed": emailed}
    return text


@require_GET
@place_view(Perm.MANAGE_BILLING)
def bill_run_job(request: HttpRequest, place: Place, month: str, job_id: int) -> HttpResponse:
    """The confirmation under way (the page refreshes itself), or why it failed; once it is
    over, the run's page."""
    first = _month(month)
    job = (
        jobs.for_place(place.pk, billrun_jobs.BILL_RUN)
        .filter(pk=job_id, key=f"{first:%Y-%m}")
        .first()
    )
    if job is None:
        raise Http404
    if job.state == Job.State.DONE:
        return _run_url(place, first)
    return render(
        request,
        "members/manage/bill_run_job.html",
        {"place": place, "job": job, "month": first, "month_key": f"{first:%Y-%m}"},
    )


@require_GET
@place_view(Perm.MANAGE_BILLING)
def bill_run_sepa(request: HttpRequest, place: Place, run_id: int) -> HttpResponse:
    """The pain.008 file of the run's invoices whose customer signed a mandate."""
    run = get_object_or_404(BillRun, pk=run_id, place=place)
    if "collection_date" in request.GET:
        form = SepaForm(request.GET)
        if not form.is_valid():
            messages.error(
                request,
                _("Enter the collection date as a date, e.g. %(example)s.")
                % {"example": f"{default_collection(run, place.today()):%Y-%m-%d}"},
            )
            return _run_url(place, run.month)
        collection = form.cleaned_data["collection_date"]
    else:
        collection = default_collection(run, place.today())
    try:
        content = billrun_sepa.sepa_file(run, collection_date=collection)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _run_url(place, run.month)
    response = HttpResponse(content, content_type="application/xml")
    response["Content-Disposition"] = (
        f'attachment; filename="sepa-{place.slug}-{run.month:%Y-%m}.xml"'
    )
    return response
