"""The attendance list at the door, on a tablet or a phone: the registrations expected at a
session, a big "Present" button each (POST), undo, a search by name that works without
JavaScript (a GET form; a small script filters as one types), and walk-ins added at the door.

Thin: `events.services` (attendance) decides and writes; a refusal shows above the list
with 422 and nothing written.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tierslieux.core import clock
from tierslieux.events import services
from tierslieux.events.forms import CheckInForm, WalkInForm
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.events.services import attendance as rules
from tierslieux.events.views.manage_registrations import event_of, registration_of, session_of
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

MAX_QUERY = 100


def _url(event: Event, session: Session) -> str:
    return reverse("events_manage:attendance", args=[event.place.slug, event.pk, session.pk])


def _page(
    request: HttpRequest,
    event: Event,
    session: Session,
    walk_in: WalkInForm | None = None,
    error: str = "",
) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    attendance = {
        a.registration_id: a
        for a in Attendance.objects.filter(session=session).only("seats", "registration_id")
    }
    expected = Registration.objects.filter(rules.expected_filter(session))
    rows = list(expected.order_by("name", "id"))
    for row in rows:
        row.present = attendance.get(row.pk)  # type: ignore[attr-defined]
        row.seats_range = range(1, row.seats + 1)  # type: ignore[attr-defined]
    shown = [row for row in rows if query.casefold() in row.name.casefold()]
    now = clock.now()
    door = rules.window(session, ZoneInfo(event.place.timezone))
    takes_place = event.status == Event.Status.PUBLISHED and not session.cancelled
    context = {
        "place": event.place,
        "event": event,
        "session": session,
        "rows": shown,
        "query": query,
        "present": sum(a.seats for a in attendance.values()),
        "expected": sum(row.seats for row in rows),
        "open": door.opens <= now < door.closes and takes_place,
        "takes_place": takes_place,
        "too_early": now < door.opens,
        "door": door,
        "walk_in": walk_in or WalkInForm(),
        "error": error,
    }
    response = render(request, "events/manage/attendance.html", context, walk_in)
    if error:
        response.status_code = 422
    return response


def _open(place: Place, event_id: int, session_id: int) -> tuple[Event, Session]:
    event = event_of(place, event_id)
    session = session_of(event, session_id)
    assert session is not None
    return event, session


@place_view(Perm.MANAGE_BOOKINGS)
def attendance(request: HttpRequest, place: Place, event_id: int, session_id: int) -> HttpResponse:
    event, session = _open(place, event_id, session_id)
    return _page(request, event, session)


@place_view(Perm.MANAGE_BOOKINGS)
def check_in(
    request: HttpRequest, place: Place, event_id: int, session_id: int, registration_id: int
) -> HttpResponse:
    event, session = _open(place, event_id, session_id)
    if request.method != "POST":
        return redirect(_url(event, session))
    registration = registration_of(event, registration_id)
    form = CheckInForm(request.POST)
    try:
        if not form.is_valid():
            return _page(request, event, session, error=_("Choose how many people are present."))
        services.check_in(
            actor=request.user,
            session=session,
            registration=registration,
            seats=form.cleaned_data["seats"],
        )
    except ValidationError as error:
        return _page(request, event, session, error=" ".join(error.messages))
    messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
    return redirect(_url(event, session))  # the search is cleared for the next person


@place_view(Perm.MANAGE_BOOKINGS)
def undo(
    request: HttpRequest, place: Place, event_id: int, session_id: int, registration_id: int
) -> HttpResponse:
    event, session = _open(place, event_id, session_id)
    if request.method != "POST":
        return redirect(_url(event, session))
    registration = registration_of(event, registration_id)
    try:
        services.undo_check_in(actor=request.user, session=session, registration=registration)
    except ValidationError as error:
        return _page(request, event, session, error=" ".join(error.messages))
    messages.success(request, _("%(name)s is no longer checked in.") % {"name": registration.name})
    return redirect(_url(event, session))  # the search is cleared for the next person


@place_view(Perm.MANAGE_BOOKINGS)
def walk_in(request: HttpRequest, place: Place, event_id: int, session_id: int) -> HttpResponse:
    event, session = _open(place, event_id, session_id)
    if request.method != "POST":
        return redirect(_url(event, session))
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_walk_in(
                actor=request.user,
                session=session,
                name=data["name"],
                email=data["email"] or "",
                seats=data["seats"],
            )
        except ValidationError as error:
            attach_error(form, error, {"name": "name", "email": "email", "seats": "seats"})
        else:
            messages.success(
                request, _("%(name)s is added and checked in.") % {"name": data["name"]}
            )
            return redirect(_url(event, session))
    return _page(request, event, session, walk_in=form)
