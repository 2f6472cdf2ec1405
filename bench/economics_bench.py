"""Economic model benchmark (issue 15): one 60-month projection (`engine.project`, target
≤ 5 ms) and a Monte Carlo of 10,000 draws of a 60-month projection
(`sensitivity.monte_carlo`, target ≤ 0.5 s), on the typical micro-centre template.

One command: `.venv/bin/python bench/economics_bench.py [--runs N]`. No database: the engine
is pure. Timed with `time.perf_counter` after warm-up calls; the median of the runs. Also
timed: the tornado (25 projections in one vectorised call), the verdict, and the reading of
an accountant's FEC of 10,000 lines (`expense_fec.read`, the import's dry run). Prints a Markdown
table with the machine and the load average, and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import machine  # noqa: E402

TARGETS_MS = {
    "project": 5.0, "monte_carlo": 500.0, "tornado": 50.0, "verdict": 5.0, "fec_read": 1000.0,
}  # fmt: skip
FEC_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise"
)


def fec_text(entries: int = 5000) -> str:
    """A busy year's FEC: `entries` purchases over twelve months, two lines each (the charge
    and the supplier), tab-separated, CRLF, as accounting software exports it."""
    accounts = ["606400", "613200", "616000", "626000", "641100", "627000", "615600"]
    lines = [FEC_HEADER]
    for n in range(entries):
        day = f"2027{n // 8 % 12 + 1:02}{n % 28 + 1:02}"
        amount = f"{n % 97 + 1},{n % 100:02}"
        for account, debit, credit in ((accounts[n % 7], amount, "0,00"),
                                       ("401000", "0,00", amount)):  # fmt: skip
            lines.append("\t".join(["AC", "Achats", str(n), day, account, "Compte", "", "",
                                    f"F{n}", day, f"Pièce {n}", debit, credit, "", "", day,
                                    "", ""]))  # fmt: skip
    return "\r\n".join(lines) + "\r\n"


def timed(fn: Callable[[], Any], runs: int, warmup: int = 3) -> dict[str, Any]:
    """Milliseconds per call: warm-up calls first, then `runs` timed ones."""
    for _ in range(warmup):
        fn()
    times, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.thread_time()
        fn()
        cpu.append((time.thread_time() - began_cpu) * 1000)
        times.append((time.perf_counter() - began) * 1000)
    ranked = sorted(times)
    return {
        "runs": runs,
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(ranked[math.ceil(0.95 * len(ranked)) - 1], 3),
        "min_ms": round(ranked[0], 3),
        "cpu_median_ms": round(statistics.median(cpu), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="timed runs per measure")
    parser.add_argument("--draws", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tierslieux.settings")
    import django

    django.setup()
    from tierslieux.core import clock
    from tierslieux.economics import (
        engine,
        expense_fec,
        scenario,
        sensitivity,
        templates_model,
        verdict,
    )  # fmt: skip
    from tierslieux.economics.models import ExpenseCategory

    sc = scenario.parse(templates_model.template("micro-centre:typical")[0])
    projection = engine.project(sc)
    results = {
        "project": timed(lambda: engine.project(sc), args.runs * 10),
        "monte_carlo": timed(lambda: sensitivity.monte_carlo(sc, args.draws, seed=1), args.runs),
        "tornado": timed(lambda: sensitivity.tornado(sc), args.runs * 5),
        "verdict": timed(lambda: verdict.judge(projection), args.runs * 10),
    }
    fec, labels = fec_text(), {key: str(label) for key, label in ExpenseCategory.choices}
    assert len(expense_fec.read(fec, labels).lines) == 12 * 7  # seven categories, 12 months
    results["fec_read"] = timed(lambda: expense_fec.read(fec, labels), args.runs)
    labels = {
        "project": f"one projection, {sc.horizon} months (engine.project)",
        "monte_carlo": f"Monte Carlo, {args.draws:,} draws × {sc.horizon} months",
        "tornado": "tornado, 12 drivers ± 20 % (25 projections)",
        "verdict": "verdict of a projection (verdict.judge)",
        "fec_read": "an accountant's FEC of 10,000 lines read (expense_fec.read)",
    }
    print("\n| measure | median | p95 | min | CPU median | target |")
    print("|---|---|---|---|---|---|")
    for key, label in labels.items():
        r = results[key]
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | ≤ {TARGETS_MS[key]:g} ms |"
        )
    about = machine()
    load = os.getloadavg()
    when = clock.now().strftime("%Y-%m-%d %H:%M UTC")
    print(f"\n{when}; {about['nproc']} CPUs, Python {about['python']}; load average {load}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "economics.json"
    record = {"machine": about, "load": load, "when": when, **results}
    path.write_text(json.dumps(record, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
