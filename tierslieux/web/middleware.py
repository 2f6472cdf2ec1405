"""The Permissions-Policy header, from `settings.PERMISSIONS_POLICY`.

Django sets the other security headers itself (SecurityMiddleware, django-csp); this one
needs a few lines, not a dependency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """`camera=(), geolocation=(self)`: an empty list denies the feature everywhere."""

    def origin(value: str) -> str:
        return value if value in {"self", "*"} else f'"{value}"'

    return ", ".join(
        f"{name}=({' '.join(origin(o) for o in origins)})" for name, origins in features.items()
    )


class PermissionsPolicyMiddleware:
    """Adds the header to every response that does not carry one already."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response
