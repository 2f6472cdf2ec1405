"""The back office's shell: the tabs the apps registered, for this place and this user."""

import re

import pytest
from django.urls import reverse

from tierslieux.core import nav

BILLING_TABS = {"billing", "revenue", "members"}


def tab_links(page: str) -> dict[str, bool]:
    """The shell's tabs: href -> is it the current one."""
    nav_html = re.search(r'<nav class="subnav".*?</nav>', page, re.S).group(0)
    return {
        href: bool(current)
        for href, current in re.findall(r'<a href="([^"]+)"( aria-current="page")?>', nav_html)
    }


def href(tab: nav.Tab, place) -> str:
    return reverse(tab.url_name, args=[place.slug])


@pytest.mark.parametrize("tab", nav.tabs(), ids=lambda tab: tab.key)
def test_every_registered_tab_reverses_for_a_place_and_opens_for_its_coordinator(
    client, place, coordinator, tab
):
    url = href(tab, place)  # a renamed or removed URL fails here
    assert f"/manage/{place.slug}/" in url
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_a_coordinator_sees_every_tab(client, place, coordinator):
    client.force_login(coordinator)
    links = tab_links(client.get(reverse("places:manage", args=[place.slug])).content.decode())
    assert {href(tab, place) for tab in nav.tabs()} <= set(links)


def test_staff_see_the_tabs_of_their_capabilities_and_not_billing(client, place, staff):
    client.force_login(staff)
    links = tab_links(client.get(reverse("places:manage", args=[place.slug])).content.decode())
    shown = {tab.key for tab in nav.tabs() if href(tab, place) in links}
    # The revenue dashboard shows totals only (Perm.VIEW_FIGURES): the team reads it too.
    assert {"overview", "spaces", "people", "bookings", "revenue"} <= shown
    assert not shown & (BILLING_TABS - {"revenue"} | {"sheet", "hours", "team"})


@pytest.mark.parametrize(
    ("url_name", "current"),
    [
        ("places:manage", "overview"),
        ("places:manage_sheet", "sheet"),
        ("places:manage_space_new", "spaces"),
        ("places:manage_person_new", "people"),
        ("billing_manage:customers", "billing"),
    ],
)
def test_the_shell_marks_the_current_tab_and_only_it(client, place, coordinator, url_name, current):
    client.force_login(coordinator)
    page = client.get(reverse(url_name, args=[place.slug])).content.decode()
    marked = [url for url, is_current in tab_links(page).items() if is_current]
    tab = next(t for t in nav.tabs() if t.key == current)
    assert marked == [href(tab, place)]


def test_the_shell_links_the_public_page_and_the_dashboard(client, place, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("places:manage_spaces", args=[place.slug])).content.decode()
    assert place.get_absolute_url() in tab_links(page)
    assert reverse("web:dashboard") in page
