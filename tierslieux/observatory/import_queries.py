"""What an import compares its lines with: the network's places and the places the lines'
ids point to, read in a handful of queries whatever their number (no model instances)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from tierslieux.observatory.importing.mapping import SHEET_FIELDS, Converted, Mapping
from tierslieux.observatory.importing.plan import Existing, Snapshot
from tierslieux.places.models import ExternalId, Network, Place
from tierslieux.places.queries import in_network

CHUNK = 500  # ids per IN (…): well within every database's limit on parameters


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def snapshot(network: Network, mapping: Mapping, lines: Iterable[Converted]) -> Snapshot:
    """The places of `network` (home or member) with their sheets, and the places of other
    networks the lines' ids name (to be counted by this network, never rewritten)."""
    idents = {line.ident for line in lines if line.ident}
    snap = Snapshot(network_id=network.pk)
    slugs = dict(Place.objects.values_list("slug", "id"))
    snap.taken_slugs = set(slugs)
    externals = (
        dict(ExternalId.objects.filter(scheme=mapping.scheme).values_list("value", "place_id"))
        if mapping.scheme
        else {}
    )
    external_of = {place_id: value for value, place_id in externals.items()}
    wanted: dict[str, int] = {i: externals[i] for i in idents if i in externals}
    by_slug = {i: slugs[i] for i in idents if mapping.match_slug and i in slugs}
    members = Place.objects.filter(in_network(network)).values("id")
    categories: dict[int, set[str]] = defaultdict(set)
    for place_id, code in Place.categories.through.objects.filter(place_id__in=members).values_list(
        "place_id", "category__code"
    ):
        categories[place_id].add(code)
    known: dict[int, Existing] = {}
    rows = Place.objects.filter(pk__in=members).values(
        "id", "slug", "network_id", "network__name", *SHEET_FIELDS
    )
    for row in rows:
        known[row["id"]] = _existing(row, True, categories, external_of)
    others = sorted({*wanted.values(), *by_slug.values()} - set(known))
    for chunk in _chunks(others):
        for row in Place.objects.filter(pk__in=chunk).values(
            "id", "slug", "name", "network_id", "network__name"
        ):
            known[row["id"]] = _existing(row, False, categories, external_of)
    snap.members = [p for p in known.values() if p.member]
    snap.by_external = {i: known[pk] for i, pk in wanted.items()}
    snap.by_slug = {i: known[pk] for i, pk in by_slug.items()}
    return snap


def _existing(
    row: Any,
    member: bool,
    categories: dict[int, set[str]],
    external_of: dict[int, str],
) -> Existing:
    pk = int(row["id"])
    return Existing(
        id=pk,
        slug=str(row["slug"]),
        name=str(row["name"]),
        network_id=int(row["network_id"]),
        network_name=str(row["network__name"]),
        member=member,
        fields={f: row[f] for f in SHEET_FIELDS if f in row},
        categories=frozenset(categories.get(pk, ())),
        external=external_of.get(pk, ""),
    )
