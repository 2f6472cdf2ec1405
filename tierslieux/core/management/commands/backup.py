"""`tierslieux backup [--output PATH]`: one archive with a consistent dump of the database, the
media files and a manifest (see `tierslieux.core.backup` and docs/operations.md).

Exit code 1 when the backup failed (no archive is left under the final name)."""

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from tierslieux.core import backup


class Command(BaseCommand):
    help = "Write a backup archive: the database (a consistent dump), the media files, a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            metavar="PATH",
            help="the archive (….tar.gz) or a folder for it (default: var/backups/)",
        )
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.backup(options["output"], using=options["database"])
        except (backup.BackupError, DatabaseError, sqlite3.Error) as error:
            raise CommandError(str(error), returncode=1) from None
        size = summary.path.stat().st_size
        self.stdout.write(
            f"{summary.path}: {summary.vendor}, {summary.tables} tables, {summary.rows} rows, "
            f"{summary.media_files} media files, {size} bytes"
        )
