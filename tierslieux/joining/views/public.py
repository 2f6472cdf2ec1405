"""Pages reached without a login: asking to join a place, confirming one's address, taking an
invitation. Dead links answer with a page that says what to do (410), never a crash."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tierslieux.accounts.models import User
from tierslieux.core.forms import attach_error, form_status
from tierslieux.joining import forms, queries
from tierslieux.joining.services import invitations, signups
from tierslieux.places.models import Place

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _log_in(request: HttpRequest, user: User) -> None:
    login(request, user, backend=BACKEND)


def signup(request: HttpRequest, slug: str) -> HttpResponse:
    """The visitor's form; a logged-in person asks with one button."""
    place = get_object_or_404(Place, slug=slug)
    user = request.user if request.user.is_authenticated else None
    state = queries.join_state(user, place)
    form = forms.SignupForm(request.POST or None) if state == "signup" else None
    if request.method == "POST" and state == "ask" and isinstance(user, User):
        try:
            signups.ask_to_join(user=user, place=place)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("joining:signup", slug=place.slug)
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        signups.request_signup(
            place=place,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            password=data["password1"],
            language=get_language() or "fr",
        )
        request.session["joining_sent_to"] = data["email"]
        return redirect("joining:sent", slug=place.slug)
    return render(
        request,
        "joining/signup.html",
        {"place": place, "state": state, "form": form},
        status=form_status(form),
    )


def sent(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(Place, slug=slug)
    return render(
        request,
        "joining/sent.html",
        {"place": place, "email": request.session.get("joining_sent_to", "")},
    )


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links); POST confirms and logs in the new login."""
    signup_request = signups.find(token)
    if request.method != "POST":
        valid = signup_request is not None and signup_request.confirmable
        return render(
            request,
            "joining/confirm.html",
            {"signup": signup_request, "valid": valid},
            status=200 if valid else 410,
        )
    try:
        confirmed, made = signups.confirm(raw=token)
    except ValidationError as error:
        return render(
            request,
            "joining/confirm.html",
            {"signup": None, "valid": False, "error": " ".join(error.messages)},
            status=410,
        )
    if made is not None:
        _log_in(request, made)
    if confirmed.status == confirmed.Status.ACCEPTED:
        messages.success(
            request,
            _("Welcome! You are now a member of %(place)s.") % {"place": confirmed.place.name},
        )
    else:
        messages.success(
            request,
            _("Your address is confirmed. The team of %(place)s will answer your request soon.")
            % {"place": confirmed.place.name},
        )
    return redirect("places:detail", slug=confirmed.place.slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Take an invitation: choose a password (new login), or accept while logged in."""
    found = invitations.find(token)
    if found is None or not found.is_open or found.expired:
        return render(request, "joining/invitation.html", {"inv": found, "dead": True}, status=410)
    account = invitations.account_for(found)
    user = request.user if request.user.is_authenticated else None
    form = None
    if account is None and user is None:
        form = forms.SetPasswordForm(
            request.POST or None, email=found.email, full_name=found.full_name
        )
    mine = account is not None and user is not None and account.pk == user.pk
    if request.method == "POST" and (mine or (form is not None and form.is_valid())):
        try:
            taken = invitations.accept(
                invitation=found,
                user=user if isinstance(user, User) else None,
                password=form.cleaned_data["password1"] if form is not None else "",
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("joining:invitation", token=token)
            attach_error(form, error)
        else:
            if user is None:
                _log_in(request, taken)
            messages.success(
                request,
                _("Welcome to %(place)s!") % {"place": found.place.name},
            )
            return redirect("web:dashboard")
    return render(
        request,
        "joining/invitation.html",
        {
            "inv": found,
            "dead": False,
            "form": form,
            "account": account,
            "mine": mine,
            "token": token,
        },
        status=form_status(form),
    )
