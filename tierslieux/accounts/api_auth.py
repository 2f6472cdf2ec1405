"""Who is calling the API: a bearer token (scripts) or the browser session (with CSRF).

Write endpoints take `auth=WRITE_AUTH`; public reads call `current_user` so that they can
still tell a coordinator from a visitor without demanding credentials.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from tierslieux.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tl_…`; the token's user becomes `request.user` for access checks."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token.strip())
        if user is None:
            return None
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The logged-in browser session; CSRF is checked because browsers send the cookie alone.

    Unlike ninja's own class, an anonymous request is not CSRF-checked first, so it gets
    401 (log in) rather than 403 (bad CSRF token).
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)


#: What every write endpoint accepts: a token first, else the session.
WRITE_AUTH = [TokenAuth(), SessionAuth()]


def current_user(request: HttpRequest) -> Any:
    """The caller of a public endpoint: token user, else session user, else AnonymousUser."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        user = user_for_token(raw.strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else AnonymousUser()
