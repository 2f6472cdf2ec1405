"""Serve a logged-in user in the language they chose, before LocaleMiddleware decides."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The session user is not loaded yet: peek at the language cookie set at login instead.
        # Explicit choices (the language switcher) always win because they set that cookie.
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = request.session.get("user_language") if hasattr(request, "session") else None
            if language:
                request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = language
        return self.get_response(request)


class SessionRecordMiddleware:
    """Keeps `UserSession` up to date (created at first sight, last seen every few minutes) so
    that a person sees where they are logged in. Sessions ended elsewhere are flushed by Django's
    own check; this only describes the live ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            key = session.session_key
            if key:
                from tierslieux.accounts import services

                services.record_session(
                    user=user,  # type: ignore[arg-type]
                    session_key=key,
                    user_agent=request.headers.get("user-agent", ""),
                    ip=request.META.get("REMOTE_ADDR") or None,
                )
        return response
