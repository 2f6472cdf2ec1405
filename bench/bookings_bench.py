"""Bookings benchmark at network scale: 200 spaces in 20 places, 200,000 bookings over a year.

One command: `.venv/bin/python bench/bookings_bench.py [--postgres]`. It never touches
var/tierslieux.sqlite3: it works in a temporary folder (SQLite) or in a throwaway PostgreSQL
cluster it starts and removes itself (--postgres). It migrates, seeds, then times with
`time.perf_counter` (a few warm-up runs discarded, then `--runs` runs; median and p95):

(a) the spaces of the network holding 8 people free for a 2-hour slot (`queries.free_spaces`);
(b) the free intervals of all 200 spaces over a week (`queries.week_free_intervals` per place);
(c) one booking created in-process with its conflict check (`services.create_booking`), with
    its CPU time and its statements; `--baseline-c MS` (the old commit's median, measured in
    the same minute: see docs/PERFORMANCE.md) sets its target to half that;
(d) PostgreSQL only: 8 writer threads creating bookings for ~10 s, as a ratio to
    `pgbench -b simple-update -c 8 -T 10` run just before on the same cluster.

It ends with the SQL breach checks of tests/test_concurrency_postgres.py (no overlap on an
exclusive space, no instant above a multi-unit space's units), prints a Markdown table and
writes the figures as JSON under var/bench/. See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `tests` holds the breach queries shared with the test suite

from bench.bookings_data import BOOKABLE_BY_MEMBERS, NOW, PARIS, analyse, seed  # noqa: E402
from bench.harness import Cluster, machine, setup_django  # noqa: E402

TARGETS = {"a": ("≤", 20), "b": ("≤", 100), "b2": ("≤", 100), "c": ("≤", 10), "d": ("≥", 0.03)}


def timed(fn: Callable[[int], Any], runs: int, warmup: int = 3) -> dict[str, Any]:
    """Milliseconds per call of fn(run number): warm-up calls first, then `runs` timed ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(warmup):
        fn(n)
    with CaptureQueriesContext(connection) as queries:
        fn(warmup)
    times, cpu = [], []
    for n in range(warmup + 1, warmup + 1 + runs):
        began, began_cpu = time.perf_counter(), time.thread_time()
        fn(n)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        times.append((time.perf_counter() - began) * 1000)
    ranked = sorted(times)
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(ranked[math.ceil(0.95 * len(ranked)) - 1], 2),
        "min_ms": round(ranked[0], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "queries": len(queries),
        "statements": [q["sql"][:120] for q in queries.captured_queries],
    }


def free_slots_pool(members: dict[int, int], rng: random.Random) -> list[tuple[int, Any, Any]]:
    """Free one-hour slots of the spaces members book themselves, pairwise apart by at least
    the space's buffer, from 7 December on: every one of them can be booked, once."""
    from tierslieux.bookings import queries
    from tierslieux.bookings.models import rules_of
    from tierslieux.places.models import Space

    pool = []
    spaces = Space.objects.filter(place_id__in=members, kind__in=BOOKABLE_BY_MEMBERS)
    for space in spaces.select_related("place", "booking_rules"):
        buffer = timedelta(minutes=rules_of(space).buffer_minutes)
        last_end = None
        for slot in queries.space_slots(space, date(2026, 12, 7), timedelta(hours=1), NOW, days=42):
            if last_end is None or slot.start >= last_end + buffer:
                pool.append((space.pk, slot.start, slot.end))
                last_end = slot.end
    rng.shuffle(pool)
    return pool


def fresh(space_pk: int, members: dict[int, int]) -> tuple[Any, Any]:
    """The space and its place's member as a request loads them: no cache from an earlier one
    (the service reads the rules and the member's roles itself)."""
    from tierslieux.accounts.models import User
    from tierslieux.places.models import Space

    space = Space.objects.select_related("place").get(pk=space_pk)
    return space, User.objects.select_related("person").get(pk=members[space.place_id])


def book(space_pk: int, start: Any, end: Any, members: dict[int, int]) -> bool:
    """One booking as a request would make it: load the space and the user, call the service."""
    from tierslieux.bookings import services

    space, actor = fresh(space_pk, members)
    try:
        services.create_booking(actor=actor, space=space, start=start, end=end, now=NOW)
    except services.BookingConflict:
        return False
    return True


