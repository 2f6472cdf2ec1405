from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def remember_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """After login, the user's saved language becomes the session's, and the session is
    recorded for the security page."""
    if request is not None and hasattr(request, "session"):
        request.session["user_language"] = user.language
        from tierslieux.accounts import services
        from tierslieux.accounts.throttle import client_ip

        services.record_session(
            user=user,
            session=request.session,
            user_agent=request.headers.get("user-agent", ""),
            ip=client_ip(request),
        )


def forget_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At logout the session row goes with the session."""
    if request is not None and hasattr(request, "session"):
        from tierslieux.accounts import services

        services.forget_session(request.session.session_key)
