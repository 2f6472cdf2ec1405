"""Backups that restore: one archive holding a consistent dump of the database, the media files
and a manifest (versions, migrations applied, every table's row count, each member's SHA-256).

Generic on purpose (core knows no app): whatever tables and files there are, they go in the
archive and their counts are checked on the way back. Consistency comes from the database:
SQLite's online backup API copies the database in one step under a read lock; on PostgreSQL
`pg_dump` runs inside a REPEATABLE READ snapshot exported by the transaction that counts the
rows, so the counts and the dump describe the same instant. The media files are copied after
the database: a file may be newer than the dump, never the reverse.

A restore goes into an EMPTY database only and checks everything it can first (checksums, the
database vendor, the migrations known to this code, an empty target, no media file in the way):
a refusal changes nothing. It then restores the database, then the media files, and checks
every table's row count and the migrations against the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

from tierslieux.core import clock

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1 << 20
# What Django gives psycopg that is no libpq parameter.
IGNORED_PARAMS = {"cursor_factory", "context", "prepare_threshold", "server_side_binding"}


class BackupError(Exception):
    """A refusal or a failure, in words for the operator; a refused restore changed nothing."""


@dataclass(frozen=True)
class Summary:
    """What an archive holds (or what a restore put back)."""

    path: Path
    vendor: str
    tables: int
    rows: int
    media_files: int


def default_path() -> Path:
    """`var/backups/tierslieux-YYYYMMDD-HHMMSS.tar.gz`, in UTC."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"tierslieux-{stamp}.tar.gz"


# --- Backup ---------------------------------------------------------------------------------


def backup(output: Path | None = None, using: str = "default") -> Summary:
    """Write the archive at `output` (unless it ends in .tar.gz or .tgz, a folder for an
    archive of the default name); return its summary.

    The archive is written beside its final name and renamed at the end, so a file with the
    final name is always complete."""
    connection = connections[using]
    _supported(connection.vendor)
    path = output or default_path()
    if path.is_dir() or not path.name.endswith((".tar.gz", ".tgz")):
        path = path / default_path().name  # a folder
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMPS[connection.vendor]
        if connection.vendor == "sqlite":
            state = _dump_sqlite(connection, dump)
        else:
            state = _dump_postgresql(connection, dump)
        partial = Path(work) / "archive.tar.gz"
        members: dict[str, dict[str, Any]] = {}
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            members[dump.name] = _add(tar, dump, dump.name)
            media_root = Path(settings.MEDIA_ROOT)
            for file in _media_files(media_root):
                name = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
                members[name] = _add(tar, file, name)
            manifest = {
                "format": FORMAT,
                "created_at": clock.now().isoformat(),
                "django": django.get_version(),
                "tierslieux": _app_version(),
                "vendor": connection.vendor,
                "server_version": state["server_version"],
                "migrations": state["migrations"],
                "tables": state["tables"],
                "members": members,
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(clock.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
        partial.chmod(0o600)  # personal data and accounts: for the operator's eyes only
        os.replace(partial, path)
    media_count = sum(1 for name in members if name.startswith(f"{MEDIA}/"))
    return Summary(
        path, connection.vendor, len(state["tables"]), sum(state["tables"].values()), media_count
    )


def _dump_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """Copy the live database with the online backup API, then read the state off the copy."""
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)  # one step: a consistent copy
        target.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside
        state = _state(target.cursor(), "sqlite")
        state["server_version"] = sqlite3.sqlite_version
    finally:
        target.close()
    return state


def _dump_postgresql(connection: BaseDatabaseWrapper, dump: Path) -> dict[str, Any]:
    """`pg_dump` of the snapshot in which the rows were counted (one instant for both)."""
    if connection.in_atomic_block:
        # The dump (another process) would miss this transaction's rows that the counts see.
        raise BackupError("A PostgreSQL backup runs outside any transaction.")
    pg_dump = find_pg_tool("pg_dump", connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        state = _state(cursor, "postgresql")
        _run_pg(
            pg_dump,
            connection,
            ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],
            ["--file", str(dump)],
        )
    state["server_version"] = connection.pg_version  # type: ignore[attr-defined]
    return state


def _add(tar: tarfile.TarFile, file: Path, name: str) -> dict[str, Any]:
    """Add `file` as `name`, hashing the very bytes written."""
    with file.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": info.size}


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- Restore --------------------------------------------------------------------------------


def restore(archive: Path, using: str = "default") -> Summary:
    """Restore `archive` into the empty database `using` and into MEDIA_ROOT.

    Everything that can be checked is checked before the first write; afterwards, every
    table's row count and the migrations are compared with the manifest."""
    connection = connections[using]
    _supported(connection.vendor)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not name.startswith("file:") and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media_root.parent, prefix=".restore-") as work:
        manifest = _unpack(archive, Path(work))
        _check_before(manifest, connection, Path(work), media_root)
        dump = Path(work) / DUMPS[manifest["vendor"]]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            pg_restore = find_pg_tool("pg_restore", connection)
            options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
            _run_pg(pg_restore, connection, options, [str(dump)])
        staged = Path(work) / MEDIA
        media = _media_files(staged)
        for file in media:
            target = media_root / file.relative_to(staged)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(file, target)
    with connection.cursor() as cursor:
        state = _state(cursor, connection.vendor)
    _check_after(manifest, state)
    tables = manifest["tables"]
    return Summary(archive, connection.vendor, len(tables), sum(tables.values()), len(media))


