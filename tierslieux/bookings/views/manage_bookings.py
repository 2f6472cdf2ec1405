"""The team's hand on any booking of the place, from the desk and the team's calendar: book for
a person or an organisation of the place, see a booking (who it is for, who booked it, its
history), move it (another time and/or space), cancel it after a confirmation page.

Thin, as `manage`: the services decide (who may, what comes back, conflicts); a taken slot
answers 409 with the free slots nearby, a refusal 422 on the form, and nothing is written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings import checks, previews, services
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.forms import TeamBookingForm, TeamCancelForm, TeamMoveForm
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices
from tierslieux.bookings.views.portal import local_iso, parse_local, slot_links
from tierslieux.bookings.views.portal_mine import annotate
from tierslieux.core import clock
from tierslieux.core.models import AuditEntry
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place, Space

# Where a service's refusal shows on the team's forms (else above the form).
FIELDS = {
    "units": "units",
    "duration": "end_time",
    "closed": "start_time",
    "archived": "space",
    "not_bookable": "space",
    "audience": "booked_for",
    "authorisation": "booked_for",
}


def board_url(place: Place, moment: datetime | None = None) -> str:
    url = reverse("bookings_manage:board", args=[place.slug])
    if moment is None:
        return url
    day = moment.astimezone(ZoneInfo(place.timezone)).date()
    return f"{url}?{urlencode({'date': day.isoformat()})}"


def _booking(place: Place, booking_id: int) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related(
            "space__place", "place", "person", "organisation", "booked_by__person"
        ),
        pk=booking_id,
        place=place,
        blocked_by__isnull=True,
    )


def _new_url(place: Place) -> str:
    return reverse("bookings_manage:new", args=[place.slug])


def _initial(request: HttpRequest, place: Place) -> dict[str, Any]:
    """Prefill from `?space=&start=&end=&for=` (a free slot, an alternative) or `?date=`."""
    tz = ZoneInfo(place.timezone)
    initial: dict[str, Any] = {"units": 1, "booked_for": request.GET.get("for", "")}
    if request.GET.get("space"):
        initial["space"] = request.GET["space"]
    start = parse_local(request.GET.get("start"), tz)
    end = parse_local(request.GET.get("end"), tz)
    if start is not None and end is not None and end > start:
        initial.update(date=start.date(), start_time=start.time(), end_time=end.time())
    elif request.GET.get("date"):
        initial["date"] = request.GET["date"][:10]
    return initial


def _conflict(place: Place, space: Space, error: BookingConflict, url: Any) -> dict[str, Any]:
    return {
        "message": " ".join(error.messages),
        "alternatives": slot_links(place, space, error.alternatives, url),
        "similar": [],
    }


def _price(place: Place, data: dict[str, Any]) -> str:
    """What the booking costs the person or the organisation it is for (at its rates)."""
    person = organisation = None
    if data["person"] is not None:
        person = Person.objects.filter(pk=data["person"], place_roles__place=place).first()
    if data["organisation"] is not None:
        organisation = Organisation.objects.filter(
            pk=data["organisation"], place_roles__place=place
        ).first()
    quote = prices.preview(
        person,
        data["space"],
        data["start"],
        data["end"],
        data["units"],
        organisation=organisation,
    )
    return previews.describe(quote) if quote is not None else _("Not priced: free")


@place_view(Perm.MANAGE_BOOKINGS)
def new(request: HttpRequest, place: Place) -> HttpResponse:
    """Book for someone: "Check" shows the price and whether the slot is free, "Book" books;
    a taken slot answers 409 with the free slots nearby, as the member's form does."""
    posted = request.method == "POST"
    form = TeamBookingForm(
        request.POST if posted else None, initial=_initial(request, place), place=place
    )
    context: dict[str, Any] = {"place": place, "form": form, "conflict": None, "price": ""}
    status = None
    if posted and form.is_valid():
        data = form.cleaned_data
        tz = ZoneInfo(place.timezone)

        def again(start: datetime, end: datetime) -> str:
            params = {"space": data["space"].slug, "for": data["booked_for"]}
            params.update(start=local_iso(start, tz), end=local_iso(end, tz))
            return f"{_new_url(place)}?{urlencode(params)}"

        try:
            if request.POST.get("action") == "check":
                _check(request, data)
                context["price"] = _price(place, data)
                context["free"] = True
            else:
                booking = services.create_booking(
                    actor=request.user,
                    space=data["space"],
                    start=data["start"],
                    end=data["end"],
                    units=data["units"],
                    person=data["person"],
                    organisation=data["organisation"],
                    title=data["title"],
                    note=data["note"],
                    headcount=data["headcount"],
                    purpose=data["purpose"],
                )
                messages.success(
                    request,
                    _("The booking for %(who)s is made.")
                    % {"who": booking.person or booking.organisation or booking.title},
                )
                return redirect(board_url(place, booking.start))
        except BookingConflict as error:
            context["conflict"] = _conflict(place, data["space"], error, again)
            status = 409
        except ValidationError as error:
            attach_error(form, error, FIELDS)
    response = render(request, "bookings/manage/new.html", context, form)
    if status is not None:
        response.status_code = status
    return response


