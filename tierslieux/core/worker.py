"""The task worker's recovery: tasks whose worker died in the middle run again.

django-tasks-db claims a task row by setting it `RUNNING` with the worker's id and has no lease:
a worker killed with SIGKILL (the out-of-memory killer, a machine restarted, a second Ctrl-C
arrives between two statements) leaves its row `RUNNING` for ever and no other worker takes it.
`tierslieux worker` names each worker `host:pid:random` and, before it starts, hands back to
the queue the rows of workers that are gone:

- a worker of this host whose process no longer runs is gone at once;
- a worker of another host is gone once its task has run for `STALE_AFTER` (no task of the
  project runs that long; a second host cannot see the first one's processes).

A task handed back runs again (at least once: an e-mail may leave twice, never zero times); the
tasks that follow a row of their own (`core.jobs.run`, the census import) take it over when
their context says it is a further attempt. A task lost `MAX_ATTEMPTS` times is recorded as
failed rather than handed back again: it is what kills the worker.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tierslieux.core import clock

STALE_AFTER = timedelta(hours=1)
MAX_ATTEMPTS = 3
LOST = "tierslieux.core.worker.WorkerLost"


class WorkerLost(Exception):
    """What a task given up after `MAX_ATTEMPTS` lost workers records as its error."""


@dataclass
class Recovery:
    """What `recover` did, by task row id."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def worker_id(host: str | None = None, pid: int | None = None) -> str:
    """A worker's id that says where it runs (`host:pid:random`, under django-tasks-db's 64
    characters); the random part tells apart two workers that reuse a pid."""
    host = (host or socket.gethostname())[:40]
    return f"{host}:{pid or os.getpid()}:{get_random_string(8)}"


def _where(worker: str) -> tuple[str, int] | None:
    host, _, rest = worker.rpartition(":")
    host, _, pid = host.rpartition(":")
    if not host or not pid.isdigit() or not rest:
        return None  # a worker started without our id (`db_worker` itself): time alone tells
    return host, int(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def is_gone(workers: list[str], started_at: datetime | None, *, host: str, now: datetime) -> bool:
    """Whether the worker that claimed a `RUNNING` row (the last of its ids) is gone."""
    if started_at is not None and now - started_at > STALE_AFTER:
        return True
    where = _where(workers[-1]) if workers else None
    if where is None:
        return False
    worker_host, pid = where
    return worker_host == host and pid != os.getpid() and not _alive(pid)


def recover(*, backend_name: str = "default", host: str | None = None) -> Recovery:
    """Hand back to the queue the running tasks of gone workers (see the module's docstring);
    safe to run while other workers work: a row is changed only if it is still the same
    `RUNNING` claim (its `started_at` is the claim's time)."""
    host = host or socket.gethostname()[:40]
    now = clock.machine_now()  # django-tasks stamps its rows with the machine's clock
    outcome = Recovery()
    running = DBTaskResult.objects.filter(
        backend_name=backend_name, status=TaskResultStatus.RUNNING
    ).only("id", "worker_ids", "started_at")
    for row in running:
        if not is_gone(row.worker_ids, row.started_at, host=host, now=now):
            continue
        same_claim = DBTaskResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= MAX_ATTEMPTS:
            changed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=LOST,
                traceback=(
                    f"{LOST}: the worker running this task stopped "
                    f"{len(row.worker_ids)} times ({', '.join(row.worker_ids)})"
                ),
            )
            if changed:
                outcome.failed.append(str(row.pk))
        elif same_claim.update(status=TaskResultStatus.READY):
            outcome.requeued.append(str(row.pk))
    return outcome
