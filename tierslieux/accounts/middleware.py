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