def _write(take: Callable[[], Any], members: dict[int, int], go: Any, seconds: float) -> dict:
    """One writer on its own connection: connect, wait for `go`, then book the slots `take`
    gives for `seconds`; returns its counts."""
    from django.db import connection, connections

    counts: dict[str, Any] = {"created": 0, "conflicts": 0, "errors": 0, "first_errors": []}
    try:
        connection.ensure_connection()
        go.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and (slot := take()) is not None:
            try:
                counts["created" if book(*slot, members) else "conflicts"] += 1
            except Exception as error:
                counts["errors"] += 1
                counts["first_errors"] = [*counts["first_errors"], repr(error)][:3]
    finally:
        connections.close_all()
    return counts


def _summary(parts: list[dict], elapsed: float, **extra: Any) -> dict[str, Any]:
    total = {k: sum(p[k] for p in parts) for k in ("created", "conflicts", "errors")}
    return {
        **total,
        **extra,
        "seconds": round(elapsed, 2),
        "per_second": round(total["created"] / elapsed, 1),
        "first_errors": [e for p in parts for e in p["first_errors"]][:3],
    }


def writer_threads(pool: list, members: dict[int, int], n: int, seconds: float) -> dict:
    """`n` writer threads of this process, released together, share one pool of slots."""
    slots, lock, go = deque(pool), threading.Lock(), threading.Barrier(n + 1)
    parts: list[dict] = []

    def take() -> Any:
        with lock:
            return slots.popleft() if slots else None

    def run() -> None:
        parts.append(_write(take, members, go, seconds))

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    go.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return _summary(parts, time.perf_counter() - began, threads=n)


