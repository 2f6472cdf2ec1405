"""What an import would do, line by line, from the lines and a snapshot of the database.

A line is matched to a place by its id in the mapping's register first, then (when the
mapping says so) by a place's slug. Then:

- no place: **create** (flagged when it looks like a place of the network without an id:
  same telling name in the same postcode, or a near point — the dry run shows it, the
  administrator may give that place the id first, or merge later; we create rather than
  reject because a census import must not lose a place on a guess);
- a place of this network: **update** with the fields that changed, or **unchanged**;
- a place run by another network: **join** (the place is counted by this network too; its
  sheet belongs to its own network and is never rewritten), or **unchanged** when it is
  already a member;
- **reject**: the reasons the conversion found, or an id already seen in the file.

Comparisons are the ones a person makes: a description's spacing, a phone number's spelling
(`03 20…` and `+33 3 20…`), the trailing zeros of a coordinate do not make a change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierslieux.observatory.census import (
    NEARBY_KM,
    Candidate,
    duplicates,
    match_key,
    name_similarity,
    name_words,
)
from tierslieux.observatory.geo import Point, haversine_km
from tierslieux.observatory.importing.mapping import Converted, Mapping
from tierslieux.observatory.opendata import international_phone

SLUG_LENGTH = 50
SLUG_NAME_SIMILARITY = 0.5


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    JOIN = "join"
    REJECT = "reject"


@dataclass(frozen=True)
class Existing:
    """A place as the plan sees it: its sheet's values and where it belongs."""

    id: int
    slug: str
    name: str
    network_id: int
    network_name: str
    member: bool  # already counted by the importing network
    fields: dict[str, Any]
    categories: frozenset[str]
    external: str = ""  # its id in the mapping's register


@dataclass
class Snapshot:
    network_id: int
    by_external: dict[str, Existing] = field(default_factory=dict)
    by_slug: dict[str, Existing] = field(default_factory=dict)
    members: list[Existing] = field(default_factory=list)  # for the look-alikes
    taken_slugs: set[str] = field(default_factory=set)


@dataclass
class PlanLine:
    line: int
    action: Action
    name: str
    ident: str = ""
    place_id: int | None = None
    slug: str = ""
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)  # what a create or update writes
    categories: tuple[str, ...] | None = None
    add_external: bool = False  # the matched place gets the line's id in the register

    def report(self) -> dict[str, Any]:
        """The line as the report keeps it (JSON)."""
        return {
            "line": self.line,
            "action": str(self.action),
            "name": self.name,
            "ident": self.ident,
            "place": self.slug,
            "reasons": self.reasons,
            "warnings": self.warnings,
            "notes": self.notes,
            "changes": {k: [_shown(a), _shown(b)] for k, (a, b) in self.changes.items()},
        }


