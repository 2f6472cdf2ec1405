"""What the public agendas show: the filter form and the sessions a visitor may see.

Reads only. Who sees what: public published events to anyone; members-only ones only to
people holding a role in their place (themselves or through an organisation they belong
to) and to its team; drafts never (the team previews them from the event's own page).
The agenda, its pages and the feeds each read in a fixed number of queries, whatever the
number of sessions: the event, its place and space come joined, prices prefetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing import tax
from tierslieux.core.models import AuditEntry
from tierslieux.events.models import Audience, Event, EventKind, PriceCategory, Session
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, PlaceRole

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a date outside is a typing slip, not a wish
Status = Event.Status


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AgendaFilters(forms.Form):
    """The agenda's filters, from the query string; `from` and `to` are local dates of the
    place (of each place, on the network's agenda), both included."""

    free = forms.BooleanField(label=gettext_lazy("Free only"), required=False)

    def __init__(self, data: Any = None, *, places: Iterable[Place] | None = None) -> None:
        super().__init__(data)
        everything: list[tuple[str, Any]] = [("", _("All"))]
        self.fields["kind"] = forms.ChoiceField(
            label=gettext_lazy("Kind"), required=False, choices=everything + EventKind.choices
        )
        self.fields["audience"] = forms.ChoiceField(
            label=gettext_lazy("Audience"), required=False, choices=everything + Audience.choices
        )
        self.fields["from"] = _date_field(gettext_lazy("From"))
        self.fields["to"] = _date_field(gettext_lazy("To"))
        self.places = {p.slug: p for p in places} if places is not None else None
        if self.places is not None:
            self.fields["place"] = forms.ChoiceField(
                label=gettext_lazy("Place"),
                required=False,
                choices=everything + [(s, p.name) for s, p in self.places.items()],
            )
        self.order_fields(["place", "kind", "audience", "from", "to", "free"])

    def _year(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.add_error(
                name,
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
            return None
        return day

    def clean(self) -> dict[str, Any]:
        super().clean()
        first, last = self._year("from"), self._year("to")
        if first is not None and last is not None and last < first:
            self.add_error("to", _("The end of the period comes before its start."))
        return self.cleaned_data

    def filters(self) -> Filters:
        """The valid filters (call after `is_valid()`)."""
        data = self.cleaned_data
        slug = data.get("place") or ""
        return Filters(
            kind=data.get("kind") or "",
            audience=data.get("audience") or "",
            free=bool(data.get("free")),
            first=data.get("from"),
            last=data.get("to"),
            place=self.places.get(slug) if self.places and slug else None,
        )


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    audience: str = ""
    free: bool = False
    first: date | None = None
    last: date | None = None
    place: Place | None = None

    @property
    def active(self) -> bool:
        return bool(
            self.kind or self.audience or self.free or self.first or self.last or self.place
        )


def member_place_ids(user: Any, places: Iterable[Place]) -> set[int]:
    """The places among `places` whose members-only events the user may see: those where
    they (or an organisation they belong to) hold a role, and those whose team they are in."""
    places = list(places)
    person = getattr(user, "person", None) if getattr(user, "is_active", False) else None
    if person is None:
        return set()
    ids = {p.pk for p in places}
    if access.is_superuser(user):
        return ids
    seen = set(
        PlaceRole.objects.filter(
            Q(person_id=person.pk) | Q(organisation__people__pk=person.pk), place_id__in=ids
        ).values_list("place_id", flat=True)
    )
    return seen | {p.pk for p in places if access.is_network_admin(user, p.network_id)}


def may_see(user: Any, event: Event) -> bool:
    """Whether the event's page opens for the user (the team also previews drafts)."""
    if access.has_perm(user, event.place, Perm.MANAGE_BOOKINGS):
        return True
    if event.status == Status.DRAFT:
        return False
    return event.access == Event.Access.PUBLIC or event.place_id in member_place_ids(
        user, [event.place]
    )


def _local_bounds(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _period(filters: Filters, zones: Iterable[str]) -> Q:
    """Sessions starting within [from, to] in their place's own time zone."""
    if filters.first is None and filters.last is None:
        return Q()
    either = Q(pk__in=[])
    for zone in sorted(set(zones)):
        tz = ZoneInfo(zone)
        within = Q(event__place__timezone=zone)
        if filters.first is not None:
            within &= Q(start__gte=_local_bounds(filters.first, tz))
        if filters.last is not None:
            within &= Q(start__lt=_local_bounds(filters.last + timedelta(days=1), tz))
        either |= within
    return either


def _audience(filters: Filters, scope: Q, now: datetime) -> Q:
    """Events listing the audience: the JSON list is read in Python (SQLite cannot look
    inside it), one query over the events of the scope with a session to come."""
    to_come = Session.objects.filter(event=OuterRef("pk"), end__gt=now)
    rows = Event.objects.filter(scope, Exists(to_come), status=Status.PUBLISHED).values_list(
        "pk", "audiences"
    )
    return Q(event_id__in=[pk for pk, codes in rows if filters.audience in (codes or [])])


def upcoming(places: list[Place], user: Any, filters: Filters, now: datetime) -> QuerySet[Session]:
    """Sessions of the visible published events of `places` not over yet, not cancelled,
    soonest first, with their event, place and space joined (`prime_prices` reads the
    prices of a page's sessions)."""
    if filters.place is not None:
        places = [p for p in places if p.pk == filters.place.pk]
    ids = [p.pk for p in places]
    members = member_place_ids(user, places)
    scope = Q(place_id__in=ids) & (Q(access=Event.Access.PUBLIC) | Q(place_id__in=members))
    rows = Session.objects.filter(
        event__place_id__in=ids,
        event__status=Status.PUBLISHED,
        cancelled_at__isnull=True,
        end__gt=now,
    ).filter(Q(event__access=Event.Access.PUBLIC) | Q(event__place_id__in=members))
    if filters.kind:
        rows = rows.filter(event__kind=filters.kind)
    if filters.audience:
        rows = rows.filter(_audience(filters, scope, now))
    if filters.free:
        prices = PriceCategory.objects.filter(event=OuterRef("event_id"))
        rows = rows.filter(Exists(prices.filter(kind=PriceCategory.Kind.FREE)) | ~Exists(prices))
    rows = rows.filter(_period(filters, (p.timezone for p in places)))
    return rows.select_related("event__place", "space").order_by("start", "pk")


def by_day(sessions: Iterable[Session]) -> list[tuple[date, list[Session]]]:
    """Sessions grouped by their local day (in their place's zone), in the given order."""
    days: dict[date, list[Session]] = {}
    for session in sessions:
        local = session.start.astimezone(ZoneInfo(session.event.place.timezone)).date()
        days.setdefault(local, []).append(session)
    return sorted(days.items(), key=lambda item: item[0])


def prime_prices(sessions: list[Session]) -> None:
    """What each card says of the price, read in one query for the page's sessions:
    `event.free` (a free category, or no price at all) and `event.from_price` (the lowest
    price of a seat including tax, a pay-what-you-want one by its minimum; None when free)."""
    events = {s.event_id: s.event for s in sessions}
    found: dict[int, list[PriceCategory]] = {pk: [] for pk in events}
    for price in PriceCategory.objects.filter(event_id__in=list(events)):
        found[price.event_id].append(price)
    for pk, event in events.items():
        prices = found[pk]
        free = not prices or any(p.kind == PriceCategory.Kind.FREE for p in prices)
        cheapest = min(prices, key=floor, default=None)
        event.free = free  # type: ignore[attr-defined]
        event.from_price = (  # type: ignore[attr-defined]
            None if free or cheapest is None else with_tax(floor(cheapest), cheapest.tax_code)
        )


def with_tax(price_net: Decimal, code: str) -> Decimal:
    """One seat's price including tax (as an invoice of one seat would total it)."""
    return tax.totals([tax.LineAmount(Decimal(1), price_net, code)]).gross


def floor(price: PriceCategory) -> Decimal:
    """The lowest price a seat of this category may cost, excluding tax."""
    return price.min_price_net if price.min_price_net is not None else price.price_net


def feed_sessions(places: list[Place], start: datetime, end: datetime) -> QuerySet[Session]:
    """Sessions of public events of `places` between `start` and `end` for the feeds:
    those of published events, and those of events cancelled after being published (so
    that calendars drop them); members-only and draft events never."""
    ids = [p.pk for p in places]
    published_once = AuditEntry.objects.filter(
        place_id__in=ids, action="event.publish", object_type=Event._meta.label_lower
    ).values_list("object_id", flat=True)
    cancelled = [int(pk) for pk in published_once if pk.isdigit()]
    return (
        Session.objects.filter(
            Q(event__status=Status.PUBLISHED)
            | Q(event__status=Status.CANCELLED, event_id__in=cancelled),
            event__place_id__in=ids,
            event__access=Event.Access.PUBLIC,
            start__lt=end,
            end__gt=start,
        )
        .select_related("event__place", "space")
        .order_by("start", "pk")
    )


def public_session_labels(booking_ids: list[int]) -> dict[int, tuple[str, str]]:
    """For the calendars (`bookings.labels`): the slots held by sessions of published public
    events, named by the event's title and linked to its page."""
    from django.urls import reverse

    sessions = Session.objects.filter(
        booking_id__in=booking_ids,
        cancelled_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__access=Event.Access.PUBLIC,
    ).values_list("booking_id", "event_id", "event__title", "event__place__slug")
    return {
        booking: (title, reverse("events:event", args=[slug, event]))
        for booking, event, title, slug in sessions
    }
