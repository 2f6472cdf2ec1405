"""The production path, end to end: gunicorn (one worker, loopback, a random port) with the
settings a production process reads, against PostgreSQL; static files collected by
`collectstatic` and served by WhiteNoise; the task worker running a queued task.

Only the `web` static files are collected (compressing all of them, the API docs' bundle and
the map's vendored scripts included, takes a minute on a busy machine): the login page needs
no others.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus

from tierslieux.accounts.tasks import queue_email

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
OTHER_STATIC = ["admin", "ninja", "vendor", "observatory", "billing", "bookings", "events"]
HTTPS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def production_env(var: Path) -> dict[str, str]:
    """The environment of gunicorn and the worker, pointed at this run's test database."""
    url = urlsplit(os.environ["DATABASE_URL"])
    test_db = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": test_db,
        "TASKS_BACKEND": "database",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "CACHE_DIR": str(var / "cache"),
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    """gunicorn on a port the system picks; its port read from its log."""
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "tierslieux.wsgi", "--workers", "1", "--bind", "127.0.0.1:0",
         "--log-level", "info"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert server.stderr is not None
    for line in server.stderr:
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            return server, int(found.group(1))
    raise AssertionError(f"gunicorn did not start (exit {server.wait()})")


def get(port: int, path: str, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
    deadline = time.monotonic() + 20
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response, response.read()
        except ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # the worker process is still booting
        finally:
            conn.close()


def test_gunicorn_whitenoise_and_the_worker_in_production_settings(tmp_path):
    env = production_env(tmp_path)
    # Sealed with the key the worker has, as gunicorn and the worker share theirs.
    with override_settings(TASKS=DATABASE_TASKS, SECRET_KEY=env["SECRET_KEY"]):
        queued = queue_email("Bienvenue", "Bonjour", ["ada@example.org"])
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    # In this process (one Django start saved), with production's storage: hashed names, a
    # manifest, compressed copies.
    with override_settings(STATIC_ROOT=env["STATIC_ROOT"], STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=OTHER_STATIC)
    server, port = start_gunicorn(env)
    try:
        plain, _ = get(port, "/accounts/login/", {"Host": "127.0.0.1"})
        assert plain.status == 301  # plain HTTP goes to HTTPS
        assert plain.headers["Location"].startswith("https://127.0.0.1/")

        page, body = get(port, "/accounts/login/", HTTPS)
        assert page.status == 200
        assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "camera=()" in page.headers["Permissions-Policy"]
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Secure" in page.headers["Set-Cookie"]  # the CSRF cookie travels over TLS only

        (stylesheet,) = re.findall(rb'href="(/static/web/site\.[0-9a-f]{12}\.css)"', body)
        static, css = get(port, stylesheet.decode(), {**HTTPS, "Accept-Encoding": "gzip"})
        assert static.status == 200
        assert static.headers["Content-Type"].startswith("text/css")
        assert static.headers["Content-Encoding"] == "gzip"
        assert "immutable" in static.headers["Cache-Control"]  # a hashed name: cached for good
        assert css[:2] == b"\x1f\x8b"

        geojson, _ = get(port, "/map/places.geojson", HTTPS)
        assert geojson.status == 200
        assert any((Path(env["CACHE_DIR"])).iterdir())  # the cache the processes share

        assert worker.wait(timeout=30) == 0
        with override_settings(TASKS=DATABASE_TASKS):
            queued.refresh()
        assert queued.status == TaskResultStatus.SUCCESSFUL
        assert queued.return_value == 1  # one message sent
    finally:
        server.terminate()
        server.communicate(timeout=10)  # and closes its log pipe
        if worker.poll() is None:
            worker.kill()
