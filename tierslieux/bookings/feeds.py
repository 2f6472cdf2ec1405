"""iCalendar feeds: public busy times per space, and a private feed per person.

The private feed's address holds a secret token instead of a login (calendar applications
cannot log in); `services.reset_calendar_feed` replaces a token that leaked. Both feeds
cover three months back to twelve months ahead.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tierslieux.bookings import ical, queries
from tierslieux.bookings.models import Booking, CalendarFeed
from tierslieux.core import clock
from tierslieux.places.models import Space

MONTHS_BACK = 3
MONTHS_AHEAD = 12


def feed_range(now: datetime) -> tuple[datetime, datetime]:
    return now - relativedelta(months=MONTHS_BACK), now + relativedelta(months=MONTHS_AHEAD)


def _response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def space_feed(request: HttpRequest, slug: str, space_slug: str) -> HttpResponse:
    """When the space is taken, for anyone: no titles, no people."""
    space = get_object_or_404(
        Space.objects.select_related("place"), place__slug=slug, slug=space_slug
    )
    now = clock.now()
    start, end = feed_range(now)
    rows = (
        Booking.objects.filter(
            space=space, status__in=Booking.BLOCKING, start__lt=end, end__gt=start
        )
        .select_related("place", "space")
        .order_by("start", "pk")
    )
    busy = _("Booked")
    body = ical.calendar(
        f"{space.place.name} — {space.name}",
        (ical.public_event(b, busy) for b in rows),
        stamp=now,
    )
    response = _response(body, f"{space.place.slug}-{space.slug}.ics")
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Every booking of the token's person (and those they made for their organisations),
    cancelled ones included (so that clients drop them), in the person's language."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("person__user"), token=token)
    person = feed.person
    user = person.user
    if user is not None and not user.is_active:
        raise Http404
    now = clock.now()
    start, end = feed_range(now)
    rows = (
        Booking.objects.filter(
            queries.of_person(person), blocked_by__isnull=True, start__lt=end, end__gt=start
        )
        .select_related("place", "space")
        .order_by("start", "pk")
    )
    language = user.language if user is not None else translation.get_language()
    with translation.override(language):
        name = _("My bookings")
    body = ical.calendar(name, (ical.private_event(b) for b in rows), stamp=now)
    response = _response(body, "bookings.ics")
    patch_cache_control(response, private=True, no_store=True)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
