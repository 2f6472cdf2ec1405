"""Root suites: the browser (one Chromium for the whole run, a fresh context per test) and the
live server, torn down in the right order; Django's own template rendering for the walks."""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls of the browser
# tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_server(django_db_setup: Any, live_server: Any) -> Any:
    """pytest-django's live server, torn down before the test database is dropped.

    Requesting `django_db_setup` first orders the teardowns: otherwise, on PostgreSQL, the
    server thread's connection is still open when the test database is dropped.
    """
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, started once per run (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context (no cookie of the test before), in French."""
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


@pytest.fixture
def plain_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates rendered as in production, without the test instrumentation: for the walks
    that read status codes and bodies, never `response.context` or `response.templates`.
    The instrumentation sends a signal for every template and form field rendered, and the
    test client copies every context it carries: most of a walk's time on big pages."""
    from django.template import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)
