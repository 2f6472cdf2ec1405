"""50 virtual users against gunicorn and PostgreSQL, the demo scaled to 200 places (issue 12):
p95 ≤ 200 ms for pages, ≤ 100 ms for the availability API, no error, no double booking.

One command: `.venv/bin/python bench/load_bench.py [--seconds 60] [--users 50] [--places 200]
[--workers 3] [--faults]`. Loopback only, a throwaway PostgreSQL cluster (bench/harness.py),
production settings (DEBUG off, a strong SECRET_KEY, no HTTPS redirect, no HSTS). Each virtual
user is a member of one place with its own session cookie and API token; it loops, with a
pause of `--think` seconds on average (0: none), over the directory, a place's page, the
place's calendar, its member portal and its bookings, availability searches
(GET /api/v1/bookings/availability) and bookings (POST /api/v1/bookings, a slot the search
just offered: a 409 when another user took it first
is the right answer, not an error). At the end SQL counts overlapping blocking bookings.
`--faults` restarts PostgreSQL a third of the way through: requests must fail cleanly (a 5xx
answered quickly, no hang) and the app must recover by itself (docs/PERFORMANCE.md, "load and
faults")."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Cluster, machine, setup_django  # noqa: E402
from bench.load_data import Visitor, double_bookings, scale_demo, visitors  # noqa: E402

PAGE_TARGET_MS, API_TARGET_MS = 200, 100
TIMEOUT_S = 15
# (kind, weight): the mix of one virtual user's loop.
MIX = [
    ("directory", 2),
    ("place page", 3),
    ("calendar", 3),
    ("portal", 2),
    ("my bookings", 2),
    ("availability API", 6),
    ("booking API", 2),
]
API_KINDS = {"availability API", "booking API"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn on loopback with the environment setup_django prepared (production settings)."""
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "tierslieux.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--timeout=30",
        "--log-level=warning",
        "--keep-alive=30",  # as a reverse proxy keeps them; 2 s would cut thinking users' links
        "--preload",  # the app imported once, before the workers fork
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


class Recorder:
    def __init__(self, began: float) -> None:
        self.began = began
        self.rows: list[tuple[str, float, int, float]] = []  # kind, at (s), status, ms
        self.failures: dict[str, str] = {}  # one example of each kind of failure

    def add(self, kind: str, status: int, ms: float) -> None:
        self.rows.append((kind, time.monotonic() - self.began, status, ms))


async def one_user(
    client: Any, me: Visitor, rng: random.Random, rec: Recorder, end: float, think: float
) -> None:
    from tierslieux.core import clock

    kinds, weights = zip(*MIX, strict=True)
    bearer = {"Authorization": f"Bearer {me.token}"}
    offered: list[dict[str, str]] = []
    while time.monotonic() < end:
        if think:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        kind = rng.choices(kinds, weights)[0]
        space = rng.choice(me.spaces)
        day = (clock.now() + timedelta(days=rng.randint(1, 20))).date().isoformat()
        ok = {200}
        if kind == "directory":
            request = ("GET", "/", {}, None)
        elif kind == "place page":
            request = ("GET", f"/places/{me.place}/", {}, None)
        elif kind == "calendar":
            request = ("GET", f"/bookings/{me.place}/calendar/", {}, None)
        elif kind == "portal":
            request = ("GET", f"/me/{me.place}/", {}, None)
        elif kind == "my bookings":
            request = ("GET", "/bookings/mine/", {}, None)
        elif kind == "availability API":
            query = f"place={me.place}&space={space}&date={day}&days=3"
            request = ("GET", f"/api/v1/bookings/availability?{query}", bearer, None)
        else:
            if not offered:
                continue
            slot = offered.pop(rng.randrange(len(offered)))
            request = ("POST", "/api/v1/bookings", bearer, slot)
            ok = {201, 409}  # 409: someone took the slot between the search and the booking
        method, url, headers, body = request
        began = time.perf_counter()
        try:
            response = await client.request(
                method,
                url,
                headers=headers,
                json=body,
            )
            status = response.status_code
        except Exception as error:  # a hang (timeout) or a refused connection: the worst failure
            status = 0
            rec.failures[f"{kind}: {type(error).__name__}"] = str(error)[:200]
        ms = (time.perf_counter() - began) * 1000
        rec.add(kind, status, ms)
        if kind == "availability API" and status == 200:
            data = response.json()
            offered = [
                {"place": me.place, "space": data["space"], "start": s["start"], "end": s["end"]}
                for s in data["slots"][:20]
            ] or offered
        if status not in ok and status != 0:
            rec.failures.setdefault(f"{kind}: {status}", response.text[:300])


