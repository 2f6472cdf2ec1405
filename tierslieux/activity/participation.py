"""Who came to a place's events, per month, per event, per audience; peer-learning sessions.

Four statements whatever the number of events: the dates held in the period (with their
event's title, kind, audiences and peer-learning flag), the seats registered per date, those
registered per course (a course's registrations are for every one of its dates), and the
check-ins per date. The rest is arithmetic in Python over those rows: `Event.audiences` is a
JSON list, which SQLite and PostgreSQL unfold differently, and a period holds hundreds of
dates, not millions.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from tierslieux.activity import periods
from tierslieux.core import clock
from tierslieux.events.models import Attendance, Audience, Event, Registration, Session
from tierslieux.places.models import Place

CONFIRMED = Registration.Status.CONFIRMED
WALK_IN = Registration.Source.WALK_IN

DEFINITIONS = {
    "sessions_held": _(
        "Dates held: the dates of the place's events that are over, neither cancelled nor "
        "of a draft event, counted in the month they began (the place's time zone)."
    ),
    "registered": _(
        "Seats registered: the seats of the registrations confirmed for each date held "
        "(a course's registrations count at each of its dates); the waiting list, "
        "cancelled registrations and walk-ins are not counted."
    ),
    "present": _(
        "People present: the people checked in at each date held, walk-ins added at the "
        "door included. Someone who came to three dates counts three times."
    ),
    "no_shows": _(
        "No-shows: seats registered and not checked in, at the dates where the team took "
        "attendance (a date without any check-in is left out: nobody took the list)."
    ),
    "audiences": _(
        "Participants by audience: the people present at the events meant for that audience; "
        "an event for several audiences counts for each of them, so the rows do not add up "
        "to the total."
    ),
    "peer_learning": _(
        "Peer learning: the dates held of events led by a member for members, and the "
        "people present at them."
    ),
}


@dataclass
class Counts:
    """What a set of dates held adds up to."""

    sessions: int = 0
    registered: int = 0
    present: int = 0
    no_shows: int = 0

    def add(self, other: Counts) -> None:
        self.sessions += other.sessions
        self.registered += other.registered
        self.present += other.present
        self.no_shows += other.no_shows


@dataclass
class MonthLine:
    month: periods.Month
    counts: Counts = field(default_factory=Counts)
    peer: Counts = field(default_factory=Counts)


@dataclass
class EventLine:
    event_id: int
    title: str
    kind: str
    audiences: list[str]
    peer_learning: bool
    first: date
    counts: Counts = field(default_factory=Counts)

    @property
    def kind_label(self) -> str:
        return str(Event.Kind(self.kind).label) if self.kind in Event.Kind.values else self.kind

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(code).label) for code in self.audiences if code in Audience.values]


@dataclass
class AudienceLine:
    code: str
    label: str
    events: int = 0
    sessions: int = 0
    participants: int = 0


@dataclass
class Participation:
    months: list[MonthLine]
    events: list[EventLine]
    audiences: list[AudienceLine]
    total: Counts
    peer: Counts


@dataclass
class _Held:
    """One date held, as the statements found it."""

    session_id: int
    event_id: int
    start: datetime
    registered: int = 0
    present: int = 0
    matched: int = 0  # registered seats checked in (at most the registration's seats)
    checked: bool = False

    @property
    def counts(self) -> Counts:
        no_shows = self.registered - self.matched if self.checked else 0
        return Counts(1, self.registered, self.present, max(no_shows, 0))


# An event as the dates' statement describes it: title, kind, audiences, peer learning.
Described = tuple[str, str, list[str], bool]


def _held_dates(place: Place, months: Sequence[periods.Month], now: datetime) -> QuerySet[Session]:
    """The dates held in the period: also the subquery of the other statements (no list of
    ids to bind, however many dates)."""
    return Session.objects.filter(
        event__place=place,
        cancelled_at__isnull=True,
        start__gte=months[0].start,
        start__lt=months[-1].end,
        end__lte=now,
    ).exclude(event__status=Event.Status.DRAFT)


def _held(dates: QuerySet[Session]) -> tuple[list[_Held], dict[int, Described]]:
    """The dates held and their events' descriptions (one statement)."""
    rows = dates.order_by("start", "id").values_list(
        "id",
        "event_id",
        "start",
        "event__title",
        "event__kind",
        "event__audiences",
        "event__peer_learning",
    )
    held: list[_Held] = []
    events: dict[int, Described] = {}
    for pk, event_id, start, title, kind, audiences, peer in rows:
        held.append(_Held(pk, event_id, start))
        events.setdefault(event_id, (title, kind, list(audiences or []), peer))
    return held, events


