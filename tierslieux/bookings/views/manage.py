"""The place team's booking desk, under the back office: the approval queue, the day board
(check-in, no-show) and machine authorisations.

Every view goes through `places.backoffice.place_view` with `Perm.MANAGE_BOOKINGS`, so the
back-office access walk covers these URLs too, and answers with `places.backoffice.render`.
Actions are POST and answer with a redirect and a message; a service's refusal becomes an
error message, nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.bookings import queries, services
from tierslieux.bookings.forms import AuthorisationForm, ReasonForm
from tierslieux.bookings.models import Booking, MachineAuthorisation
from tierslieux.bookings.views.portal import parse_day
from tierslieux.bookings.views.portal_mine import annotate
from tierslieux.core import clock
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

Status = Booking.Status


def _board_url(place: Place, day: Any = None) -> str:
    url = reverse("bookings_manage:board", args=[place.slug])
    return f"{url}?{urlencode({'date': day})}" if day else url


@place_view(Perm.MANAGE_BOOKINGS)
def board(request: HttpRequest, place: Place) -> HttpResponse:
    """Requests awaiting approval, and the chosen day's bookings with their arrivals."""
    day = parse_day(request.GET.get("date"), clock.zone(place.timezone))
    now = clock.now()
    start, end = queries.local_range(place, day)
    pending = (
        Booking.objects.filter(place=place, status=Status.REQUESTED, end__gt=now)
        .select_related("space", "person", "organisation")
        .order_by("start")
    )
    today = [
        annotate(b, now, staff=True)
        for b in queries.bookings_of_place(place, start, end).filter(blocked_by__isnull=True)
    ]
    return render(
        request,
        "bookings/manage/board.html",
        {
            "place": place,
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "pending": pending,
            "bookings": today,
            "reason_form": ReasonForm(),
        },
    )


Action = Callable[..., Booking]


def _act(
    request: HttpRequest, place: Place, booking_id: int, action: Action, done: str, **extra: Any
) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=booking_id, place=place, blocked_by__isnull=True)
    try:
        action(actor=request.user, booking=booking, **extra)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    day = request.POST.get("date")
    return redirect(_board_url(place, day if day and len(day) == 10 else None))


@require_POST
@place_view(Perm.MANAGE_BOOKINGS)
def confirm(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    return _act(
        request, place, booking_id, services.confirm_booking, _("The booking is confirmed.")
    )


@require_POST
@place_view(Perm.MANAGE_BOOKINGS)
def reject(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        place,
        booking_id,
        services.reject_booking,
        _("The request is rejected."),
        reason=reason,
    )


@require_POST
@place_view(Perm.MANAGE_BOOKINGS)
def check_in(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    return _act(request, place, booking_id, services.check_in, _("The arrival is recorded."))


@require_POST
@place_view(Perm.MANAGE_BOOKINGS)
def no_show(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    return _act(
        request, place, booking_id, services.mark_no_show, _("The booking is marked as a no-show.")
    )


@place_view(Perm.MANAGE_BOOKINGS)
def authorisations(request: HttpRequest, place: Place) -> HttpResponse:
    """Who is trained on which machine, and the form to record a training."""
    form = AuthorisationForm(request.POST or None, place=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.authorise(
                actor=request.user,
                person=data["person"],
                space=data["space"],
                granted_on=data["granted_on"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The authorisation is recorded."))
            return redirect("bookings_manage:authorisations", slug=place.slug)
    rows = (
        MachineAuthorisation.objects.filter(space__place=place)
        .select_related("person", "space")
        .order_by("space__name", "person__last_name", "person__first_name")
    )
    return render(
        request,
        "bookings/manage/authorisations.html",
        {
            "place": place,
            "form": form,
            "authorisations": rows,
            "today": place.today(),
        },
        form,
    )
