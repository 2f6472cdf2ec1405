"""The demo's tests read one demo load for the whole package: loaded once inside a transaction
rolled back at the package's end (each test still in its own savepoint, so what one writes
the next does not see). Three modules, one load: the demo is the slowest set-up of the suite.
A test that needs a load of its own calls `load_demo()` itself: on top of this one it writes
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """The summary of the package's demo load (`DemoSummary`)."""
    from tierslieux.demo.loader import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)