def writer_processes(pool: list, members: dict[int, int], n: int, seconds: float) -> dict:
    """`n` writer processes (forked, as a server's workers are), each with a share of the
    slots: what the interpreter lock hides from threads, both cores at work."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    fork = multiprocessing.get_context("fork")
    go, out = fork.Barrier(n + 1), fork.Queue()

    def run(share: list) -> None:
        out.put(_write(deque(share).popleft if share else lambda: None, members, go, seconds))

    shares = [pool[i::n] for i in range(n)]
    children = [fork.Process(target=run, args=(share,)) for share in shares]
    for child in children:
        child.start()
    go.wait()
    began = time.perf_counter()
    parts = [out.get() for _ in children]
    elapsed = time.perf_counter() - began
    for child in children:
        child.join()
    return _summary(parts, elapsed, processes=n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per measure (≥ 30)")
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of (d)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--baseline-c",
        type=float,
        help="(c)'s median on the old commit, measured in the same minute: the target is half",
    )
    parser.add_argument("--only-c", action="store_true", help="(c) alone (and (d) on PostgreSQL)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="tl-bench."))
    cluster = Cluster() if args.postgres else None
    try:
        url = cluster.start() if cluster else None
        setup_django(url, work)
        run(args, rng, cluster)
    finally:
        from django.db import connections

        connections.close_all()
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, rng: random.Random, cluster: Cluster | None) -> None:
    from django.db import connection

    from tierslieux.bookings import queries, services
    from tierslieux.places.models import Place, Space

    began = time.perf_counter()
    seeded = seed(args.bookings, rng)
    analyse()
    seed_seconds = time.perf_counter() - began
    network, members = seeded["network"], seeded["members"]
    places = Place.objects.filter(network=network)
    print(
        f"seeded {Space.objects.count()} spaces, {seeded['bookings']} bookings "
        f"in {seed_seconds:.0f} s on {connection.vendor}",
        file=sys.stderr,
        flush=True,
    )

    tuesdays = [date(2026, 12, 1) + timedelta(days=7 * k) for k in range(12)]
    mondays = [date(2026, 11, 30) + timedelta(days=7 * k) for k in range(12)]
    found: dict[str, Any] = {}

    def free_for_eight(n: int) -> None:
        day = tuesdays[n % len(tuesdays)]
        start = datetime.combine(day, clock(14), PARIS)
        found["a"] = len(queries.free_spaces(places, start, start + timedelta(hours=2), people=8))

    def week_of_network(n: int) -> None:
        found["b"] = len(queries.free_intervals_by_space(places, mondays[n % len(mondays)]))

    def week_place_by_place(n: int) -> None:
        monday = mondays[n % len(mondays)]
        found["b2"] = sum(len(queries.week_free_intervals(p, monday)) for p in places)

    pool = free_slots_pool(members, rng)
    seeded["free_slots"] = len(pool)
    one_by_one = [pool.pop() for _ in range(args.runs + 10)]
    loaded = [fresh(pk, members) for pk, _start, _end in one_by_one]  # loading is not timed

    def one_booking(n: int) -> None:
        (space, actor), (_pk, start, end) = loaded[n], one_by_one[n]
        services.create_booking(actor=actor, space=space, start=start, end=end, now=NOW)

    results: dict[str, Any] = {}
    if not args.only_c:
        results["a"] = timed(free_for_eight, args.runs)
        results["b"] = timed(week_of_network, args.runs)
        results["b2"] = timed(week_place_by_place, args.runs)
        results["a"]["spaces_found"], results["b"]["spaces"] = found["a"], found["b"]
    results["c"] = timed(one_booking, args.runs)
    if cluster:
        tps = cluster.pgbench(8, int(args.seconds))
        for key, writers in (("d", writer_threads), ("d2", writer_processes)):
            share = pool[: len(pool) // 2] if key == "d" else pool[len(pool) // 2 :]
            sustained = writers(share, members, 8, args.seconds)
            results[key] = {
                **sustained,
                "pgbench_tps": round(tps, 1),
                "ratio": round(sustained["per_second"] / tps, 3),
            }
    from tests.test_concurrency_postgres import breaches

    pairs, instants = breaches()
    results["breaches"] = {"overlapping_pairs": len(pairs), "overbooked_instants": len(instants)}
    report(args, connection, results, seeded, seed_seconds)


def report(
    args: argparse.Namespace,
    connection: Any,
    results: dict[str, Any],
    seeded: dict[str, Any],
    seed_seconds: float,
) -> None:
    import sqlite3

    from tierslieux.core import clock as core_clock

    moment = core_clock.localtime()
    engine = connection.vendor
    version = sqlite3.sqlite_version
    if engine == "postgresql":
        number = connection.cursor().connection.info.server_version
        version = f"{number // 10000}.{number % 10000}"
    labels = {
        "a": "(a) spaces for 8 people free for a 2-hour slot, network-wide",
        "b": "(b) free intervals of all 200 spaces over a week",
        "b2": "(b) the same, place by place (`week_free_intervals` × 20)",
        "c": "(c) one booking created with its conflict check",
    }

    lines = [
        f"Bookings benchmark on {engine} {version}, {seeded['bookings']:,} bookings, "
        f"{args.runs} runs, {moment:%Y-%m-%d %H:%M %Z}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        "",
        "| Measure | Median | p95 | CPU median | Queries | Target | Met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for key, label in labels.items():
        if key not in results:
            continue
        r = results[key]
        op, target = TARGETS[key]
        if key == "c" and args.baseline_c:
            target = args.baseline_c / 2
        r["target"], r["met"] = f"median {op} {target:g} ms", r["median_ms"] <= target
        lines.append(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['cpu_median_ms']} ms "
            f"| {r['queries']} | {r['target']} | {'yes' if r['met'] else 'no'} |"
        )
    for key in ("d", "d2"):
        if key not in results:
            continue
        d = results[key]
        who = f"{d['threads']} writer threads" if key == "d" else f"{d['processes']} processes"
        d["target"], d["met"] = f"ratio ≥ {TARGETS['d'][1]}", d["ratio"] >= TARGETS["d"][1]
        lines.append(
            f"| (d) {who}, {d['seconds']} s: {d['created']} created, {d['conflicts']} "
            f"conflicts, {d['errors']} errors | {d['per_second']} /s | | | | {d['target']} to "
            f"pgbench's {d['pgbench_tps']} tps | {'yes' if d['met'] else 'no'} ({d['ratio']}) |"
        )
    b = results["breaches"]
    lines.append(
        f"| breach check: overlapping pairs, overbooked instants | {b['overlapping_pairs']}, "
        f"{b['overbooked_instants']} | | | 2 | none | "
        f"{'yes' if not any(b.values()) else 'NO'} |"
    )
    print("\n".join(lines))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = moment.strftime("%Y%m%d-%H%M%S")
    path = out / f"bookings-{engine}-{stamp}.json"
    payload = {
        "engine": engine,
        "version": str(version),
        "date": moment.isoformat(timespec="seconds"),
        "bookings": seeded["bookings"],
        "free_slots_for_c_and_d": seeded.get("free_slots"),
        "seed_seconds": round(seed_seconds, 1),
        "runs": args.runs,
        "load_average": os.getloadavg(),
        "results": results,
        "machine": machine(),
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    print(f"\nwritten: {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
