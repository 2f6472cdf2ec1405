"""Census import benchmark: the national census's identity module, 5,000 lines (about the
census's size), target ≤ 5 s for the import.

One command: `.venv/bin/python bench/census_import_bench.py [--postgres] [--runs 3]`. The file
is generated as the census writes it (`;`, UTF-8 with a BOM, decimal comma, every field
quoted, one or two families per line joined with `;`, a fifth in project), by
`observatory/tests/census_files.py`. Each run imports it into a new network (5,000 places
already in the database per earlier run), timed with `time.perf_counter`:

(a) the upload's dry run (`import_services.upload`: read, map, compare with the database,
    validate each place as it would be saved, keep the file and the report);
(b) the import (`start` + the task's body `run`, immediate backend: the lines checked again,
    then 5,000 places, their categories, memberships, ids and audit entries in one
    transaction);
(c) the re-import of the same file into the network that now has the 5,000 places: its dry
    run and its import (every line unchanged);
(d) the whole upload as the administrator's browser does it (POST of the file, 302).

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import in_throwaway_database, machine  # noqa: E402

LINES = 5000
TARGET_MS = 5000.0


def _ms(began: float) -> float:
    return round((time.perf_counter() - began) * 1000, 1)


def _upload(admin: Any, network: Any, data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tierslieux.observatory import import_services

    return import_services.upload(
        actor=admin,
        network=network,
        mapping_name="bdtfl-2026",
        uploaded=SimpleUploadedFile("bdftl-2026-01-fiche-identite.csv", data),
    )


def _apply(admin: Any, census_import: Any) -> Any:
    from tierslieux.observatory import import_services

    census_import, _new = import_services.start(actor=admin, census_import=census_import)
    import_services.run(census_import.pk)
    census_import.refresh_from_db()
    assert census_import.status == "done", census_import.error
    return census_import


def run(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client

    from tierslieux.observatory.tests import census_files
    from tierslieux.places.models import Place
    from tierslieux.places.tests import factories as pf

    size = len(census_files.census(args.lines))
    print(f"{size // 1024} KB, {args.lines} lines, {connection.vendor}", file=sys.stderr)
    times: dict[str, list[float]] = {"a": [], "b": [], "c_dry": [], "c_import": [], "d": []}
    counts: dict[str, Any] = {}
    for n in range(args.runs):
        # Each run its own census ids: another run's would be places of another network.
        data = census_files.census(args.lines, prefix=f"R{n}-")
        network = pf.network(name=f"Banc {n}", slug=f"banc-{n}")
        admin = pf.network_admin(network)

        began = time.perf_counter()
        first = _upload(admin, network, data)
        times["a"].append(_ms(began))
        began = time.perf_counter()
        done = _apply(admin, first)
        times["b"].append(_ms(began))
        counts["first"] = done.report["counts"]
        began = time.perf_counter()
        second = _upload(admin, network, data)
        times["c_dry"].append(_ms(began))
        began = time.perf_counter()
        again = _apply(admin, second)
        times["c_import"].append(_ms(began))
        counts["again"] = again.report["counts"]
        client = Client(HTTP_HOST="localhost")
        client.force_login(admin)
        began = time.perf_counter()
        response = client.post(
            f"/network/{network.slug}/imports/",
            {"mapping": "bdtfl-2026", "file": SimpleUploadedFile("census.csv", data)},
        )
        times["d"].append(_ms(began))
        assert response.status_code == 302, response.status_code
        print(f"run {n}: {[v[-1] for v in times.values()]} ms", file=sys.stderr, flush=True)
    assert Place.objects.count() == args.lines * args.runs
    return {
        "lines": args.lines,
        "bytes": size,
        "times_ms": times,
        "median_ms": {k: round(statistics.median(v), 1) for k, v in times.items()},
        "counts": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=LINES)
    args = parser.parse_args()
    results, vendor = in_throwaway_database(args.postgres, "tl-import-bench.", lambda: run(args))
    labels = {
        "a": f"(a) dry run of {args.lines} new lines (upload)",
        "b": f"(b) import: {args.lines} places created",
        "c_dry": "(c) re-import: dry run, all unchanged",
        "c_import": "(c) re-import: import, all unchanged",
        "d": "(d) upload page, POST to 302",
    }
    print(f"\n| measure ({vendor}) | median | runs | target |")
    print("|---|---|---|---|")
    for key, label in labels.items():
        runs = ", ".join(f"{t:.0f}" for t in results["times_ms"][key])
        print(f"| {label} | {results['median_ms'][key]:.0f} ms | {runs} | ≤ {TARGET_MS:.0f} ms |")
    print(f"load average: {os.getloadavg()}")
    print(f"counts: {results['counts']}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"census-import-{vendor}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
