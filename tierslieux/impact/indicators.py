"""The impact indicators of many places at once, from what the places record.

`compute(places, period)` returns every indicator of `impact.indicator_defs` for every place:
each family is read by statements grouped per place over all the places together (a constant
number of queries, whatever the number of places); an indicator whose data is not recorded
comes back as `Value(None, reason)`, never as a 0. Visits and members are here; events,
access, learning and links in `indicators_events`; occupancy, jobs, revenue and surveys in
`indicators_money`.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tierslieux.activity.models import DailyCount
from tierslieux.bookings.models import Booking
from tierslieux.core import clock
from tierslieux.events.models import Attendance
from tierslieux.impact import indicators_events, indicators_money
from tierslieux.impact.indicator_defs import INDICATORS, Value, missing
from tierslieux.impact.indicators_base import (
    ORGANISATION_ROLES,
    Found,
    Scope,
    count_union,
    counted,
    grouped,
    held,
    record_flags,
)
from tierslieux.impact.periods import Period
from tierslieux.members.models import Pass, Subscription
from tierslieux.places.models import Place, PlaceRole

__all__ = ["compute"]


def compute(places: QuerySet[Place], period: Period) -> Found:
    """{place id: {indicator key: Value}} for every place of `places` over `period`."""
    rows = list(places.order_by().only("pk", "timezone", "country"))
    if not rows:
        return {}
    scope = Scope(rows, period, clock.now())
    scope.uses = record_flags(scope.ids)
    found = scope.empty()
    for part in (
        visits,
        members,
        indicators_events.events,
        indicators_events.access,
        indicators_events.links,
        indicators_money.occupancy,
        indicators_money.jobs,
        indicators_money.revenue,
        indicators_money.surveys,
    ):
        for pk, values in part(scope).items():
            found[pk].update(values)
    for indicator in INDICATORS:
        if not indicator.recorded:
            for values in found.values():
                values[indicator.key] = missing(indicator.limits)
    return found


def visits(scope: Scope) -> Found:
    """Footfall, check-ins, people expected by bookings, unique users known by name."""
    period, ids = scope.period, scope.ids
    counts = grouped(
        DailyCount.objects.filter(place_id__in=ids, day__gte=period.first, day__lte=period.last)
        .values(p=F("place_id"))
        .annotate(people=Sum("count"), days=Count("id"))
        .order_by(),
        "people",
        "days",
    )
    checked = scope.during("checked_in_at", "place") & ~Q(status=Booking.Status.CANCELLED)
    # An event's date holds its room by a booking: its people are the event's participants.
    booked = scope.during("start", "place") & Q(
        status__in=Booking.BLOCKING, event_session__isnull=True
    )
    bookings = grouped(
        Booking.objects.filter(place_id__in=ids, blocked_by__isnull=True)
        .filter(checked | booked)
        .values(p=F("place_id"))
        .annotate(
            checkins=Count("id", filter=checked),
            people=Sum(Coalesce("headcount", V(1)), filter=booked),
        )
        .order_by(),
        "checkins",
        "people",
    )
    users = count_union(
        Booking.objects.filter(place_id__in=ids, blocked_by__isnull=True, person__isnull=False)
        .filter(booked)
        .values(p=F("place_id"), who=F("person_id"))
        .order_by(),
        Attendance.objects.filter(session__in=held(scope), registration__person__isnull=False)
        .values(p=F("session__event__place_id"), who=F("registration__person_id"))
        .order_by(),
    )
    found = scope.empty()
    for pk, values in found.items():
        uses = scope.uses.get(pk, set())
        footfall = counts.get(pk)
        values["footfall"] = (
            Value(footfall["people"], basis=footfall["days"])
            if footfall
            else missing(_("No day counted in the period."))
        )
        row = bookings.get(pk, {})
        values["checkins"] = counted(
            uses,
            "checkins",
            row.get("checkins", 0),
            _("The place never checks bookings in."),
        )
        values["booking_people"] = counted(
            uses, "bookings", row.get("people") or 0, _("The place records no bookings.")
        )
        values["unique_users"] = (
            Value(users.get(pk, 0))
            if uses & {"bookings", "attendance"}
            else missing(_("The place records neither bookings nor check-ins at events."))
        )
    return found


def members(scope: Scope) -> Found:
    """Members (people with a subscription or a pass), member and resident organisations,
    volunteers."""
    first, last, ids = scope.period.first, scope.period.last, scope.ids
    valid = Q(place_id__in=ids, start__lte=last) & (Q(end__isnull=True) | Q(end__gte=first))
    people = count_union(
        Subscription.objects.filter(valid, person__isnull=False)
        .values(p=F("place_id"), who=F("person_id"))
        .order_by(),
        Pass.objects.filter(place_id__in=ids, valid_from__lte=last, valid_until__gte=first)
        .values(p=F("place_id"), who=F("person_id"))
        .order_by(),
    )
    given = Q(since__isnull=True) | Q(since__lte=last)
    organisations = count_union(
        Subscription.objects.filter(valid, organisation__isnull=False)
        .values(p=F("place_id"), who=F("organisation_id"))
        .order_by(),
        PlaceRole.objects.filter(
            given, place_id__in=ids, role__in=ORGANISATION_ROLES, organisation__isnull=False
        )
        .values(p=F("place_id"), who=F("organisation_id"))
        .order_by(),
    )
    volunteers = grouped(
        PlaceRole.objects.filter(given, place_id__in=ids, role=PlaceRole.Role.VOLUNTEER)
        .values(p=F("place_id"))
        .annotate(n=Count("id"))
        .order_by(),
        "n",
    )
    found = scope.empty()
    for pk, values in found.items():
        uses = scope.uses.get(pk, set())
        values["members"] = counted(
            uses,
            "subscriptions",
            people.get(pk, 0),
            _("The place has never recorded a subscription or a pass."),
        )
        values["resident_organisations"] = counted(
            uses,
            "organisations",
            organisations.get(pk, 0),
            _("The place has never recorded an organisation."),
        )
        values["volunteers"] = (
            Value(volunteers[pk]["n"])
            if pk in volunteers
            else missing(_("No volunteer is recorded in the place's roles."))
        )
    return found
