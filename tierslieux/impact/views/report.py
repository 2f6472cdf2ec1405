"""The yearly impact report's pages: the back office's page and PDF
(`/manage/<slug>/impact/report/<year>/`), the publication's confirmation, and the public
version (`/impact/<slug>/<year>/`), each as a web page and a PDF. Thin: `report` builds,
`report_pdf` renders, `services_report` writes.

Who sees what: the team (MANAGE_IMPACT) sees a draft as a preview and its private evidence
marked private; any other VIEW_FIGURES reader (a network's admin) sees the confirmed report
with publishable evidence only, like the PDF. The public version exists only for a confirmed
assessment its team made public; every place's page is public (`places.views.public`), so
the place itself needs no further check.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as django_render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tierslieux.impact import report_pdf, services_report
from tierslieux.impact.models import YearAssessment
from tierslieux.impact.periods import FIRST_YEAR
from tierslieux.impact.report import Report, build_report
from tierslieux.places import access
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

LAST_YEAR = 9999


def _year(year: int) -> int:
    """A year the database and `date` can hold, else 404 (never a 500 on a URL)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _pdf(request: HttpRequest, report: Report) -> HttpResponse:
    if not report.available:
        raise Http404
    body = report_pdf.render_pdf(report, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_pdf.filename(report)}"'
    return response


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def manage_reports(request: HttpRequest, place: Place) -> HttpResponse:
    """The place's yearly reports: the team sees its drafts too, anyone else the confirmed."""
    years = YearAssessment.objects.filter(place=place).order_by("-year")
    if not access.has_perm(request.user, place, Perm.MANAGE_IMPACT):
        years = years.filter(confirmed_at__isnull=False)
    return render(request, "impact/report/list.html", {"place": place, "years": list(years)})


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def manage_report(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    team = access.has_perm(request.user, place, Perm.MANAGE_IMPACT)
    report = build_report(place, _year(year), public=False, team=team)
    return render(request, "impact/report/manage.html", {"place": place, "r": report})


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def manage_pdf(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    """The funder's PDF: the confirmed assessment, publishable evidence only."""
    return _pdf(request, build_report(place, _year(year), public=False))


@place_view(Perm.MANAGE_IMPACT)
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: HttpRequest, place: Place, year: int) -> HttpResponse:
    """Asks first; POST `public=1` publishes the report, `public=0` withdraws it."""
    assessment = get_object_or_404(YearAssessment, place=place, year=_year(year))
    status = 200
    if request.method == "POST":
        public = request.POST.get("public") == "1"
        try:
            services_report.set_public(request.user, assessment, public)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 422
        else:
            messages.success(
                request,
                _("The report is public.") if public else _("The report is no longer public."),
            )
            return redirect("impact_manage:report", place.slug, year)
    response = render(
        request, "impact/report/publish.html", {"place": place, "assessment": assessment}
    )
    response.status_code = status
    return response


def _public(slug: str, year: int) -> Report:
    place = get_object_or_404(Place, slug=slug)
    report = build_report(place, _year(year), public=True)
    if not report.available:
        raise Http404
    return report


@require_http_methods(["GET", "HEAD"])
def public_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    report = _public(slug, year)
    return django_render(request, "impact/report/public.html", {"r": report})


@require_http_methods(["GET", "HEAD"])
def public_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _pdf(request, _public(slug, year))
