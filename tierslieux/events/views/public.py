"""The public agendas (a place's, a network's) and an event's page, for anyone.

Thin: `events.agenda` says what the visitor may see and reads it in a fixed number of
queries. Filters come from the query string; values no form offers (a kind that does not
exist, the year 99999, a period ending before it starts) answer 422 with the field named.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from tierslieux.core import clock
from tierslieux.core.forms import form_status
from tierslieux.events import agenda
from tierslieux.events.models import Event
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Network, Place

PER_PAGE = 30  # sessions per page: a network holds hundreds


def _agenda(
    request: HttpRequest, places: list[Place], form: agenda.AgendaFilters, context: dict[str, Any]
) -> HttpResponse:
    page = None
    if form.is_valid():
        filters = form.filters()
        rows = agenda.upcoming(places, request.user, filters, clock.now())
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        sessions = list(page.object_list)
        agenda.prime_prices(sessions)
        context.update(days=agenda.by_day(sessions), filtered=filters.active)
    query = request.GET.copy()
    query.pop("page", None)
    context.update(form=form, page=page, query=query.urlencode())
    return render(request, "events/public/agenda.html", context, status=form_status(form))


@require_safe
def place_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    """The place's sessions to come, by day."""
    place = get_object_or_404(Place.objects.select_related("network"), slug=slug)
    form = agenda.AgendaFilters(request.GET)
    return _agenda(request, [place], form, {"place": place, "network": place.network})


@require_safe
def network_agenda(request: HttpRequest, network_slug: str) -> HttpResponse:
    """The sessions to come of every place of the network, by day; a filter for the place."""
    network = get_object_or_404(Network, slug=network_slug)
    places = list(network.places.order_by("name"))
    form = agenda.AgendaFilters(request.GET, places=places)
    return _agenda(request, places, form, {"network": network, "place": None})


@require_safe
def event_page(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """An event for the public; a draft only for the team (with a banner), a members-only
    event only for the place's people: anyone else gets 404, as if it did not exist."""
    event = get_object_or_404(
        Event.objects.select_related("place__network"), pk=event_id, place__slug=slug
    )
    if not agenda.may_see(request.user, event):
        raise Http404
    now = clock.now()
    sessions = (
        event.sessions.filter(cancelled_at__isnull=True, end__gt=now)
        .select_related("space")
        .order_by("start", "pk")
    )
    context = {
        "place": event.place,
        "event": event,
        "sessions": sessions,
        "prices": event.prices.order_by("price_net", "pk"),
        "co_organisers": event.co_organisers.order_by("name"),
        "team": access.has_perm(request.user, event.place, Perm.MANAGE_BOOKINGS),
        "training": event.kind == Event.Kind.TRAINING,
        # 7.50 hours read "7,5", 14.00 "14".
        "hours": event.hours.normalize() if event.hours is not None else None,
    }
    return render(request, "events/public/event.html", context)
