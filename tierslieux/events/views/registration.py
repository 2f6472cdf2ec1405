"""Registering for an event, for a visitor or a person of the network, and the attendee's own
pages: confirming one's address, one's registration, cancelling it, "My registrations".

Thin: `forms_registration` builds what the page offers, `services.registrations` decides and
writes. A visitor's links carry a signed token (`emails.token_for`); a page opened from a
link never changes anything on GET (mail scanners open links), it asks, and a POST acts. A
dead link answers a page saying what to do (404 unknown, 410 expired or closed), never 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tierslieux.core import clock
from tierslieux.core.forms import attach_error, form_status
from tierslieux.events import agenda
from tierslieux.events import registration_queries as queries
from tierslieux.events.forms_registration import FIELDS, panel, person_of, with_tax
from tierslieux.events.models import Event, PriceKind, Registration
from tierslieux.events.services import registrations as service

Status = Registration.Status
SENT_KEY = "events_registration_sent_to"


def _event(request: HttpRequest, slug: str, event_id: int) -> Event:
    """The event as its page shows it: 404 for those who may not see it."""
    event = get_object_or_404(
        Event.objects.select_related("place__network"), pk=event_id, place__slug=slug
    )
    if not agenda.may_see(request.user, event):
        raise Http404
    return event


def outcome_message(registration: Registration) -> str:
    """What became of a registration, in a sentence."""
    if registration.status == Status.WAITLISTED:
        return _(
            "The event is full: you are on the waiting list, position %(position)s. "
            "We tell you by e-mail as soon as a seat is yours."
        ) % {"position": queries.waitlist_position(registration)}
    if registration.status == Status.CONFIRMED:
        return _("You are registered. See you soon!")
    return _("Your registration awaits the confirmation of your address.")


@require_POST
def register(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """The form of the event's page. A visitor confirms their address from a link; a person
    logged in is registered at once (or waitlisted) and sees their registration."""
    event = _event(request, slug, event_id)
    now = clock.now()
    shown = panel(event, request.user, now, request.POST)
    form, status = shown.form, 422
    if form is not None and form.is_valid():
        data = form.cleaned_data
        person = shown.person
        email = data.get("email", "")
        if person is None and queries.flooding(email, now):
            form.add_error(
                "email",
                _(
                    "This address has too many registrations awaiting confirmation: open the "
                    "links we sent it, or try again in an hour."
                ),
            )
            status = 429
        else:
            try:
                outcome = service.register(
                    event=event,
                    session=form.dates[data["session"]].session if "session" in data else None,
                    name=data["name"] if person is None else str(person),
                    email=email if person is None else _email_of(person, request.user),
                    seats=data["seats"],
                    price_kind=data.get("price_kind", ""),
                    amount=data.get("amount"),
                    person=person,
                    actor=request.user if request.user.is_authenticated else None,
                    language=translation.get_language() or "",
                )
            except ValidationError as error:
                attach_error(form, error, FIELDS)
            else:
                return _registered(request, event, outcome)
    elif form is not None:
        status = form_status(form)
    context = {"event": event, "place": event.place, "panel": shown}
    return render(request, "events/public/register.html", context, status=status)


def _email_of(person: Any, user: Any) -> str:
    return person.email or getattr(user, "email", "")


def _registered(request: HttpRequest, event: Event, outcome: service.Outcome) -> HttpResponse:
    registration = outcome.registration
    if registration.status == Status.PENDING:
        request.session[SENT_KEY] = registration.email
        return redirect("events:registration_sent", slug=event.place.slug, event_id=event.pk)
    messages.success(request, outcome_message(registration))
    return redirect("events:registration", token=outcome.token)


@require_safe
def sent(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """ "Check your e-mail": the address is used for this registration only."""
    event = _event(request, slug, event_id)
    context = {"event": event, "place": event.place, "email": request.session.get(SENT_KEY, "")}
    return render(request, "events/public/registration_sent.html", context)


def _dead(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    return render(
        request, "events/public/registration_dead.html", {"message": message}, status=status
    )


def _expired(registration: Registration) -> bool:
    return registration.created_at + service.CONFIRM_WITHIN < clock.now()


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the event and a button (links are opened by mail scanners); POST confirms
    the address: a seat, or a place on the waiting list."""
    registration = service.by_token(token)
    if registration is None:
        return _dead(request, 404)
    pending = registration.status == Status.PENDING
    if pending and _expired(registration):
        return _dead(request, 410, _("This link has expired: register again."))
    if request.method == "POST":
        try:
            registration = service.confirm_email(token=token)
        except ValidationError as error:
            return _dead(request, 404 if error.code == "token" else 410, " ".join(error.messages))
        if pending:
            messages.success(request, outcome_message(registration))
        return redirect("events:registration", token=token)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if not pending:
        return redirect("events:registration", token=token)
    context = _details(registration, token)
    return render(request, "events/public/registration_confirm.html", context)


