"""Guessing stopped: the login backend that counts failures (django-axes) and the limit on
password-reset e-mails.

Failed logins are counted per account and per address by django-axes (settings `AXES_*`); past
the limit every attempt is refused with a 429 page, whatever the password, until the cool-off
has passed. Reset e-mails: one per account per `PASSWORD_RESET_INTERVAL`; later requests get the
same answer on screen (nobody can tell whether an address has an account) but no e-mail.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tierslieux.accounts.models import User
from tierslieux.core import clock


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, which needs the request: calls without one (`Client.login` in tests,
    management commands) come from trusted code, not from a login form, and are let through."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address. Behind `TRUSTED_PROXIES` reverse proxies (setting, 0 by default),
    the one the nearest proxy saw in X-Forwarded-For; otherwise REMOTE_ADDR (a forged header is
    then ignored). Without this, behind a proxy every visitor would share one address, and one
    lockout."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def claim_reset_email(user: User) -> bool:
    """True when a reset e-mail may go to `user` now (and remember that it went): one atomic
    update, so that two requests at once cannot both send."""
    now = clock.now()
    recent = now - settings.PASSWORD_RESET_INTERVAL
    claimed = (
        User.objects.filter(pk=user.pk)
        .filter(Q(password_reset_sent_at__isnull=True) | Q(password_reset_sent_at__lte=recent))
        .update(password_reset_sent_at=now)
    )
    return claimed == 1


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The page shown instead of the login form while locked out (429, in the visitor's
    language)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
