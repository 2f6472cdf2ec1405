"""The team's pages for events: the list (upcoming first), the form, an event's page with its
sessions and prices, and a confirmation page before each irreversible action.

Thin: the forms check the input's shape, `events.services` decides and writes; a refusal
(a taken slot named, a session in the past…) shows on the form with 422, nothing written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tierslieux.bookings.recurrence import Skipped
from tierslieux.core import clock
from tierslieux.core.forms import submit
from tierslieux.core.models import AuditEntry
from tierslieux.events import services
from tierslieux.events.forms import EventForm, MoveForm, PriceForm, ReasonForm, SessionForm
from tierslieux.events.models import Event, PriceCategory, Session
from tierslieux.events.views.manage_registrations import seat_summary
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

PER_PAGE = 25
# Where a service's refusal shows (else above the form).
FIELDS = {
    "past": "date",
    "closed": "start_time",
    "duration": "end_time",
    "times": "end_time",
    "recurrence": "until",
    "other_place": "space",
    "archived": "space",
    "not_bookable": "space",
    "co_organisers": "co_organisers",
    "min_price_net": "min_price_net",
    "enrolment": "enrolment",
    "space_capacity": "space",
    "capacity": "capacity",
}


def _event(place: Place, event_id: int) -> Event:
    return get_object_or_404(Event.objects.select_related("place"), pk=event_id, place=place)


def _session(event: Event, session_id: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("space", "booking", "event__place"),
        pk=session_id,
        event=event,
    )


def _detail_url(event: Event) -> str:
    return reverse("events_manage:detail", args=[event.place.slug, event.pk])


@place_view(Perm.MANAGE_BOOKINGS)
def events(request: HttpRequest, place: Place) -> HttpResponse:
    """The place's events: those with a session to come first (soonest first), then the
    others, latest first."""
    now = clock.now()
    live = Q(sessions__cancelled_at__isnull=True)
    qs = (
        Event.objects.filter(place=place)
        .annotate(
            next_start=Min("sessions__start", filter=live & Q(sessions__start__gte=now)),
            last_start=Max("sessions__start", filter=live),
        )
        .order_by(
            F("next_start").asc(nulls_last=True),
            F("last_start").desc(nulls_first=True),
            "-created_at",
            "-id",
        )
    )
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "events/manage/list.html", {"place": place, "page": page})


@place_view(Perm.MANAGE_BOOKINGS)
def new(request: HttpRequest, place: Place) -> HttpResponse:
    posted = request.method == "POST"
    form = EventForm(request.POST if posted else None, place=place)
    if posted and form.is_valid():
        try:
            event = services.create_event(
                actor=request.user,
                place=place,
                co_organisers=form.cleaned_data["co_organisers"],
                **form.values(),
            )
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            messages.success(request, _("The event is created as a draft: add its sessions."))
            return redirect(_detail_url(event))
    return render(request, "events/manage/form.html", {"place": place, "form": form}, form)


@place_view(Perm.MANAGE_BOOKINGS)
def edit(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    event = _event(place, event_id)
    posted = request.method == "POST"
    form = EventForm(request.POST if posted else None, instance=event, place=place)
    if submit(
        request,
        form,
        lambda data: services.update_event(
            actor=request.user, event=event, co_organisers=data["co_organisers"], **form.values()
        ),
        FIELDS,
    ):
        messages.success(request, _("The event is saved."))
        return redirect(_detail_url(event))
    context = {"place": place, "form": form, "event": Event.objects.get(pk=event.pk)}
    return render(request, "events/manage/form.html", context, form)


def _page(
    request: HttpRequest,
    event: Event,
    session_form: SessionForm | None = None,
    price_form: PriceForm | None = None,
) -> HttpResponse:
    place = event.place
    sessions = list(event.sessions.select_related("space", "booking").order_by("start", "id"))
    context = {
        "course": seat_summary(event, sessions),
        "place": place,
        "event": event,
        "sessions": sessions,
        "prices": event.prices.order_by("price_net", "id"),
        "co_organisers": event.co_organisers.order_by("name"),
        "now": clock.now(),
        "session_form": session_form or SessionForm(place=place),
        "price_form": price_form or PriceForm(),
        "editable": event.status != Event.Status.CANCELLED,
        "history": AuditEntry.objects.filter(
            object_type=Event._meta.label_lower, object_id=str(event.pk)
        ).select_related("actor__person")[:50],
    }
    return render(request, "events/manage/detail.html", context, session_form, price_form)


@place_view(Perm.MANAGE_BOOKINGS)
def detail(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    return _page(request, _event(place, event_id))


@place_view(Perm.MANAGE_BOOKINGS)
def add_sessions(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    """One session, or one per date of a weekly or monthly repetition, all or nothing."""
    event = _event(place, event_id)
    if request.method != "POST":
        return redirect(_detail_url(event))
    form = SessionForm(request.POST, place=place)
    if form.is_valid():
        data, recurrence = form.cleaned_data, form.recurrence()
        common = {"actor": request.user, "event": event, "space": data["space"]}
        try:
            if recurrence is None:
                services.add_session(**common, start=data["start"], end=data["end"])
                count, skipped = 1, list[Skipped]()
            else:
                made, skipped = services.add_recurring_sessions(
                    **common, start=data["start"], end=data["end"], recurrence=recurrence
                )
                count = len(made)
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            messages.success(request, _("Sessions added: %(count)s.") % {"count": count})
            if skipped:
                messages.warning(
                    request,
                    _("Dates skipped (a clock change makes the time missing or double): %(n)s.")
                    % {"n": len(skipped)},
                )
            return redirect(_detail_url(event))
    return _page(request, event, session_form=form)


@place_view(Perm.MANAGE_BOOKINGS)
def move_session(
    request: HttpRequest, place: Place, event_id: int, session_id: int
) -> HttpResponse:
    event = _event(place, event_id)
    session = _session(event, session_id)
    posted = request.method == "POST"
    tz = ZoneInfo(place.timezone)
    start, end = session.start.astimezone(tz), session.end.astimezone(tz)
    initial = {
        "space": session.space.slug,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
    }
    form = MoveForm(request.POST if posted else None, initial=initial, place=place)
    if submit(
        request,
        form,
        lambda data: services.move_session(
            actor=request.user,
            session=session,
            start=data["start"],
            end=data["end"],
            space=data["space"],
        ),
        FIELDS,
    ):
        messages.success(request, _("The session is moved, and its booking with it."))
        return redirect(_detail_url(event))
    context = {"place": place, "event": event, "session": session, "form": form}
    return render(request, "events/manage/move.html", context, form)


def _confirm(
    request: HttpRequest,
    event: Event,
    form: ReasonForm | None,
    texts: dict[str, Any],
) -> HttpResponse:
    context = {"place": event.place, "event": event, "form": form, **texts}
    return render(request, "events/manage/confirm.html", context, form)


@place_view(Perm.MANAGE_BOOKINGS)
def cancel_session(
    request: HttpRequest, place: Place, event_id: int, session_id: int
) -> HttpResponse:
    """Asks first; POST cancels the session and its booking (the space is freed)."""
    event = _event(place, event_id)
    session = _session(event, session_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: services.cancel_session(
            actor=request.user, session=session, reason=data["reason"]
        ),
    ):
        messages.success(request, _("The session is cancelled and its space freed."))
        return redirect(_detail_url(event))
    return _confirm(
        request,
        event,
        form,
        {
            "heading": _("Cancel this session?"),
            "warning": _("A cancellation cannot be undone: the space is freed for others."),
            "button": _("Cancel the session"),
            "session": session,
        },
    )


@place_view(Perm.MANAGE_BOOKINGS)
def cancel(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    """Asks first; POST cancels the event and its sessions to come."""
    event = _event(place, event_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if submit(
        request,
        form,
        lambda data: services.cancel_event(actor=request.user, event=event, reason=data["reason"]),
    ):
        messages.success(request, _("The event is cancelled; its spaces are freed."))
        return redirect(_detail_url(event))
    return _confirm(
        request,
        event,
        form,
        {
            "heading": _("Cancel this event?"),
            "warning": _(
                "A cancellation cannot be undone: the sessions to come are cancelled and "
                "their spaces freed."
            ),
            "button": _("Cancel the event"),
        },
    )


@place_view(Perm.MANAGE_BOOKINGS)
def publish(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    """Asks first; POST publishes the draft."""
    event = _event(place, event_id)
    error_text = ""
    if request.method == "POST":
        try:
            services.publish_event(actor=request.user, event=event)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(request, _("The event is published."))
            return redirect(_detail_url(event))
    response = _confirm(
        request,
        event,
        None,
        {
            "heading": _("Publish this event?"),
            "warning": _("Once published, the event cannot go back to draft."),
            "button": _("Publish"),
            "error": error_text,
        },
    )
    if error_text:
        response.status_code = 422
    return response


@place_view(Perm.MANAGE_BOOKINGS)
def set_price(request: HttpRequest, place: Place, event_id: int) -> HttpResponse:
    event = _event(place, event_id)
    if request.method != "POST":
        return redirect(_detail_url(event))
    form = PriceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.set_price(
                actor=request.user,
                event=event,
                kind=data["kind"],
                price_net=data["price_net"] or Decimal("0.00"),
                min_price_net=data["min_price_net"],
                tax_code=data["tax_code"],
            )
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            messages.success(request, _("The price is saved."))
            return redirect(_detail_url(event))
    return _page(request, event, price_form=form)


@place_view(Perm.MANAGE_BOOKINGS)
def remove_price(request: HttpRequest, place: Place, event_id: int, price_id: int) -> HttpResponse:
    event = _event(place, event_id)
    category = get_object_or_404(PriceCategory, pk=price_id, event=event)
    error_text = ""
    if request.method == "POST":
        try:
            services.remove_price(actor=request.user, category=category)
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            messages.success(request, _("The price is removed."))
            return redirect(_detail_url(event))
    response = _confirm(
        request,
        event,
        None,
        {
            "heading": _("Remove this price?"),
            "warning": _("The price “%(category)s” is removed from the event.")
            % {"category": category.get_kind_display()},
            "button": _("Remove the price"),
            "error": error_text,
        },
    )
    if error_text:
        response.status_code = 422
    return response
