"""The French communes reference: INSEE code, name, postcodes, département and EPCI of every
commune, read from the files in `places/data/` (Licence Ouverte, see its README).

Places carry a postcode and a commune's name, never an INSEE code: a place is found in the
reference by the pair (postcode, name key). The name key folds the name as `core.search.fold`
does (case, accents, ligatures), drops spaces, hyphens, apostrophes and dots and writes
"saint" as "st", so "St-Étienne", "saint etienne" and "Saint-Étienne" are one key. Communes
absorbed into a commune nouvelle (communes déléguées, associées) and the arrondissements of
Paris, Lyon and Marseille ("Paris 11e Arrondissement", "Paris 11e", "Paris 11") are other
names of their commune. The same key is computed in SQL by
`observatory.territory.name_key_sql`: keep them together.

Loaded once per process (about 0.2 s, ~30,000 communes), then every look-up is a dict look-up.
Pure: no database.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from tierslieux.core.search import ACCENTED, LIGATURES, PLAIN

DATA = Path(__file__).resolve().parent / "data"
VINTAGE = 2026  # the millésime of the Code officiel géographique and of the EPCI list
SEPARATORS = (" ", "-", "'", "’", ".")
SAINT = ("saint", "st")
SIREN = re.compile(r"^\d{9}$")
_ARRONDISSEMENT = re.compile(r"^(.*?)(\d+)(er|e)arrondissement$")


# `core.search.fold` (accents, ligatures) and the separators' removal in one table.
_KEY_TABLE = str.maketrans(
    {
        **dict(zip(ACCENTED, PLAIN, strict=True)),
        **dict(LIGATURES),
        **dict.fromkeys(SEPARATORS),
    }
)


def name_key(name: str | None) -> str:
    """A commune's name as it is compared: folded as `core.search.fold` folds (case, accents,
    ligatures), without separators, "saint" as "st"."""
    return (name or "").translate(_KEY_TABLE).lower().replace(*SAINT)


class Commune(NamedTuple):
    code: str  # INSEE code ("11262", "2A004")
    name: str
    departement: str
    postcodes: tuple[str, ...]
    epci: str  # the SIREN of its EPCI, "" for the few communes outside any (islands, COM)


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str  # CC, CA, CU, METRO, MET69
    members: tuple[str, ...]  # INSEE codes of its communes

    def communes(self) -> list[Commune]:
        """Its member communes, by name."""
        found = [reference().communes[code] for code in self.members]
        return sorted(found, key=lambda c: (name_key(c.name), c.code))

    @property
    def departements(self) -> tuple[str, ...]:
        return tuple(sorted({reference().communes[code].departement for code in self.members}))


@dataclass
class Reference:
    communes: dict[str, Commune]
    epcis: dict[str, Epci]
    departements: dict[str, str]  # code → name
    by_pair: dict[tuple[str, str], tuple[str, ...]]  # (postcode, name key) → INSEE codes
    by_postcode: dict[str, tuple[str, ...]]
    by_key: dict[str, tuple[str, ...]]
    epcis_by_departement: dict[str, tuple[str, ...]]


def _rows(name: str) -> list[list[str]]:
    """A data file's rows, without its header."""
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.reader(io.StringIO(handle.read()), delimiter=";"))[1:]


def _alias_keys(alias: str) -> tuple[str, list[str]]:
    """An other name's keys and the postcode it is limited to ("" for all of the commune's):
    an arrondissement is also written without "Arrondissement" and without its suffix."""
    name, _at, postcode = alias.partition("@")
    key = name_key(name)
    keys = [key]
    match = _ARRONDISSEMENT.match(key)
    if match:
        base, number, suffix = match.groups()
        keys += [f"{base}{number}{suffix}", f"{base}{number}"]
    return postcode, keys


def _add(index: defaultdict[tuple[str, str], list[str]], postcode: str, key: str, code: str):
    codes = index[(postcode, key)]
    if code not in codes:
        codes.append(code)


