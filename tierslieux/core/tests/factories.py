"""Test helpers of the kernel."""

from __future__ import annotations

from django_tasks import TaskContext
from django_tasks.base import Task, TaskResult, TaskResultStatus

from tierslieux.core import clock


def worker_call(task: Task, *args: object, attempt: int = 1) -> object:
    """Call a task's function as a worker does (`task.call`), with the context of its
    `attempt`-th run (a second one follows a worker that died: `core.worker`)."""
    result = TaskResult(
        task=task,
        id=f"test-{attempt}",
        status=TaskResultStatus.RUNNING,
        enqueued_at=clock.now(),
        started_at=clock.now(),
        finished_at=None,
        last_attempted_at=clock.now(),
        args=list(args),
        kwargs={},
        backend="default",
        errors=[],
        worker_ids=[f"test-worker-{n}" for n in range(attempt)],
    )
    if task.takes_context:
        return task.call(TaskContext(task_result=result), *args)
    return task.call(*args)
