"""Activity benchmark: the monthly occupancy of 200 spaces over 12 months, 200,000 bookings.

One command: `.venv/bin/python bench/activity_bench.py [--postgres]`. The data set is the
bookings benchmark's (`bench/bookings_data.py`: 20 places of 10 spaces, a year of bookings
packed into their opening windows), in a temporary folder (SQLite) or a throwaway
PostgreSQL cluster (--postgres). Timed with `time.perf_counter` (warm-up runs discarded):

(a) `activity.queries.occupancy` for all 20 places and their 200 spaces, June 2026 to
    May 2027: opening windows in Python once per place-month, booked time per (space,
    month) in one SQL statement read from the covering index of blocking bookings
    (target ≤ 200 ms); with its CPU time in this process and, on PostgreSQL, in the server
    (read from /proc: same machine), which a loaded machine disturbs less than wall time;
(b) one place's whole "Activité" report (`activity.report.place_report`), as the page and
    the API compute it.

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bookings_bench import timed  # noqa: E402
from bench.bookings_data import analyse, seed  # noqa: E402
from bench.harness import in_throwaway_database, machine  # noqa: E402

LAST_MONTH = date(2027, 5, 1)  # the data runs from June 2026 to May 2027
TARGETS = {"a": 200.0, "b": 200.0}


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.db import connection

    from tierslieux.activity import queries, report
    from tierslieux.bookings.models import Booking
    from tierslieux.places.models import Place, Space

    began = time.perf_counter()
    seeded = seed(args.bookings, rng)
    analyse()
    if connection.vendor == "postgresql":
        # As autovacuum does after that many inserts (PostgreSQL 13+): the visibility map
        # lets the covering index answer alone, without a visit to the table per row.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {Booking._meta.db_table}")
    print(
        f"seeded {Space.objects.count()} spaces, {seeded['bookings']} bookings "
        f"in {time.perf_counter() - began:.0f} s on {connection.vendor}",
        file=sys.stderr,
        flush=True,
    )
    places = list(Place.objects.filter(network=seeded["network"]).order_by("pk"))
    found: dict[str, Any] = {}

    def network_year(_n: int) -> None:
        found["a"] = queries.occupancy(places, LAST_MONTH, 12)

    def one_report(n: int) -> None:
        found["b"] = report.place_report(places[n % len(places)], LAST_MONTH)

    results = {"a": timed(network_year, args.runs), "b": timed(one_report, args.runs)}
    results["a"]["server_cpu_ms"] = server_cpu(lambda: network_year(0), 10)
    figures = found["a"]
    spaces = sum(len(f.spaces) for f in figures.values())
    shares = [s for f in figures.values() for s in f.shares if s is not None]
    assert spaces == 200, spaces
    assert all(0 <= s <= 100 for s in shares), shares
    results["check"] = {
        "spaces": spaces,
        "place_months": len(shares),
        "place_share_min": str(min(shares)),
        "place_share_max": str(max(shares)),
    }
    return results


def server_cpu(fn: Callable[[], Any], runs: int) -> float | None:
    """The PostgreSQL backend's CPU milliseconds per call (its user + system ticks)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def ticks() -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    began = ticks()
    for _ in range(runs):
        fn()
    return round((ticks() - began) * 1000 / os.sysconf("SC_CLK_TCK") / runs, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measure")
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results, vendor = in_throwaway_database(
        args.postgres, "tl-activity-bench.", lambda: run(args, rng)
    )
    print(f"\n| measure ({vendor}) | median | p95 | min | CPU median | queries | target |")
    print("|---|---|---|---|---|---|---|")
    labels = {"a": "(a) occupancy, 200 spaces × 12 months", "b": "(b) one place's report"}
    for key, label in labels.items():
        r = results[key]
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | {r['queries']} | ≤ {TARGETS[key]:.0f} ms |"
        )
    if results["a"].get("server_cpu_ms") is not None:
        print(f"\n(a) PostgreSQL server CPU per call: {results['a']['server_cpu_ms']} ms")
    print(f"load average: {os.getloadavg()}")
    print(f"\ncheck: {results['check']}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"activity-{vendor}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
