"""The registration part of an event's page: `{% registration_form event %}`.

The event's page (agenda's view) needs nothing but this tag: it reads the request from the
template's context and builds what `forms_registration.panel` says the visitor may do.
"""

from __future__ import annotations

from typing import Any

from django import template

from tierslieux.core import clock
from tierslieux.events import emails
from tierslieux.events.forms_registration import Panel, panel
from tierslieux.events.models import Event, Registration

register = template.Library()


@register.inclusion_tag("events/public/_registration_panel.html", takes_context=True)
def registration_form(context: template.Context, event: Event) -> dict[str, Any]:
    """The form to register (or why there is none), for the request's user."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "panel": panel(event, user, clock.now()),
        "event": event,
        "place": event.place,
        "user": user,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("events/public/_registration_panel.html", takes_context=True)
def registration_panel(context: template.Context, shown: Panel) -> dict[str, Any]:
    """The same part, already built (bound to a POST that came back with errors)."""
    request = context.get("request")
    return {
        "panel": shown,
        "event": shown.event,
        "place": shown.event.place,
        "user": getattr(request, "user", None),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def registration_token(registration: Registration) -> str:
    """The token of the registration's own page (for the person's reminder on the form)."""
    return emails.token_for(registration)