def warm_up(base: str, people: list[Visitor], workers: int) -> None:
    """Every worker's first requests import the views and fill its caches: not measured."""
    import httpx

    me = people[0]
    urls = [
        "/",
        f"/places/{me.place}/",
        f"/bookings/{me.place}/calendar/",
        f"/me/{me.place}/",
        "/bookings/mine/",
    ]
    with httpx.Client(base_url=base, timeout=60, cookies={"sessionid": me.cookie}) as client:
        for _ in range(workers * 3):
            for url in urls:
                client.get(url)


async def run_users(
    base: str, people: list[Visitor], seconds: float, rec: Recorder, think: float
) -> None:
    """One client per virtual user (its own session cookie and connection), all at once."""
    import httpx

    end = time.monotonic() + seconds
    clients = [
        httpx.AsyncClient(base_url=base, timeout=TIMEOUT_S, cookies={"sessionid": me.cookie})
        for me in people
    ]
    try:
        await asyncio.gather(
            *(
                one_user(client, me, random.Random(n), rec, end, think)
                for n, (client, me) in enumerate(zip(clients, people, strict=True))
            )
        )
    finally:
        for client in clients:
            await client.aclose()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


def summary(rows: list[tuple[str, float, int, float]]) -> dict[str, Any]:
    """Per kind: count, errors (5xx, no answer, or an unexpected 4xx), p50/p95/p99."""
    found: dict[str, Any] = {}
    for kind, _ in MIX:
        mine = [r for r in rows if r[0] == kind]
        if not mine:
            continue
        good = {201, 409} if kind == "booking API" else {200}
        times = [r[3] for r in mine]
        found[kind] = {
            "count": len(mine),
            "errors": sum(1 for r in mine if r[2] not in good),
            "statuses": {str(s): sum(1 for r in mine if r[2] == s) for s in {r[2] for r in mine}},
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "max_ms": round(max(times), 1),
        }
    return found


def restart_postgres(cluster: Cluster, at: float, began: float, log: dict[str, Any]) -> None:
    """Restart the cluster `at` seconds into the run (a thread: the load keeps going)."""
    time.sleep(max(0.0, at - (time.monotonic() - began)))
    log["stop_at_s"] = round(time.monotonic() - began, 2)
    cluster.run(f"{cluster.bin}/pg_ctl", "-D", f"{cluster.dir}/data", "-m", "fast", "-w", "stop")
    time.sleep(3)  # three seconds without a database
    log["start_at_s"] = round(time.monotonic() - began, 2)
    options = (  # as Cluster.start's
        f"-k {cluster.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=50"
    )
    data, server_log = f"{cluster.dir}/data", f"{cluster.dir}/server.log"
    cluster.run(f"{cluster.bin}/pg_ctl", "-D", data, "-l", server_log, "-w", "start", "-o", options)
    log["up_at_s"] = round(time.monotonic() - began, 2)


