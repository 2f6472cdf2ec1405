"""Indicators from the events: dates held, registrations and participants, audiences,
free and solidarity access, peer learning and training, links between co-organisers.
Each statement is grouped per place over all the places (see `impact.indicators`)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    TextField,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from tierslieux.events.models import Attendance, Audience, Event, PriceKind, Registration
from tierslieux.impact.indicator_defs import Value, missing
from tierslieux.impact.indicators_base import (
    Found,
    Scope,
    counted,
    grouped,
    held,
    held_base,
    share,
)

TRAINING = Q(event__kind=Event.Kind.TRAINING) | Q(event__hours__isnull=False)
CONFIRMED = Registration.Status.CONFIRMED
SOLIDARITY = (PriceKind.SOLIDARITY, PriceKind.PAY_WHAT_YOU_WANT)
HOURS = Decimal("0.1")
AUDIENCES = frozenset(Audience.values)


def _own_seats(scope: Scope) -> dict[int, dict[str, Any]]:
    """Per place, seats of the confirmed registrations to a date held (`n`) and those free
    or at the solidarity price (`cheap`): one statement, kept on the scope, read by the
    seats registered and by the share of free or solidarity seats."""
    if "own_seats" not in scope.memo:
        cheap = Q(unit_price_net=0) | Q(price_kind=PriceKind.SOLIDARITY)
        scope.memo["own_seats"] = grouped(
            Registration.objects.filter(status=CONFIRMED, session__in=held(scope))
            .values(p=F("event__place_id"))
            .annotate(n=Sum("seats"), cheap=Sum("seats", filter=cheap))
            .order_by(),
            "n",
            "cheap",
        )
    found: dict[int, dict[str, Any]] = scope.memo["own_seats"]
    return found


def _seats(scope: Scope) -> dict[int, int]:
    """Seats of confirmed registrations at each date held: a date's own registrations, and
    a course's (no date) at each of its dates held."""
    dates = held(scope)
    own = _own_seats(scope)
    course = grouped(
        dates.filter(
            event__registrations__session__isnull=True, event__registrations__status=CONFIRMED
        )
        .values(p=F("event__place_id"))
        .annotate(n=Sum("event__registrations__seats"))
        .order_by(),
        "n",
    )
    return {
        pk: own.get(pk, {}).get("n", 0) + course.get(pk, {}).get("n", 0) for pk in {*own, *course}
    }


class _Micro(Func):
    """`end - start` in whole microseconds on SQLite, exactly, from the stored UTC text:
    seconds since 1970 of the text cut before the point (SQLite would round 59.999999 s up
    to the millisecond), then the six digits after it. Django's duration there is a Python
    function called twice a row, a fifth of a second for 1,000 places."""

    arity = 2
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        micro = (
            "(CAST(strftime('%%s', substr({0}, 1, 19)) AS INTEGER) * 1000000"
            " + CAST(substr({0} || '.000000', 21, 6) AS INTEGER))"
        )
        sql = f"({micro.format(end)} - {micro.format(start)})"
        return sql, (*end_params, *end_params, *start_params, *start_params)


def _learner_hours(scope: Scope) -> dict[int, Decimal]:
    """Σ seats × length of the training dates held, per place (grouped by seats: at most
    ten rows a place, the lengths summed in SQL)."""
    length: Any = ExpressionWrapper(
        F("session__end") - F("session__start"), output_field=DurationField()
    )
    if connection.vendor == "sqlite":
        length = _Micro("session__end", "session__start")
    rows = (
        Attendance.objects.filter(session__in=held(scope).filter(TRAINING))
        .values(p=F("session__event__place_id"), n=F("seats"))
        .annotate(length=Sum(length))
        .order_by()
    )
    total: dict[int, timedelta] = defaultdict(timedelta)
    for row in rows:
        span = row["length"]  # microseconds (SQLite) or a duration
        if isinstance(span, int):
            span = timedelta(microseconds=span)
        total[row["p"]] += span * row["n"]
    return {
        pk: (Decimal(value.total_seconds()) / 3600).quantize(HOURS, rounding=ROUND_HALF_UP)
        for pk, value in total.items()
    }


@lru_cache(maxsize=512)
def _codes(text: str | None) -> frozenset[str]:
    """The known audiences of an event's list, from its JSON text: a few distinct lists in
    all, so each is decoded once, not once a row."""
    return frozenset(json.loads(text) or ()) & AUDIENCES if text else frozenset()


def _audiences(scope: Scope) -> tuple[dict[int, dict[str, dict[str, int]]], dict[int, int]]:
    """Per place and audience: events held for it and their participants, in one statement
    grouped by the events' list of audiences (a few distinct lists a place, read as text)
    over the dates held and their check-ins, spread here; and per place, all the
    participants (the sum of its groups: no statement of its own)."""
    result: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: {code: {"events": 0, "participants": 0} for code in Audience.values}
    )
    present: dict[int, int] = defaultdict(int)
    for place_id, text, events, seats in (
        held(scope)
        .values_list("event__place_id", Cast("event__audiences", TextField()))
        .annotate(n=Count("event_id", distinct=True), seats=Sum("attendances__seats"))
        .order_by()
    ):
        seats = seats or 0  # no check-in at these dates
        present[place_id] += seats
        for code in _codes(text):
            result[place_id][code]["events"] += events
            result[place_id][code]["participants"] += seats
    return result, present