def _unpack(archive: Path, work: Path) -> dict[str, Any]:
    """Read the manifest, then extract every member to `work` checking its SHA-256."""
    if not archive.is_file():
        raise BackupError(f"No archive at {archive}.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            try:
                manifest = json.load(tar.extractfile(MANIFEST) or io.BytesIO(b""))
            except KeyError:
                raise BackupError(f"{archive} is not a tierslieux backup: no {MANIFEST}.") from None
            expected = _members_of(manifest, archive)
            seen: set[str] = set()
            for info in tar:
                if info.name == MANIFEST:
                    continue
                if info.name not in expected or not info.isfile():
                    raise BackupError(
                        f"{archive} holds {info.name}, which its manifest does not list."
                    )
                seen.add(info.name)
                digest = _extract(tar, info, work / PurePosixPath(info.name))
                if digest != expected[info.name]["sha256"]:
                    raise BackupError(f"Checksum mismatch on {info.name}: the archive is damaged.")
    except (tarfile.TarError, EOFError, zlib.error, OSError, ValueError) as error:
        raise BackupError(f"{archive} is truncated or corrupt ({error}).") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"{archive} lacks {', '.join(missing[:5])}: the archive is incomplete.")
    return manifest


def _members_of(manifest: Any, archive: Path) -> dict[str, dict[str, Any]]:
    """The manifest's members, once its shape and every name are known to be sound."""
    keys = ("format", "vendor", "migrations", "tables", "members")
    if not isinstance(manifest, dict) or any(key not in manifest for key in keys):
        raise BackupError(f"{archive} has an unreadable manifest.")
    if manifest["format"] != FORMAT:
        raise BackupError(f"{archive} is in backup format {manifest['format']}, not {FORMAT}.")
    _supported(manifest["vendor"])
    members = manifest["members"]
    for name in members:
        path = PurePosixPath(name)
        safe = not path.is_absolute() and ".." not in path.parts and path.parts
        if not safe or not (name == DUMPS[manifest["vendor"]] or path.parts[0] == MEDIA):
            raise BackupError(f"{archive} names an unexpected member: {name}.")
    if DUMPS[manifest["vendor"]] not in members:
        raise BackupError(f"{archive} holds no database dump.")
    return members


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path) -> str:
    source = tar.extractfile(info)
    assert source is not None  # a regular file, checked by the caller
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _check_before(
    manifest: dict[str, Any], connection: BaseDatabaseWrapper, work: Path, media_root: Path
) -> None:
    """Every refusal that can be made before writing: vendor, migrations, empty target, media."""
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest['vendor']} database; the target is {connection.vendor}."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            f"The archive comes from a newer version (unknown migrations: {', '.join(unknown[:3])}"
            "…): install that version first."
        )
    with connection.cursor() as cursor:
        tables = _tables(cursor, connection.vendor)
    if tables:
        raise BackupError(
            f"The target database is not empty ({len(tables)} tables): restore only into a new, "
            "empty database (never migrated)."
        )
    staged = work / MEDIA
    for file in _media_files(staged):
        target = media_root / file.relative_to(staged)
        if target.exists() and _sha256(target) != _sha256(file):
            raise BackupError(f"{target} exists with other content: empty MEDIA_ROOT first.")


