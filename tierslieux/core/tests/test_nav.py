"""The back office's tab registry: order, replacement by key, the current tab."""

import pytest

from tierslieux.core import nav

pytestmark = pytest.mark.pure


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the apps' tabs are back afterwards."""
    monkeypatch.setattr(nav, "_tabs", {})


def test_tabs_come_in_their_order_then_by_key(registry):
    nav.register(nav.Tab("revenue", "Revenue", "revenue:dashboard", 90))
    nav.register(nav.Tab("overview", "Overview", "places:manage", 0))
    nav.register(nav.Tab("b", "B", "x:b", 50))
    nav.register(nav.Tab("a", "A", "x:a", 50))
    assert [t.key for t in nav.tabs()] == ["overview", "a", "b", "revenue"]


def test_registering_the_same_key_replaces_the_tab(registry):
    nav.register(nav.Tab("sheet", "Sheet", "places:manage_sheet", 10))
    nav.register(nav.Tab("sheet", "Technical sheet", "places:manage_sheet", 10))
    assert [t.label for t in nav.tabs()] == ["Technical sheet"]


def test_a_tab_is_current_on_its_own_page_by_default():
    tab = nav.Tab("sheet", "Sheet", "places:manage_sheet", 10)
    assert tab.is_current("places", "manage_sheet")
    assert not tab.is_current("places", "manage_hours")
    assert not tab.is_current("billing_manage", "manage_sheet")


def test_a_tab_is_current_on_the_pages_it_names_or_on_its_whole_namespace():
    spaces = nav.Tab(
        "spaces", "Spaces", "places:manage_spaces", 40, current=("places:manage_space",)
    )
    assert spaces.is_current("places", "manage_space")
    assert not spaces.is_current("places", "manage_spaces")  # `current` replaces the default
    billing = nav.Tab(
        "billing", "Billing", "billing_manage:invoices", 80, current=("billing_manage:*",)
    )
    assert billing.is_current("billing_manage", "customers")
    assert not billing.is_current("revenue", "dashboard")


def test_the_apps_registered_their_tabs_in_ready():
    keys = [t.key for t in nav.tabs()]
    assert keys[0] == "overview"
    assert {"sheet", "spaces", "people", "bookings", "members", "billing", "revenue"} <= set(keys)
