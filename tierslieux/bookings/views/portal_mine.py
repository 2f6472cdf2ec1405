"""'My bookings': upcoming and past bookings of the logged-in person, paged, with cancel, move
and check-in. Each view loads only the person's own bookings (others answer 404) and lets the
services decide deadlines and states; a refusal becomes a message or a form error. A
cancellation past the free deadline first shows what it means and asks for confirmation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tierslieux.accounts.models import Person
from tierslieux.bookings import checks, queries, services
from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.forms import MoveForm, ReasonForm
from tierslieux.bookings.models import Booking
from tierslieux.bookings.views.portal import (
    conflict_context,
    local_iso,
    parse_local,
    person_of,
    slot_links,
)
from tierslieux.core import clock
from tierslieux.core.forms import attach_error, form_status
from tierslieux.places import access
from tierslieux.places.access import Perm

Status = Booking.Status
OPEN = (Status.REQUESTED, Status.CONFIRMED)
PER_PAGE = 20


def annotate(booking: Booking, now: datetime, staff: bool = False) -> Booking:
    """What the page offers on each row; the services still decide."""
    # The place's own slot (an event's session) changes from what holds it, not from here.
    held = booking.person_id is None and booking.organisation_id is None
    booking.held = held  # type: ignore[attr-defined]
    changeable = booking.status in OPEN and booking.end > now and not held
    booking.can_cancel = changeable  # type: ignore[attr-defined]
    booking.can_move = changeable and booking.start > now  # type: ignore[attr-defined]
    booking.can_check_in = (  # type: ignore[attr-defined]
        booking.status == Status.CONFIRMED
        and booking.checked_in_at is None
        and booking.start - timedelta(minutes=15) <= now < booking.end
    )
    booking.can_no_show = (  # type: ignore[attr-defined]
        staff
        and booking.status == Status.CONFIRMED
        and booking.checked_in_at is None
        and booking.start <= now
    )
    return booking


def listing(person: Person | None, now: datetime) -> QuerySet[Booking]:
    """One ordered list: upcoming bookings first (soonest first), then past and cancelled
    ones (most recent first); `upcoming` (1 or 0) tells the two parts apart."""
    if person is None:
        return Booking.objects.none()
    upcoming = Q(end__gt=now, status__in=OPEN)
    return (
        Booking.objects.filter(queries.of_person(person), blocked_by__isnull=True)
        .select_related("place", "space", "space__booking_rules", "organisation")
        .annotate(
            upcoming=Case(When(upcoming, then=Value(1)), default=Value(0)),
            soon=Case(When(upcoming, then=F("start"))),
            recent=Case(When(~upcoming, then=F("start"))),
        )
        .order_by("-upcoming", F("soon").asc(), F("recent").desc(), "pk")
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    now = clock.now()
    page = Paginator(listing(person, now), PER_PAGE).get_page(request.GET.get("page"))
    rows = [annotate(b, now) for b in page.object_list]
    upcoming = [b for b in rows if b.upcoming]  # type: ignore[attr-defined]
    feed_url = None
    if person is not None and hasattr(services, "calendar_feed_for"):
        feed = services.calendar_feed_for(person)
        feed_url = request.build_absolute_uri(reverse("bookings:person-feed", args=[feed.token]))
    return render(
        request,
        "bookings/mine.html",
        {
            "page": page,
            "upcoming": upcoming,
            "past": [b for b in rows if b not in upcoming],
            "feed_url": feed_url,
        },
    )


def _my_booking(request: HttpRequest, booking_id: int) -> Booking:
    person = person_of(request.user)
    if person is None:
        raise Http404
    return get_object_or_404(
        Booking.objects.select_related("place", "space").filter(queries.of_person(person)),
        pk=booking_id,
        blocked_by__isnull=True,
    )


@require_POST
@login_required
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Cancel one booking, or with `scope=rest` this occurrence and the rest of its series.
    Past the free deadline, the first POST only shows what that means; `confirm` cancels."""
    booking = _my_booking(request, booking_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    scope = "rest" if request.POST.get("scope") == "rest" and booking.series_id else ""
    deadline = checks.free_cancellation_until(booking)
    if clock.now() > deadline and not request.POST.get("confirm"):
        team = access.has_perm(request.user, booking.place, Perm.MANAGE_BOOKINGS)
        return render(
            request,
            "bookings/cancel_late.html",
            {
                "booking": booking,
                "deadline": checks.local(deadline, ZoneInfo(booking.place.timezone)),
                "team": team,
                "scope": scope,
                "reason": reason,
            },
        )
    try:
        if scope:
            count = services.cancel_series_from(actor=request.user, booking=booking)
            messages.success(
                request,
                ngettext(
                    "%(count)d booking is cancelled.", "%(count)d bookings are cancelled.", count
                )
                % {"count": count},
            )
        else:
            services.cancel_booking(actor=request.user, booking=booking, reason=reason)
            messages.success(request, _("Your booking is cancelled."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("bookings:mine")


@require_POST
@login_required
def check_in(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _my_booking(request, booking_id)
    try:
        services.check_in(actor=request.user, booking=booking)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are checked in. Welcome!"))
    return redirect("bookings:mine")


@login_required
def move(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Another slot of the same space; a taken slot answers 409 with alternatives."""
    booking = _my_booking(request, booking_id)
    place, space = booking.place, booking.space
    tz = ZoneInfo(place.timezone)
    start, end = booking.start.astimezone(tz), booking.end.astimezone(tz)
    wanted = parse_local(request.GET.get("start"), tz)
    if wanted is not None:
        end = parse_local(request.GET.get("end"), tz) or wanted + (end - start)
        start = wanted
    initial = {"date": start.date(), "start_time": start.time(), "end_time": end.time()}
    posted = request.POST if request.method == "POST" else None
    form = MoveForm(posted, initial=initial, tz=tz)
    conflict = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_booking(
                actor=request.user, booking=booking, start=data["start"], end=data["end"]
            )
        except BookingConflict as error:
            move_url = reverse("bookings:move", args=[booking.pk])
            conflict = conflict_context(place, space, error, data["start"], data["end"])
            conflict["alternatives"] = slot_links(
                place,
                space,
                error.alternatives,
                lambda s, e: (
                    move_url + "?" + urlencode({"start": local_iso(s, tz), "end": local_iso(e, tz)})
                ),
            )
            conflict["similar"] = []  # a move stays in the same space
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Your booking has moved."))
            return redirect("bookings:mine")
    return render(
        request,
        "bookings/move.html",
        {"booking": booking, "place": place, "form": form, "conflict": conflict},
        status=409 if conflict else form_status(form),
    )
