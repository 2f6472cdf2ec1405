"""Reads for the census's pages: the moderation queue, each declaration's possible duplicates
(places of every network, and the network's other pending declarations), an address's recent
declarations. Nothing here writes.

The duplicate search (`census.duplicates`) only ever matches two places of one commune or
within a few kilometres: the database narrows the candidates to those (same postcode, same
folded commune, or a box around the point), so a network of 5,000 places costs one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.core.search import Fold, fold
from tierslieux.observatory import census
from tierslieux.observatory.geo import Point, bounding_box
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Network, Place
from tierslieux.places.queries import in_network

Status = Declaration.Status
# An address may send this many declarations an hour: a network's team declaring a few
# places of its own, too few to flood the administrators' mailboxes.
DECLARATIONS_PER_HOUR = 3
FLOOD_WINDOW = timedelta(hours=1)
# How far the database looks around a point: `census.compare` matches up to 5 km.
SEARCH_KM = census.ALIKE_KM


def flooding(email: str, now: datetime) -> bool:
    """Whether the address sent as many declarations in the last hour as it may."""
    recent = Declaration.objects.filter(
        declarant_email=email.strip().lower(), submitted_at__gt=now - FLOOD_WINDOW
    )
    return recent.count() >= DECLARATIONS_PER_HOUR


def pending_count(network: Network) -> int:
    return Declaration.objects.filter(network=network, status=Status.PENDING).count()


def _point(latitude: Any, longitude: Any) -> Point | None:
    if latitude is None or longitude is None:
        return None
    return Point(float(latitude), float(longitude))


def candidate(obj: Place | Declaration, key: int | str | None = None) -> census.Candidate:
    return census.Candidate(
        key=obj.pk if key is None else key,
        name=obj.name,
        commune=obj.commune,
        postcode=obj.postcode,
        point=_point(obj.latitude, obj.longitude),
    )


def _near(postcode: str, commune: str, point: Point | None) -> Q:
    """Rows the duplicate search could match: same postcode, commune, or within the box."""
    near = Q(postcode=postcode.strip()) | Q(folded_commune=fold(commune.strip()))
    if point is not None:
        box = bounding_box(point, SEARCH_KM)
        near |= Q(
            latitude__gte=box.south,
            latitude__lte=box.north,
            longitude__gte=box.west,
            longitude__lte=box.east,
        )
    return near


@dataclass(frozen=True)
class Duplicate:
    """A possible duplicate of a declaration, with what makes it one, said in words."""

    match: census.Match
    place: Place | None = None
    declaration: Declaration | None = None
    in_network: bool = False

    @property
    def reasons(self) -> list[str]:
        return reason_labels(self.match)


def distance_label(km: float) -> str:
    """ "à 120 m", "à 2,3 km": metres under a kilometre, rounded to ten."""
    if km < 1:
        return _("%(metres)s m away") % {"metres": formatting.number(round(km * 100) * 10)}
    return _("%(km)s km away") % {"km": formatting.number(round(km, 1), 1)}


def reason_labels(match: census.Match) -> list[str]:
    labels = []
    for reason in match.reasons:
        if reason == census.Reason.SAME_NAME:
            labels.append(_("same name"))
        elif reason == census.Reason.SIMILAR_NAME:
            labels.append(
                _("similar name %(share)s")
                % {"share": formatting.percent(round(match.similarity * 100))}
            )
        elif reason == census.Reason.SAME_COMMUNE:
            labels.append(_("same commune"))
    if match.distance_km is not None:
        labels.append(distance_label(match.distance_km))
    return labels


def duplicates_of(declaration: Declaration) -> list[Duplicate]:
    """The places (of every network) and the network's other pending declarations that may
    be the declared place, the likeliest first."""
    target = candidate(declaration, key="declaration")
    near = _near(declaration.postcode, declaration.commune, target.point)
    places = {
        p.pk: p
        for p in Place.objects.alias(folded_commune=Fold("commune"))
        .filter(near)
        .select_related("network")
    }
    if declaration.place_id is not None:
        places.pop(declaration.place_id, None)
    members = set(
        Place.objects.filter(in_network(declaration.network), pk__in=places).values_list(
            "pk", flat=True
        )
    )
    others = {
        d.pk: d
        for d in Declaration.objects.alias(folded_commune=Fold("commune"))
        .filter(near, network=declaration.network, status=Status.PENDING)
        .exclude(pk=declaration.pk)
    }
    candidates = [candidate(p, key=f"place:{pk}") for pk, p in places.items()]
    candidates += [candidate(d, key=f"declaration:{pk}") for pk, d in others.items()]
    found = []
    for match in census.duplicates(target, candidates):
        kind, _sep, pk_text = str(match.candidate.key).partition(":")
        pk = int(pk_text)
        if kind == "place":
            found.append(Duplicate(match, place=places[pk], in_network=pk in members))
        else:
            found.append(Duplicate(match, declaration=others[pk]))
    return found


def queue(network: Network) -> list[tuple[Declaration, list[Duplicate]]]:
    """The network's pending declarations, the oldest first, each with its duplicates."""
    pending = Declaration.objects.filter(network=network, status=Status.PENDING).order_by(
        "submitted_at", "id"
    )
    return [(d, duplicates_of(d)) for d in pending.select_related("network")]


