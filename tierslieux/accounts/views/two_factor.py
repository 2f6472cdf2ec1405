"""Logging in with a second factor, and turning it on or off from the security page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from tierslieux.accounts import two_factor
from tierslieux.accounts.models import User
from tierslieux.core import clock
from tierslieux.core.forms import form_status

PENDING = "_tl_2fa_pending"  # {user, backend, next, at} between the password and the code
PENDING_SECONDS = 300
MAX_WRONG_CODES = 5


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginView(auth_views.LoginView):
    """Django's login; when the person has a second factor, the password only leads to the
    page that asks the code (nobody is logged in before)."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not two_factor.is_enabled(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": clock.now().timestamp(),
            "wrong": 0,
        }
        return redirect("login_code")


def _pending(request: HttpRequest) -> tuple[dict[str, Any], User] | None:
    pending = request.session.get(PENDING)
    if not pending or clock.now().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (pending, user) if user else None


def login_code(request: HttpRequest) -> HttpResponse:
    found = _pending(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("Please log in again."))
        return redirect("login")
    pending, user = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["otp_token"])
        if device is not None:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
        # Counted as a failed login too: django-axes locks the account out past its limit.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email}, request=request
        )
        pending["wrong"] += 1
        if pending["wrong"] >= MAX_WRONG_CODES:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes: log in again."))
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error("otp_token", _("This code is not right (or already used)."))
    return render(request, "registration/login_code.html", {"form": form}, status=form_status(form))


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Shows the QR code and the secret of a new device; a first right code turns it on and
    shows the backup codes, once."""
    user = cast(User, request.user)
    if two_factor.is_enabled(user):
        return render(request, "accounts/two_factor.html", {"enabled": True})
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(user, device, form.cleaned_data["otp_token"])
        if codes is not None:
            otp_login(request, device)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes})
        form.add_error("otp_token", _("This code is not right: check your app's clock."))
    ctx = {
        "enabled": False,
        "form": form,
        "qr": two_factor.qr_svg(device, user),
        "secret": two_factor.secret_for_display(device),
        "required": two_factor.required_for(user),
    }
    return render(request, "accounts/two_factor.html", ctx, status=form_status(form))


@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """GET asks first; POST turns the second factor off (unless the instance requires it)."""
    user = cast(User, request.user)
    if two_factor.required_for(user):
        messages.error(request, _("Your role requires a second factor: it stays on."))
        return redirect("two_factor")
    if request.method != "POST":
        return render(request, "accounts/two_factor_disable.html")
    two_factor.disable(user)
    messages.success(request, _("The second factor is off."))
    return redirect("two_factor")
