"""The figures of the places that run on tierslieux, aggregated across a network: members,
bookings, occupancy, events, revenue mix and public-funding share.

A place "runs on tierslieux" when it has a team in it (a coordinator or staff). The network
sees sums, medians and shares, never one place's figure: a figure built from fewer than
`SECRET_MIN` places (one or two places contributing) is hidden, the "secret statistique".
Every figure is read by a statement grouped per place over all the running places at once;
occupancy reuses `activity.queries.occupancy`, which takes any number of places.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tierslieux.activity import periods, queries
from tierslieux.billing.models import Customer, Family, Funding, Invoice, InvoiceLine
from tierslieux.bookings.models import Booking
from tierslieux.core import clock
from tierslieux.events.models import Attendance, Event, Session
from tierslieux.members.models import Subscription
from tierslieux.observatory.statistics import (
    SECRET_MIN,
    Cell,
    Period,
    Table,
    mean,
    median,
    share,
)
from tierslieux.places.models import Place, PlaceRole

TEAM = (PlaceRole.Role.COORDINATOR, PlaceRole.Role.STAFF)
# The network's months are read in metropolitan France's time (an overseas place's month
# shifts by a few hours at its ends: negligible against a year).
NETWORK_TZ = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Figure:
    """A network figure: its value, or None when secret (1 or 2 places contribute)."""

    total: Decimal | int | None
    median: Decimal | None
    places: int


def running_places(places: QuerySet[Place]) -> QuerySet[Place]:
    """The places with a team working in tierslieux."""
    team = PlaceRole.objects.filter(role__in=TEAM).values("place_id")
    return places.filter(pk__in=team)


def secret(contributors: int) -> bool:
    return 0 < contributors < SECRET_MIN


def figure(per_place: Mapping[int, Decimal | int]) -> Figure:
    """The sum and the median per contributing place, unless fewer than three contribute."""
    values = [v for v in per_place.values() if v]
    if secret(len(values)):
        return Figure(None, None, len(values))
    return Figure(sum(values), median(Counter(values).items()), len(values))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    months = periods.months_ending(period.last, period.months, NETWORK_TZ)
    return months[0].start, months[-1].end


def _row(label: str, value: Figure, unit_hours: bool = False) -> list[Cell]:
    if not value.places:
        return [label, 0, "—", 0]
    if value.total is None:
        return [label, None, None, value.places]
    total = value.total
    if unit_hours:
        total = Decimal(total).quantize(Decimal("0.1"))
    return [label, total, value.median, value.places]


def _grouped(rows: QuerySet, key: str = "place") -> dict[int, int]:
    return {row[key]: row["n"] or 0 for row in rows}


def activity_table(
    running: QuerySet[Place], period: Period, now: datetime, booked: dict[int, float]
) -> Table:
    """Members, bookings, events: one statement grouped per place for each figure; the hours
    booked are the occupancy's booked unit-seconds (`booked`, per place)."""
    ids = running.values("pk")
    start, end = _bounds(period)
    last = period.last
    subscriptions = _grouped(
        Subscription.objects.filter(place__in=ids, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=last))
        .values("place")
        .annotate(n=Count("id"))
        .order_by()
    )
    members = _grouped(
        PlaceRole.objects.filter(place__in=ids, role=PlaceRole.Role.MEMBER)
        .values("place")
        .annotate(n=Count("id"))
        .order_by()
    )
    bookings = _grouped(
        Booking.objects.filter(
            place__in=ids,
            status__in=Booking.BLOCKING,
            blocked_by__isnull=True,
            start__gte=start,
            start__lt=end,
        )
        .values("place")
        .annotate(n=Count("id"))
        .order_by()
    )
    hours = {
        pk: (Decimal(seconds) / 3600).quantize(Decimal("0.1")) for pk, seconds in booked.items()
    }
    held = Session.objects.filter(
        event__place__in=ids,
        cancelled_at__isnull=True,
        start__gte=start,
        start__lt=end,
        end__lte=now,
    ).exclude(event__status=Event.Status.DRAFT)
    published = _grouped(
        Event.objects.filter(
            place__in=ids,
            status=Event.Status.PUBLISHED,
            sessions__start__gte=start,
            sessions__start__lt=end,
        )
        .values("place")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    sessions = _grouped(
        held.values("event__place").annotate(n=Count("id")).order_by(), "event__place"
    )
    present = _grouped(
        Attendance.objects.filter(session__in=held.values("pk"))
        .values("session__event__place")
        .annotate(n=Sum("seats"))
        .order_by(),
        "session__event__place",
    )
    rows = [
        _row(_("Active subscriptions (at the period's end)"), figure(subscriptions)),
        _row(_("Members (member roles)"), figure(members)),
        _row(_("Bookings"), figure(bookings)),
        _row(_("Hours booked (within opening hours)"), figure(hours), unit_hours=True),
        _row(_("Published events with a date in the period"), figure(published)),
        _row(_("Event dates held"), figure(sessions)),
        _row(_("Participants (people present at the dates held)"), figure(present)),
    ]
    return Table(
        "activity",
        _("Activity of the places that run on tierslieux"),
        [_("Figure"), _("Network total"), _("Median per place"), _("Places contributing")],
        rows,
        chart="",
        note=_(
            "Bookings: confirmed or done, begun in the period (a machine blocked by its "
            "room's booking is not counted twice). Event dates: neither cancelled nor of a "
            "draft event, over. The median is that of the places contributing."
        ),
    )


def occupancy(
    running: QuerySet[Place], period: Period
) -> tuple[dict[int, float], dict[int, float]]:
    """Booked and available unit-seconds per place over the period, as `activity` computes
    the places' occupancy (one pass for all the places)."""
    places = list(running.only("pk", "timezone", "country"))
    months = queries.occupancy(places, period.last, period.months) if places else {}
    booked: dict[int, float] = {}
    available: dict[int, float] = {}
    for pk, figures in months.items():
        available[pk] = sum(sum(s.available) for s in figures.spaces)
        booked[pk] = sum(sum(s.booked) for s in figures.spaces)
    return booked, available


def occupancy_table(booked: dict[int, float], available: dict[int, float]) -> Table:
    """The network's occupancy: all booked unit-hours over all open ones, and the median of
    the places' occupancies."""
    contributing = [pk for pk, seconds in available.items() if seconds > 0]
    hidden = secret(len(contributing))
    shares = Counter(periods.share(booked[pk], available[pk]) or Decimal(0) for pk in contributing)
    network = periods.share(
        sum(booked[pk] for pk in contributing), sum(available[pk] for pk in contributing)
    )
    rows: list[list[Cell]] = [
        [
            _("Occupancy (%)"),
            None if hidden else network,
            None if hidden else median(shares.items()),
            None if hidden else mean(shares.items()),
            len(contributing),
        ]
    ]
    return Table(
        "occupancy",
        _("Occupancy of the spaces"),
        [
            _("Figure"),
            _("Network (booked over open hours)"),
            _("Median of the places"),
            _("Mean of the places"),
            _("Places contributing"),
        ],
        rows,
        chart="",
        note=_(
            "Booked unit-hours over open unit-hours of the bookable spaces, within opening "
            "hours; the economic model aims at 60 to 70 %."
        ),
    )


def revenue_tables(running: QuerySet[Place], period: Period) -> list[Table]:
    """Net revenue by family (issued invoices and credit notes by issue date, fundings by
    date received) and the public-funding share, as billing's dashboard defines them."""
    ids = running.values("pk")
    lines = (
        InvoiceLine.objects.filter(
            invoice__place__in=ids,
            invoice__status=Invoice.Status.ISSUED,
            invoice__issue_date__gte=period.first,
            invoice__issue_date__lte=period.last,
        )
        .annotate(place=F("invoice__place"), kind=F("invoice__customer__kind"))
        .values("place", "family", "kind")
        .annotate(net=Sum("net"))
        .order_by()
    )
    fundings = (
        Funding.objects.filter(
            place__in=ids, received_on__gte=period.first, received_on__lte=period.last
        )
        .values("place", "family", "public")
        .annotate(net=Sum("amount"))
        .order_by()
    )
    by_family: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    public: dict[int, Decimal] = defaultdict(Decimal)
    for row in lines:
        by_family[row["family"]][row["place"]] += row["net"]
        if row["kind"] == Customer.Kind.PUBLIC_BODY:
            public[row["place"]] += row["net"]
    for funding in fundings:
        by_family[funding["family"]][funding["place"]] += funding["net"]
        if funding["public"]:
            public[funding["place"]] += funding["net"]
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for per_place in by_family.values():
        for pk, net in per_place.items():
            totals[pk] += net
    contributors = [pk for pk, net in totals.items() if net]
    hidden_all = secret(len(contributors))
    grand = sum((totals[pk] for pk in contributors), Decimal(0))
    rows: list[list[Cell]] = []
    for family, label in Family.choices:
        values = {pk: net for pk, net in by_family.get(family, {}).items() if net}
        hidden = hidden_all or secret(len(values))
        amount = sum(values.values(), Decimal(0))
        rows.append(
            [
                str(label),
                None if hidden else amount,
                None if hidden else share(amount, grand),
                len(values),
            ]
        )
    rows.append([_("Total"), None if hidden_all else grand, None, len(contributors)])
    mix = Table(
        "revenue",
        _("Revenue mix of the places that run on tierslieux"),
        [_("Family"), _("Net amount (€)"), _("Share (%)"), _("Places contributing")],
        rows,
        chart="donut",
        note=_(
            "Net of tax: issued invoices and credit notes by issue date, fundings by the "
            "date received."
        ),
    )
    place_shares = Counter(
        share(public[pk], totals[pk]) or Decimal(0) for pk in contributors if totals[pk] > 0
    )
    public_total = sum((public[pk] for pk in contributors), Decimal(0))
    public_rows: list[list[Cell]] = [
        [
            _("Public-funding share (%)"),
            None if hidden_all else share(public_total, grand),
            None if hidden_all else median(place_shares.items()),
            len(contributors),
        ]
    ]
    public_table = Table(
        "public_share",
        _("Public-funding share of the revenue"),
        [_("Figure"), _("Network"), _("Median of the places"), _("Places contributing")],
        public_rows,
        chart="",
        note=_(
            "Fundings from public funders and invoices to public bodies over the total "
            "revenue; the economic model wants it at most 30 % for each place."
        ),
    )
    return [mix, public_table]


def network_figures(places: QuerySet[Place], period: Period) -> tuple[int, list[Table]]:
    """The number of places that run on tierslieux and their aggregated figures."""
    running = running_places(places)
    count = running.count()
    if not count:
        return 0, []
    now = clock.now()
    booked, available = occupancy(running, period)
    tables = [
        activity_table(running, period, now, booked),
        occupancy_table(booked, available),
        *revenue_tables(running, period),
    ]
    if count < SECRET_MIN:  # one or two places: even a zero or a count of places tells
        for table in tables:
            table.rows = [[row[0], *(None for _cell in row[1:])] for row in table.rows]
    return count, tables