@cache
def reference() -> Reference:
    """The whole reference, read once per process."""
    communes: dict[str, Commune] = {}
    pairs: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    by_postcode: defaultdict[str, list[str]] = defaultdict(list)
    by_key: defaultdict[str, list[str]] = defaultdict(list)
    members: defaultdict[str, list[str]] = defaultdict(list)
    for code, name, departement, postcode_list, siren, others in _rows("communes.csv.gz"):
        postcodes = tuple(postcode_list.split())
        communes[code] = Commune(code, name, departement, postcodes, siren)
        if siren:
            members[siren].append(code)
        key = name_key(name)
        by_key[key].append(code)
        for postcode in postcodes:
            by_postcode[postcode].append(code)
            pairs[(postcode, key)].append(code)
        for alias in filter(None, others.split("|")):
            only, alias_keys = _alias_keys(alias)
            for other in alias_keys:
                if code not in by_key[other]:
                    by_key[other].append(code)
                for postcode in (only,) if only else postcodes:
                    _add(pairs, postcode, other, code)
    epcis = {
        siren: Epci(siren, name, kind, tuple(members[siren]))
        for siren, name, kind in _rows("epci.csv.gz")
    }
    by_departement: defaultdict[str, set[str]] = defaultdict(set)
    for epci in epcis.values():
        for code in epci.members:
            by_departement[communes[code].departement].add(epci.siren)
    return Reference(
        communes=communes,
        epcis=epcis,
        departements=dict(_rows("departements.csv.gz")),
        by_pair={pair: tuple(codes) for pair, codes in pairs.items()},
        by_postcode={postcode: tuple(codes) for postcode, codes in by_postcode.items()},
        by_key={key: tuple(codes) for key, codes in by_key.items()},
        epcis_by_departement={
            code: tuple(sorted(sirens, key=lambda s: name_key(epcis[s].name)))
            for code, sirens in by_departement.items()
        },
    )


def normal_postcode(postcode: str | None) -> str:
    return (postcode or "").replace(" ", "").strip()


def communes_for(postcode: str | None, name: str | None) -> list[Commune]:
    """The communes a (postcode, name) pair designates. With both, the name decides among the
    postcode's communes (none when it is not one of them); a postcode alone gives all its
    communes (several communes often share one); a name alone, every commune of that name."""
    ref = reference()
    postcode, key = normal_postcode(postcode), name_key(name)
    if postcode and key:
        codes = ref.by_pair.get((postcode, key), ())
    elif postcode:
        codes = ref.by_postcode.get(postcode, ())
    else:
        codes = ref.by_key.get(key, ()) if key else ()
    return [ref.communes[code] for code in codes]


def epci_of(postcode: str | None, commune: str | None) -> tuple[str, str] | None:
    """(SIREN, name) of the EPCI of the commune a place gives, or None when the pair designates
    no commune, communes of different EPCIs, or a commune outside any EPCI."""
    sirens = {c.epci for c in communes_for(postcode, commune)}
    if len(sirens) != 1 or not (siren := sirens.pop()):
        return None
    return siren, reference().epcis[siren].name


def epci(siren: str) -> Epci | None:
    return reference().epcis.get(siren.strip())


def epcis_of_departement(code: str) -> list[Epci]:
    """The EPCIs having at least one commune in the département, by name (an EPCI may
    straddle two départements)."""
    ref = reference()
    return [ref.epcis[siren] for siren in ref.epcis_by_departement.get(code.strip().upper(), ())]


def departement_name(code: str) -> str:
    return reference().departements.get(code, "")


@cache
def epci_pairs(siren: str) -> frozenset[str]:
    """Every "postcode:name key" that designates communes of this EPCI and no other: what the
    SQL filter compares a place's postcode and folded commune with. "postcode:" (no name)
    when all the postcode's communes belong to the EPCI."""
    ref = reference()
    found = ref.epcis.get(siren)
    if found is None:
        return frozenset()
    postcodes = {p for code in found.members for p in ref.communes[code].postcodes}
    pairs = set()
    for (postcode, key), codes in ref.by_pair.items():
        if postcode in postcodes and all(ref.communes[c].epci == siren for c in codes):
            pairs.add(f"{postcode}:{key}")
    for postcode in postcodes:
        if all(ref.communes[c].epci == siren for c in ref.by_postcode[postcode]):
            pairs.add(f"{postcode}:")
    return frozenset(pairs)
