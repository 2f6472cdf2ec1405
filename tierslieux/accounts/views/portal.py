"""A logged-in person's own account pages beyond Django's auth views: their API tokens."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.accounts import services
from tierslieux.accounts.forms import ApiTokenForm
from tierslieux.accounts.models import ApiToken, User
from tierslieux.core.forms import form_status


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.create_api_token(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": tokens, "raw_token": raw},
        status=form_status(form),
    )


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    services.revoke_api_token(actor=user, token=token)
    messages.success(request, _("The token is revoked."))
    return redirect("api_tokens")