def fault_report(rows: list[tuple[str, float, int, float]], log: dict[str, Any]) -> dict[str, Any]:
    """During the outage: how requests failed and how long they took; after: when the first
    success came back and whether anything failed afterwards."""
    down, up = log["stop_at_s"], log["up_at_s"]
    during = [r for r in rows if down <= r[1] <= up + 0.5]
    failed = [r for r in rows if r[2] not in (200, 201, 409)]
    after = [r for r in rows if r[1] > up]
    first_ok = min((r[1] for r in after if r[2] in (200, 201, 409)), default=None)
    return {
        **log,
        "requests_ended_in_outage": len(during),
        "failed_statuses": {
            str(s): sum(1 for r in failed if r[2] == s) for s in {r[2] for r in failed}
        },
        "slowest_failure_ms": round(max((r[3] for r in failed), default=0.0), 1),
        "first_success_after_restart_s": None if first_ok is None else round(first_ok - up, 2),
        "failures_after_recovery": sum(
            1 for r in after if first_ok is not None and r[1] > first_ok + 1 and r in failed
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--places", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a user's requests (s)"
    )
    parser.add_argument("--faults", action="store_true", help="restart PostgreSQL mid-run")
    args = parser.parse_args()

    import threading

    cluster = Cluster()
    var = Path(tempfile.mkdtemp(prefix="tl-bench-load."))
    server = None
    try:
        setup_django(cluster.start(), var)
        from django.core.management import call_command
        from django.db import connection, connections

        from tierslieux.demo.loader import load_demo

        call_command("collectstatic", interactive=False, verbosity=0)
        began = time.perf_counter()
        load_demo()
        slugs = scale_demo(args.places)
        people = visitors(args.users)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"{len(slugs)} places, {len(people)} members in {time.perf_counter() - began:.0f} s")
        connections.close_all()

        port = free_port()
        server = start_gunicorn(port, args.workers, args.threads)
        warm_up(f"http://127.0.0.1:{port}", people, args.workers)
        rec = Recorder(time.monotonic())
        log: dict[str, Any] = {}
        if args.faults:
            at = args.seconds / 3
            threading.Thread(
                target=restart_postgres, args=(cluster, at, rec.began, log), daemon=True
            ).start()
        asyncio.run(run_users(f"http://127.0.0.1:{port}", people, args.seconds, rec, args.think))
        results = {
            "summary": summary(rec.rows),
            "double_bookings": double_bookings(),
            "requests_per_s": round(len(rec.rows) / args.seconds, 1),
            "failures": rec.failures,
        }
        if args.faults:
            results["faults"] = fault_report(rec.rows, log)
        report(results, args)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        from django.db import connections

        connections.close_all()
        cluster.stop()
        shutil.rmtree(var, ignore_errors=True)


def report(results: dict[str, Any], args: Any) -> None:
    load = os.getloadavg()
    print(
        f"\n## {args.users} users (think {args.think} s), {args.seconds:.0f} s, "
        f"{args.places} places, gunicorn "
        f"{args.workers}×{args.threads} (load average {load[0]:.1f}, {os.cpu_count()} cores)\n"
    )
    print(
        "| kind | count | errors | p50 | p95 | p99 | target p95 |\n"
        "|---|---:|---:|---:|---:|---:|---:|"
    )
    for kind, r in results["summary"].items():
        target = API_TARGET_MS if kind == "availability API" else PAGE_TARGET_MS
        target_s = "" if kind == "booking API" else f"{target} ms"
        print(
            f"| {kind} | {r['count']} | {r['errors']} | {r['p50_ms']} ms | {r['p95_ms']} ms "
            f"| {r['p99_ms']} ms | {target_s} |"
        )
    print(
        f"\n{results['requests_per_s']} requests/s; double bookings: {results['double_bookings']}"
    )
    for what, example in results["failures"].items():
        print(f"- {what}: {example[:160]!r}")
    if "faults" in results:
        print(f"PostgreSQL restart: {json.dumps(results['faults'])}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    name = "load-faults" if args.faults else "load"
    path = out / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    body = {"args": vars(args), "load_average": load, "machine": machine(), **results}
    path.write_text(json.dumps(body, indent=1, ensure_ascii=False))
    print(f"figures: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
