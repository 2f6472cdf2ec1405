"""The team's hand on an event's registrations: the lists (registered, waiting in order,
awaiting confirmation, cancelled), adding someone, cancelling (asked first), the CSV export
and a training's certificate of attendance.

Thin: `events.services` decides and writes; a refusal shows on the form with 422.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tierslieux.billing.exports.sheets import Table, table_csv
from tierslieux.core import clock, formatting
from tierslieux.events import certificate, services
from tierslieux.events.forms import TeamRegistrationForm
from tierslieux.events.models import Attendance, Event, PriceKind, Registration, Session
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

Status = Registration.Status
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
FIELDS = {
    "seats": "seats",
    "email": "email",
    "twice": "email",
    "price_kind": "price_kind",
    "amount": "amount",
    "session": "session",
    "session_cancelled": "session",
    "started": "session",
    "name": "name",
}
GROUPS = [
    (Status.CONFIRMED, "confirmed"),
    (Status.WAITLISTED, "waitlisted"),
    (Status.PENDING, "pending"),
    (Status.CANCELLED, "cancelled"),
]


def event_of(place: Place, event_id: int) -> Event:
    return get_object_or_404(Event.objects.select_related("place"), pk=event_id, place=place)


def session_of(event: Event, session_id: int | None) -> Session | None:
    if session_id is None:
        return None
    session = get_object_or_404(Session.objects.select_related("space"), pk=session_id, event=event)
    session.event = event
    return session


def registration_of(event: Event, registration_id: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related("session", "person"), pk=registration_id, event=event
    )
    registration.event = event
    return registration


def list_url(event: Event, session: Session | None = None) -> str:
    if session is not None:
        return reverse(
            "events_manage:session_registrations", args=[event.place.slug, event.pk, session.pk]
        )
    return reverse("events_manage:registrations", args=[event.place.slug, event.pk])


def _rows(event: Event, session: Session | None) -> QuerySet[Registration]:
    rows = Registration.objects.filter(event=event).select_related("session")
    if session is not None:
        rows = rows.filter(session=session)
    return rows.order_by("created_at", "id")


def price_label(kind: str) -> str:
    return str(PriceKind(kind).label) if kind in PriceKind.values else kind


def grouped(event: Event, session: Session | None) -> dict[str, list[Registration]]:
    """The registrations by status; the waiting list in its order, each with its position
    (per date: each date has its own queue)."""
    groups: dict[str, list[Registration]] = {key: [] for _status, key in GROUPS}
    keys = dict(GROUPS)
    attended = set(
        Attendance.objects.filter(registration__event=event).values_list(
            "registration_id", flat=True
        )
    )
    rows = list(_rows(event, session))
    waiting = sorted(
        (r for r in rows if r.status == Status.WAITLISTED),
        key=lambda r: (r.queued_at, r.pk),
    )
    positions: dict[int | None, int] = {}
    for registration in waiting:
        positions[registration.session_id] = positions.get(registration.session_id, 0) + 1
        registration.position = positions[registration.session_id]  # type: ignore[attr-defined]
    for registration in rows:
        registration.attended = registration.pk in attended  # type: ignore[attr-defined]
        registration.total = registration.unit_price_net * registration.seats  # type: ignore[attr-defined]
        registration.price_label = price_label(registration.price_kind)  # type: ignore[attr-defined]
        if registration.status != Status.WAITLISTED:
            groups[keys[Status(registration.status)]].append(registration)
    groups["waitlisted"] = waiting
    return groups


def seat_summary(event: Event, sessions: list[Session]) -> dict[str, int]:
    """Seats taken and waiting per session (set on each session) and for the course (the
    result, for an event registered as a whole), people present per session: three queries."""
    counts = (
        Registration.objects.filter(event=event, status__in=[Status.CONFIRMED, Status.WAITLISTED])
        .exclude(source=Registration.Source.WALK_IN)
        .values("session_id", "status")
        .annotate(n=Sum("seats"))
    )
    seats: dict[tuple[int | None, str], int] = {
        (row["session_id"], row["status"]): row["n"] for row in counts
    }
    present = dict(
        Attendance.objects.filter(session__event=event)
        .values("session_id")
        .annotate(n=Sum("seats"))
        .values_list("session_id", "n")
    )
    for session in sessions:
        session.taken = seats.get((session.pk, Status.CONFIRMED), 0)  # type: ignore[attr-defined]
        session.waiting = seats.get((session.pk, Status.WAITLISTED), 0)  # type: ignore[attr-defined]
        session.present = present.get(session.pk, 0)  # type: ignore[attr-defined]
    return {
        "taken": seats.get((None, Status.CONFIRMED), 0),
        "waiting": seats.get((None, Status.WAITLISTED), 0),
    }


def _sessions(event: Event) -> QuerySet[Session]:
    return event.sessions.select_related("space").order_by("start", "id")


@place_view(Perm.MANAGE_BOOKINGS)
def registrations(
    request: HttpRequest, place: Place, event_id: int, session_id: int | None = None
) -> HttpResponse:
    event = event_of(place, event_id)
    session = session_of(event, session_id)
    context = {
        "place": place,
        "event": event,
        "session": session,
        "sessions": _sessions(event),
        "groups": grouped(event, session),
        "per_date": event.enrolment == Event.Enrolment.SESSION,
        "training": event.kind == Event.Kind.TRAINING,
    }
    return render(request, "events/manage/registrations.html", context)


def _csv_rows(event: Event, session: Session | None) -> list[list[Any]]:
    tz = ZoneInfo(event.place.timezone)
    rows: list[list[Any]] = []
    groups = grouped(event, session)
    with timezone.override(tz):
        for _status, key in GROUPS:
            for r in groups[key]:
                when = formatting.moment(r.session.start) if r.session is not None else ""
                rows.append(
                    [
                        str(r.get_status_display()),
                        str(getattr(r, "position", "")),
                        when,
                        r.name,
                        r.email,
                        str(r.seats),
                        price_label(r.price_kind),
                        r.unit_price_net,
                        r.unit_price_net * r.seats,
                        str(r.get_source_display()),
                        r.created_at.astimezone(tz).strftime("%d/%m/%Y %H:%M"),
                        _("yes") if getattr(r, "attended", False) else _("no"),
                    ]
                )
    return rows


@place_view(Perm.MANAGE_BOOKINGS)
def registrations_csv(
    request: HttpRequest, place: Place, event_id: int, session_id: int | None = None
) -> HttpResponse:
    """The list for a spreadsheet (French Excel: `;`, UTF-8 with a byte-order mark)."""
    event = event_of(place, event_id)
    session = session_of(event, session_id)
    headers = [
        _("Status"),
        _("Position on the waiting list"),
        _("Date"),
        _("Name"),
        _("E-mail address"),
        _("Seats"),
        _("Price category"),
        _("Price per seat excl. tax"),
        _("Total excl. tax"),
        _("Source"),
        _("Registered at"),
        _("Present"),
    ]
    body = table_csv(Table(_("Registrations"), headers, _csv_rows(event, session)))
    stamp = clock.today(place.timezone).isoformat()
    response = HttpResponse(body, content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="inscrits-{event.pk}-{stamp}.csv"'
    return response


@place_view(Perm.MANAGE_BOOKINGS)
def add(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    event = event_of(place, event_id)
    now = clock.now()
    upcoming = _sessions(event).filter(cancelled_at__isnull=True, start__gt=now)
    posted = request.method == "POST"
    initial = {"session": request.GET.get("session")} if not posted else None
    form = TeamRegistrationForm(
        request.POST if posted else None, initial=initial, event=event, sessions=upcoming
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.register(
                actor=request.user,
                event=event,
                session=data.get("session"),
                person=data.get("person"),
                name=data["name"],
                email=data.get("email") or "",
                seats=data["seats"],
                price_kind=data.get("price_kind") or "",
                amount=data.get("amount"),
            )
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            registration = outcome.registration
            if registration.status == Status.WAITLISTED:
                messages.warning(
                    request,
                    _("The seats are taken: %(name)s is on the waiting list.")
                    % {"name": registration.name},
                )
            else:
                messages.success(
                    request, _("%(name)s is registered.") % {"name": registration.name}
                )
            return redirect(list_url(event, registration.session))
    context = {"place": place, "event": event, "form": form}
    return render(request, "events/manage/registration_add.html", context, form)


@place_view(Perm.MANAGE_BOOKINGS)
def cancel(request: HttpRequest, place: Place, event_id: int, registration_id: int) -> HttpResponse:
    """Asks first; POST cancels, and says whom the freed seats promoted."""
    event = event_of(place, event_id)
    registration = registration_of(event, registration_id)
    error_text = ""
    if request.method == "POST":
        try:
            outcome = services.cancel_registration(registration=registration, actor=request.user)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            text = _("The registration of %(name)s is cancelled.") % {"name": registration.name}
            if outcome.promoted:
                names = ", ".join(r.name for r in outcome.promoted)
                text += " " + _("Promoted from the waiting list: %(names)s.") % {"names": names}
            messages.success(request, text)
            return redirect(list_url(event, registration.session))
    context = {
        "place": place,
        "event": event,
        "registration": registration,
        "error": error_text,
        "back": list_url(event, registration.session),
    }
    response = render(request, "events/manage/registration_cancel.html", context)
    if error_text:
        response.status_code = 422
    return response


@place_view(Perm.MANAGE_BOOKINGS)
def certificate_pdf(
    request: HttpRequest, place: Place, event_id: int, registration_id: int
) -> HttpResponse:
    """A training's certificate of attendance, in the reader's language."""
    event = event_of(place, event_id)
    registration = registration_of(event, registration_id)
    try:
        facts = certificate.build(registration, issuer=request.user)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error
    response = HttpResponse(certificate.render_pdf(facts), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{facts.filename}"'
    return response


@place_view(Perm.MANAGE_BOOKINGS)
def send_certificate(
    request: HttpRequest, place: Place, event_id: int, registration_id: int
) -> HttpResponse:
    """POST: the certificate leaves by e-mail from the worker."""
    event = event_of(place, event_id)
    registration = registration_of(event, registration_id)
    back = list_url(event, registration.session)
    if request.method != "POST":
        return redirect(back)
    try:
        services.send_certificate(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The certificate is on its way to %(email)s.") % {"email": registration.email},
        )
    return redirect(back)
