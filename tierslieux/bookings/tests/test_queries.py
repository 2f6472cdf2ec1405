"""Availability read helpers: bounded busy queries, buffers, and the network-wide week."""

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from tierslieux.bookings import queries
from tierslieux.bookings.availability import Window
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.places.models import Place, Space

DAY = "2027-03-02"  # a Tuesday, no holiday
REUNION = ZoneInfo("Indian/Reunion")


def blocking(space: Space, start, end, units: int = 1) -> Booking:
    return Booking.objects.create(
        place=space.place,
        space=space,
        start=start,
        end=end,
        units=units,
        exclusive=space.units == 1,
        status=Booking.Status.CONFIRMED,
    )


def test_the_longest_booking_is_the_largest_maximum_of_any_rules_or_kind_default():
    assert queries.longest_booking() == timedelta(hours=12)  # coworking and others by default
    bf.rules(bf.room(bf.open_place()), max_minutes=3 * 24 * 60)
    assert queries.longest_booking() == timedelta(days=3)


def test_busy_intervals_include_a_booking_as_long_as_the_rules_allow_started_long_before():
    room = bf.room(bf.open_place())
    bf.rules(room, max_minutes=2 * 24 * 60)
    long = blocking(room, at("2027-02-28", 11), at(DAY, 10))  # 47 hours
    blocking(room, at("2027-02-27", 9), at("2027-02-27", 10))  # ended long before: left out

    busy = queries.busy_by_space([room.pk], at(DAY, 9, 30), at(DAY, 12))[room.pk]

    assert [(b.start, b.end) for b in busy] == [(long.start, long.end)]


def test_busy_intervals_come_back_in_utc_exactly_as_stored():
    room = bf.room(bf.open_place())
    start = at(DAY, 10).replace(microsecond=123456)
    blocking(room, start, at(DAY, 11, 15))

    (busy,) = queries.busy_by_space([room.pk], at(DAY, 8), at(DAY, 20))[room.pk]

    assert (busy.start, busy.end) == (start, at(DAY, 11, 15))
    assert busy.start.tzinfo is UTC and busy.end.tzinfo is UTC


def test_a_space_whose_buffer_touches_a_booking_just_before_the_slot_is_not_free():
    place = bf.open_place()
    buffered = bf.room(place, name="Atelier", capacity=10)
    bf.rules(buffered, buffer_minutes=30)
    plain = bf.room(place, name="Salle", capacity=10)
    bf.rules(plain)
    for space in (buffered, plain):
        blocking(space, at(DAY, 12), at(DAY, 13, 45))  # ends 15 minutes before the slot

    free = queries.free_spaces(Place.objects.filter(pk=place.pk), at(DAY, 14), at(DAY, 16))

    assert free == [plain]


def test_the_week_of_a_network_is_each_places_week_in_its_own_time_zone():
    paris = bf.open_place()
    reunion = bf.open_place(network=paris.network, timezone="Indian/Reunion")
    rooms = [bf.room(paris), bf.room(reunion)]
    coworking = bf.room(paris, kind=Space.Kind.COWORKING, units=2, capacity=2)
    for space in (*rooms, coworking):
        bf.rules(space)  # no buffer
    blocking(rooms[0], at(DAY, 10), at(DAY, 12))
    blocking(rooms[1], at(DAY, 10, tz=REUNION), at(DAY, 11, tz=REUNION))
    blocking(coworking, at(DAY, 9), at(DAY, 11))
    blocking(coworking, at(DAY, 10), at(DAY, 12))

    network = queries.free_intervals_by_space(Place.objects.all(), date(2027, 3, 1))

    assert network == {
        **queries.week_free_intervals(paris, date(2027, 3, 1)),
        **queries.week_free_intervals(reunion, date(2027, 3, 1)),
    }
    reunion_tuesday = [w for w in network[rooms[1].pk] if w.start.date() == date(2027, 3, 2)]
    assert reunion_tuesday == [
        Window(at(DAY, 8, tz=REUNION), at(DAY, 10, tz=REUNION)),
        Window(at(DAY, 11, tz=REUNION), at(DAY, 20, tz=REUNION)),
    ]
    tuesday = [w for w in network[coworking.pk] if w.start.date() == date(2027, 3, 2)]
    assert tuesday == [Window(at(DAY, 8), at(DAY, 10)), Window(at(DAY, 11), at(DAY, 20))]
    assert queries.free_intervals_by_space(Place.objects.none(), date(2027, 3, 1)) == {}