def _check(request: HttpRequest, data: dict[str, Any]) -> None:
    """The service's checks on the slot, read-only (nothing locked nor written)."""
    ctx = checks.context_for(request.user, data["space"])
    now = clock.now()
    checks.check_rules(ctx, data["start"], data["end"], data["units"], now)
    checks.check_opening(ctx, data["start"], data["end"])
    checks.check_conflicts(ctx, data["start"], data["end"], data["units"], now)


@place_view(Perm.MANAGE_BOOKINGS)
def detail(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    """One booking: for whom, by whom, its price and its history, and what the team may do."""
    booking = annotate(_booking(place, booking_id), clock.now(), staff=True)
    history = AuditEntry.objects.filter(
        object_type=Booking._meta.label_lower, object_id=str(booking.pk)
    ).select_related("actor__person")
    return render(
        request,
        "bookings/manage/booking.html",
        {
            "place": place,
            "booking": booking,
            "price": previews.describe(previews.of_booking(booking)),
            "history": history[:50],
            "deadline": checks.free_cancellation_until(booking),
        },
    )


@place_view(Perm.MANAGE_BOOKINGS)
def cancel(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    """Asks first (GET: what it means, a reason for the person); POST cancels."""
    booking = _booking(place, booking_id)
    deadline = checks.free_cancellation_until(booking)
    late = clock.now() > deadline
    form = TeamCancelForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        refund = None if not late else data["credits"] != "keep"
        try:
            services.cancel_booking(
                actor=request.user, booking=booking, reason=data["reason"], refund=refund
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The booking is cancelled."))
            return redirect(board_url(place, booking.start))
    return render(
        request,
        "bookings/manage/cancel.html",
        {"place": place, "booking": booking, "form": form, "late": late, "deadline": deadline},
        form,
    )


@place_view(Perm.MANAGE_BOOKINGS)
def move(request: HttpRequest, place: Place, booking_id: int) -> HttpResponse:
    """Another time and/or space, checked as the member's move; 409 with free slots nearby."""
    booking = _booking(place, booking_id)
    tz = ZoneInfo(place.timezone)
    start, end = booking.start.astimezone(tz), booking.end.astimezone(tz)
    wanted = parse_local(request.GET.get("start"), tz)
    if wanted is not None:
        end = parse_local(request.GET.get("end"), tz) or wanted + (end - start)
        start = wanted
    initial = {
        "space": request.GET.get("space") or booking.space.slug,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
    }
    form = TeamMoveForm(
        request.POST if request.method == "POST" else None, initial=initial, place=place
    )
    conflict = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_booking(
                actor=request.user,
                booking=booking,
                start=data["start"],
                end=data["end"],
                space=data["space"],
            )
        except BookingConflict as error:
            url = reverse("bookings_manage:move", args=[place.slug, booking.pk])
            space = data["space"]
            conflict = _conflict(
                place,
                space,
                error,
                lambda s, e: (
                    url
                    + "?"
                    + urlencode(
                        {"space": space.slug, "start": local_iso(s, tz), "end": local_iso(e, tz)}
                    )
                ),
            )
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            messages.success(request, _("The booking has moved."))
            return redirect(board_url(place, data["start"]))
    response = render(
        request,
        "bookings/manage/move.html",
        {"place": place, "booking": booking, "form": form, "conflict": conflict},
        form,
    )
    if conflict is not None:
        response.status_code = 409
    return response
