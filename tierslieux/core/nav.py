"""The back office's tabs: each app adds its own, the `web` shell renders them.

Why a registry kept this low: `places` draws the back office's frame but must not name the
URLs of the apps above it. Each app registers its tabs in its `AppConfig.ready()`; the shell
(`web/templates/backoffice/base.html`) reverses every URL for the place, so a renamed URL
fails loudly (and `web`'s tests reverse each tab) instead of silently losing its link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Tab:
    """One tab of a place's back office.

    `url_name` is reversed with the place's slug; `capability` names the entry of the page's
    `can` dict that shows it (None: everyone with the back office sees it); the tab is the
    current one when the page's URL name is in `current` (`namespace:name` or `namespace:*`).
    """

    key: str
    label: Any
    url_name: str
    order: int
    capability: str | None = None
    current: tuple[str, ...] = ()

    def is_current(self, namespace: str, url_name: str) -> bool:
        names = self.current or (self.url_name,)
        return f"{namespace}:{url_name}" in names or f"{namespace}:*" in names


_tabs: dict[str, Tab] = {}


def register(tab: Tab) -> None:
    """Add a tab (an app calls this once per tab in `ready()`; the same key replaces)."""
    _tabs[tab.key] = tab


def tabs() -> list[Tab]:
    return sorted(_tabs.values(), key=lambda t: (t.order, t.key))
