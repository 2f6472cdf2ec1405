"""Every page of the demo, timed: "no page of the demo above 1 s on this machine" (issue 9).

One command: `.venv/bin/python bench/pages_bench.py [--postgres] [--limit N]`. Like the other
benchmarks (bench/harness.py) it never touches var/tierslieux.sqlite3: a temporary folder
(SQLite) or a throwaway PostgreSQL cluster. It migrates, loads the demo network, then, as
each demo persona (the network's administrator, a coordinator, a member, a visitor), crawls
the site from its home pages: every same-site link answered by a GET, each URL once, forms
never submitted, downloads (PDF, XML, CSV, XLSX, iCal) timed like pages. A page is its path and
the names of its query parameters: the calendar of another week is the same page. Each page is
requested `--runs` times through Django's test client (in-process: URL routing, the view, its
queries and the template, no network) and the median kept. It prints the slowest pages and
every page over the target, and writes the figures as JSON under var/bench/.
See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urldefrag, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Cluster, machine, setup_django  # noqa: E402

TARGET_SECONDS = 1.0
HREF = re.compile(r'href="([^"]+)"')
# Links a crawler must not follow: they act (log out), leave the site, or only change a
# setting; the Django admin and the API's docs are not the product's pages.
SKIP = re.compile(r"^/(admin/|static/|media/|accounts/logout|accounts/language|api/v1/docs)")


def personas() -> list[tuple[str, Any, list[str]]]:
    """(name, user or None, start URLs) for each demo persona."""
    from tierslieux.accounts.models import User
    from tierslieux.demo.people import DOMAIN

    def user(local: str) -> Any:
        return User.objects.get(email=f"{local}@{DOMAIN}")

    return [
        ("visitor", None, ["/"]),
        ("member", user("membre"), ["/dashboard/", "/"]),
        ("coordinator", user("coordination"), ["/dashboard/"]),
        ("network admin", user("reseau"), ["/dashboard/"]),
    ]


def _page(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + "?" + "&".join(sorted(parse_qs(parts.query, keep_blank_values=True)))


def crawl(client: Any, starts: list[str], limit: int, runs: int) -> dict[str, dict[str, Any]]:
    """Breadth first from `starts`: {url: {status, median_ms, bytes}} for at most `limit` URLs."""
    seen: set[str] = {_page(url) for url in starts}
    queue = deque(starts)
    found: dict[str, dict[str, Any]] = {}
    while queue and len(found) < limit:
        url = queue.popleft()
        times = []
        response = None
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response is not None
        found[url] = {
            "status": response.status_code,
            "median_ms": round(statistics.median(times) * 1000, 1),
            "bytes": len(response.content),
            "type": response.get("Content-Type", "").split(";")[0],
        }
        if response.status_code != 200 or "html" not in found[url]["type"]:
            continue
        for href in HREF.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or SKIP.match(link):
                continue
            if _page(link) not in seen:
                seen.add(_page(link))
                queue.append(link)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--limit", type=int, default=400, help="pages per persona")
    parser.add_argument("--runs", type=int, default=3, help="requests per page (median)")
    args = parser.parse_args()

    cluster = Cluster() if args.postgres else None
    var = Path(tempfile.mkdtemp(prefix="tl-bench-pages."))
    try:
        setup_django(cluster.start() if cluster else None, var)
        from django.core.management import call_command
        from django.test import Client

        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
        began = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"demo loaded in {time.perf_counter() - began:.1f} s")
        results: dict[str, dict[str, Any]] = {}
        for name, user, starts in personas():
            client = Client()
            if user is not None:
                client.force_login(user)
            pages = crawl(client, starts, args.limit, args.runs)
            results[name] = pages
            errors = {u: p["status"] for u, p in pages.items() if p["status"] >= 500}
            print(f"{name}: {len(pages)} pages, server errors: {errors or 'none'}")
        report(results, args, "postgresql" if cluster else "sqlite")
    finally:
        if cluster:
            cluster.stop()


def report(results: dict[str, dict[str, Any]], args: Any, engine: str) -> None:
    rows = [
        (page["median_ms"], persona, url, page["status"], page["type"])
        for persona, pages in results.items()
        for url, page in pages.items()
    ]
    rows.sort(reverse=True)
    over = [row for row in rows if row[0] > TARGET_SECONDS * 1000]
    print(f"\n## Pages of the demo ({engine}): the 15 slowest of {len(rows)}\n")
    print("| median | persona | page | status | type |\n|---:|---|---|---:|---|")
    for ms, persona, url, status, kind in rows[:15]:
        print(f"| {ms:,.0f} ms | {persona} | `{url}` | {status} | {kind} |")
    print(f"\nOver {TARGET_SECONDS:.0f} s: {len(over)} page(s).")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = out / f"pages-{engine}-{stamp}.json"
    path.write_text(
        json.dumps(
            {"engine": engine, "runs": args.runs, "machine": machine(), "pages": results},
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"figures: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
