"""The census import's task: the worker runs `import_services.run` (the immediate backend,
the default and the tests', runs it when the page enqueues it)."""

from __future__ import annotations

from django_tasks import task

from tierslieux.observatory import import_services


@task()
def apply_import(import_id: int) -> str:
    return import_services.run(import_id)
