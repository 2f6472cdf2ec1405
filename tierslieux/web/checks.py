"""A system check that refuses a weak `SECRET_KEY` in production.

Django's own deploy check (security.W009) only warns, and only under `check --deploy`; a
guessable key lets anyone forge sessions and password-reset links, so production refuses it
at start (`WebConfig.ready`) and in every `manage.py check`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

MIN_LENGTH = 50
MIN_DISTINCT = 16
HINT = (
    "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))' "
    "and set it in the SECRET_KEY environment variable."
)


def secret_key_problem(key: str) -> str:
    """Why this key is too weak, or "" when it is strong enough."""
    if len(key) < MIN_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; production needs at least {MIN_LENGTH}."
    if len(set(key)) < MIN_DISTINCT:
        return (
            f"SECRET_KEY uses only {len(set(key))} different characters; "
            f"production needs at least {MIN_DISTINCT} (a random key)."
        )
    if key.startswith(("django-insecure", "dev-only-insecure")):
        return "SECRET_KEY is a development key; production needs its own random key."
    return ""


def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off, an error naming what is wrong with the key and how to make one."""
    if settings.DEBUG:
        return []
    problem = secret_key_problem(str(settings.SECRET_KEY))
    return [Error(problem, hint=HINT, id="tierslieux.E001")] if problem else []
