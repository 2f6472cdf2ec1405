"""iCalendar feeds of the public agendas, per place and per network, for anyone.

They hold the sessions of public published events from three months back to twelve months
ahead (cancelled ones marked so, for clients to drop them); members-only and draft events
never appear, whoever asks: a calendar application has no login.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tierslieux.bookings.feeds import feed_range
from tierslieux.core import clock
from tierslieux.events import agenda, ical
from tierslieux.events.models import Session
from tierslieux.places.models import Network, Place


def location(place: Place, space_name: str) -> str:
    """The place, the space and the postal address, as a map application reads them."""
    address = ", ".join(
        part for part in (place.address, f"{place.postcode} {place.commune}".strip()) if part
    )
    return ", ".join(part for part in (place.name, space_name, address) if part)


def _item(request: HttpRequest, session: Session) -> ical.FeedSession:
    event, place = session.event, session.event.place
    stamps = [session.created_at, event.created_at, session.cancelled_at]
    return ical.FeedSession(
        uid=ical.uid(session.pk),
        start=session.start,
        end=session.end,
        summary=event.title,
        location=location(place, session.space.name),
        url=request.build_absolute_uri(reverse("events:event", args=[place.slug, event.pk])),
        cancelled=session.cancelled_at is not None or event.status == event.Status.CANCELLED,
        last_modified=max(stamp for stamp in stamps if stamp is not None),
        description=event.description,
    )


def _response(request: HttpRequest, name: str, places: list[Place], filename: str) -> HttpResponse:
    now = clock.now()
    start, end = feed_range(now)
    rows = agenda.feed_sessions(places, start, end)
    body = ical.calendar(name, (_item(request, s) for s in rows), stamp=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def place_feed(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    name = _("Agenda of %(name)s") % {"name": place.name}
    return _response(request, name, [place], f"{place.slug}-agenda.ics")


@require_safe
def network_feed(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=network_slug)
    name = _("Agenda of %(name)s") % {"name": network.name}
    places = list(network.places.all())
    return _response(request, name, places, f"{network.slug}-agenda.ics")
