"""The map of a 5,000-place network (about the national census's size), timed: the GeoJSON
of all places ≤ 200 ms, the map page interactive in the browser ≤ 1 s (issue 11).

One command: `.venv/bin/python bench/map_bench.py [--postgres] [--places 5000] [--runs 7]`.
Like the other benchmarks (bench/harness.py) it never touches var/tierslieux.sqlite3: a
temporary folder (SQLite) or a throwaway PostgreSQL cluster. It migrates, makes the places
with bulk_create (random points in mainland France, one to three categories each, 3 % without
coordinates), then:
- times GET /map/places.geojson (all places made anew, then kept for the next visitor, then a
  category, then a near search) and the map page's HTML through Django's test client
  (in-process: routing, view, queries, JSON), the median of `--runs`;
- serves the app on 127.0.0.1 (production settings, DEBUG off, WhiteNoise for the static
  files) and opens /map/ in Debian's headless Chromium, each run in a fresh context (cold
  cache, and the GeoJSON the view keeps forgotten), outside requests refused (the tiles: the
  page must not wait for them); "interactive" is `performance.now()` when the markers are on
  the map (`#map[data-ready-ms]`, set by map.js), counted from the navigation's start.
See docs/PERFORMANCE.md."""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Cluster, machine, setup_django  # noqa: E402

GEOJSON_TARGET_MS = 200
INTERACTIVE_TARGET_MS = 1000
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def make_places(count: int) -> None:
    """`count` places in one network, their categories, in a few bulk statements."""
    from tierslieux.places.models import Category, Network, Place

    rng = random.Random(11)
    network = Network.objects.create(name="Recensement national", slug="recensement")
    communes = [
        (f"Commune {n}", f"{rng.randint(1, 95):02d}{rng.randint(0, 999):03d}") for n in range(800)
    ]
    places = []
    for n in range(count):
        commune, postcode = rng.choice(communes)
        unlocated = rng.random() < 0.03
        places.append(
            Place(
                network=network,
                name=f"Tiers-lieu {n:05d}",
                slug=f"tiers-lieu-{n}",
                status=rng.choice(["open"] * 4 + ["project"]),
                postcode=postcode.replace("20", "21", 1) if postcode.startswith("20") else postcode,
                commune=commune,
                location_type=rng.choice([c for c, _ in Place.LocationType.choices]),
                legal_form="association",
                latitude=None if unlocated else round(rng.uniform(43.0, 50.9), 6),
                longitude=None if unlocated else round(rng.uniform(-4.4, 7.9), 6),
            )
        )
    Place.objects.bulk_create(places, batch_size=1000)
    categories = list(Category.objects.all())
    through = Place.categories.through
    links = [
        through(place_id=pk, category_id=c.pk)
        for pk in Place.objects.filter(network=network).values_list("pk", flat=True)
        for c in rng.sample(categories, rng.randint(1, 3))
    ]
    through.objects.bulk_create(links, batch_size=2000)


def timed(client: Any, url: str, runs: int, cold: bool = True) -> dict[str, Any]:
    """The median of `runs` requests; `cold`: the GeoJSON kept by the view forgotten first."""
    from django.core.cache import cache

    times, response = [], None
    for _ in range(runs):
        if cold:
            cache.clear()
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    assert response is not None and response.status_code == 200, (url, response)
    return {"median_ms": round(statistics.median(times), 1), "bytes": len(response.content)}


def serve() -> str:
    """The app on a free port of 127.0.0.1, in a daemon thread (stops with the process)."""
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = WSGIServer(("127.0.0.1", port), Quiet)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


def interactive(base: str, runs: int, expected: int) -> dict[str, Any]:
    """The map page's time to interactive in Chromium, each run in a fresh context."""
    import shutil

    from django.core.cache import cache
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    outside = re.compile(r"^https?://(?!127\.0\.0\.1)")
    ready = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for _ in range(runs):
            cache.clear()  # the server runs in this process: the GeoJSON made anew each run
            context = browser.new_context(locale="fr-FR")
            page = context.new_page()
            page.route(outside, lambda route: route.abort())
            page.goto(f"{base}/map/")
            page.wait_for_selector("#map[data-ready-ms]", timeout=30_000)
            markers = int(page.locator("#map").get_attribute("data-markers") or "0")
            assert markers == expected, (markers, expected)
            ready.append(float(page.locator("#map").get_attribute("data-ready-ms") or "nan"))
            context.close()
        browser.close()
    return {"median_ms": round(statistics.median(ready), 1), "runs_ms": ready}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--places", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()

    cluster = Cluster() if args.postgres else None
    var = Path(tempfile.mkdtemp(prefix="tl-bench-map."))
    engine = "postgresql" if cluster else "sqlite"
    try:
        setup_django(cluster.start() if cluster else None, var)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from tierslieux.places.models import Place

        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
        began = time.perf_counter()
        make_places(args.places)
        print(f"{args.places} places made in {time.perf_counter() - began:.1f} s")
        if cluster:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        located = Place.objects.exclude(latitude=None).count()
        client = Client()
        results: dict[str, Any] = {
            "geojson, all places": timed(client, "/map/places.geojson", args.runs),
            "geojson, all places, kept (another visitor)": timed(
                client, "/map/places.geojson", args.runs, cold=False
            ),
            "geojson, category=fablab": timed(
                client, "/map/places.geojson?category=fablab", args.runs
            ),
            "geojson, near (100 km)": timed(
                client, "/map/places.geojson?lat=46.5&lon=2.5&radius=100", args.runs
            ),
            "map page (HTML, first 50 of the list)": timed(client, "/map/", args.runs),
            "map page, near (100 km)": timed(
                client, "/map/?lat=46.5&lon=2.5&radius=100", args.runs
            ),
        }
        etag = client.get("/map/places.geojson")["ETag"]
        began = time.perf_counter()
        status = client.get("/map/places.geojson", HTTP_IF_NONE_MATCH=etag).status_code
        results["geojson revalidated (304)"] = {
            "median_ms": round((time.perf_counter() - began) * 1000, 1),
            "status": status,
        }
        if not args.no_browser:
            results["map page interactive in Chromium"] = interactive(serve(), args.runs, located)
        report(results, engine, args)
    finally:
        if cluster:
            cluster.stop()


def report(results: dict[str, Any], engine: str, args: Any) -> None:
    load = os.getloadavg()
    print(f"\n## The map of {args.places} places ({engine}), median of {args.runs}")
    print(f"(load average {load[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| what | median | size |\n|---|---:|---:|")
    for what, r in results.items():
        size = f"{r['bytes'] / 1024:,.0f} KiB" if "bytes" in r else ""
        print(f"| {what} | {r['median_ms']:,.1f} ms | {size} |")
    geojson = results["geojson, all places"]["median_ms"]
    print(f"\nGeoJSON of all places: {geojson} ms (target {GEOJSON_TARGET_MS} ms).")
    if "map page interactive in Chromium" in results:
        ready = results["map page interactive in Chromium"]["median_ms"]
        print(f"Map interactive: {ready} ms (target {INTERACTIVE_TARGET_MS} ms).")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"map-{engine}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(
        json.dumps(
            {
                "engine": engine,
                "places": args.places,
                "load_average": load,
                "machine": machine(),
                "results": results,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"figures: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
