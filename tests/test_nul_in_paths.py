"""No address gives a 500, however absurd what it carries: every route with a text part
(a key, a token, a month) answered with a NUL byte in it, which PostgreSQL refuses in a text
field. On SQLite this passes whatever the code; the PostgreSQL pass is where it bites."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.test import Client
from django.urls import URLResolver, get_resolver

TEXT_PART = re.compile(r"<(?:str|path):\w+>|<(?!\w+:)\w+>")


def routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_a_nul_byte_in_any_text_part_of_an_address_is_never_a_500(
    place: Any, coordinator: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    tried, failed = 0, []
    for route in routes(get_resolver().url_patterns):
        if route.startswith("^") or not TEXT_PART.search(route):
            continue
        url = "/" + TEXT_PART.sub("%00", route)
        url = url.replace("<slug:slug>", place.slug)
        url = url.replace("<slug:network_slug>", place.network.slug)
        url = re.sub(r"<int:\w+>", "1", url)
        url = re.sub(r"<slug:\w+>", "x", url)
        for method in (client.get, client.post):
            tried += 1
            if method(url).status_code >= 500:
                failed.append(f"{method.__name__.upper()} {url}")
    assert tried > 20 and failed == []
