"""The demo's tests read one demo per module: the root conftest's `demo_network` (loaded once,
rolled back at the module's end; each test in its own savepoint). A test that needs a load of
its own calls `load_demo()` itself: on top of the module's demo it writes nothing."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def demo(demo_network: Any) -> Any:
    """The summary of the module's demo load (`DemoSummary`)."""
    return demo_network
