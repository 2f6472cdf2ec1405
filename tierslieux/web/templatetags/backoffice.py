"""`{% backoffice_tabs %}`: the tabs the apps registered (`core.nav`), for this place and user."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from tierslieux.core import nav

register = template.Library()


@register.inclusion_tag("backoffice/tabs.html", takes_context=True)
def backoffice_tabs(context: template.Context) -> dict[str, Any]:
    place = context["place"]
    can: dict[str, bool] = context.get("can") or {}
    match = getattr(context.get("request"), "resolver_match", None)
    namespace, url_name = (match.namespace, match.url_name) if match else ("", "")
    shown = []
    for tab in nav.tabs():
        if tab.capability is not None and not can.get(tab.capability):
            continue
        shown.append(
            {
                "label": tab.label,
                # No try: a tab whose URL is gone is a bug, and its page fails its tests.
                "url": reverse(tab.url_name, args=[place.slug]),
                "current": tab.is_current(namespace, url_name),
            }
        )
    return {"tabs": shown, "place": place}
