"""The territory map of a report: partner and similar places within 30 km, as the Mille
Lieux monographs draw them around the place studied.

A partner shares an organisation with the place: one that co-organises events (not drafts)
at both, or holds a role (member, resident) in both, or co-organises at one and holds a role
at the other. A similar place shares a kind with it (coworking, fablab…; "other" says
nothing and is left out). The rows are read here in a fixed number of queries; the distances
and the choice are `impact.nearby`'s.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tierslieux.events.models import Event, EventStatus
from tierslieux.impact import nearby
from tierslieux.places.models import Category, Place, PlaceRole


@dataclass(frozen=True)
class Territory:
    located: bool  # the place has coordinates (else no map, and a sentence says why)
    neighbours: list[nearby.Neighbour] = field(default_factory=list)
    radius_km: float = nearby.RADIUS_KM


def _organisations(place_ids: list[int]) -> dict[int, dict[int, str]]:
    """{place id: {organisation id: name}} through roles and co-organised events."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for row in PlaceRole.objects.filter(
        place_id__in=place_ids, organisation__isnull=False
    ).values_list("place_id", "organisation_id", "organisation__name"):
        found[row[0]][row[1]] = row[2]
    through = Event.co_organisers.through
    for row in (
        through.objects.filter(event__place_id__in=place_ids)
        .exclude(event__status=EventStatus.DRAFT)
        .values_list("event__place_id", "organisation_id", "organisation__name")
        .distinct()
    ):
        found[row[0]][row[1]] = row[2]
    return found


def territory(place: Place) -> Territory:
    """The neighbours worth listing around `place` (none when it has no coordinates)."""
    if place.latitude is None or place.longitude is None:
        return Territory(located=False)
    lat, lon = float(place.latitude), float(place.longitude)
    square = nearby.box(lat, lon)
    around = list(
        Place.objects.filter(
            latitude__gte=square.south,
            latitude__lte=square.north,
            longitude__gte=square.west,
            longitude__lte=square.east,
        )
        .exclude(pk=place.pk)
        .prefetch_related("categories")
        .only("pk", "name", "slug", "latitude", "longitude")
    )
    own_kinds = {c.code: str(c) for c in place.categories.all() if c.code != Category.Code.OTHER}
    orgs = _organisations([place.pk, *(p.pk for p in around)])
    own_orgs = orgs.get(place.pk, {})
    candidates = []
    for other in around:
        if other.latitude is None or other.longitude is None:  # excluded by the filter
            continue
        shared = sorted(name for pk, name in orgs.get(other.pk, {}).items() if pk in own_orgs)
        kinds = sorted(own_kinds[c.code] for c in other.categories.all() if c.code in own_kinds)
        candidates.append(
            nearby.Candidate(
                pk=other.pk,
                name=other.name,
                slug=other.slug,
                latitude=float(other.latitude),
                longitude=float(other.longitude),
                partners=tuple(shared),
                kinds=tuple(kinds),
            )
        )
    return Territory(located=True, neighbours=nearby.neighbours(lat, lon, candidates))
