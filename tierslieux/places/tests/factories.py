"""Plain-function factories for places, spaces and personas (people with a role)."""

from __future__ import annotations

import itertools
from typing import Any

from tierslieux.accounts.models import User
from tierslieux.accounts.tests.factories import organisation, user
from tierslieux.places.models import (
    Category,
    Network,
    NetworkGrant,
    NetworkMembership,
    NetworkRole,
    Place,
    PlaceRole,
    Space,
)

_seq = itertools.count(1)
__all__ = ["organisation", "user"]  # re-exported: tests take every factory from here


def network(**fields: Any) -> Network:
    n = next(_seq)
    fields.setdefault("name", f"Réseau {n}")
    fields.setdefault("slug", f"reseau-{n}")
    return Network.objects.create(**fields)


def place(*, categories: tuple[str, ...] = ("coworking",), **fields: Any) -> Place:
    n = next(_seq)
    fields.setdefault("network", fields.get("network") or network())
    fields.setdefault("name", f"Lieu {n}")
    fields.setdefault("slug", f"lieu-{n}")
    fields.setdefault("status", Place.Status.OPEN)
    fields.setdefault("postcode", "11100")
    fields.setdefault("commune", "Narbonne")
    fields.setdefault("location_type", Place.LocationType.CITY_CENTRE)
    fields.setdefault("legal_form", Place.LegalForm.ASSOCIATION)
    fields.setdefault("surface_m2", 250)
    obj = Place(**fields)
    obj.full_clean()
    obj.save()
    obj.categories.set(Category.objects.filter(code__in=categories))
    NetworkMembership.objects.create(network=obj.network, place=obj, source="team")
    return obj


def space(place_: Place, **fields: Any) -> Space:
    n = next(_seq)
    fields.setdefault("name", f"Salle {n}")
    fields.setdefault("slug", f"salle-{n}")
    fields.setdefault("kind", Space.Kind.MEETING_ROOM)
    fields.setdefault("capacity", 6)
    return Space.objects.create(place=place_, **fields)


def with_role(u: User, place_: Place, role: str = PlaceRole.Role.COORDINATOR) -> User:
    PlaceRole.objects.create(place=place_, person=u.person, role=role)
    return u


def coordinator(place_: Place) -> User:
    return with_role(user(), place_, PlaceRole.Role.COORDINATOR)


def staff(place_: Place) -> User:
    return with_role(user(), place_, PlaceRole.Role.STAFF)


def member(place_: Place) -> User:
    return with_role(user(), place_, PlaceRole.Role.MEMBER)


def network_admin(network_: Network) -> User:
    u = user()
    NetworkRole.objects.create(network=network_, person=u.person)
    return u


def network_observer(network_: Network) -> User:
    u = user()
    NetworkRole.objects.create(network=network_, person=u.person, role=NetworkRole.Role.OBSERVER)
    return u


def network_grant(place_: Place) -> NetworkGrant:
    """The place lets its network's administrators read its management data."""
    return NetworkGrant.objects.create(place=place_, network_id=place_.network_id)
