"""Open-data benchmark: the CSV and GeoJSON of 5,000 places (about the national census).

One command: `.venv/bin/python bench/opendata_bench.py [--postgres] [--places 5000]`. The
places are seeded in a temporary folder (SQLite) or a throwaway PostgreSQL cluster: two
networks, one to three categories each, 90 % with coordinates and a SIRET, weekly hours on
five days (two spans on Mondays), an exception on one place in ten. Timed with
`time.perf_counter` (warm-up runs discarded), the whole answer as the client receives it
(`django.test.Client`: URL, middleware, view, four queries, serialisation):

(a) `/open-data/places.csv` (Table Schema "Lieux de médiation numérique");
(b) `/open-data/places.geojson` (target ≤ 200 ms, the issue's GeoJSON of all places);
(c) `/open-data/places.gogocarto.json`.

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import date
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bookings_bench import timed  # noqa: E402
from bench.harness import in_throwaway_database, machine  # noqa: E402

TARGETS = {"a": None, "b": 200.0, "c": None}
URLS = {
    "a": "/open-data/places.csv",
    "b": "/open-data/places.geojson",
    "c": "/open-data/places.gogocarto.json",
}


def seed(count: int, rng: random.Random) -> None:
    """`count` places in bulk: the census's size, without the services' per-row checks."""
    from tierslieux.places.models import (
        Category,
        Network,
        OpeningException,
        OpeningHours,
        Place,
    )

    networks = [
        Network.objects.create(name="Réseau régional", slug="region"),
        Network.objects.create(name="Réseau métropolitain", slug="metropole"),
    ]
    categories = list(Category.objects.all())
    places = [
        Place(
            network=networks[n % 2],
            name=f"Tiers-lieu {n:05d}",
            slug=f"tiers-lieu-{n:05d}",
            description="Un lieu ouvert : coworking, atelier, café. " * rng.randint(1, 8),
            status=Place.Status.OPEN if rng.random() < 0.8 else Place.Status.PROJECT,
            address=f"{rng.randint(1, 200)} rue de la République",
            postcode=f"{rng.randint(1, 95):02d}{rng.randint(0, 999):03d}",
            commune=f"Commune {n % 700}",
            latitude=Decimal(f"{rng.uniform(42.5, 50.9):.6f}") if rng.random() < 0.9 else None,
            longitude=Decimal(f"{rng.uniform(-4.5, 7.9):.6f}"),
            location_type=rng.choice(Place.LocationType.values),
            legal_form=rng.choice(Place.LegalForm.values),
            siret="55210055400013" if rng.random() < 0.9 else "",
            email=f"contact{n}@lieu.example",
            phone="04 68 00 00 00",
            website=f"https://lieu{n}.example/",
        )
        for n in range(count)
    ]
    Place.objects.bulk_create(places, batch_size=1000)
    ids = list(Place.objects.order_by("pk").values_list("pk", flat=True))
    through = Place.categories.through
    through.objects.bulk_create(
        [
            through(place_id=pk, category_id=c.pk)
            for pk in ids
            for c in rng.sample(categories, rng.randint(1, 3))
        ],
        batch_size=2000,
    )
    hours = []
    for pk in ids:
        hours.append(
            OpeningHours(place_id=pk, weekday=0, opens=clock_time(14), closes=clock_time(18))
        )
        for day in range(5):
            hours.append(
                OpeningHours(place_id=pk, weekday=day, opens=clock_time(9), closes=clock_time(12))
            )
    OpeningHours.objects.bulk_create(hours, batch_size=2000)
    OpeningException.objects.bulk_create(
        [
            OpeningException(place_id=pk, start_date=date(2026, 8, 1), end_date=date(2026, 8, 15))
            for pk in ids[::10]
        ]
    )


def count_queries(call: Any) -> int:
    from django.db import connection

    statements: list[str] = []

    def wrapper(execute: Any, sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    with connection.execute_wrapper(wrapper):
        call(0)
    return len(statements)


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    began = time.perf_counter()
    seed(args.places, rng)
    print(
        f"seeded {args.places} places in {time.perf_counter() - began:.0f} s on "
        f"{connection.vendor}",
        file=sys.stderr,
        flush=True,
    )
    client = Client()
    found: dict[str, Any] = {}

    def fetch(key: str) -> Any:
        def call(_n: int) -> None:
            response = client.get(URLS[key])
            assert response.status_code == 200, response.status_code
            found[key] = response.content

        return call

    results: dict[str, Any] = {key: timed(fetch(key), args.runs) for key in URLS}
    for key in URLS:  # the test client closes the connection a capture would watch: count here
        results[key]["queries"] = count_queries(fetch(key))
    csv_lines = found["a"].decode().count("\r\n") - 1
    features = json.loads(found["b"])["features"]
    elements = json.loads(found["c"])["data"]
    assert len(features) == len(elements) == args.places
    results["check"] = {
        "csv_rows": csv_lines,
        "features": len(features),
        "located": sum(1 for f in features if f["geometry"]),
        "sizes_kb": {k: round(len(v) / 1024) for k, v in found.items()},
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per measure")
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def work() -> dict[str, Any]:
        from django.conf import settings

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        return run(args, rng)

    results, vendor = in_throwaway_database(args.postgres, "tl-opendata-bench.", work)
    head = f"measure ({vendor}, {args.places} places)"
    print(f"\n| {head} | median | p95 | min | CPU median | queries | target |")
    print("|---|---|---|---|---|---|---|")
    labels = {"a": "(a) CSV, Table Schema", "b": "(b) GeoJSON", "c": "(c) GoGoCarto JSON"}
    for key, label in labels.items():
        r = results[key]
        target = f"≤ {TARGETS[key]:.0f} ms" if TARGETS[key] else "—"
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | {r['queries']} | {target} |"
        )
    print(f"\n{results['check']}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    path = out / f"opendata-{vendor}-{stamp}.json"
    path.write_text(json.dumps({"machine": machine(), "results": results}, indent=2, default=str))
    print(f"figures: {path}")


if __name__ == "__main__":
    main()
