"""A person's security page: where they are logged in (and ending those sessions), and the
password change that ends the other sessions."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tierslieux.accounts import browsers, services
from tierslieux.accounts.models import User, UserSession


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    current = request.session.session_key
    rows = []
    for session in UserSession.objects.filter(user=user):
        browser, system = browsers.summarise(session.user_agent)
        rows.append(
            {
                "session": session,
                "browser": browser,
                "system": system,
                "current": session.session_key == current,
            }
        )
    return render(request, "accounts/sessions.html", {"rows": rows})


@login_required
def revoke_session(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST ends the session."""
    user = cast(User, request.user)
    session = get_object_or_404(UserSession, pk=pk, user=user)
    if request.method != "POST":
        browser, system = browsers.summarise(session.user_agent)
        ctx = {"session": session, "browser": browser, "system": system}
        return render(request, "accounts/session_revoke.html", ctx)
    services.revoke_session(user=user, session=session)
    messages.success(request, _("That session is ended."))
    if session.session_key == request.session.session_key:
        return redirect("login")
    return redirect("sessions")


@login_required
def revoke_other_sessions(request: HttpRequest) -> HttpResponse:
    """GET asks first; POST logs out every other browser."""
    if request.method != "POST":
        return render(request, "accounts/sessions_revoke_others.html")
    user = cast(User, request.user)
    count = services.revoke_other_sessions(user=user, keep=request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)s.") % {"count": count})
    return redirect("sessions")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, which also ends the person's other sessions (not only invalidates them)."""

    def form_valid(self, form: Any) -> HttpResponse:
        before = self.request.session.session_key  # Django gives this browser a new key
        response = super().form_valid(form)
        user = cast(User, self.request.user)
        services.revoke_other_sessions(user=user, keep=before)
        services.rekey_session(before, self.request.session.session_key)
        return response
