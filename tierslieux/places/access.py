"""The one access check every view and API endpoint goes through.

A permission is granted by a role in the place, by a role in the place's network, or by being
a superuser (who keeps everything). Nothing else opens a place's back office.

A network sees a place's aggregated figures, never its customers, invoices or members' details,
unless the place grants it (`NetworkGrant`, set by the place's coordinator). The decision table
(✓ always, G only while the place grants its network, — never):

    permission       what it opens                              coord staff admin observer
    VIEW_BACKOFFICE  overview (counts), spaces list               ✓     ✓     ✓      —
    EDIT_SHEET       sheet, hours, team lines, booking rules       ✓     —     ✓      —
    EDIT_SPACES      spaces                                        ✓     ✓     ✓      —
    VIEW_FIGURES     Activité page and API, revenue dashboard      ✓     ✓     ✓      ✓
    VIEW_PEOPLE      people and roles (names, e-mails)             ✓     ✓     G      —
    EDIT_PEOPLE      people, invitations, sign-up requests         ✓     —     G      —
    MANAGE_BOOKINGS  bookings, events, registrations, footfall     ✓     ✓     G      —
    MANAGE_BILLING   invoices, customers, members, subscriptions   ✓     —     G      —
    MANAGE_SURVEYS   the place's surveys, their answers, results   ✓     ✓     G      —
    MANAGE_IMPACT    testimonies, stories, timeline, commitments   ✓     ✓     G      —

Members and outsiders get none. Opening a place (and naming its first coordinator) needs
`require_network_admin`; granting or revoking the network's access needs the place's
coordinator (`is_coordinator`), never the network.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from tierslieux.places.models import Network, NetworkGrant, NetworkRole, Place, PlaceRole

Role = PlaceRole.Role
NetRole = NetworkRole.Role


class Perm(StrEnum):
    VIEW_BACKOFFICE = "view_backoffice"
    EDIT_SHEET = "edit_sheet"
    EDIT_SPACES = "edit_spaces"
    VIEW_FIGURES = "view_figures"
    VIEW_PEOPLE = "view_people"
    EDIT_PEOPLE = "edit_people"
    MANAGE_BOOKINGS = "manage_bookings"
    MANAGE_BILLING = "manage_billing"
    MANAGE_SURVEYS = "manage_surveys"
    MANAGE_IMPACT = "manage_impact"


GRANTS: dict[Perm, set[str]] = {
    Perm.VIEW_BACKOFFICE: {Role.COORDINATOR, Role.STAFF},
    Perm.EDIT_SHEET: {Role.COORDINATOR},
    Perm.EDIT_SPACES: {Role.COORDINATOR, Role.STAFF},
    Perm.VIEW_FIGURES: {Role.COORDINATOR, Role.STAFF},
    Perm.VIEW_PEOPLE: {Role.COORDINATOR, Role.STAFF},
    Perm.EDIT_PEOPLE: {Role.COORDINATOR},
    Perm.MANAGE_BOOKINGS: {Role.COORDINATOR, Role.STAFF},
    Perm.MANAGE_BILLING: {Role.COORDINATOR},
    Perm.MANAGE_SURVEYS: {Role.COORDINATOR, Role.STAFF},
    Perm.MANAGE_IMPACT: {Role.COORDINATOR, Role.STAFF},
}

# What a role in the place's network gives on every place of the network, always.
NETWORK_GRANTS: dict[str, frozenset[Perm]] = {
    NetRole.ADMIN: frozenset(
        {Perm.VIEW_BACKOFFICE, Perm.EDIT_SHEET, Perm.EDIT_SPACES, Perm.VIEW_FIGURES}
    ),
    NetRole.OBSERVER: frozenset({Perm.VIEW_FIGURES}),
}
# What the network's administrators get only while the place grants it (private data).
GRANTABLE: frozenset[Perm] = frozenset(
    {
        Perm.VIEW_PEOPLE,
        Perm.EDIT_PEOPLE,
        Perm.MANAGE_BOOKINGS,
        Perm.MANAGE_BILLING,
        Perm.MANAGE_SURVEYS,
        Perm.MANAGE_IMPACT,
    }
)


def _person_id(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    # A missing reverse one-to-one raises a subclass of AttributeError: getattr copes.
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def _network_roles(user: Any) -> dict[int, set[str]]:
    """Network id → the user's roles in it (memoised on the user object)."""
    cache: dict[int, set[str]] | None = getattr(user, "_tl_networks", None)
    if cache is None:
        person_id = _person_id(user)
        cache = {}
        if person_id:
            for network_id, role in NetworkRole.objects.filter(person_id=person_id).values_list(
                "network_id", "role"
            ):
                cache.setdefault(network_id, set()).add(role)
        _remember_networks(user, cache)
    return cache