def _shown(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(sorted(str(v) for v in value))
    return "" if value is None else str(value)


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


def same(sheet_field: str, old: Any, new: Any) -> bool:
    """Whether a sheet's value and a line's value say the same thing."""
    if sheet_field == "description":
        return _flat(old) == _flat(new)
    if sheet_field == "phone":
        a, b = international_phone(old or ""), international_phone(new or "")
        return a == b if a and b else _flat(old) == _flat(new)
    if sheet_field == "website":
        return str(old or "").rstrip("/") == str(new or "").rstrip("/")
    if isinstance(new, Decimal):
        return old is not None and Decimal(old) == new
    return bool(old == new)


def changes(place: Existing, line: Converted) -> dict[str, tuple[Any, Any]]:
    found = {
        name: (place.fields.get(name), value)
        for name, value in line.fields.items()
        if not same(name, place.fields.get(name), value)
    }
    if line.categories is not None and set(line.categories) != place.categories:
        found["categories"] = (sorted(place.categories), list(line.categories))
    return found


def new_slug(wanted: str, taken: set[str]) -> str:
    base = slugify(wanted)[:SLUG_LENGTH].strip("-") or "lieu"
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: SLUG_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(slug)
    return slug


class _Lookalikes:
    """The network's places (and the file's lines seen so far) indexed for the look-alike
    search: a line is compared with the places of its postcode sharing its rarest telling
    words, and with the places within a few hundred metres — never with all of them
    (5,000 lines against 5,000 places would be 25 million name comparisons)."""

    CELL = 0.01  # degrees: about 1 km, so a 300 m neighbourhood is within the 3 × 3 cells
    RAREST = 1  # how many of a name's words open their bucket (two alike names share it)

    def __init__(self, members: Iterable[Existing]) -> None:
        self.by_word: dict[tuple[str, str], list[Candidate]] = {}
        self.by_cell: dict[tuple[int, int], list[Candidate]] = {}
        for place in members:
            self._add(_candidate(place.id, place.name, place.fields))

    def _cell(self, point: Point) -> tuple[int, int]:
        return (int(point.latitude // self.CELL), int(point.longitude // self.CELL))

    def _add(self, candidate: Candidate) -> None:
        for word in set(name_words(candidate.name)):
            self.by_word.setdefault((candidate.postcode, word), []).append(candidate)
        if candidate.point is not None:
            self.by_cell.setdefault(self._cell(candidate.point), []).append(candidate)

    def _near(self, target: Candidate) -> dict[int | str, Candidate]:
        found: dict[int | str, Candidate] = {}
        buckets = [self.by_word.get((target.postcode, w), []) for w in set(name_words(target.name))]
        for bucket in sorted(buckets, key=len)[: self.RAREST]:
            found.update((c.key, c) for c in bucket)
        if target.point is not None:
            row, col = self._cell(target.point)
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    for c in self.by_cell.get((row + dr, col + dc), ()):
                        if c.point and haversine_km(target.point, c.point) <= NEARBY_KM:
                            found[c.key] = c
        return found

    def warnings(self, line: Converted) -> list[str]:
        target = _candidate(f"line-{line.line}", line.name, line.fields)
        found = duplicates(target, self._near(target).values())
        self._add(target)
        return [_possible_duplicate(m.candidate) for m in found[:3]]


def _candidate(key: int | str, name: str, values: dict[str, Any]) -> Candidate:
    lat, lon = values.get("latitude"), values.get("longitude")
    point = Point(float(lat), float(lon)) if lat is not None and lon is not None else None
    postcode = str(values.get("postcode", "")).replace(" ", "")
    return Candidate(key, name, str(values.get("commune", "")), postcode, point)


def _possible_duplicate(candidate: Candidate) -> str:
    if isinstance(candidate.key, str):
        return _("Possible duplicate of line %(line)s (“%(name)s”).") % {
            "line": candidate.key.removeprefix("line-"),
            "name": candidate.name,
        }
    return _("Possible duplicate of “%(name)s” (a place of the network without this id).") % {
        "name": candidate.name
    }


def _match(mapping: Mapping, line: Converted, snap: Snapshot) -> tuple[Existing | None, bool]:
    """The place the line is, and whether it was found by its slug only."""
    if not line.ident:
        return None, False
    if mapping.scheme and line.ident in snap.by_external:
        return snap.by_external[line.ident], False
    if mapping.match_slug:
        return snap.by_slug.get(line.ident), True
    return None, False


def _unrelated(line: Converted, place: Existing) -> bool:
    """A slug is only an address: another file's `la-fabrique` may be another Fabrique. The
    line is that place if their names are alike or their postcodes are the same."""
    if name_similarity(line.name, place.name) >= SLUG_NAME_SIMILARITY:
        return False
    postcode = place.fields.get("postcode")
    return not (postcode and postcode == line.fields.get("postcode"))


def plan(mapping: Mapping, lines: Iterable[Converted], snap: Snapshot) -> list[PlanLine]:
    """One `PlanLine` per line, in the file's order."""
    seen: dict[str, int] = {}
    keys: dict[str, int] = {}
    lookalikes = _Lookalikes(snap.members)
    out: list[PlanLine] = []
    for line in lines:
        entry = PlanLine(line.line, Action.REJECT, line.name, line.ident, warnings=line.warnings)
        out.append(entry)
        entry.reasons.extend(line.reasons)
        if line.ident and line.ident in seen:
            entry.reasons.append(
                _("The id %(id)s is already on line %(line)s.")
                % {"id": line.ident, "line": seen[line.ident]}
            )
        elif line.ident:
            seen[line.ident] = line.line
        if entry.reasons:
            continue
        place, by_slug = _match(mapping, line, snap)
        if place is not None and by_slug and _unrelated(line, place):
            entry.reasons.append(
                _("The id %(id)s is the address of “%(name)s”, which looks like another place.")
                % {"id": line.ident, "name": place.name}
            )
            continue
        if place is None:
            _create(mapping, line, entry, snap, lookalikes, keys)
        elif place.network_id != snap.network_id:
            _join(line, entry, place)
        else:
            _update(mapping, line, entry, place)
    return out


def _create(
    mapping: Mapping,
    line: Converted,
    entry: PlanLine,
    snap: Snapshot,
    lookalikes: _Lookalikes,
    keys: dict[str, int],
) -> None:
    entry.action = Action.CREATE
    entry.fields = {**mapping.defaults, **line.fields}
    default = mapping.defaults.get("categories", ())
    entry.categories = line.categories or (
        (default,) if isinstance(default, str) else tuple(default)
    )
    entry.fields.pop("categories", None)
    wanted = line.ident if mapping.slug_from_id and line.ident else line.name
    entry.slug = new_slug(wanted, snap.taken_slugs)
    entry.add_external = bool(mapping.scheme and line.ident)
    entry.warnings.extend(lookalikes.warnings(line))
    key = match_key(line.name, str(line.fields.get("postcode", "")))
    if key in keys and not any(str(keys[key]) in w for w in entry.warnings):
        entry.warnings.append(
            _("Possible duplicate of line %(line)s (same name, same postcode).")
            % {"line": keys[key]}
        )
    keys.setdefault(key, line.line)


def _join(line: Converted, entry: PlanLine, place: Existing) -> None:
    entry.place_id, entry.slug = place.id, place.slug
    entry.action = Action.UNCHANGED if place.member else Action.JOIN
    entry.notes.append(
        _(
            "A place run by the network %(network)s: counted by this network too, its sheet "
            "is not changed (it belongs to its own network)."
        )
        % {"network": place.network_name}
    )


def _update(mapping: Mapping, line: Converted, entry: PlanLine, place: Existing) -> None:
    entry.place_id, entry.slug = place.id, place.slug
    entry.changes = changes(place, line)
    entry.add_external = bool(mapping.scheme and line.ident and not place.external)
    if place.external and line.ident and place.external != line.ident and mapping.scheme:
        entry.warnings.append(
            _("The place already has the id %(id)s in this register: kept.")
            % {"id": place.external}
        )
    if entry.add_external:
        entry.changes["external_id"] = (place.external, line.ident)
    entry.fields = {k: line.fields[k] for k in entry.changes if k in line.fields}
    entry.categories = line.categories if "categories" in entry.changes else None
    entry.action = Action.UPDATE if entry.changes else Action.UNCHANGED


def counts(lines: Iterable[PlanLine]) -> dict[str, int]:
    found = {str(action): 0 for action in Action}
    for line in lines:
        found[str(line.action)] += 1
    return found
