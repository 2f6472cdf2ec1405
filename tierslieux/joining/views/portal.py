"""A logged-in person's profile: name, language, e-mail (changed once confirmed), password,
their places and roles."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tierslieux.accounts.models import User
from tierslieux.core.forms import attach_error, form_status
from tierslieux.joining import forms, queries
from tierslieux.joining.services import profile as service
from tierslieux.joining.services.common import person_of


def _remember_language(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """The middleware reads the language cookie first: keep it in step with the account."""
    request.session["user_language"] = language
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    person = person_of(user)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    form = forms.ProfileForm(
        posted if which == "profile" else None,
        initial={
            "first_name": person.first_name if person else "",
            "last_name": person.last_name if person else "",
            "language": user.language,
        },
    )
    email_form = forms.EmailChangeForm(posted if which == "email" else None)
    if which == "profile" and form.is_valid():
        try:
            service.update(user=user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            response = redirect("joining:profile")
            _remember_language(request, response, user.language)
            messages.success(request, _("Your profile is saved."))
            return response
    if which == "email" and email_form.is_valid():
        try:
            service.request_email_change(user=user, email=email_form.cleaned_data["email"])
        except ValidationError as error:
            attach_error(email_form, error, {"same_email": "email"})
        else:
            messages.success(
                request,
                _(
                    "A link is sent to %(email)s: your address changes once you open it "
                    "(within two days)."
                )
                % {"email": email_form.cleaned_data["email"]},
            )
            return redirect("joining:profile")
    return render(
        request,
        "joining/profile.html",
        {
            "form": form,
            "email_form": email_form,
            "roles": queries.my_places(user),
            "waiting": queries.my_requests(user),
        },
        status=form_status(form, email_form),
    )


@login_required
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the address the link confirms; POST makes it the account's."""
    user = cast(User, request.user)
    try:
        email = service.read_email_token(token, user=user)
        if request.method == "POST":
            service.confirm_email_change(user=user, token=token)
            messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": email})
            return redirect("joining:profile")
    except ValidationError as error:
        return render(
            request, "joining/email_confirm.html", {"error": " ".join(error.messages)}, status=410
        )
    return render(request, "joining/email_confirm.html", {"email": email})
