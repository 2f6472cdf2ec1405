"""The one access check every view and API endpoint goes through.

A permission is granted by a role in the place, by being an administrator of the place's
network, or by being a superuser. Nothing else opens a place's back office.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet

from tierslieux.places.models import Network, NetworkRole, Place, PlaceRole

Role = PlaceRole.Role


class Perm(StrEnum):
    VIEW_BACKOFFICE = "view_backoffice"
    EDIT_SHEET = "edit_sheet"
    EDIT_SPACES = "edit_spaces"
    EDIT_PEOPLE = "edit_people"
    MANAGE_BOOKINGS = "manage_bookings"
    MANAGE_BILLING = "manage_billing"


GRANTS: dict[Perm, set[str]] = {
    Perm.VIEW_BACKOFFICE: {Role.COORDINATOR, Role.STAFF},
    Perm.EDIT_SHEET: {Role.COORDINATOR},
    Perm.EDIT_SPACES: {Role.COORDINATOR, Role.STAFF},
    Perm.EDIT_PEOPLE: {Role.COORDINATOR},
    Perm.MANAGE_BOOKINGS: {Role.COORDINATOR, Role.STAFF},
    Perm.MANAGE_BILLING: {Role.COORDINATOR},
}


def _person_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    # A missing reverse one-to-one raises a subclass of AttributeError: getattr copes.
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def _admin_network_ids(user: Any) -> set[int]:
    cache = getattr(user, "_tl_admin_networks", None)
    if cache is None:
        person_id = _person_id(user)
        cache = (
            set(
                NetworkRole.objects.filter(person_id=person_id).values_list("network_id", flat=True)
            )
            if person_id
            else set()
        )
        if getattr(user, "is_authenticated", False):
            user._tl_admin_networks = cache
    return cache


def place_roles(user: Any, place: Place) -> set[str]:
    """The roles the user's person holds in the place (memoised on the user object)."""
    person_id = _person_id(user)
    if person_id is None:
        return set()
    cache: dict[int, set[str]] = user.__dict__.setdefault("_tl_place_roles", {})
    if place.pk not in cache:
        cache[place.pk] = set(
            PlaceRole.objects.filter(place=place, person_id=person_id).values_list(
                "role", flat=True
            )
        )
    return cache[place.pk]


def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_network_admin(user: Any, network: Network | int) -> bool:
    network_id = network if isinstance(network, int) else network.pk
    return is_superuser(user) or network_id in _admin_network_ids(user)


_ROLES_SQL = (
    f"SELECT 'network', CAST(network_id AS TEXT) FROM {NetworkRole._meta.db_table} "
    "WHERE person_id = %s "
    f"UNION ALL SELECT 'place', role FROM {PlaceRole._meta.db_table} "
    "WHERE place_id = %s AND person_id = %s"
)


def _prime(user: Any, place: Place) -> None:
    """The user's network administrations and roles in `place`, read in one query when
    neither is known yet: a request that checks one permission (a booking) pays one statement."""
    person_id = _person_id(user)
    if person_id is None or is_superuser(user):
        return
    roles: dict[int, set[str]] = user.__dict__.setdefault("_tl_place_roles", {})
    if getattr(user, "_tl_admin_networks", None) is not None or place.pk in roles:
        return
    # Plain SQL: compiling the ORM's union costs more CPU than the round trip it saves.
    with connection.cursor() as cursor:
        cursor.execute(_ROLES_SQL, [person_id, place.pk, person_id])
        rows = cursor.fetchall()
    user._tl_admin_networks = {int(value) for kind, value in rows if kind == "network"}
    roles[place.pk] = {value for kind, value in rows if kind == "place"}


def has_perm(user: Any, place: Place, perm: Perm) -> bool:
    _prime(user, place)
    if is_network_admin(user, place.network_id):
        return True
    return bool(place_roles(user, place) & GRANTS[perm])


def require(user: Any, place: Place, perm: Perm) -> None:
    """Raise PermissionDenied unless the user holds `perm` on `place`."""
    if not has_perm(user, place, perm):
        raise PermissionDenied


def require_network_admin(user: Any, network: Network) -> None:
    if not is_network_admin(user, network):
        raise PermissionDenied


def places_for(user: Any, perm: Perm = Perm.VIEW_BACKOFFICE) -> QuerySet[Place]:
    """Places on which the user holds `perm`: what a back-office list may show."""
    if is_superuser(user):
        return Place.objects.all()
    person_id = _person_id(user)
    if person_id is None:
        return Place.objects.none()
    return Place.objects.filter(
        Q(network_id__in=_admin_network_ids(user))
        | Q(roles__person_id=person_id, roles__role__in=GRANTS[perm])
    ).distinct()


def networks_administered(user: Any) -> QuerySet[Network]:
    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=_admin_network_ids(user))
