"""Statistics benchmark: a network's statistics page for 5,000 places (the national census's
size), target ≤ 300 ms.

One command: `.venv/bin/python bench/statistics_bench.py [--postgres]`. The data set: the
bookings benchmark's 20 places that run on tierslieux (`bench/bookings_data.py`: 10 spaces
each, opening hours, a year of bookings; a coordinator and fundings added here), and 4,980
census places in the same network (bulk_create), their technical sheets drawn at random
(status, categories, location type, legal form, surface, funding shares, opening year,
postcodes across France, Corsica, overseas and Belgium). Timed with `time.perf_counter`
(warm-up runs discarded):

(a) the whole page as a superuser gets it (`/network/banc/statistics/`, last 12 months):
    the census tables, the running places' figures, the SVG charts, the template;
(b) the census tables alone (`observatory.statistics.network_statistics`);
(c) the running places' figures alone (`observatory.figures.network_figures`);
(d) the whole page filtered on one EPCI (`--epci`, the Métropole du Grand Paris by default:
    `?epci=200054781`), the places found in SQL by their (postcode, commune name key);
(e) the census tables alone for that EPCI.

The census places' communes are real: the name of a commune of their postcode in the
communes reference (`places/communes.py`), written as people write it (upper case, "St"
for "Saint", no hyphens) for a third of them, and a name unknown to the reference for 5 %.

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bookings_bench import timed  # noqa: E402
from bench.bookings_data import PARIS, analyse, seed  # noqa: E402
from bench.harness import in_throwaway_database, machine  # noqa: E402

PLACES = 5000
TODAY = datetime(2027, 5, 31, 12, tzinfo=PARIS)  # the end of the bookings' year
TARGETS = {"a": 300.0, "b": 300.0, "c": 300.0, "d": 300.0, "e": 300.0}
GRAND_PARIS = "200054781"
POSTCODES = ["59000", "59100", "69001", "75011", "13001", "33000", "20000", "20200", "97400"]
POSTCODES += ["97100", "35000", "44000", "67000", "31000", "34000", "11100", "29200"]
POSTCODES += ["93200", "92100", "94200", "75018", "11110", "42000"]


def commune_name(postcode: str, rng: random.Random) -> str:
    """A real commune of the postcode, as a census writes it, or now and then a wrong one."""
    from tierslieux.places import communes

    found = communes.communes_for(postcode, "")
    if not found or rng.random() < 0.05:
        return f"Commune {rng.randint(1, 400)}"
    name = rng.choice(found).name
    if rng.random() < 0.33:
        name = name.upper().replace("SAINT-", "ST ").replace("-", " ")
    return name


def census(network: Any, count: int, rng: random.Random) -> None:
    """`count` census places with random sheets, and their categories, by bulk_create."""
    from tierslieux.places.models import Category, Place

    categories = list(Category.objects.values_list("pk", flat=True))
    rows = []
    for n in range(count):
        belgian = rng.random() < 0.02
        postcode = str(rng.randint(1000, 1200)) if belgian else rng.choice(POSTCODES)
        public = rng.choice([None, 0, 10, 30, 50, 80, 100])
        rows.append(
            Place(
                network=network,
                name=f"Lieu recensé {n}",
                slug=f"recense-{n}",
                status=rng.choice(["open", "open", "open", "project"]),
                postcode=postcode,
                commune=f"Commune {rng.randint(1, 400)}"
                if belgian
                else commune_name(postcode, rng),
                country="BE" if belgian else "FR",
                location_type=rng.choice(Place.LocationType.values),
                legal_form=rng.choice(Place.LegalForm.values),
                surface_m2=rng.choice([None, rng.randint(30, 3000)]),
                opening_date=rng.choice([None, date(rng.randint(2000, 2026), 1, 1)]),
                operation_public_share=public,
                operation_private_share=None if public is None else 100 - public,
            )
        )
    created = Place.objects.bulk_create(rows, batch_size=1000)
    through = Place.categories.through
    through.objects.bulk_create(
        (
            through(place_id=place.pk, category_id=category)
            for place in created
            for category in rng.sample(categories, rng.randint(1, 2))
        ),
        batch_size=5000,
    )


def running(network: Any, rng: random.Random) -> None:
    """A coordinator and a year of fundings for each of the 20 places with bookings."""
    from tierslieux.accounts.models import Person
    from tierslieux.billing.models import Funding
    from tierslieux.places.models import PlaceRole

    places = list(network.places.all())
    people = Person.objects.bulk_create(
        Person(first_name="Coordination", last_name=f"{n}", email=f"coord{n}@example.org")
        for n in range(len(places))
    )
    PlaceRole.objects.bulk_create(
        PlaceRole(place=place, person=person, role="coordinator")
        for place, person in zip(places, people, strict=True)
    )
    Funding.objects.bulk_create(
        Funding(
            place=place,
            funder="Région",
            public=rng.random() < 0.6,
            amount=Decimal(rng.randint(100, 5000)),
            received_on=date(2026 + (month < 6), month, 15),
        )
        for place in places
        for month in range(1, 13)
    )


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tierslieux.accounts.models import User
    from tierslieux.core import clock
    from tierslieux.observatory import figures, statistics
    from tierslieux.places.models import Place

    began = time.perf_counter()
    seeded = seed(args.bookings, rng)
    network = seeded["network"]
    running(network, rng)
    census(network, args.places - network.places.count(), rng)
    analyse()
    print(
        f"seeded {Place.objects.filter(network=network).count()} places, "
        f"{seeded['bookings']} bookings in {time.perf_counter() - began:.0f} s "
        f"on {connection.vendor}",
        file=sys.stderr,
        flush=True,
    )
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
    clock.freeze(TODAY)
    admin = User.objects.create_superuser("bench-admin@example.org", None)
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    url = f"/network/{network.slug}/statistics/"
    territory = statistics.Territory()
    period = statistics.parse_period("", clock.today())
    found: dict[str, Any] = {}

    def page(_n: int) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        found["a"] = response.content

    def tables(_n: int) -> None:
        found["b"] = statistics.network_statistics(network, territory)

    epci_territory = statistics.Territory(epci=args.epci)

    def epci_page(_n: int) -> None:
        response = client.get(url, {"epci": args.epci})
        assert response.status_code == 200, response.status_code
        found["d"] = response.content

    def epci_tables(_n: int) -> None:
        found["e"] = statistics.network_statistics(network, epci_territory)

    def app_figures(_n: int) -> None:
        found["c"] = figures.network_figures(statistics.places_of(network, territory), period)

    if os.environ.get("PROFILE"):  # each statement's time, slowest first
        from django.test.utils import CaptureQueriesContext

        app_figures(0)
        with CaptureQueriesContext(connection) as captured:
            app_figures(0)
            tables(0)
        for query in sorted(captured, key=lambda q: -float(q["time"]))[:8]:
            print(query["time"], query["sql"][:300], file=sys.stderr)
    results = {
        "a": timed(page, args.runs),
        "b": timed(tables, args.runs),
        "c": timed(app_figures, args.runs),
        "d": timed(epci_page, args.runs),
        "e": timed(epci_tables, args.runs),
    }
    stats, (count, app) = found["b"], found["c"]
    assert stats.places == args.places, stats.places
    assert count == 20, count
    results["check"] = {
        "places": stats.places,
        "running": count,
        "page_kb": round(len(found["a"]) / 1024),
        "svg_charts": found["a"].count(b"<svg"),
        "activity": [row[:2] for row in app[0].rows],
        "occupancy": app[1].rows[0],
        "epci_places": found["e"].places,
        "epci_named": epci_territory.label().encode() in found["d"],
        "per_epci": next(t.rows[:4] for t in stats.tables if t.key == "epcis"),
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per measure")
    parser.add_argument("--places", type=int, default=PLACES)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--epci", default=GRAND_PARIS, help="the SIREN of (d) and (e)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results, vendor = in_throwaway_database(
        args.postgres, "tl-statistics-bench.", lambda: run(args, rng)
    )
    print(f"\n| measure ({vendor}) | median | p95 | min | CPU median | queries | target |")
    print("|---|---|---|---|---|---|---|")
    labels = {
        "a": f"(a) statistics page, {args.places} places",
        "b": "(b) census tables",
        "c": "(c) figures of the 20 running places",
        "d": f"(d) statistics page, EPCI {args.epci}",
        "e": f"(e) census tables, EPCI {args.epci}",
    }
    for key, label in labels.items():
        r = results[key]
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | {r['queries']} | ≤ {TARGETS[key]:.0f} ms |"
        )
    print(f"load average: {os.getloadavg()}")
    print(f"\ncheck: {results['check']}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"statistics-{vendor}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