def events(scope: Scope) -> Found:
    """Events and dates held, seats registered, participants, attendance rate, audiences,
    peer-learning and training dates, learner-hours of training."""
    dates = held(scope)
    sessions = grouped(
        dates.values(p=F("event__place_id"))
        .annotate(
            sessions=Count("id"),
            events=Count("event_id", distinct=True),
            peer=Count("id", filter=Q(event__peer_learning=True)),
            training=Count("id", filter=TRAINING),
        )
        .order_by(),
        "sessions",
        "events",
        "peer",
        "training",
    )
    seats, hours = _seats(scope), _learner_hours(scope)
    audiences, present = _audiences(scope)
    no_events = _("The place has never published an event.")
    found = scope.empty()
    for pk, values in found.items():
        uses = scope.uses.get(pk, set())
        row = sessions.get(pk, {})
        for key, name in (
            ("events_held", "events"),
            ("sessions_held", "sessions"),
            ("peer_learning_sessions", "peer"),
            ("training_sessions", "training"),
        ):
            values[key] = counted(uses, "events", row.get(name, 0), no_events)
        values["registered_seats"] = counted(
            uses, "registrations", seats.get(pk, 0), _("The place records no registrations.")
        )
        people = present.get(pk, 0)
        values["participants"] = counted(
            uses, "attendance", people, _("The place never checks people in at its events.")
        )
        rate = share(people, seats.get(pk, 0)) if "attendance" in uses else None
        values["attendance_rate"] = (
            Value(rate, basis=seats.get(pk, 0))
            if rate is not None
            else missing(_("No registration with check-in at the dates held."))
        )
        values["audiences"] = counted(uses, "events", audiences.get(pk) or {}, no_events)
        values["training_hours"] = (
            Value(hours.get(pk, Decimal(0)), basis=row.get("training", 0))
            if row.get("training") and "attendance" in uses
            else missing(_("No training date held with check-in in the period."))
        )
    return found


def access(scope: Scope) -> Found:
    """Shares of free events, of events with a solidarity price, of seats free or at the
    solidarity price."""
    held_events = held(scope).values("event_id")
    paid = Q(prices__price_net__gt=0)
    offers = Q(prices__kind__in=SOLIDARITY)
    prices = grouped(
        Event.objects.filter(pk__in=held_events)
        .values(p=F("place_id"))
        .annotate(
            n=Count("id", distinct=True),
            paid=Count("id", distinct=True, filter=paid),
            solidarity=Count("id", distinct=True, filter=offers),
        )
        .order_by(),
        "n",
        "paid",
        "solidarity",
    )
    cheap = Q(unit_price_net=0) | Q(price_kind=PriceKind.SOLIDARITY)
    seats: dict[int, dict[str, int]] = defaultdict(lambda: {"n": 0, "cheap": 0})
    # A date's own registrations (read once for `events` too), then a course's (no date),
    # each by its index, where one statement with OR ran both subqueries twice.
    courses = grouped(
        Registration.objects.filter(status=CONFIRMED, session__isnull=True, event__in=held_events)
        .values(p=F("event__place_id"))
        .annotate(n=Sum("seats"), cheap=Sum("seats", filter=cheap))
        .order_by(),
        "n",
        "cheap",
    )
    for part in (_own_seats(scope), courses):
        for pk, counts in part.items():
            seats[pk]["n"] += counts["n"] or 0
            seats[pk]["cheap"] += counts["cheap"] or 0
    none_held = _("No event held in the period.")
    found = scope.empty()
    for pk, values in found.items():
        row = prices.get(pk)
        if row and row["n"]:
            values["free_events_share"] = Value(
                share(row["n"] - row["paid"], row["n"]), basis=row["n"]
            )
            values["solidarity_offer_share"] = Value(
                share(row["solidarity"], row["n"]), basis=row["n"]
            )
        else:
            values["free_events_share"] = missing(none_held)
            values["solidarity_offer_share"] = missing(none_held)
        seat = seats.get(pk)
        values["free_or_solidarity_seats_share"] = (
            Value(share(seat["cheap"] or 0, seat["n"]), basis=seat["n"])
            if seat and seat["n"]
            else missing(_("No registration at the events held in the period."))
        )
    return found


def links(scope: Scope) -> Found:
    """Organisations co-organising the events held, the pairs they form (links), and the
    pairs new in the period (no event held together at the place before it). One statement:
    the dates held up to the period's end joined to their event's co-organisers, grouped
    by (event, organisation), counting the dates in the period and those before it (a join,
    not two correlated subqueries a row); the pairs are formed here."""
    rows = (
        held_base(scope)
        .filter(scope.before("start", "event__place", end=True), event__co_organisers__isnull=False)
        .values_list("event__place_id", "event_id", "event__co_organisers")
        .annotate(
            inside=Count("id", filter=scope.during("start", "event__place")),
            earlier=Count("id", filter=scope.before("start", "event__place")),
        )
        .order_by()
    )
    by_event: dict[tuple[int, int, bool, bool], list[int]] = defaultdict(list)
    for place_id, event_id, organisation_id, now, then in rows:
        by_event[(place_id, event_id, bool(now), bool(then))].append(organisation_id)
    organisations: dict[int, set[int]] = defaultdict(set)
    pairs: dict[int, set[tuple[int, int]]] = defaultdict(set)
    before: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for (place_id, _event, now, then), found_ids in by_event.items():
        together = set(combinations(sorted(found_ids), 2))
        if now:
            organisations[place_id].update(found_ids)
            pairs[place_id] |= together
        if then:
            before[place_id] |= together
    found = scope.empty()
    for pk, values in found.items():
        uses = scope.uses.get(pk, set())
        no_events = _("The place has never published an event.")
        values["co_organisers"] = counted(uses, "events", len(organisations[pk]), no_events)
        values["links"] = counted(uses, "events", len(pairs[pk]), no_events)
        values["new_links"] = counted(uses, "events", len(pairs[pk] - before[pk]), no_events)
    return found


__all__ = ["access", "events", "links"]
