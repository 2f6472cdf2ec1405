"""Invitations: addresses pasted or people of the place picked, each sent a personal link; the
list of those invited says whether they answered (for an anonymous survey: whether the link
was used, nothing more)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tierslieux.accounts.models import Person
from tierslieux.core.forms import attach_error
from tierslieux.places.models import PlaceRole
from tierslieux.surveys import services_invitations as invitations
from tierslieux.surveys.forms_builder import InvitationForm, NoticeForm
from tierslieux.surveys.models import Survey
from tierslieux.surveys.views.builder_common import go, page, refused, survey_view, timezone_of
from tierslieux.surveys.views.owner import Owner


def _people(owner: Owner) -> list[tuple[str, str]]:
    """The place's people who have an address: (address, "Name <address>")."""
    if owner.place is None:
        return []
    people = (
        Person.objects.filter(
            place_roles__place=owner.place, place_roles__role__in=PlaceRole.PERSON_ROLES
        )
        .exclude(email="")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    return [(p.email.lower(), f"{p} <{p.email}>") for p in people]


@survey_view
def invitation_list(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    form = InvitationForm(request.POST if request.method == "POST" else None, people=_people(owner))
    if form.is_valid():
        try:
            addresses = invitations.parse_addresses(form.cleaned_data["emails"])
            addresses += form.cleaned_data.get("people", [])
            done = invitations.invite(actor=request.user, survey=survey, emails=addresses)
        except ValidationError as error:
            attach_error(form, error, {"bad_address": "emails", "too_many": "emails"})
        else:
            if done.sent:
                count = len(done.sent)
                messages.success(
                    request,
                    ngettext("%(n)s personal link sent.", "%(n)s personal links sent.", count)
                    % {"n": count},
                )
            if done.already:
                messages.info(
                    request,
                    _("Already invited (send them a new link from the list): %(list)s")
                    % {"list": ", ".join(done.already)},
                )
            return go(owner, "invitations", survey.pk)
    context = {
        "survey": survey,
        "form": form,
        "invited": survey.invitations.order_by("email"),
        "usable": survey.status == Survey.Status.PUBLISHED
        and survey.answer_rule != Survey.AnswerRule.CONFIRMED,
    }
    with timezone.override(timezone_of(owner)):
        return page(request, owner, "surveys/manage/invitations.html", context, form)


@survey_view
def resend(request: HttpRequest, owner: Owner, survey: Survey) -> HttpResponse:
    """A new link for one invitation (POST `invitation`); the old one stops working."""
    if request.method != "POST":
        return go(owner, "invitations", survey.pk)
    form = NoticeForm()
    try:
        invitation_id = int(request.POST.get("invitation", ""))
    except ValueError:
        invitation_id = 0
    try:
        sent = invitations.resend(actor=request.user, survey=survey, invitation_id=invitation_id)
    except ValidationError as error:
        refused(form, error)
        context = {
            "survey": survey,
            "form": InvitationForm(people=_people(owner)),
            "refusal": form,
            "invited": survey.invitations.order_by("email"),
            "usable": survey.status == Survey.Status.PUBLISHED,
        }
        with timezone.override(timezone_of(owner)):
            return page(request, owner, "surveys/manage/invitations.html", context, form)
    messages.success(request, _("A new link was sent to %(email)s.") % {"email": sent.email})
    return go(owner, "invitations", survey.pk)


owner_urls: list[URLPattern] = [
    path("<int:survey_id>/invitations/", invitation_list, name="invitations"),
    path("<int:survey_id>/invitations/resend/", resend, name="resend"),
]
