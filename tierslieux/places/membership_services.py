"""What writes a place's memberships of networks and its identifiers in other registers.

A network's administrator adds any place to their network's census (a regional network lists
the metropolitan network's places) and removes it again, never from its home network; the
membership shows the place on the network's map and counts it in its statistics, and opens
nothing of the place's back office. External identifiers belong to the place's sheet."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import ExternalId, Network, NetworkMembership, Place


@transaction.atomic
def add_to_network(
    *,
    actor: Actor,
    network: Network,
    place: Place,
    source: str = NetworkMembership.Source.TEAM,
    source_name: str = "",
) -> NetworkMembership:
    """The place counted by `network` (idempotent: an existing membership keeps its source)."""
    access.require_network_admin(actor, network)
    membership, created = NetworkMembership.objects.get_or_create(
        network=network, place=place, defaults={"source": source, "source_name": source_name}
    )
    if created:
        audit.record(
            actor=actor,
            action="network_membership.add",
            obj=membership,
            place_id=place.pk,
            changes={"network": network.pk, "source": source, "source_name": source_name},
        )
    return membership


@transaction.atomic
def remove_from_network(*, actor: Actor, network: Network, place: Place) -> None:
    """The place no longer counted by `network`; its home network keeps it (idempotent)."""
    access.require_network_admin(actor, network)
    if place.network_id == network.pk:
        refuse(_("A place cannot leave the network that runs it."), "home_network")
    membership = NetworkMembership.objects.filter(network=network, place=place).first()
    if membership is not None:
        audit.record(
            actor=actor,
            action="network_membership.remove",
            obj=membership,
            place_id=place.pk,
            changes={"network": network.pk},
        )
        membership.delete()


def _require_sheet(actor: Actor, place: Place) -> None:
    if not access.has_perm(actor, place, Perm.EDIT_SHEET):
        raise access.PermissionDenied


@transaction.atomic
def set_external_id(*, actor: Actor, place: Place, scheme: str, value: str) -> ExternalId | None:
    """Record the place's identifier in a register, or forget it with an empty value.

    An identifier another place already holds is refused and names that place: two places
    with one census id are the same place, to merge rather than to label twice."""
    _require_sheet(actor, place)
    value = value.strip()
    current = ExternalId.objects.filter(place=place, scheme=scheme).first()
    if not value:
        if current is not None:
            audit.record(
                actor=actor,
                action="external_id.remove",
                obj=current,
                place_id=place.pk,
                changes={"scheme": scheme},
            )
            current.delete()
        return None
    holder = ExternalId.objects.filter(scheme=scheme, value=value).exclude(place=place).first()
    if holder is not None:
        refuse(
            _("The identifier %(value)s already belongs to “%(place)s”."),
            "external_id_taken",
            value=value,
            place=holder.place.name,
        )
    if current is not None and current.value == value:
        return current
    external = current or ExternalId(place=place, scheme=scheme)
    external.value = value
    external.full_clean()
    external.save()
    audit.record(
        actor=actor,
        action="external_id.set",
        obj=external,
        place_id=place.pk,
        changes={"scheme": scheme, "value": value},
    )
    return external


@transaction.atomic
def set_external_ids(*, actor: Actor, place: Place, values: dict[str, str]) -> None:
    """Several registers at once, all or nothing (one identifier taken refuses them all)."""
    for scheme, value in values.items():
        set_external_id(actor=actor, place=place, scheme=scheme, value=value)
