"""One place's "Activité" figures for the page and the API, with the definition of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tierslieux.activity import periods, queries
from tierslieux.places.models import Place, Space

MONTHS = 12

DEFINITIONS = {
    "occupancy": _(
        "Occupancy: hours booked over hours open, in the place's time zone. Only confirmed "
        "or done bookings count, cut to the opening hours (exceptions and closures included) "
        "and to the month; a space of several identical units counts in unit-hours (booked "
        "unit-hours over open hours × units); a machine blocked by its room's booking counts "
        "as booked. For the place: all its spaces' booked unit-hours over their open ones. "
        "The economic model aims at 60 to 70 %."
    ),
    "footfall": _(
        "Footfall: the people counted at the place, the sum of the daily counts entered by "
        "the team or imported from a counter; the days counted are given beside it."
    ),
    "checkins": _(
        "Visits by booking: the bookings whose holder checked in during the month (a "
        "machine blocked by a room's booking is not a visit)."
    ),
}


@dataclass
class MonthRow:
    month: periods.Month
    occupancy: Decimal | None
    band: str
    booked_hours: Decimal
    open_hours: Decimal
    footfall: int
    days_counted: int
    checkins: int


@dataclass
class SpaceRow:
    space: Space
    occupancy: list[Decimal | None]


@dataclass
class Report:
    place: Place
    last: date
    months: list[MonthRow]
    spaces: list[SpaceRow]

    @property
    def target(self) -> tuple[Decimal, Decimal]:
        return periods.TARGET_LOW, periods.TARGET_HIGH


def _hours(seconds: float) -> Decimal:
    return (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"))


def place_report(place: Place, last: date, count: int = MONTHS) -> Report:
    """`count` months up to `last`'s month: occupancy per space and for the place, footfall
    and check-ins per month."""
    figures = queries.occupancy([place], last, count)[place.pk]
    months = figures.months
    shares = figures.shares
    footfall, days = queries.footfall(place, months)
    checkins = queries.checkins(place, months)
    rows = [
        MonthRow(
            month,
            shares[n],
            periods.band(shares[n]),
            _hours(sum(s.booked[n] for s in figures.spaces)),
            _hours(sum(s.available[n] for s in figures.spaces)),
            footfall[n],
            days[n],
            checkins[n],
        )
        for n, month in enumerate(months)
    ]
    spaces = [SpaceRow(s.space, s.shares) for s in figures.spaces]
    return Report(place, last, rows, spaces)
