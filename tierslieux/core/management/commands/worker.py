"""`tierslieux worker`: the task worker of production (`db_worker` with the same options), which
first hands back to the queue the tasks of workers that died in the middle of them
(`tierslieux.core.worker`) and names itself so that the next one can tell it is gone."""

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from tierslieux.core import worker


class Command(db_worker.Command):
    help = (
        "Run the task worker: the tasks of workers that died are queued again, then the "
        "queue is worked through (the options of db_worker)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker.worker_id())

    def handle(self, *args: Any, **options: Any) -> None:
        recovery = worker.recover(backend_name=options["backend_name"])
        if recovery.requeued or recovery.failed:
            self.stderr.write(
                f"Tasks of stopped workers: {len(recovery.requeued)} queued again, "
                f"{len(recovery.failed)} given up ({', '.join(recovery.failed) or '-'})"
            )
        super().handle(*args, **options)
