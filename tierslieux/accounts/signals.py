from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def remember_language(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """After login, the user's saved language becomes the session's."""
    if request is not None and hasattr(request, "session"):
        request.session["user_language"] = user.language