def _check_after(manifest: dict[str, Any], state: dict[str, Any]) -> None:
    """The restored database against the manifest: the same migrations, the same row counts."""
    if state["migrations"] != manifest["migrations"]:
        raise BackupError("Restored, but the migrations applied differ from the manifest's.")
    expected, found = manifest["tables"], state["tables"]
    wrong = sorted(t for t in set(expected) | set(found) if expected.get(t) != found.get(t))
    if wrong:
        details = ", ".join(f"{t}: {found.get(t)} ≠ {expected.get(t)}" for t in wrong[:5])
        raise BackupError(f"Restored, but row counts differ from the manifest ({details}).")


# --- Database helpers -----------------------------------------------------------------------


def _supported(vendor: str) -> None:
    if vendor not in DUMPS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


def _tables(cursor: Any, vendor: str) -> list[str]:
    """The user tables (SQLite's own left out), sorted."""
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind IN ('r', 'p')"
            " AND pg_catalog.pg_table_is_visible(c.oid)"
            " AND c.relnamespace NOT IN (SELECT oid FROM pg_namespace"
            " WHERE nspname IN ('pg_catalog', 'information_schema'))"
        )
    return sorted(row[0] for row in cursor.fetchall())


def _state(cursor: Any, vendor: str) -> dict[str, Any]:
    """Every table's row count and the migrations applied, read through `cursor`."""
    tables = _tables(cursor, vendor)
    counts = {}
    for table in tables:
        cursor.execute('SELECT COUNT(*) FROM "{}"'.format(table.replace('"', '""')))
        counts[table] = cursor.fetchone()[0]
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, name] for app, name in cursor.fetchall()]
    return {"tables": counts, "migrations": migrations}


def find_pg_tool(name: str, connection: BaseDatabaseWrapper) -> str:
    """`pg_dump`/`pg_restore` of at least the server's major version: Debian's versioned
    folders first (newest first), then PATH."""
    major = connection.pg_version // 10000  # type: ignore[attr-defined]
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: _version_key(p.parent.parent.name),
        reverse=True,
    )
    on_path = shutil.which(name)
    for candidate in [*map(str, candidates), *([on_path] if on_path else [])]:
        if _tool_major(candidate) >= major:
            return candidate
    raise BackupError(
        f"No {name} of PostgreSQL {major} or newer (install postgresql-client-{major})."
    )


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)) or (0,)


def _tool_major(tool: str) -> int:
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return 0
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else 0


def _run_pg(
    tool: str, connection: BaseDatabaseWrapper, options: list[str], tail: list[str]
) -> None:
    """Run a PostgreSQL client tool with the connection's own parameters (those Django gives
    psycopg, OPTIONS included: a socket folder, sslmode, a service…); the password goes through
    the environment, never the command line."""
    from psycopg.conninfo import make_conninfo

    params = {
        key: value
        for key, value in connection.get_connection_params().items()
        if isinstance(value, str | int) and key not in IGNORED_PARAMS
    }
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params.pop("password"))
    done = subprocess.run(
        [tool, f"--dbname={make_conninfo('', **params)}", *options, *tail],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BackupError(f"{Path(tool).name} failed: {done.stderr.strip()[-2000:]}")


# --- Small helpers --------------------------------------------------------------------------


def _app_version() -> str:
    try:
        return metadata.version("tierslieux")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """A file wrapper hashing what tarfile reads from it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk
