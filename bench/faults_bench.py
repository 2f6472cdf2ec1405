"""Faults (issue 12): (a) the task worker killed (SIGKILL) in the middle of a job, (c) a bill
run killed during its confirmation and run again. (b), PostgreSQL restarted under load, is
`bench/load_bench.py --faults`.

One command: `.venv/bin/python bench/faults_bench.py [--members 2000]`, in a throwaway
PostgreSQL cluster (bench/harness.py), production settings, TASKS_BACKEND=database.
(a) enqueues a task that takes 20 s, starts `manage.py worker`, kills it with SIGKILL once
the task is running, starts a new worker and says what became of the task's row (django-tasks
has no lease: a claimed task stays RUNNING until `tierslieux worker`, at its start, queues
again the tasks of the dead workers of its host: `tierslieux/core/worker.py`).
(c) seeds a place with `--members` subscribed members (bench/billrun_bench.py's seed), starts
`manage.py bill_run --confirm`, kills it with SIGKILL one second into the confirmation, checks
that nothing was issued, runs it again to the end, then checks: one invoice per customer,
numbers 1..n without a gap, `verify_invoices` exit 0. Figures as JSON under var/bench/."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Cluster, machine, setup_django  # noqa: E402

MANAGE = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py")]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def killed_worker() -> dict[str, Any]:
    """(a): what becomes of a task whose worker is killed."""
    from django_tasks_db.models import DBTaskResult

    from bench.slow_task import slow_job

    result = slow_job.enqueue(20)
    row = DBTaskResult.objects.filter(pk=result.id)
    worker = subprocess.Popen([*MANAGE, "worker", "--interval", "0.2"], env=environment())
    running = wait_for(lambda: row.get().status == "RUNNING", 60)
    time.sleep(1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    after_kill = row.get().status
    restarted = time.monotonic()
    again = subprocess.Popen([*MANAGE, "worker", "--interval", "0.2"], env=environment())
    finished = wait_for(lambda: row.get().status in ("SUCCESSFUL", "FAILED"), 60)
    seconds = time.monotonic() - restarted
    again.terminate()
    again.wait(30)
    return {
        "running_before_kill": running,
        "status_after_kill": after_kill,
        "status_after_a_new_worker": row.get().status,
        "finished": finished,
        "seconds_to_finish_after_restart": round(seconds, 1),
        "attempts": len(row.get().worker_ids),
    }


def interrupted_bill_run(members: int) -> dict[str, Any]:
    """(c): a bill run killed during its confirmation, then run again."""
    from bench.billrun_bench import MONTH, seed
    from tierslieux.billing.models import Invoice

    seeded = seed(members, members * 5, random.Random(12))
    place, boss = seeded["place"], seeded["boss"]
    command = [
        *MANAGE,
        "bill_run",
        f"--place={place.slug}",
        f"--month={MONTH:%Y-%m}",
        "--confirm",
        f"--as={boss.email}",
    ]
    first = subprocess.Popen(command, env=environment(), stdout=subprocess.PIPE, text=True)
    assert first.stdout is not None
    for line in first.stdout:  # the preview is printed, then the confirmation starts
        if line.startswith("Ready to confirm"):
            break
    time.sleep(1)
    began = time.monotonic()
    first.send_signal(signal.SIGKILL)
    first.wait()
    issued_after_kill = Invoice.objects.filter(place=place).exclude(status="draft").count()
    began = time.monotonic()
    second = subprocess.run(command, env=environment(), capture_output=True, text=True)
    seconds = time.monotonic() - began
    numbers = list(
        Invoice.objects.filter(place=place)
        .exclude(status="draft")
        .order_by("sequence_number")
        .values_list("sequence_number", flat=True)
    )
    verified = subprocess.run(
        [*MANAGE, "verify_invoices", f"--place={place.slug}"],
        env=environment(),
        capture_output=True,
        text=True,
    )
    return {
        "members": members,
        "invoices_after_kill": issued_after_kill,
        "second_run_exit": second.returncode,
        "second_run_last_line": second.stdout.strip().splitlines()[-1:],
        "second_run_s": round(seconds, 1),
        "invoices": len(numbers),
        "duplicates": len(numbers) - len(set(numbers)),
        "gap_free": numbers == list(range(1, len(numbers) + 1)),
        "verify_invoices_exit": verified.returncode,
        "verify_invoices": verified.stdout.strip()[-300:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    args = parser.parse_args()
    os.environ["TASKS_BACKEND"] = "database"
    cluster = Cluster()
    var = Path(tempfile.mkdtemp(prefix="tl-bench-faults."))
    try:
        setup_django(cluster.start(), var)
        results = {"worker_killed": killed_worker()}
        print(json.dumps(results, indent=1), flush=True)
        results["bill_run_killed"] = interrupted_bill_run(args.members)
        print(json.dumps(results["bill_run_killed"], indent=1))
        out = ROOT / "var" / "bench"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
        body = {"args": vars(args), "machine": machine(), **results}
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False))
        print(f"figures: {path.relative_to(ROOT)}")
    finally:
        from django.db import connections

        connections.close_all()
        cluster.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
