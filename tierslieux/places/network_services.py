"""What a network's roles write: opening a place with its first coordinator, the network's
observers, and a place's consent that its network reads its management data.

Each function checks access itself, writes in one transaction and records it in the audit log
(the only trace of a revoked consent or a removed observer: the rows are deleted)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person, User
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places import access, services
from tierslieux.places.models import Network, NetworkGrant, NetworkRole, Place, PlaceRole


@transaction.atomic
def open_place(
    *,
    actor: Actor,
    network: Network,
    categories: Sequence[str] = (),
    coordinator: dict[str, str] | None = None,
    **fields: Any,
) -> Place:
    """A new place of the network and, if named, its first coordinator; or nothing at all.

    The network's administrator names the first coordinator without the people permission
    (which the place has not granted yet): a place with no one cannot grant anything."""
    place = services.create_place(actor=actor, network=network, categories=categories, **fields)
    if coordinator:
        person = Person(**coordinator)
        person.full_clean()
        person.save()
        role = PlaceRole.objects.create(place=place, person=person, role=PlaceRole.Role.COORDINATOR)
        audit.record(
            actor=actor,
            action="role.grant",
            obj=role,
            place_id=place.pk,
            changes={"role": role.role, "person": person},
        )
    return place


# --- The place's consent --------------------------------------------------------------------


def _require_coordinator(actor: Actor, place: Place) -> None:
    if not access.is_coordinator(actor, place):
        raise access.PermissionDenied


@transaction.atomic
def grant_network(*, actor: Actor, place: Place) -> NetworkGrant:
    """The place lets its network's administrators read its people, bookings and billing
    (idempotent). Only the place's coordinator decides."""
    _require_coordinator(actor, place)
    existing = NetworkGrant.objects.filter(place=place, network_id=place.network_id).first()
    if existing:
        return existing
    person = getattr(actor, "person", None)
    grant = NetworkGrant.objects.create(place=place, network_id=place.network_id, granted_by=person)
    audit.record(
        actor=actor,
        action="network_grant.grant",
        obj=grant,
        place_id=place.pk,
        changes={"network": place.network_id, "granted_by": person},
    )
    place.__dict__.pop("_tl_grants", None)
    return grant


@transaction.atomic
def revoke_network(*, actor: Actor, place: Place) -> None:
    """The network's administrators see the place's figures only again (idempotent)."""
    _require_coordinator(actor, place)
    grant = NetworkGrant.objects.filter(place=place, network_id=place.network_id).first()
    if grant is not None:
        audit.record(
            actor=actor,
            action="network_grant.revoke",
            obj=grant,
            place_id=place.pk,
            changes={"network": place.network_id},
        )
        grant.delete()
    place.__dict__.pop("_tl_grants", None)


# --- The network's observers ----------------------------------------------------------------


def _person_by_email(email: str, first_name: str, last_name: str) -> Person:
    """The person behind this e-mail: the login's, else a recorded person's, else a new one."""
    user = User.objects.filter(email__iexact=email).select_related("person").first()
    person = getattr(user, "person", None) if user else None
    if person is None:
        person = Person.objects.filter(email__iexact=email).order_by("pk").first()
    if person is None:
        if not first_name or not last_name:
            refuse(
                _("No one has this e-mail address yet: give their first and last names."),
                "names_needed",
            )
        person = Person(first_name=first_name, last_name=last_name, email=email, user=user)
        person.full_clean()
        person.save()
    return person


@transaction.atomic
def add_observer(
    *, actor: Actor, network: Network, email: str, first_name: str = "", last_name: str = ""
) -> NetworkRole:
    """The person with this e-mail reads the network's figures (created if needed)."""
    access.require_network_admin(actor, network)
    person = _person_by_email(email.strip(), first_name.strip(), last_name.strip())
    role, created = NetworkRole.objects.get_or_create(
        network=network, person=person, role=NetworkRole.Role.OBSERVER
    )
    if created:
        audit.record(
            actor=actor,
            action="network_role.grant",
            obj=role,
            changes={"network": network.pk, "role": role.role, "person": person},
        )
    return role


@transaction.atomic
def remove_observer(*, actor: Actor, role: NetworkRole) -> None:
    """An observer no longer reads the network's figures (administrators stay: this page
    manages observers only)."""
    access.require_network_admin(actor, role.network)
    if role.role != NetworkRole.Role.OBSERVER:
        raise access.PermissionDenied
    audit.record(
        actor=actor,
        action="network_role.revoke",
        obj=role,
        changes={"network": role.network_id, "role": role.role, "person": role.person_id},
    )
    role.delete()