def decided(network: Network, limit: int = 50) -> list[Declaration]:
    """The network's latest decisions, with who took them and the resulting place."""
    rows = (
        Declaration.objects.filter(network=network)
        .exclude(status=Status.PENDING)
        .select_related("decided_by", "place")
        .order_by("-decided_at", "-id")
    )
    return list(rows[:limit])


@dataclass(frozen=True)
class Pair:
    """Two places of the network that may be one."""

    first: Place
    second: Place
    match: census.Match

    @property
    def reasons(self) -> list[str]:
        return reason_labels(self.match)


# Grid cells at least 5 km wide up to 55° north: two places within 5 km share a cell or
# touch one.
CELL_LAT, CELL_LON = 0.05, 0.08


def _buckets(place: Place) -> list[tuple[Any, ...]]:
    # A place always has a postcode: two places of one commune under two postcodes only
    # match by their distance (`census._same_commune`), which the cells find.
    keys: list[tuple[Any, ...]] = [("postcode", place.postcode.strip())]
    if place.latitude is not None and place.longitude is not None:
        row = int(float(place.latitude) // CELL_LAT)
        column = int(float(place.longitude) // CELL_LON)
        keys.append(("cell", row, column))
    return keys


def _neighbours(key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    if key[0] != "cell":
        return [key]
    return [("cell", key[1] + dr, key[2] + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)]


def place_pairs(network: Network) -> list[Pair]:
    """The pairs of the network's places that `census.compare` takes for one place, the
    likeliest first. Only places sharing a postcode, a commune or a 5 km cell are compared:
    linear in the network's size rather than quadratic."""
    places = {p.pk: p for p in Place.objects.filter(in_network(network)).select_related("network")}
    buckets: dict[tuple[Any, ...], list[int]] = {}
    for pk, place in places.items():
        for key in _buckets(place):
            buckets.setdefault(key, []).append(pk)
    candidates = {pk: candidate(place) for pk, place in places.items()}
    seen: set[tuple[int, int]] = set()
    pairs = []
    for pk, place in places.items():
        target = candidates[pk]
        for key in _buckets(place):
            for neighbour in _neighbours(key):
                for other in buckets.get(neighbour, ()):
                    if other <= pk or (pk, other) in seen:
                        continue
                    seen.add((pk, other))
                    match = census.compare(target, candidates[other])
                    if match is not None:
                        pairs.append(Pair(place, places[other], match))
    return sorted(pairs, key=lambda p: (-p.match.similarity, p.first.name, p.second.name))
