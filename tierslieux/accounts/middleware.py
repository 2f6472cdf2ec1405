"""Middleware of accounts: the user's language, their sessions' records, the required second
factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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
    """Keeps `UserSession` up to date so that a person sees where they are logged in: the row
    is made at login (signal); here `last_seen_at` is refreshed, at most every few minutes (the
    session remembers when, so that most requests cost no query). Sessions ended elsewhere are
    flushed by Django's own check; this only describes the live ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or not user.is_authenticated or session is None:
            return response
        from tierslieux.accounts import services
        from tierslieux.accounts.throttle import client_ip

        if session.session_key and services.session_seen_due(session):
            services.record_session(
                user=user,
                session=request.session,
                user_agent=request.headers.get("user-agent", ""),
                ip=client_ip(request),
            )
        return response


class TwoFactorRequiredMiddleware:
    """Sends a logged-in user whom the instance requires to use a second factor (see
    `two_factor.register_requirement`) to its set-up page before anything else."""

    ALLOWED = ("two_factor", "logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.ALLOWED:
            return None
        from tierslieux.accounts import two_factor

        if two_factor.required_for(user) and not two_factor.is_enabled(user):
            return redirect("two_factor")
        return None
