"""`tierslieux backup` and `restore`. The round trip across the apps: a place with an issued
invoice, a booking, audit entries and a media file are backed up, restored into a fresh empty
database (SQLite: a new file; PostgreSQL: a new database in the test cluster), then
`verify_invoices` passes and every table's row count, the migrations and the media files match.

One test for both databases: it runs on SQLite in the SQLite pass and on PostgreSQL in the
PostgreSQL pass. It commits its data (`transaction=True`) because `pg_dump` runs in another
process and sees only committed rows; the refusals need no commit (the archive they
use is made once per module).

Refusals (a truncated archive, a checksum mismatch, a non-empty target): a clear message, exit
code 1, and nothing changed, neither the database nor MEDIA_ROOT."""

from __future__ import annotations

import copy
import io
import json
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings

from tierslieux.billing.tests import factories as bf
from tierslieux.bookings import services as bookings
from tierslieux.bookings.tests import factories as bkf
from tierslieux.core import audit, backup


@contextmanager
def fresh_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The settings of a new, empty database of the current vendor, dropped afterwards."""
    settings_dict = copy.deepcopy(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings_dict
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict["NAME"] = name
    try:
        yield settings_dict
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def as_default(settings_dict: dict[str, Any]) -> Iterator[Any]:
    """Make `settings_dict` the default database for the block (commands use the default)."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    original = connections["default"]
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        connections["default"] = original


def state() -> dict[str, Any]:
    with connection.cursor() as cursor:
        return backup._state(cursor, connection.vendor)


@pytest.mark.django_db(transaction=True)
def test_round_trip(clock: Any, settings: Any, tmp_path: Path) -> None:
    clock.set(date(2027, 3, 1))
    settings.MEDIA_ROOT = tmp_path / "media"
    place = bkf.open_every_day(bf.place(name="La Fabrique"))
    coordinator = bf.coordinator(place)
    invoice = bf.issued(coordinator, bf.customer(place))
    space = bkf.room(place, name="Salle Jaune")
    bkf.rules(space)
    bookings.create_booking(
        actor=coordinator, space=space, start=bkf.at("2027-03-02", 10), end=bkf.at("2027-03-02", 12)
    )
    audit.record(actor=None, action="backup.test", obj=place, place_id=place.pk)
    logo = Path(settings.MEDIA_ROOT) / "logos" / "fabrique.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG fake logo")
    before = state()
    assert before["tables"]["billing_invoice"] == 1 and before["tables"]["bookings_booking"] == 1
    assert before["tables"]["core_auditentry"] >= 1

    out = StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    archive = next((tmp_path / "backups").glob("tierslieux-*.tar.gz"))
    assert f"{connection.vendor}, {len(before['tables'])} tables" in out.getvalue()
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["vendor"] == connection.vendor and manifest["tables"] == before["tables"]
    assert manifest["migrations"] == before["migrations"]
    assert set(manifest["members"]) == {backup.DUMPS[connection.vendor], "media/logos/fabrique.png"}

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with fresh_database(tmp_path) as target, as_default(target):
        call_command("restore", str(archive), stdout=out)
        assert "counts checked" in out.getvalue()
        assert state() == before
        call_command("verify_invoices", stdout=out)
        assert f"{place.slug}: 1 issued invoices, chain intact" in out.getvalue()
        from tierslieux.billing.models import Invoice

        assert Invoice.objects.get().number == invoice.number
    restored_logo = tmp_path / "restored-media" / "logos" / "fabrique.png"
    assert restored_logo.read_bytes() == logo.read_bytes()


# --- Refusals -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made_archive(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A backup of the test database (no rows needed) with one media file, made once, outside
    any test's transaction (a PostgreSQL backup refuses to run inside one)."""
    folder = tmp_path_factory.mktemp("backup")
    (folder / "media").mkdir()
    (folder / "media" / "invoice.pdf").write_bytes(b"%PDF-1.7 fake")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"):
        return backup.backup(folder / "backup.tar.gz").path


@pytest.fixture
def archive(made_archive: Path, settings: Any, tmp_path: Path) -> Path:
    """The test's own copy of the archive; MEDIA_ROOT an empty folder of the test's."""
    settings.MEDIA_ROOT = tmp_path / "target-media"
    return Path(shutil.copy(made_archive, tmp_path / made_archive.name))


def refused(archive: Path, target: dict[str, Any] | None = None) -> str:
    """Run `restore`, expect a refusal with exit code 1, return its message."""
    with pytest.raises(CommandError) as refusal:
        if target is None:
            call_command("restore", str(archive))
        else:
            with as_default(target):
                call_command("restore", str(archive))
    assert refusal.value.returncode == 1
    return str(refusal.value)


def untouched(target: dict[str, Any], media: Path) -> None:
    """The fresh database still has no table; MEDIA_ROOT got no file."""
    with as_default(target):
        assert state()["tables"] == {}
    assert not media.exists() or not any(media.rglob("*"))


def test_a_truncated_archive_is_refused(archive: Path, settings: Any, tmp_path: Path) -> None:
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with fresh_database(tmp_path) as target:
        assert "truncated or corrupt" in refused(archive, target)
        untouched(target, Path(settings.MEDIA_ROOT))


def test_a_checksum_mismatch_is_refused(archive: Path, settings: Any, tmp_path: Path) -> None:
    """The same members and manifest, one file's bytes changed: the manifest's checksum wins."""
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as out:
        for info in src:
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == "media/invoice.pdf":
                data = data.replace(b"fake", b"FAKE")
            out.addfile(info, io.BytesIO(data))
    with fresh_database(tmp_path) as target:
        message = refused(tampered, target)
        assert "Checksum mismatch on media/invoice.pdf" in message
        untouched(target, Path(settings.MEDIA_ROOT))


def test_a_database_that_is_not_empty_is_refused(archive: Path, settings: Any) -> None:
    before = state()
    message = refused(archive)
    assert "not empty" in message and "restore only into a new, empty database" in message
    assert state() == before
    assert not Path(settings.MEDIA_ROOT).exists()


def test_not_a_backup_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "stray.tar.gz"
    with tarfile.open(stray, "w:gz") as out:
        out.addfile(tarfile.TarInfo("hello.txt"), io.BytesIO(b""))
    assert "not a tierslieux backup" in refused(stray)
    assert "No archive at" in refused(tmp_path / "missing.tar.gz")
