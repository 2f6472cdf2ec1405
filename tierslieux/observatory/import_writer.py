"""The writing of a checked import, in bulk (`import_services.apply` holds the transaction).

Created places with their categories, their membership of the network (source "import",
the mapping's name) and their id in the source's register; changed places' fields and
categories; places of other networks counted by this one (a membership, nothing of their
sheet); one audit entry per place or membership, in a few statements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tierslieux.core import audit, clock
from tierslieux.core.types import Actor
from tierslieux.observatory.importing.mapping import Mapping
from tierslieux.observatory.importing.plan import Action, PlanLine
from tierslieux.places.models import Category, ExternalId, Network, NetworkMembership, Place

BATCH = 500


class PlacesChanged(Exception):
    """A place to update was changed or removed since the lines were checked."""


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def write(
    actor: Actor,
    network: Network,
    source: Mapping,
    lines: list[PlanLine],
    places: dict[int, Place],
) -> None:
    """Write every create, update and join line (the caller holds the transaction)."""
    creates = [x for x in lines if x.action == Action.CREATE]
    updates = [x for x in lines if x.action == Action.UPDATE]
    joins = [x for x in lines if x.action == Action.JOIN]
    Place.objects.bulk_create([places[x.line] for x in creates], batch_size=BATCH)
    for line in creates:
        line.place_id = places[line.line].pk
    _update(updates, places)
    _categories(creates, updates, places)
    memberships = NetworkMembership.objects.bulk_create(
        [
            NetworkMembership(
                network=network,
                place_id=_pk(line),
                source=NetworkMembership.Source.IMPORT,
                source_name=source.name,
            )
            for line in (*creates, *joins)
        ],
        batch_size=BATCH,
    )
    ExternalId.objects.bulk_create(
        [
            ExternalId(place_id=_pk(line), scheme=source.scheme, value=line.ident)
            for line in (*creates, *updates)
            if line.add_external
        ],
        batch_size=BATCH,
    )
    audit.record_many(actor=actor, entries=_entries(creates, updates, places, memberships, source))


def _pk(line: PlanLine) -> int:
    assert line.place_id is not None  # created ones got theirs from bulk_create
    return line.place_id


def _update(updates: list[PlanLine], places: dict[int, Place]) -> None:
    changed = [places[x.line] for x in updates]
    if not changed:
        return
    # The lines were checked outside this transaction: a place edited (or merged away) since
    # then would lose the edit. Lock the rows and refuse if any moved; the import asks again.
    read = {place.pk: place.updated_at for place in changed}
    for chunk in _chunks(list(read)):
        now_at = dict(
            Place.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "updated_at")
        )
        if len(now_at) != len(chunk) or any(read[pk] != at for pk, at in now_at.items()):
            raise PlacesChanged
    now = clock.now()
    for place in changed:
        place.updated_at = now
    fields = sorted({name for line in updates for name in line.fields} | {"updated_at"})
    Place.objects.bulk_update(changed, fields, batch_size=BATCH)


def _categories(creates: list[PlanLine], updates: list[PlanLine], places: dict[int, Place]) -> None:
    through = Place.categories.through
    recategorised = [x for x in updates if x.categories is not None]
    for chunk in _chunks([x.place_id for x in recategorised if x.place_id is not None]):
        through.objects.filter(place_id__in=chunk).delete()
    ids = dict(Category.objects.values_list("code", "id"))
    through.objects.bulk_create(
        [
            through(place_id=_pk(line), category_id=ids[code])
            for line in (*creates, *recategorised)
            for code in line.categories or ()
        ],
        batch_size=BATCH * 2,
    )


def _entries(
    creates: list[PlanLine],
    updates: list[PlanLine],
    places: dict[int, Place],
    memberships: list[NetworkMembership],
    source: Mapping,
) -> Iterable[audit.Change]:
    for line in creates:
        values: dict[str, Any] = {**line.fields, "categories": list(line.categories or ())}
        values.update(source=source.name, line=line.line)
        yield audit.Change("place.create", places[line.line], line.place_id, values)
    for line in updates:
        changes = {name: new for name, (_old, new) in line.changes.items()}
        changes.update(source=source.name, line=line.line)
        yield audit.Change("place.update", places[line.line], line.place_id, changes)
    for membership in memberships:
        yield audit.Change(
            "network_membership.add",
            membership,
            membership.place_id,
            {"network": membership.network_id, "source": "import", "source_name": source.name},
        )
