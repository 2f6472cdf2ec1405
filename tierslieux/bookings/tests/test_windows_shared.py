"""`windows_by_place` computes the opening windows once per distinct (time zone, holidays,
weekly hours, exceptions) and shares them: each place must still get exactly the windows
`availability.opening_windows` builds for it alone (a DST weekend, a bank holiday, an
exception, another country, an overseas time zone), and only alike places share a list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tierslieux.bookings import availability, queries
from tierslieux.bookings.holidays import holidays_between
from tierslieux.places.models import OpeningException, OpeningHours, Place
from tierslieux.places.tests import factories as pf

# March to May 2026: summer time on Sunday 29 March, Easter Monday 6 April, 1 May a Friday.
START = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 6, 1, tzinfo=UTC)
WEEK = [(d, time(9), time(17)) for d in range(5)] + [(6, time(0), time(6))]


def _place(name: str, hours=WEEK, **fields) -> Place:
    place = pf.place(name=name, **fields)
    OpeningHours.objects.bulk_create(
        OpeningHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in hours
    )
    return place


@pytest.fixture
def places(db):
    found = {
        "paris": _place("Paris"),
        "twin": _place("Jumeau", hours=list(reversed(WEEK))),  # same hours, other order
        "closed": _place("Fermeture"),
        "belgian": _place("Bruxelles", country="BE", postcode="1000", commune="Bruxelles"),
        "reunion": _place("Saint-Denis", timezone="Indian/Reunion", postcode="97400"),
        "night": _place("Nuit", hours=[(6, time(1), time(4))]),
        "none": _place("Sans horaires", hours=[]),
    }
    OpeningException.objects.create(
        place=found["closed"], start_date=date(2026, 3, 30), end_date=date(2026, 4, 3), closed=True
    )
    OpeningException.objects.create(
        place=found["closed"],
        start_date=date(2026, 4, 11),
        end_date=date(2026, 4, 11),
        closed=False,
        opens=time(10),
        closes=time(12),
    )
    return found


def _alone(place: Place) -> list[availability.Window]:
    """The windows as computed before sharing: `opening_windows` for this place only."""
    first, last = (START - timedelta(days=1)).date(), (END + timedelta(days=1)).date()
    hours = list(OpeningHours.objects.filter(place=place).values_list("weekday", "opens", "closes"))
    exceptions = list(
        OpeningException.objects.filter(place=place).values_list(
            "start_date", "end_date", "closed", "opens", "closes"
        )
    )
    holidays = set(holidays_between(first, last)) if place.country == "FR" else set()
    return availability.opening_windows(
        first, last, ZoneInfo(place.timezone), hours, exceptions, holidays
    )


def test_each_place_gets_its_own_windows(places):
    everyone = queries.windows_by_place(Place.objects.all(), START, END)
    for name, place in places.items():
        alone = queries.windows_by_place(Place.objects.filter(pk=place.pk), START, END)
        assert everyone[place.pk] == alone[place.pk] == _alone(place), name


def test_only_alike_places_share_a_list(places):
    windows = queries.windows_by_place(Place.objects.all(), START, END)
    ids = {name: id(windows[place.pk]) for name, place in places.items()}
    assert ids["paris"] == ids["twin"]
    others = [ids[n] for n in ("paris", "closed", "belgian", "reunion", "night", "none")]
    assert len(set(others)) == len(others)


def test_the_tricky_days_are_kept(places):
    """The cases the shared lists must not blur, checked on the windows themselves."""
    windows = queries.windows_by_place(Place.objects.all(), START, END)

    def hours_on(name: str, day: date) -> float:
        tz = ZoneInfo(places[name].timezone)
        return sum(
            w.duration.total_seconds() / 3600
            for w in windows[places[name].pk]
            if w.start.astimezone(tz).date() == day
        )

    assert hours_on("paris", date(2026, 3, 29)) == 5  # 00:00–06:00, an hour lost
    assert hours_on("paris", date(2026, 4, 6)) == 0  # Easter Monday, a French holiday
    assert hours_on("belgian", date(2026, 4, 6)) == 8  # not a holiday here
    assert hours_on("closed", date(2026, 3, 31)) == 0  # the exception's closure
    assert hours_on("closed", date(2026, 4, 11)) == 2  # its special hours, a Saturday
    assert hours_on("reunion", date(2026, 3, 29)) == 6  # no summer time in La Réunion
    assert hours_on("night", date(2026, 3, 29)) == 2  # 01:00 to 04:00 across the change
    assert windows[places["none"].pk] == []
