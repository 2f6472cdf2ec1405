"""The demo's twelve months of bookings: everywhere, never overlapping, inside opening hours,
with weekly series, trained machine users, and written once; and the life of its places
(events within their seats, waiting lists for dates to come, attendance, footfall), read
from the same load."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from tierslieux.accounts.models import User
from tierslieux.activity.models import DailyCount
from tierslieux.bookings import services
from tierslieux.bookings.availability import Busy, Window, peak_units
from tierslieux.bookings.models import Booking, MachineAuthorisation, Series, rules_of
from tierslieux.bookings.queries import windows_by_place
from tierslieux.core import clock
from tierslieux.demo import bookings as demo_bookings
from tierslieux.demo.loader import _Writer, load_demo
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.places.models import Place, Space

MICRO = "micro-centre-pilote"
Status = Booking.Status


def places() -> dict[str, Place]:
    return {p.slug: p for p in Place.objects.filter(network__slug="demo")}


def months_of(place: Place, now: datetime | None = None) -> tuple[date, date]:
    today = (now or clock.now()).astimezone(ZoneInfo(place.timezone)).date()
    return demo_bookings.months_around(today)


def exclusive_overlaps() -> int:
    """Pairs of blocking bookings of one exclusive space that overlap, found by the database."""
    blocking = Booking.objects.filter(exclusive=True, status__in=Booking.BLOCKING)
    clash = blocking.filter(
        space=OuterRef("space"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
    ).exclude(pk=OuterRef("pk"))
    return blocking.filter(Exists(clash)).count()


def peaks() -> dict[Space, int]:
    """The most units each multi-unit space has taken at any instant (a sweep)."""
    busy: dict[int, list[Busy]] = defaultdict(list)
    rows = Booking.objects.filter(status__in=Booking.BLOCKING, space__units__gt=1)
    for space_id, start, end, units in rows.values_list("space_id", "start", "end", "units"):
        busy[space_id].append(Busy(start, end, units))
    far = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC")), datetime(2100, 1, 1, tzinfo=ZoneInfo("UTC"))
    return {s: peak_units(busy[s.pk], *far) for s in Space.objects.filter(pk__in=list(busy))}


def assert_the_guarantee_holds() -> None:
    assert exclusive_overlaps() == 0
    assert not Booking.objects.filter(exclusive=True, space__units__gt=1).exists()
    assert not Booking.objects.filter(exclusive=False, space__units=1).exists()
    for space, peak in peaks().items():
        assert peak <= space.units, space


def test_every_bookable_space_of_every_demo_place_is_booked_in_each_of_the_twelve_months(demo):
    assert demo.bookings > 3000
    for place in places().values():
        tz = ZoneInfo(place.timezone)
        first, last = months_of(place)
        months = {(first + relativedelta(months=n)).strftime("%Y-%m") for n in range(12)}
        starts = Booking.objects.filter(place=place).values_list("start", flat=True)
        assert {s.astimezone(tz).strftime("%Y-%m") for s in starts} == months, place.slug
        for space in place.spaces.filter(bookable=True):
            assert space.bookings.count() >= 10, (place.slug, space.slug)
            local = [
                s.astimezone(tz).date() for s in space.bookings.values_list("start", flat=True)
            ]
            assert first <= min(local) and max(local) < last


def test_blocking_bookings_of_an_exclusive_space_never_overlap_and_keep_their_buffer(demo):
    assert_the_guarantee_holds()
    rows = Booking.objects.filter(exclusive=True, status__in=Booking.BLOCKING)
    by_space: dict[int, list[Booking]] = defaultdict(list)
    for booking in rows.select_related("space__booking_rules").order_by("start"):
        by_space[booking.space_id].append(booking)
    for bookings in by_space.values():
        buffer = timedelta(minutes=rules_of(bookings[0].space).buffer_minutes)
        for before, after in itertools.pairwise(bookings):
            assert after.start >= before.end + buffer, (before, after)


def test_a_multi_unit_space_never_holds_more_than_its_units_yet_often_several_at_once(demo):
    found = peaks()
    coworkings = [s for s in found if s.kind == Space.Kind.COWORKING]
    assert len(coworkings) >= 5
    assert all(2 <= found[s] <= s.units for s in coworkings)
    printers = Space.objects.get(place__slug="iness-narbonne", slug="imprimantes-3d")
    assert 2 <= found[printers] <= printers.units == 3


def test_every_booking_is_aware_inside_one_opening_window_and_within_its_durations(demo):
    rows = list(Booking.objects.select_related("space__booking_rules"))
    lo, hi = min(b.start for b in rows), max(b.end for b in rows)
    windows = windows_by_place(Place.objects.all(), lo, hi)
    starts = {pk: [w.start for w in found] for pk, found in windows.items()}
    for b in rows:
        assert timezone.is_aware(b.start) and timezone.is_aware(b.end)
        i = bisect_right(starts[b.place_id], b.start) - 1
        window: Window = windows[b.place_id][i]
        assert i >= 0 and window.start <= b.start < b.end <= window.end, b
        if b.blocked_by_id is None:
            rules = rules_of(b.space)
            assert (
                rules.min_minutes <= (b.end - b.start) / timedelta(minutes=1) <= rules.max_minutes
            )


def test_weekly_workshops_are_series_that_recur_at_the_same_local_time(demo):
    paris = ZoneInfo("Europe/Paris")
    repair = Series.objects.get(place__slug=MICRO, title="Repair café")
    sewing = Series.objects.get(place__slug=MICRO, title="Atelier couture")
    assert repair.rrule.startswith("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=")
    assert sewing.rrule.startswith("FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;UNTIL=")
    assert Series.objects.filter(place__network__slug="demo").count() == demo.series >= 10
    for series, every, times in ((repair, 14, ("10:00", "12:30")), (sewing, 7, ("18:30", "20:30"))):
        occurrences = list(series.occurrences.order_by("start"))
        assert len(occurrences) >= 52 * 7 // every - 8  # a few fall on closures or holidays
        days = [o.start.astimezone(paris).date() for o in occurrences]
        assert all((b - a).days % every == 0 for a, b in itertools.pairwise(days))
        for o in occurrences:  # across both daylight-saving changes
            local = (f"{o.start.astimezone(paris):%H:%M}", f"{o.end.astimezone(paris):%H:%M}")
            assert local == times and o.space_id == series.space_id and o.title == series.title
        assert series.rrule.endswith(f"UNTIL={days[-1]:%Y%m%d}T235959")


def test_past_bookings_are_done_future_ones_confirmed_or_awaiting_approval(demo):
    now = clock.now()
    own = Booking.objects.filter(blocked_by__isnull=True)
    past, future = own.filter(end__lte=now), own.filter(start__gt=now)
    assert set(past.values_list("status", flat=True)) == {"done", "no_show", "cancelled"}
    assert set(future.values_list("status", flat=True)) == {"confirmed", "requested", "cancelled"}
    assert 0 < past.filter(status=Status.NO_SHOW).count() < past.count() / 10
    assert future.filter(status=Status.REQUESTED).count() == demo.requested > 10
    for booking in own.filter(status=Status.REQUESTED).select_related("space__booking_rules"):
        assert rules_of(booking.space).approval_required and booking.series_id is None
    cancelled = own.filter(status=Status.CANCELLED)
    assert cancelled.count() > 50
    assert not cancelled.filter(cancelled_at__isnull=True).exists()
    assert not cancelled.filter(cancelled_at__gt=now).exists()


def test_machines_stand_in_their_workshop_and_only_trained_people_book_them(demo):
    laser = Space.objects.get(place__slug=MICRO, slug="decoupeuse-laser")
    assert laser.kind == Space.Kind.MACHINE and laser.inside.slug == "atelier-pratique"
    riverains = Space.objects.get(place__slug="les-riverains-auxerre", slug="decoupeuse-laser")
    assert riverains.inside.slug == "fablab-makerspace"
    member = User.objects.get(email="membre@demo.tierslieux.fr").person
    assert MachineAuthorisation.objects.filter(person=member, space=laser).exists()
    assert MachineAuthorisation.objects.count() == demo.authorisations >= 10
    machine_bookings = Booking.objects.filter(space__kind="machine", blocked_by__isnull=True)
    assert machine_bookings.count() > 300
    for b in machine_bookings.select_related("place"):
        day = b.start.astimezone(ZoneInfo(b.place.timezone)).date()
        trained = MachineAuthorisation.objects.filter(
            person_id=b.person_id, space_id=b.space_id, granted_on__lte=day
        ).exclude(expires_on__lt=day)
        assert trained.exists(), b


def test_a_room_booking_blocks_the_machines_it_holds_with_its_own_times_and_status(demo):
    room = Space.objects.get(place__slug=MICRO, slug="atelier-pratique")
    laser = room.contents.get()
    booked = room.bookings.exclude(status=Status.REQUESTED)
    assert booked.count() > 50
    for booking in booked:
        block = booking.blocks.get()
        assert block.space_id == laser.pk and block.units == laser.units
        assert (block.start, block.end, block.status) == (
            booking.start,
            booking.end,
            booking.status,
        )


def test_loading_again_in_the_same_month_writes_no_booking(demo):
    count = Booking.objects.count()
    again = load_demo()
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert Booking.objects.count() == count and again.bookings == demo.bookings


def later(months: int = 1) -> datetime:
    return clock.now() + relativedelta(months=months)


def test_a_load_in_a_later_month_only_adds_the_month_that_came_into_range(demo):
    before = set(Booking.objects.values_list("pk", "space_id", "start", "end", "status"))
    w = _Writer()
    demo_bookings.load_bookings(w, places(), now=later())
    assert w.created > 100
    assert set(Booking.objects.values_list("pk", "space_id", "start", "end", "status")) >= before
    new = Booking.objects.exclude(pk__in=[row[0] for row in before]).select_related("place")
    for booking in new:
        _, old_end = months_of(booking.place)
        new_end = months_of(booking.place, later())[1]
        local = booking.start.astimezone(ZoneInfo(booking.place.timezone)).date()
        assert old_end <= local < new_end, booking
    assert_the_guarantee_holds()


def test_new_demo_bookings_leave_room_for_those_made_through_the_application(demo):
    micro = Place.objects.get(slug=MICRO)
    room = Space.objects.get(place=micro, slug="salle-reunion")
    coordinator = User.objects.get(email="coordination@demo.tierslieux.fr")
    _, first = months_of(micro)
    tz = ZoneInfo(micro.timezone)
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    windows = windows_by_place(Place.objects.filter(pk=micro.pk), start, start + timedelta(8))
    taken = []
    for window in windows[micro.pk]:
        if window.start < start or window.start >= start + timedelta(days=7):
            continue
        at = window.start
        while at + timedelta(minutes=30) <= window.end:  # the whole week, 4 hours at a time
            end = min(at + timedelta(hours=4), window.end)
            taken.append(
                services.create_booking(actor=coordinator, space=room, start=at, end=end).pk
            )
            at = end + timedelta(minutes=15)
    assert len(taken) >= 10

    demo_bookings.load_bookings(_Writer(), places(), now=later())
    week = room.bookings.filter(start__gte=start, start__lt=start + timedelta(days=7))
    assert sorted(week.values_list("pk", flat=True)) == sorted(taken)
    assert room.bookings.filter(start__gte=start + timedelta(days=7)).exists()
    assert_the_guarantee_holds()


# --- Events, registrations, attendance, footfall (loaded with the same demo) ----------------

RegStatus = Registration.Status


def test_every_place_publishes_events_with_sessions(demo):
    assert demo.events >= 20
    for place in Place.objects.filter(network__slug="demo"):
        published = Event.objects.filter(place=place, status=Event.Status.PUBLISHED)
        assert published.count() >= 2, place.slug
        assert Session.objects.filter(event__in=published).count() >= 4, place.slug
    assert Event.objects.filter(kind=Event.Kind.TRAINING, enrolment="series").exists()
    assert Event.objects.filter(peer_learning=True, access=Event.Access.MEMBERS).exists()


def test_confirmed_seats_never_exceed_the_capacity(demo):
    for session in Session.objects.select_related("event"):
        held = Registration.objects.filter(
            event=session.event,
            session=session if session.event.enrolment == "session" else None,
            status=RegStatus.CONFIRMED,
        ).exclude(source=Registration.Source.WALK_IN)
        assert (held.aggregate(n=Sum("seats"))["n"] or 0) <= session.event.capacity


def test_the_waiting_list_waits_for_dates_to_come_and_the_past_was_attended(demo):
    now = clock.now()
    waiting = Registration.objects.filter(status=RegStatus.WAITLISTED).select_related("session")
    assert waiting.exists()
    assert all(r.session is None or r.session.start > now for r in waiting)
    attended = Attendance.objects.select_related("session", "registration")
    assert attended.exists()
    assert all(a.session.end <= now for a in attended)
    assert all(a.registration.status == RegStatus.CONFIRMED for a in attended)


def test_the_footfall_is_counted_every_place(demo):
    for place in Place.objects.filter(network__slug="demo"):
        assert DailyCount.objects.filter(place=place).count() > 60, place.slug
