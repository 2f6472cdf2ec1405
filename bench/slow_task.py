"""A task long enough to kill its worker in the middle (bench/faults_bench.py); a module of
its own so that the worker imports it by its dotted path (`bench.slow_task.slow_job`)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_job(seconds: float) -> str:
    """Sleeps `seconds`, then says so."""
    time.sleep(seconds)
    return "done"
