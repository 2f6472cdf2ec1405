"""Shared pytest setup: the clock, the database, the languages and the personas.

- Every test gets the database unless its module is marked `pure` (`pytestmark =
  pytest.mark.pure`): pure modules (algorithms, documents) run without one.
- The clock (`tierslieux.core.clock`) is the only time the code reads. The `clock` fixture
  stops or moves it; `pytest --clock-shift-days=365` runs a whole suite a year ahead, which
  `make test` does to prove that no test depends on today's date.
- Personas: `place` (in its own network), `coordinator`, `staff`, `member` of it,
  `other_coordinator` (of another place of another network), `network_admin` (of the place's
  network), `anonymous`. Each is a `User`; log one in with `client.force_login(...)`.
- `demo_network`: the demo, loaded once per module for tests that only read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connections, transaction
from django.utils import translation

from tierslieux.core import clock as core_clock

PARIS = ZoneInfo("Europe/Paris")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-shift-days",
        type=int,
        default=0,
        help="run the whole suite with the project's clock moved this many days ahead",
    )


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing a password costs ~0.3 s with PBKDF2; tests make thousands of users.
    # `accounts/tests` keeps one test on the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    core_clock.shift(timedelta(days=config.getoption("--clock-shift-days")))


def pytest_report_header(config: pytest.Config) -> str | None:
    days = config.getoption("--clock-shift-days")
    return f"tierslieux clock: shifted {days} days ahead" if days else None


@pytest.hookimpl(tryfirst=True)  # before pytest-django orders the tests by their markers
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """All tests touch the database, except those of modules marked `pure`. (A marker, not a
    fixture asked for at run time: pytest-django sets up the databases the items declare.)

    On SQLite, the tests marked `postgres_only` (real concurrent writers, triggers) and the
    browser tests are left out, not skipped: `make test` runs them in the PostgreSQL pass."""
    from django.conf import settings

    on_postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    kept, left_out = [], []
    for item in items:
        if not on_postgresql and (
            item.get_closest_marker("postgres_only") or item.get_closest_marker("browser")
        ):
            left_out.append(item)
            continue
        if item.get_closest_marker("pure") is None and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


# Test modules that share one package-scoped fixture (the demo, loaded once for all of them).
SHARED_PACKAGES = ("tierslieux/demo/tests/",)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """The PostgreSQL pass runs in two workers, a test module per unit of work; the modules of
    a package sharing a package-scoped fixture go to one worker together, which builds it once
    (the demo takes 30–50 s to load: once per worker would cost that again)."""
    from xdist.scheduler import LoadFileScheduling

    class Together(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for package in SHARED_PACKAGES:
                if nodeid.startswith(package):
                    return package
            return super()._split_scope(nodeid)

    if config.getoption("dist") != "loadfile":
        return None
    return Together(config, log)


def _flushes(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (1,)))
    names = getattr(item, "fixturenames", ())
    return transactional or "live_server" in names or "transactional_db" in names


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test (a browser test, concurrent writers) ends with a flush of every
    table, the categories the migrations seeded with them: seed them again, so that the tests
    after it, in whatever order a worker runs them, find the database as migrated."""
    yield
    if nextitem is None or not _flushes(item):  # the last test: the test database is gone
        return
    from pytest_django.plugin import blocking_manager_key

    from tierslieux.places.models import Category

    with item.config.stash[blocking_manager_key].unblock():
        missing = set(Category.Code.values) - set(Category.objects.values_list("code", flat=True))
        Category.objects.bulk_create(Category(code=code) for code in sorted(missing))
        connections.close_all()  # no session left open on the test database it drops at the end


@pytest.fixture(autouse=True)
def _french_by_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture
def english() -> Iterator[None]:
    """Messages read in their English source."""
    with translation.override("en"):
        yield


class Clock:
    """The test's hand on `core.clock`: `set` stops it, `advance` moves it on."""

    def set(self, at: datetime | date, tz: ZoneInfo = PARIS) -> datetime:
        if not isinstance(at, datetime):
            at = datetime.combine(at, time(12, 0))
        if at.tzinfo is None:
            at = at.replace(tzinfo=tz)
        core_clock.freeze(at)
        return at

    def advance(self, by: timedelta) -> datetime:
        return self.set(core_clock.now() + by)

    def now(self) -> datetime:
        return core_clock.now()


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Stop the project's clock where the test says; it runs again afterwards."""
    yield Clock()
    core_clock.freeze(None)


# --- Personas ------------------------------------------------------------------------------


@pytest.fixture
def place() -> Any:
    """An open coworking place that can issue invoices (SIRET, address, e-mail)."""
    from tierslieux.billing.tests import factories as bf

    return bf.place(name="La Fabrique")


@pytest.fixture
def coordinator(place: Any) -> Any:
    from tierslieux.places.tests import factories as pf

    return pf.coordinator(place)


@pytest.fixture
def staff(place: Any) -> Any:
    from tierslieux.places.tests import factories as pf

    return pf.staff(place)


@pytest.fixture
def member(place: Any) -> Any:
    from tierslieux.places.tests import factories as pf

    return pf.member(place)


@pytest.fixture
def other_place() -> Any:
    from tierslieux.billing.tests import factories as bf

    return bf.place(name="L'Autre Lieu")


@pytest.fixture
def other_coordinator(other_place: Any) -> Any:
    """The coordinator of another place, of another network: sees nothing of `place`."""
    from tierslieux.places.tests import factories as pf

    return pf.coordinator(other_place)


@pytest.fixture
def network_admin(place: Any) -> Any:
    from tierslieux.places.tests import factories as pf

    return pf.network_admin(place.network)


@pytest.fixture
def anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- The demo network, once per module -----------------------------------------------------


@pytest.fixture(scope="module")
def demo_network(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The demo, loaded once for the module inside a transaction rolled back at its end;
    each test still runs in its own savepoint, so what one writes the next does not see."""
    from tierslieux.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)
