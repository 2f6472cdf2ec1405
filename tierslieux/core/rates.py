"""How often one visitor did something this hour: the limits that stop a flood from one
address (password-reset requests, a survey's answers).

Counted in Django's cache, never in the database, under a key that does not hold the address
(a hash keyed with the instance's `SECRET_KEY`) and that changes every clock hour. With
`CACHE_DIR` set, gunicorn's processes share the count; without it each counts on its own.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from tierslieux.core import clock

HOUR = 3600


def _key(scope: str, address: str) -> str:
    hour = clock.now().strftime("%Y%m%d%H")
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"rates:{scope}:{hour}:{digest}"


def within(scope: str, address: str | None, limit: int) -> bool:
    """Whether `address` did `scope` fewer than `limit` times this hour (no address: yes)."""
    if not address:
        return True
    return int(cache.get(_key(scope, address), 0)) < limit


def count(scope: str, address: str | None) -> None:
    """Count one more `scope` for `address` this hour."""
    if not address:
        return
    key = _key(scope, address)
    cache.add(key, 0, timeout=HOUR)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=HOUR)
