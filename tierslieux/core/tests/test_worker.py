"""Which claimed tasks belong to a worker that is gone (`core.worker.is_gone`)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta

from tierslieux.core import worker

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
HOST = "alpha"


def dead_pid() -> int:
    """The pid of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_worker_id_says_where_the_worker_runs():
    first, second = worker.worker_id("alpha", 1234), worker.worker_id("alpha", 1234)
    assert first.startswith("alpha:1234:") and first != second
    assert len(worker.worker_id("h" * 100, 4_194_304)) <= 64  # django-tasks-db's limit


def test_a_worker_of_this_host_whose_process_ended_is_gone():
    claimed = [worker.worker_id(HOST, dead_pid())]
    assert worker.is_gone(claimed, NOW, host=HOST, now=NOW)


def test_a_worker_whose_process_runs_is_not_gone():
    for pid in (os.getppid(), os.getpid()):
        assert not worker.is_gone([worker.worker_id(HOST, pid)], NOW, host=HOST, now=NOW)


def test_the_last_worker_is_the_one_that_counts():
    claims = [worker.worker_id(HOST, dead_pid()), worker.worker_id(HOST, os.getppid())]
    assert not worker.is_gone(claims, NOW, host=HOST, now=NOW)
    assert worker.is_gone(list(reversed(claims)), NOW, host=HOST, now=NOW)


def test_another_hosts_worker_is_gone_only_after_an_hour():
    claimed = [worker.worker_id("beta", dead_pid())]
    assert not worker.is_gone(claimed, NOW - timedelta(minutes=59), host=HOST, now=NOW)
    assert worker.is_gone(claimed, NOW - timedelta(minutes=61), host=HOST, now=NOW)


def test_a_worker_named_otherwise_is_judged_by_time_alone():
    for claims in (["AbCdEf0123456789"], ["a:b"], [], [":12:x"]):
        assert not worker.is_gone(claims, NOW - timedelta(minutes=5), host=HOST, now=NOW)
        assert worker.is_gone(claims, NOW - timedelta(hours=2), host=HOST, now=NOW)
    assert not worker.is_gone([], None, host=HOST, now=NOW)
