"""Build the communes reference `tierslieux/places/data/` from the official open data.

Source: the npm package `@etalab/decoupage-administratif` (data: Licence Ouverte 2.0, code:
MIT), which compiles the INSEE Code officiel géographique, the DGCL's list of EPCI à
fiscalité propre and La Poste's base officielle des codes postaux. Version 6.0.0 is the 2026
vintage (millésime). To rebuild:

    cd "$(mktemp -d)" && npm pack @etalab/decoupage-administratif@6.0.0
    tar xzf etalab-decoupage-administratif-6.0.0.tgz
    .venv/bin/python scripts/build_communes.py "$PWD/package"

It writes three files, `;`-separated UTF-8, gzip-compressed without a timestamp (the same
input gives the same bytes):

- `communes.csv.gz`: code;nom;departement;codes_postaux;epci;autres_noms — every current
  commune (INSEE code, name, département, its postcodes space-separated, the SIREN of its EPCI
  or "" for the few outside any), and the other names a place may give for it, `|`-separated:
  its communes déléguées and associées (the communes it absorbed) and its arrondissements
  municipaux (Paris, Lyon, Marseille) with their postcode after a `@` ("Paris 11e
  Arrondissement@75011").
- `epci.csv.gz`: siren;nom;type — the EPCI à fiscalité propre (CC, CA, CU, METRO, MET69).
- `departements.csv.gz`: code;nom.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tierslieux" / "places" / "data"


def _load(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / "data" / name).read_text(encoding="utf-8"))


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(buffer.getvalue().encode("utf-8"))
    print(f"{path.name}: {len(rows)} rows, {path.stat().st_size // 1024} KiB", file=sys.stderr)


def build(folder: Path, out: Path) -> None:
    communes = _load(folder, "communes.json")
    epcis = _load(folder, "epci.json")
    epci_of: dict[str, str] = {}
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] in epci_of:
                raise SystemExit(f"{member['code']} belongs to two EPCI")
            epci_of[member["code"]] = epci["code"]
    current = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    aliases: dict[str, list[str]] = {code: [] for code in current}
    for row in communes:
        if row["type"] in ("commune-deleguee", "commune-associee"):
            parent = current.get(row.get("chefLieu", ""))
            if parent and row["nom"] != parent["nom"]:
                aliases[parent["code"]].append(row["nom"])
        elif row["type"] == "arrondissement-municipal":
            for postcode in row.get("codesPostaux", []):
                aliases[row["commune"]].append(f"{row['nom']}@{postcode}")
    rows = [
        [
            code,
            c["nom"],
            c["departement"],
            " ".join(sorted(set(c.get("codesPostaux", [])))),
            epci_of.get(code, ""),
            "|".join(sorted(set(aliases[code]))),
        ]
        for code, c in sorted(current.items())
    ]
    out.mkdir(parents=True, exist_ok=True)
    _write(
        out / "communes.csv.gz",
        ["code", "nom", "departement", "codes_postaux", "epci", "autres_noms"],
        rows,
    )
    _write(
        out / "epci.csv.gz",
        ["siren", "nom", "type"],
        [[e["code"], e["nom"], e["type"]] for e in sorted(epcis, key=lambda e: e["code"])],
    )
    departements = _load(folder, "departements.json")
    _write(
        out / "departements.csv.gz",
        ["code", "nom"],
        [[d["code"], d["nom"]] for d in sorted(departements, key=lambda d: d["code"])],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package (its data/)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    build(args.package, args.out)


if __name__ == "__main__":
    main()
