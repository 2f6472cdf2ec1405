"""The team's pages: invitations (send, resend, revoke), requests to join (accept, decline,
each asked first) and the place's joining settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.joining import forms, queries
from tierslieux.joining.models import Invitation, SignupRequest
from tierslieux.joining.services import invitations, signups
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place, PlaceRole


def _back(place: Place) -> HttpResponse:
    return redirect("joining_manage:invitations", slug=place.slug)


@place_view(Perm.EDIT_PEOPLE)
def invitations_page(request: HttpRequest, place: Place) -> HttpResponse:
    """Open invitations (expired ones too, to resend), the latest closed ones, and the form."""
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = forms.InvitationForm(request.POST or None, initial=initial, place=place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["role"] == PlaceRole.Role.COORDINATOR and not data["confirmed"]:
            return render(
                request,
                "joining/manage/invitation_confirm.html",
                {"place": place, "form": form, "who": data["person"] or data["email"]},
            )
        try:
            invitation, _raw = invitations.invite(
                actor=request.user,
                place=place,
                role=data["role"],
                person=data["person"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                coordinator_confirmed=data["confirmed"],
            )
        except ValidationError as error:
            attach_error(form, error, {"already_invited": "email", "role_held": "role"})
        else:
            messages.success(
                request,
                _("The invitation is sent to %(email)s.") % {"email": invitation.email},
            )
            return _back(place)
    return render(
        request,
        "joining/manage/invitations.html",
        {
            "place": place,
            "form": form,
            "open": queries.open_invitations(place),
            "closed": queries.closed_invitations(place),
            "waiting": queries.pending_requests(place).count(),
        },
        form,
    )


@require_POST
@place_view(Perm.EDIT_PEOPLE)
def resend(request: HttpRequest, place: Place, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, place=place)
    try:
        invitations.resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link is sent to %(email)s; the previous one no longer works.")
            % {"email": invitation.email},
        )
    return _back(place)


@place_view(Perm.EDIT_PEOPLE)
def revoke(request: HttpRequest, place: Place, invitation_id: int) -> HttpResponse:
    """Ask first (GET), then revoke on POST: the link stops working."""
    invitation = get_object_or_404(Invitation, pk=invitation_id, place=place)
    if request.method != "POST":
        return render(
            request, "joining/manage/invitation_revoke.html", {"place": place, "inv": invitation}
        )
    try:
        invitations.revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
        )
    return _back(place)


@place_view(Perm.EDIT_PEOPLE)
def requests_page(request: HttpRequest, place: Place) -> HttpResponse:
    return render(
        request,
        "joining/manage/requests.html",
        {
            "place": place,
            "pending": queries.pending_requests(place),
            "decided": queries.decided_requests(place),
            "joining": signups.settings_of(place),
        },
    )


def _decide(request: HttpRequest, place: Place, request_id: int, decision: str) -> HttpResponse:
    signup = get_object_or_404(SignupRequest, pk=request_id, place=place)
    if request.method != "POST":
        return render(
            request,
            "joining/manage/request_decide.html",
            {"place": place, "signup": signup, "decision": decision},
        )
    service = signups.accept if decision == "accept" else signups.decline
    try:
        service(actor=request.user, request=signup)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = (
            _("%(name)s is now a member of the place.")
            if decision == "accept"
            else _("The request of %(name)s is declined; they are told by e-mail.")
        )
        messages.success(request, done % {"name": signup.full_name})
    return redirect("joining_manage:requests", slug=place.slug)


@place_view(Perm.EDIT_PEOPLE)
def accept(request: HttpRequest, place: Place, request_id: int) -> HttpResponse:
    return _decide(request, place, request_id, "accept")


@place_view(Perm.EDIT_PEOPLE)
def decline(request: HttpRequest, place: Place, request_id: int) -> HttpResponse:
    return _decide(request, place, request_id, "decline")


@place_view(Perm.EDIT_PEOPLE)
def settings_page(request: HttpRequest, place: Place) -> HttpResponse:
    current = signups.settings_of(place)
    form = forms.JoinSettingsForm(
        request.POST or None,
        initial={"signup_open": current.signup_open, "auto_accept": current.auto_accept},
    )
    if request.method == "POST" and form.is_valid():
        signups.update_settings(actor=request.user, place=place, **form.cleaned_data)
        messages.success(request, _("The joining settings are saved."))
        return redirect("joining_manage:settings", slug=place.slug)
    return render(request, "joining/manage/settings.html", {"place": place, "form": form}, form)