def _fill(held: list[_Held], dates: QuerySet[Session]) -> None:
    """Seats registered and checked in per date (three statements)."""
    ids = dates.order_by().values("id")
    # No order: the default one joins the event and the place for nothing.
    confirmed = Registration.objects.filter(status=CONFIRMED).exclude(source=WALK_IN).order_by()
    by_session = dict(
        confirmed.filter(session_id__in=ids)
        .values("session_id")
        .annotate(n=Sum("seats"))
        .values_list("session_id", "n")
    )
    courses = dates.filter(event__enrolment=Event.Enrolment.SERIES).order_by().values("event_id")
    by_course = dict(
        confirmed.filter(session__isnull=True, event_id__in=courses)
        .values("event_id")
        .annotate(n=Sum("seats"))
        .values_list("event_id", "n")
    )
    registered_once = Q(registration__status=CONFIRMED) & ~Q(registration__source=WALK_IN)
    checked = {
        row["session_id"]: row
        for row in Attendance.objects.filter(session_id__in=ids)
        .order_by()
        .values("session_id")
        .annotate(
            present=Sum("seats"),
            matched=Sum(Least(F("seats"), F("registration__seats")), filter=registered_once),
        )
    }
    for h in held:
        h.registered = (by_session.get(h.session_id) or 0) + (by_course.get(h.event_id) or 0)
        row = checked.get(h.session_id)
        if row is not None:
            h.checked = True
            h.present, h.matched = row["present"] or 0, row["matched"] or 0


def place_participation(
    place: Place, last: date, count: int = 12, now: datetime | None = None
) -> Participation:
    """`count` months up to `last`'s month: participation per month, per event (dates held
    in the period), per audience; peer learning."""
    now = now or clock.now()
    tz = ZoneInfo(place.timezone)
    months = periods.months_ending(last, count, tz)
    dates = _held_dates(place, months, now)
    held, described = _held(dates)
    if held:
        _fill(held, dates)
    lines = [MonthLine(month) for month in months]
    starts = [month.start for month in months]
    events: dict[int, EventLine] = {}
    total, peer = Counts(), Counts()
    for h in held:
        n = bisect_right(starts, h.start) - 1
        title, kind, audiences, peer_learning = described[h.event_id]
        counts = h.counts
        lines[n].counts.add(counts)
        total.add(counts)
        if peer_learning:
            lines[n].peer.add(counts)
            peer.add(counts)
        line = events.get(h.event_id)
        if line is None:
            first = h.start.astimezone(tz).date()
            line = events[h.event_id] = EventLine(
                h.event_id, title, kind, audiences, peer_learning, first
            )
        line.counts.add(counts)
    return Participation(lines, list(events.values()), _audiences(events.values()), total, peer)


def _audiences(events: Iterable[EventLine]) -> list[AudienceLine]:
    """Every audience of the list, in its order, with the events held for it."""
    rows = {code: AudienceLine(code, str(label)) for code, label in Audience.choices}
    tally: dict[str, list[EventLine]] = defaultdict(list)
    for line in events:
        for code in line.audiences:
            if code in rows:
                tally[code].append(line)
    for code, lines in tally.items():
        rows[code].events = len(lines)
        rows[code].sessions = sum(line.counts.sessions for line in lines)
        rows[code].participants = sum(line.counts.present for line in lines)
    return list(rows.values())
