"""Users' trips to the place: the modal split and an estimate of the CO₂ they emit in a year.

Inputs come from the built-in `mobility` questionnaire (`templates_builtin`): for each mode, the
days per week a person comes that way, and one one-way distance in km. The estimate is
deliberately simple, and said to be one wherever it is shown:

    kg CO₂e per year = Σ over modes (days per week × 2 trips × one-way km × factor) × weeks

- the same one-way distance for every mode a person uses (one question, not one per mode);
- 2 trips per day travelled (there and back);
- `WEEKS_PER_YEAR` = 47: 52 weeks less the 5 weeks of paid leave of French law (Code du
  travail, art. L3141-3); public holidays are not taken off;
- remote work is days not travelled: 0 km, counted apart from the modal split.

The factors are the ADEME's (Base Empreinte®, "Base Carbone" transport data) as published by
impactCO2.fr, the ADEME's own comparator: kg CO₂e per passenger-km, counting fuel (its
production and its combustion, or the electricity) and the vehicle's construction; not the
roads and rails. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WEEKS_PER_YEAR = 47  # 52 weeks less 5 weeks of paid leave (Code du travail, art. L3141-3)
TRIPS_PER_DAY = 2  # there and back
CARPOOL_OCCUPANTS = 2  # the driver and one passenger share the car's emissions
KG = Decimal("0.1")  # kg CO₂e are given to 0.1 kg
SHARE = Decimal("0.1")  # shares are given in percent to 0.1

IMPACTCO2 = _(
    "ADEME, Base Empreinte® (Base Carbone), transport data of impactCO2.fr "
    "(github.com/incubateur-ademe/impactco2, src/data/categories/deplacement.json, "
    "update of 16 October 2025)"
)  # the reference cited beside each factor


class Mode(StrEnum):
    CAR = "car"  # car alone (thermal engine)
    CARPOOL = "carpool"
    BUS = "bus"
    TRAM = "tram"  # tram or metro
    TRAIN = "train"  # regional train (TER)
    BIKE = "bike"
    WALK = "walk"
    REMOTE = "remote"  # worked from elsewhere: a day not travelled


@dataclass(frozen=True)
class Factor:
    """kg CO₂e per passenger-km, with where it comes from and the year it was published."""

    mode: Mode
    label: StrOrPromise
    kg_per_km: Decimal
    source: StrOrPromise
    year: int
    note: StrOrPromise = ""


# Each value is the sum impactCO2.fr shows: fuel ("Carburant": production and combustion, or
# electricity) + construction of the vehicle, per passenger-km.
FACTORS: dict[Mode, Factor] = {
    # "Voiture, moteur thermique": 0.192 fuel + 0.0256 construction = 0.2176 per vehicle-km,
    # one occupant. Base Carbone documentation "Routier". ADEME / impactCO2.fr, 2025.
    Mode.CAR: Factor(
        Mode.CAR,
        _("Car alone"),
        Decimal("0.2176"),
        IMPACTCO2,
        2025,
        _("thermal engine, one occupant"),
    ),
    # The same car shared by CARPOOL_OCCUPANTS people: 0.2176 / 2 = 0.1088, as impactCO2.fr
    # divides a car-pool's value by its occupants. ADEME / impactCO2.fr, 2025.
    Mode.CARPOOL: Factor(
        Mode.CARPOOL,
        _("Car-pool"),
        Decimal("0.1088"),
        IMPACTCO2,
        2025,
        _("the thermal car's factor shared by 2 occupants"),
    ),
    # "Bus, moteur thermique": 0.1135 fuel + 0.00892 construction = 0.12242 per passenger-km
    # (average occupancy of urban buses). Base Carbone "Routier". ADEME / impactCO2.fr, 2025.
    Mode.BUS: Factor(
        Mode.BUS, _("Bus or coach"), Decimal("0.12242"), IMPACTCO2, 2025, _("thermal bus")
    ),
    # "Tramway": 0.0038 + 0.00048 = 0.00428 per passenger-km. Base Carbone "Ferroviaire".
    # ADEME / impactCO2.fr, 2025 (the metro's is close: 0.00444).
    Mode.TRAM: Factor(Mode.TRAM, _("Tram or metro"), Decimal("0.00428"), IMPACTCO2, 2025),
    # "TER": 0.0229 + 0.00479 = 0.02769 per passenger-km. Base Carbone "Ferroviaire".
    # ADEME / impactCO2.fr, 2025.
    Mode.TRAIN: Factor(
        Mode.TRAIN, _("Train"), Decimal("0.02769"), IMPACTCO2, 2025, _("regional train (TER)")
    ),
    # "Vélo ou marche": 0 (impactCO2.fr counts neither the bicycle's construction nor food).
    Mode.BIKE: Factor(Mode.BIKE, _("Bike"), Decimal(0), IMPACTCO2, 2025, _("mechanical bike")),
    Mode.WALK: Factor(Mode.WALK, _("On foot"), Decimal(0), IMPACTCO2, 2025),
    # A day worked from elsewhere is no trip to the place: nothing counted here (the energy of
    # working at home is outside this estimate).
    Mode.REMOTE: Factor(Mode.REMOTE, _("Remote work"), Decimal(0), IMPACTCO2, 2025, _("no trip")),
}
TRAVEL_MODES = tuple(m for m in Mode if m != Mode.REMOTE)


@dataclass(frozen=True)
class Commute:
    """One person's usual week: days per week by each mode, and the one-way distance (None
    when they did not give it: their trips count in the split, their CO₂ is not estimated)."""

    days: Mapping[Mode, Decimal] = field(default_factory=dict)
    km: Decimal | None = None

    def days_by(self, mode: Mode) -> Decimal:
        return Decimal(self.days.get(mode) or 0)

    @property
    def travels(self) -> bool:
        return any(self.days_by(m) > 0 for m in TRAVEL_MODES)


def _kg(value: Decimal) -> Decimal:
    return value.quantize(KG, rounding=ROUND_HALF_UP)


def mode_co2(commute: Commute, mode: Mode, weeks_per_year: int = WEEKS_PER_YEAR) -> Decimal:
    """kg CO₂e a year by one mode, unrounded (rounding once, on the totals, keeps sums exact)."""
    if commute.km is None:
        return Decimal(0)
    days = commute.days_by(mode)
    return days * TRIPS_PER_DAY * commute.km * FACTORS[mode].kg_per_km * weeks_per_year


def annual_co2(commute: Commute, weeks_per_year: int = WEEKS_PER_YEAR) -> Decimal | None:
    """kg CO₂e a year of one person's trips, to 0.1 kg; None without a distance."""
    if commute.km is None:
        return None
    return _kg(sum((mode_co2(commute, m, weeks_per_year) for m in Mode), Decimal(0)))