def _remember_networks(user: Any, roles: dict[int, set[str]]) -> None:
    if getattr(user, "is_authenticated", False):
        user._tl_networks = roles
        user._tl_admin_networks = {n for n, r in roles.items() if NetRole.ADMIN in r}


def _admin_network_ids(user: Any) -> set[int]:
    return {n for n, roles in _network_roles(user).items() if NetRole.ADMIN in roles}


def _seen_network_ids(user: Any) -> set[int]:
    return set(_network_roles(user))


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


def sees_network(user: Any, network: Network | int) -> bool:
    """Whether the user reads the network's list of places (administrators and observers)."""
    network_id = network if isinstance(network, int) else network.pk
    return is_superuser(user) or network_id in _seen_network_ids(user)


def is_coordinator(user: Any, place: Place) -> bool:
    """The place's own coordinator (or a superuser): who decides what the network may read."""
    return is_superuser(user) or Role.COORDINATOR in place_roles(user, place)


_ROLES_SQL = (
    f"SELECT 'network', CAST(network_id AS TEXT), role FROM {NetworkRole._meta.db_table} "
    "WHERE person_id = %s "
    f"UNION ALL SELECT 'place', role, '' FROM {PlaceRole._meta.db_table} "
    "WHERE place_id = %s AND person_id = %s"
)


def _prime(user: Any, place: Place) -> None:
    """The user's network roles and roles in `place`, read in one query when neither is known
    yet: a request that checks one permission (a booking) pays one statement."""
    person_id = _person_id(user)
    if person_id is None or is_superuser(user):
        return
    roles: dict[int, set[str]] = user.__dict__.setdefault("_tl_place_roles", {})
    if getattr(user, "_tl_networks", None) is not None or place.pk in roles:
        return
    # Plain SQL: compiling the ORM's union costs more CPU than the round trip it saves.
    with connection.cursor() as cursor:
        cursor.execute(_ROLES_SQL, [person_id, place.pk, person_id])
        rows = cursor.fetchall()
    networks: dict[int, set[str]] = {}
    for kind, value, role in rows:
        if kind == "network":
            networks.setdefault(int(value), set()).add(role)
    _remember_networks(user, networks)
    roles[place.pk] = {value for kind, value, _role in rows if kind == "place"}


def grants_network(place: Place, network_id: int | None = None) -> bool:
    """Whether `place` lets its network's administrators read its management data (memoised
    on the place object: one query, and only when a network administrator asks)."""
    network_id = place.network_id if network_id is None else network_id
    cache: dict[int, bool] = place.__dict__.setdefault("_tl_grants", {})
    if network_id not in cache:
        cache[network_id] = NetworkGrant.objects.filter(
            place_id=place.pk, network_id=network_id
        ).exists()
    return cache[network_id]


def has_perm(user: Any, place: Place, perm: Perm) -> bool:
    if is_superuser(user):
        return True
    _prime(user, place)
    if place_roles(user, place) & GRANTS[perm]:
        return True
    in_network = _network_roles(user).get(place.network_id, set())
    if any(perm in NETWORK_GRANTS[role] for role in in_network):
        return True
    return NetRole.ADMIN in in_network and perm in GRANTABLE and grants_network(place)


def require(user: Any, place: Place, perm: Perm) -> None:
    """Raise PermissionDenied unless the user holds `perm` on `place`."""
    if not has_perm(user, place, perm):
        raise PermissionDenied


def require_network_admin(user: Any, network: Network) -> None:
    if not is_network_admin(user, network):
        raise PermissionDenied


def require_network_seen(user: Any, network: Network) -> None:
    if not sees_network(user, network):
        raise PermissionDenied


def places_for(user: Any, perm: Perm = Perm.VIEW_BACKOFFICE) -> QuerySet[Place]:
    """Places on which the user holds `perm`: what a back-office list may show."""
    if is_superuser(user):
        return Place.objects.all()
    person_id = _person_id(user)
    if person_id is None:
        return Place.objects.none()
    networks = _network_roles(user)
    always = {n for n, roles in networks.items() if any(perm in NETWORK_GRANTS[r] for r in roles)}
    condition = Q(network_id__in=always) | Q(
        roles__person_id=person_id, roles__role__in=GRANTS[perm]
    )
    if perm in GRANTABLE:
        granted = NetworkGrant.objects.filter(
            place_id=OuterRef("pk"), network_id=OuterRef("network_id")
        )
        condition |= Q(Exists(granted), network_id__in=_admin_network_ids(user))
    return Place.objects.filter(condition).distinct()


def networks_administered(user: Any) -> QuerySet[Network]:
    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=_admin_network_ids(user))


def networks_seen(user: Any) -> QuerySet[Network]:
    """The networks whose list of places the user reads (administered or observed)."""
    if is_superuser(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=_seen_network_ids(user))
