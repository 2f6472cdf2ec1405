"""The benchmarks' harness: a throwaway PostgreSQL cluster, Django pointed at the bench's own
database, and the machine's description recorded with the figures. Shared by
`bench/bookings_bench.py` and `bench/billrun_bench.py`."""

from __future__ import annotations

import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

# --- A throwaway PostgreSQL cluster --------------------------------------------------------


class Cluster:
    """Made like scripts/pgcluster.sh's, in its own folder: as root, the server runs as the
    postgres user (initdb refuses root); the socket lives in the folder, no TCP."""

    def __init__(self) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not found:
            sys.exit("PostgreSQL not found: `scripts/pgcluster.sh start` installs it once.")
        self.bin = found[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="tl-bench-pg."))
        self.root = os.getuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres", "postgres")

    def run(self, *args: str) -> str:
        command = ["runuser", "-u", "postgres", "--", *args] if self.root else list(args)
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        return done.stdout

    def start(self) -> str:
        data = f"{self.dir}/data"
        init = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        self.run(f"{self.bin}/initdb", "-D", data, *init)
        options = (
            f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=50"
        )
        log = f"{self.dir}/server.log"
        self.run(f"{self.bin}/pg_ctl", "-D", data, "-l", log, "-w", "start", "-o", options)
        self.run(f"{self.bin}/createdb", "-h", str(self.dir), "-U", "postgres", "tierslieux_bench")
        return f"postgres://postgres@/tierslieux_bench?host={self.dir}"

    def pgbench(self, clients: int = 8, seconds: int = 10) -> float:
        """The machine's raw transaction rate: pgbench's simple-update, in its own database."""
        host = ["-h", str(self.dir), "-U", "postgres"]
        self.run(f"{self.bin}/createdb", *host, "pgbench")
        self.run(f"{self.bin}/pgbench", *host, "-i", "-q", "pgbench")
        test = ["-b", "simple-update", "-c", str(clients), "-T", str(seconds)]
        out = self.run(f"{self.bin}/pgbench", *host, *test, "pgbench")
        found = re.search(r"tps = ([\d.]+)", out)
        if not found:
            raise RuntimeError(f"no tps in pgbench's output:\n{out}")
        return float(found.group(1))

    def stop(self) -> None:
        if (self.dir / "data").exists():
            try:
                self.run(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError as error:
                print(f"pg_ctl stop failed: {error.stderr}", file=sys.stderr)
        shutil.rmtree(self.dir, ignore_errors=True)


def setup_django(url: str | None, var: Path) -> None:
    """Settings come from the environment: point them at the bench's own database first."""
    os.environ["VAR_DIR"] = str(var)
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tierslieux.settings",
        DEBUG="0",  # no query log, as in production
        SECRET_KEY=secrets.token_urlsafe(50),  # production settings refuse a weak key
        # Served over plain HTTP on loopback: no redirect to HTTPS, no HSTS.
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        CHAIN_ANCHOR_KEY=secrets.token_urlsafe(32),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    # Tasks run in-process unless asked otherwise: TASKS_BACKEND=database measures production's
    # path, where the writer only queues a task row after commit and a worker sends the e-mail.
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def machine() -> dict[str, Any]:
    def sh(command: str) -> str:
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()

    return {
        "nproc": sh("nproc"),
        "lscpu": sh("lscpu | head -n 15"),
        "ram": sh("free -h | sed -n 2p"),
        "python": platform.python_version(),
    }


T = TypeVar("T")


def in_throwaway_database(postgres: bool, prefix: str, work: Callable[[], T]) -> tuple[T, str]:
    """Run `work` against a fresh database (SQLite in a temporary folder, or a throwaway
    PostgreSQL cluster), then remove it whatever happened; `work`'s result and the engine."""
    var = Path(tempfile.mkdtemp(prefix=prefix))
    cluster = Cluster() if postgres else None
    try:
        setup_django(cluster.start() if cluster else None, var)
        from django.db import connection

        return work(), connection.vendor
    finally:
        from django.db import connections

        connections.close_all()
        if cluster:
            cluster.stop()
        shutil.rmtree(var, ignore_errors=True)
