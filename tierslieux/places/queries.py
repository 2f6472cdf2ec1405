"""Read helpers for pages and the API: one place to get queries right (no N+1)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from tierslieux.core.search import Fold, fold
from tierslieux.places.models import Network, NetworkMembership, Place, PlaceRole, Space
from tierslieux.places.opening_hours import Exception_, Interval, to_osm


def in_network(network: Network | int | str) -> Q:
    """The places a network counts: its own (home network) and those it lists as members.

    A network given by its slug (a filter's value) or id. A subquery, not a join: a place
    never comes out twice."""
    if isinstance(network, str):
        home = Q(network__slug=network)
        members = NetworkMembership.objects.filter(network__slug=network)
    else:
        network_id = network if isinstance(network, int) else network.pk
        home = Q(network_id=network_id)
        members = NetworkMembership.objects.filter(network_id=network_id)
    return home | Q(pk__in=members.values("place_id"))


def matching(places: QuerySet[Any], text: str) -> QuerySet[Any]:
    """Places whose name, commune or description hold `text`, whatever its case and accents
    ("quincaillerie" finds "La Quincaillerie", "gueret" finds "Guéret")."""
    words = fold(text.strip())
    if not words:
        return places
    return places.alias(
        folded_name=Fold("name"),
        folded_commune=Fold("commune"),
        folded_description=Fold("description"),
    ).filter(
        Q(folded_name__contains=words)
        | Q(folded_commune__contains=words)
        | Q(folded_description__contains=words)
    )


def place_sheet(slug: str) -> QuerySet[Place]:
    """One place with everything its public page shows, in a fixed number of queries."""
    return (
        Place.objects.filter(slug=slug)
        .select_related("network")
        .prefetch_related(
            "categories",
            "external_ids",
            "team",
            "hours",
            "opening_exceptions",
            Prefetch(
                "spaces",
                queryset=Space.objects.active().prefetch_related("equipment").order_by("name"),
            ),
        )
    )


def osm_hours(place: Place) -> str:
    return to_osm(
        [Interval(h.weekday, h.opens, h.closes) for h in place.hours.all()],
        [
            Exception_(e.start_date, e.end_date, e.closed, e.opens, e.closes)
            for e in place.opening_exceptions.all()
        ],
    )


def roles_of_place(place: Place) -> QuerySet[PlaceRole]:
    return place.roles.select_related("person", "organisation").order_by(
        "role", "person__last_name", "organisation__name"
    )
