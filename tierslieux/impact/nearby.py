"""Which places sit around a place, and where on its territory map: great-circle distances,
the 30 km cut, the ~12 kept, and each one's position on a map centred on the place.

Pure: the report's territory (`impact.territory`) reads the rows and hands candidates here.
Partners come first (a shared organisation says more than a shared kind), then the nearest.
The distance and the box are the observatory map's (`observatory.geo`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from tierslieux.observatory import geo

EARTH_RADIUS_KM = geo.EARTH_RADIUS_KM
RADIUS_KM = 30.0
RINGS_KM = (10, 20, 30)
LIMIT = 12


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) between two points in degrees."""
    return geo.haversine_km(geo.Point(lat1, lon1), geo.Point(lat2, lon2))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from the first point to the second, clockwise from north, 0–360."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_lambda = math.radians(lon2 - lon1)
    x = math.sin(d_lambda) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(d_lambda)
    return (math.degrees(math.atan2(x, y)) + 360) % 360


@dataclass(frozen=True)
class Candidate:
    """A place that may be listed: its coordinates and why (organisations shared, kinds
    shared); a candidate with neither is not listed."""

    pk: int
    name: str
    slug: str
    latitude: float
    longitude: float
    partners: tuple[str, ...] = ()  # names of the organisations shared
    kinds: tuple[str, ...] = ()  # labels of the kinds shared


@dataclass(frozen=True)
class Neighbour:
    place: Candidate
    km: float
    bearing: float

    @property
    def partner(self) -> bool:
        return bool(self.place.partners)

    def offset(self, scale: float) -> tuple[float, float]:
        """Position (x right, y down) on a map of `scale` units per km centred on the place."""
        angle = math.radians(self.bearing)
        return self.km * scale * math.sin(angle), -self.km * scale * math.cos(angle)


def neighbours(
    latitude: float,
    longitude: float,
    candidates: Iterable[Candidate],
    radius_km: float = RADIUS_KM,
    limit: int = LIMIT,
) -> list[Neighbour]:
    """The candidates within `radius_km` that are partners or similar: partners first, then
    by distance; at most `limit`."""
    found = []
    for c in candidates:
        if not (c.partners or c.kinds):
            continue
        km = distance_km(latitude, longitude, c.latitude, c.longitude)
        if km <= radius_km:
            found.append(
                Neighbour(c, km, bearing_deg(latitude, longitude, c.latitude, c.longitude))
            )
    found.sort(key=lambda n: (not n.partner, n.km, n.place.name))
    return found[:limit]


def box(latitude: float, longitude: float, radius_km: float = RADIUS_KM) -> geo.Box:
    """The box holding the circle: the database narrows to it before the exact distance."""
    return geo.bounding_box(geo.Point(latitude, longitude), radius_km)