def _share(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= 0:
        return Decimal(0)
    return (part * 100 / whole).quantize(SHARE, rounding=ROUND_HALF_UP)


def trips(commutes: Iterable[Commute]) -> dict[Mode, Decimal]:
    """Trips a week by each travel mode, over everyone (days × 2)."""
    total: dict[Mode, Decimal] = {m: Decimal(0) for m in TRAVEL_MODES}
    for commute in commutes:
        for mode in TRAVEL_MODES:
            total[mode] += commute.days_by(mode) * TRIPS_PER_DAY
    return total


def modal_split(commutes: Iterable[Commute]) -> dict[Mode, Decimal]:
    """The share of trips (in percent, to 0.1) made by each travel mode; remote days are no
    trips and are left out (see `remote_share`). Every share is 0 when nobody travels."""
    counted = trips(commutes)
    whole = sum(counted.values(), Decimal(0))
    return {mode: _share(count, whole) for mode, count in counted.items()}


@dataclass(frozen=True)
class Summary:
    """The figures of the results page, computed from everyone's commutes."""

    respondents: int  # every commute given
    estimated: int  # those with a distance, whose CO₂ is estimated
    trips: dict[Mode, Decimal]  # a week, by mode
    split: dict[Mode, Decimal]  # percent of trips, by mode
    remote_share: Decimal  # percent of days (travelled or remote) worked remotely
    co2_by_mode: dict[Mode, Decimal]  # kg a year, everyone together, to 0.1
    total_co2: Decimal  # kg a year, to 0.1
    average_co2: Decimal | None  # kg a year per person estimated, to 0.1


def summarise(commutes: Iterable[Commute], weeks_per_year: int = WEEKS_PER_YEAR) -> Summary:
    """Totals and averages over all the answers."""
    commutes = list(commutes)
    estimated = [c for c in commutes if c.km is not None]
    by_mode = {
        mode: sum((mode_co2(c, mode, weeks_per_year) for c in estimated), Decimal(0))
        for mode in TRAVEL_MODES
    }
    total = sum(by_mode.values(), Decimal(0))
    days_travelled = sum((c.days_by(m) for c in commutes for m in TRAVEL_MODES), Decimal(0))
    days_remote = sum((c.days_by(Mode.REMOTE) for c in commutes), Decimal(0))
    return Summary(
        respondents=len(commutes),
        estimated=len(estimated),
        trips=trips(commutes),
        split=modal_split(commutes),
        remote_share=_share(days_remote, days_travelled + days_remote),
        co2_by_mode={mode: _kg(value) for mode, value in by_mode.items()},
        total_co2=_kg(total),
        average_co2=_kg(total / len(estimated)) if estimated else None,
    )
