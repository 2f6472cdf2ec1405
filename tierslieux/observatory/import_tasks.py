"""The census import's task: the worker runs `import_services.run` (the immediate backend,
the default and the tests', runs it when the page enqueues it)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from tierslieux.observatory import import_services


@task(takes_context=True)
def apply_import(context: TaskContext, import_id: int) -> str:
    """Run again after its worker died (`core.worker`), it imports again: the import is all
    or nothing, so the dead worker left nothing half written."""
    return import_services.run(import_id, resumed=context.attempt > 1)
