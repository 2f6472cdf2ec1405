"""`tierslieux restore ARCHIVE`: restore a backup into an EMPTY database and MEDIA_ROOT.

The archive's checksums, the database vendor, the migrations and the empty target are checked
first; a refusal changes nothing. Exit code 1 on a refusal or a failed check."""

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from tierslieux.core import backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database (never migrated) and MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup.restore(options["archive"], using=options["database"])
        except (backup.BackupError, DatabaseError, sqlite3.Error) as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(
            f"Restored {summary.path}: {summary.tables} tables, {summary.rows} rows (counts "
            f"checked), {summary.media_files} media files. Run `tierslieux migrate` if this "
            "version is newer than the backup's."
        )
