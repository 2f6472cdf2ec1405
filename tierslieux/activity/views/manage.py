"""The "Activité" tab: the figures of the last twelve months, a day's footfall, and a
counter's CSV import (preview, then confirm). Thin: services write, `report` reads."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tierslieux.activity import participation, report, services
from tierslieux.activity.forms import ConfirmImportForm, CountForm, ImportForm, PeriodForm
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest, place: Place) -> HttpResponse:
    today = place.today()
    data = request.GET if "year" in request.GET or "month" in request.GET else None
    period = PeriodForm(
        data, this_year=today.year, initial={"year": today.year, "month": today.month}
    )
    last = today
    if data is not None and period.is_valid():
        last = date(period.cleaned_data["year"], period.cleaned_data["month"], 1)
    figures = report.place_report(place, last)
    context = {
        "place": place,
        "report": figures,
        "period": period,
        "definitions": report.DEFINITIONS,
        "participation": participation.place_participation(place, last, report.MONTHS),
        "participation_definitions": participation.DEFINITIONS,
    }
    return render(request, "activity/manage/overview.html", context, period)


@place_view(Perm.MANAGE_BOOKINGS)
@require_http_methods(["GET", "HEAD", "POST"])
def count(request: HttpRequest, place: Place) -> HttpResponse:
    form = CountForm(request.POST or None, initial={"day": place.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_count(request.user, place, data["day"], data["count"], data["note"])
        except ValidationError as error:
            attach_error(form, error, {"future_day": "day", "count": "count", "note": "note"})
        else:
            messages.success(request, _("Footfall recorded."))
            return redirect(reverse("activity_manage:overview", args=[place.slug]))
    return render(request, "activity/manage/count.html", {"place": place, "form": form}, form)


@place_view(Perm.MANAGE_BOOKINGS)
@require_http_methods(["GET", "HEAD", "POST"])
def import_counts(request: HttpRequest, place: Place) -> HttpResponse:
    """GET: the upload form; POST a file: its preview; POST `content`: the import itself."""
    upload = ImportForm()
    context: dict[str, object] = {"place": place, "form": upload}
    if request.method == "POST" and "content" in request.POST:
        confirm = ConfirmImportForm(request.POST)
        if confirm.is_valid():
            try:
                written = services.import_counts(
                    request.user, place, confirm.cleaned_data["content"]
                )
            except ValidationError as error:
                attach_error(confirm, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s day imported.", "%(count)s days imported.", written)
                    % {"count": written},
                )
                return redirect(reverse("activity_manage:overview", args=[place.slug]))
        context["refused"] = confirm
        return render(request, "activity/manage/import.html", context, confirm)
    if request.method == "POST":
        upload = ImportForm(request.POST, request.FILES)
        context["form"] = upload
        if upload.is_valid():
            text = upload.cleaned_data["file"]
            parsed = services.preview_import(request.user, place, text)
            if parsed.errors:
                for line, message in parsed.errors:
                    upload.add_error(
                        "file",
                        _("Line %(line)s: %(message)s") % {"line": line, "message": message}
                        if line
                        else message,
                    )
            else:
                existing = services.existing_counts(place, [day for day, _c, _l in parsed.rows])
                context["preview"] = [
                    {"day": day, "count": n, "line": line, "before": existing.get(day)}
                    for day, n, line in parsed.rows
                ]
                context["confirm"] = ConfirmImportForm(initial={"content": text})
    return render(request, "activity/manage/import.html", context, upload)