def _details(registration: Registration, token: str = "") -> dict[str, Any]:
    event = registration.event
    sessions = (
        [registration.session]
        if registration.session is not None
        else list(event.sessions.filter(cancelled_at__isnull=True).select_related("space"))
    )
    start = sessions[0].start if sessions else None
    return {
        "registration": registration,
        "event": event,
        "place": event.place,
        "sessions": sessions,
        "token": token,
        "position": queries.waitlist_position(registration),
        "price": _price(registration),
        "cancellable": registration.active and start is not None and start > clock.now(),
    }


def _price(registration: Registration) -> dict[str, Any] | None:
    """The registration's price as it stood when registering, per seat and in all."""
    if not registration.price_kind:
        return None
    unit, seats, code = registration.unit_price_net, registration.seats, registration.tax_code
    known = registration.price_kind in PriceKind.values
    return {
        "kind": PriceKind(registration.price_kind).label if known else registration.price_kind,
        "free": registration.price_kind == PriceKind.FREE,
        "unit_gross": with_tax(unit, code) if code else unit,
        "unit_net": unit,
        "total_gross": with_tax(unit, code, seats) if code else unit * seats,
        "total_net": unit * seats,
    }


@require_safe
def registration(request: HttpRequest, token: str) -> HttpResponse:
    """The attendee's registration, from the link of their e-mails."""
    found = service.by_token(token)
    if found is None:
        return _dead(request, 404)
    return render(request, "events/public/registration.html", _details(found, token))


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST cancels (the seats go to the waiting list at once)."""
    found = service.by_token(token)
    if found is None:
        return _dead(request, 404)
    if request.method == "POST":
        return _cancel(request, found, redirect("events:registration", token=token), token=token)
    context = {**_details(found, token), "back": "events:registration"}
    return render(request, "events/public/registration_cancel.html", context)


def _cancel(
    request: HttpRequest, found: Registration, then: HttpResponse, **how: Any
) -> HttpResponse:
    try:
        service.cancel_registration(registration=found, **how)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return then


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The person's registrations in every place: to come, then past and cancelled."""
    now = clock.now()
    upcoming, past = queries.of_person(person_of(request.user), now)
    for row in upcoming:
        row.registration.position = queries.waitlist_position(row.registration)  # type: ignore[attr-defined]
    context = {"upcoming": upcoming, "past": past, "now": now}
    return render(request, "events/portal/mine.html", context)


@login_required
def mine_cancel(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Cancel one of one's own registrations: GET asks, POST cancels."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    found = get_object_or_404(
        Registration.objects.select_related("event__place", "session__space"),
        pk=registration_id,
        person=person,
    )
    if request.method == "POST":
        return _cancel(request, found, redirect("events:mine"), actor=request.user)
    context = {**_details(found), "back": "events:mine"}
    return render(request, "events/public/registration_cancel.html", context)
