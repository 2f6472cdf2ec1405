"""The coordinator's back office: technical sheet, hours, team, spaces, people and roles.

Every view goes through the back-office kit (`places.backoffice`): `place_view` loads the place
and asks `access` first; `render` adds the user's capabilities and answers 422 when a submitted
form holds errors (nothing is written); `attach_error` shows a service's refusal on its form.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.accounts.models import Organisation, Person
from tierslieux.core.forms import submit
from tierslieux.places import forms, queries, services
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import OpeningException, Place, PlaceRole, Space


@place_view(Perm.VIEW_BACKOFFICE)
def overview(request: HttpRequest, place: Place) -> HttpResponse:
    return render(
        request,
        "places/manage/overview.html",
        {
            "place": place,
            "spaces": place.spaces.active().order_by("name"),
            "role_counts": {r.label: place.roles.filter(role=r).count() for r in PlaceRole.Role},
        },
    )


@place_view(Perm.EDIT_SHEET)
def edit_sheet(request: HttpRequest, place: Place) -> HttpResponse:
    form = forms.PlaceSheetForm(request.POST or None, instance=Place.objects.get(pk=place.pk))
    if submit(
        request,
        form,
        lambda _data: services.update_place(
            actor=request.user, place=place, categories=form.category_codes(), **form.changes()
        ),
    ):
        messages.success(request, _("The technical sheet is saved."))
        return redirect("places:manage_sheet", slug=Place.objects.get(pk=place.pk).slug)
    return render(request, "places/manage/sheet.html", {"place": place, "form": form}, form)


@place_view(Perm.EDIT_SHEET)
def edit_hours(request: HttpRequest, place: Place) -> HttpResponse:
    hours_form = forms.WeeklyHoursForm(
        request.POST if request.POST.get("form") == "hours" else None,
        initial=forms.WeeklyHoursForm.initial_from(list(place.hours.all())),
    )
    exception_form = forms.OpeningExceptionForm(
        request.POST if request.POST.get("form") == "exception" else None
    )
    bound: BaseForm | None = None
    if request.method == "POST":
        bound = hours_form if hours_form.is_bound else exception_form
        if bound.is_valid():
            try:
                if bound is hours_form:
                    services.set_weekly_hours(
                        actor=request.user, place=place, intervals=hours_form.intervals
                    )
                else:
                    services.add_opening_exception(
                        actor=request.user, place=place, **exception_form.cleaned_data
                    )
            except ValidationError as error:
                attach_error(bound, error)
            else:
                messages.success(request, _("Opening hours are saved."))
                return redirect("places:manage_hours", slug=place.slug)
    return render(
        request,
        "places/manage/hours.html",
        {
            "place": place,
            "hours_form": hours_form,
            "exception_form": exception_form,
            "exceptions": place.opening_exceptions.all(),
            "osm_hours": queries.osm_hours(place),
        },
        bound,
    )


@place_view(Perm.EDIT_SHEET)
def remove_exception(request: HttpRequest, place: Place, pk: int) -> HttpResponse:
    """Ask first (GET: the exception's dates), then remove it on POST."""
    exception = get_object_or_404(OpeningException, pk=pk, place=place)
    if request.method != "POST":
        return render(
            request, "places/manage/exception_remove.html", {"place": place, "exception": exception}
        )
    services.remove_opening_exception(actor=request.user, exception=exception)
    messages.success(request, _("The exception is removed."))
    return redirect("places:manage_hours", slug=place.slug)


@place_view(Perm.EDIT_SHEET)
def edit_team(request: HttpRequest, place: Place) -> HttpResponse:
    initial = [{"role": t.role, "people": t.people, "fte": t.fte} for t in place.team.all()]
    formset = forms.TeamFormSet(request.POST or None, initial=initial, prefix="team")
    if request.method == "POST" and formset.is_valid():
        lines = [
            (f.cleaned_data["role"], f.cleaned_data["people"], f.cleaned_data["fte"])
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        services.set_team(actor=request.user, place=place, lines=lines)
        messages.success(request, _("The team is saved."))
        return redirect("places:manage_team", slug=place.slug)
    return render(request, "places/manage/team.html", {"place": place, "formset": formset}, formset)


# --- Spaces ---------------------------------------------------------------------------------


@place_view(Perm.VIEW_BACKOFFICE)
def spaces(request: HttpRequest, place: Place) -> HttpResponse:
    return render(
        request,
        "places/manage/spaces.html",
        {
            "place": place,
            "spaces": place.spaces.active().prefetch_related("equipment").order_by("name"),
            "archived": place.spaces.archived().order_by("name"),
        },
    )


@place_view(Perm.EDIT_SPACES)
def edit_space(request: HttpRequest, place: Place, space_slug: str | None = None) -> HttpResponse:
    space = get_object_or_404(Space, place=place, slug=space_slug) if space_slug else None
    form = forms.SpaceForm(request.POST or None, instance=space, place=place)

    def save(data: dict[str, Any]) -> object:
        if space is None:
            return services.create_space(
                actor=request.user, place=place, equipment=data["equipment"], **form.changes()
            )
        return services.update_space(
            actor=request.user, space=space, equipment=data["equipment"], **form.changes()
        )

    if submit(request, form, save):
        messages.success(request, _("The space is saved."))
        return redirect("places:manage_spaces", slug=place.slug)
    return render(
        request,
        "places/manage/space_form.html",
        {"place": place, "form": form, "space": space},
        form,
    )


@place_view(Perm.EDIT_SPACES)
def delete_space(request: HttpRequest, place: Place, space_slug: str) -> HttpResponse:
    """Ask first (GET: what will happen), then delete or, when it has a history, archive."""
    space = get_object_or_404(Space, place=place, slug=space_slug)
    if request.method != "POST":
        return render(
            request,
            "places/manage/space_delete.html",
            {"place": place, "space": space, "history": services.space_history(space)},
        )
    done = services.delete_space(actor=request.user, space=space)
    if done is services.Removal.DELETED:
        messages.success(request, _("The space “%(name)s” is deleted.") % {"name": space.name})
    else:
        messages.success(
            request,
            _(
                "The space “%(name)s” has bookings or rates: it is archived, not deleted. "
                "It no longer appears on the booking pages; you can restore it from the "
                "archived spaces."
            )
            % {"name": space.name},
        )
    return redirect("places:manage_spaces", slug=place.slug)


@require_POST
@place_view(Perm.EDIT_SPACES)
def restore_space(request: HttpRequest, place: Place, space_slug: str) -> HttpResponse:
    space = get_object_or_404(Space, place=place, slug=space_slug)
    services.restore_space(actor=request.user, space=space)
    messages.success(request, _("The space “%(name)s” is restored.") % {"name": space.name})
    return redirect("places:manage_spaces", slug=place.slug)


# --- People and roles -----------------------------------------------------------------------


@place_view(Perm.VIEW_PEOPLE)
def people(request: HttpRequest, place: Place) -> HttpResponse:
    return render(
        request,
        "places/manage/people.html",
        {
            "place": place,
            "roles": queries.roles_of_place(place),
            "grant_default": forms.GrantRoleForm.base_fields["role"].initial,
            # The roles each kind of holder may take: no "Coordinator" offered to a company.
            "person_roles": _choices(PlaceRole.PERSON_ROLES),
            "organisation_roles": _choices(PlaceRole.ORGANISATION_ROLES),
            "person_form": forms.PersonForm(),
            "organisation_form": forms.OrganisationForm(),
        },
    )


def _choices(roles: Collection[str]) -> list[tuple[str, Any]]:
    return [(value, label) for value, label in PlaceRole.Role.choices if value in roles]


@place_view(Perm.EDIT_PEOPLE)
def add_person(request: HttpRequest, place: Place) -> HttpResponse:
    form = forms.PersonForm(request.POST or None)
    if submit(
        request, form, lambda data: services.add_person(actor=request.user, place=place, **data)
    ):
        messages.success(request, _("The person is added."))
        return redirect("places:manage_people", slug=place.slug)
    return render(request, "places/manage/person_form.html", {"place": place, "form": form}, form)


@place_view(Perm.EDIT_PEOPLE)
def edit_person(request: HttpRequest, place: Place, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id, place_roles__place=place)
    form = forms.PersonEditForm(
        request.POST or None,
        initial={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
        },
    )
    if submit(
        request,
        form,
        lambda data: services.update_person(actor=request.user, place=place, person=person, **data),
    ):
        messages.success(request, _("The person is saved."))
        return redirect("places:manage_people", slug=place.slug)
    return render(
        request,
        "places/manage/person_form.html",
        {"place": place, "form": form, "person": person},
        form,
    )


@place_view(Perm.EDIT_PEOPLE)
def add_organisation(request: HttpRequest, place: Place) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services.add_organisation(actor=request.user, place=place, **data),
    ):
        messages.success(request, _("The organisation is added."))
        return redirect("places:manage_people", slug=place.slug)
    return render(
        request, "places/manage/organisation_form.html", {"place": place, "form": form}, form
    )


@place_view(Perm.EDIT_PEOPLE)
def edit_organisation(request: HttpRequest, place: Place, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.distinct(), pk=organisation_id, place_roles__place=place
    )
    fields = forms.OrganisationEditForm.base_fields
    form = forms.OrganisationEditForm(
        request.POST or None, initial={name: getattr(organisation, name) for name in fields}
    )
    if submit(
        request,
        form,
        lambda data: services.update_organisation(
            actor=request.user, place=place, organisation=organisation, **data
        ),
    ):
        messages.success(request, _("The organisation is saved."))
        return redirect("places:manage_people", slug=place.slug)
    return render(
        request,
        "places/manage/organisation_form.html",
        {"place": place, "form": form, "organisation": organisation},
        form,
    )


@place_view(Perm.EDIT_PEOPLE)
def revoke_role(request: HttpRequest, place: Place, role_id: int) -> HttpResponse:
    """Ask first (GET: who loses which role), then remove the role on POST."""
    role = get_object_or_404(
        PlaceRole.objects.select_related("person", "organisation"), pk=role_id, place=place
    )
    if request.method != "POST":
        return render(request, "places/manage/role_revoke.html", {"place": place, "role": role})
    try:
        services.revoke_role(actor=request.user, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("places:manage_people", slug=place.slug)
    messages.success(request, _("The role is removed."))
    return redirect("places:manage_people", slug=place.slug)


@require_POST
@place_view(Perm.EDIT_PEOPLE)
def grant_role(request: HttpRequest, place: Place, role_id: int) -> HttpResponse:
    """Give the holder of an existing role of this place one more role.

    Making someone coordinator asks first: the first POST shows what a coordinator may do and
    writes nothing; the POST of that page (with `confirmed`) grants the role."""
    existing = get_object_or_404(
        PlaceRole.objects.select_related("person", "organisation"), pk=role_id, place=place
    )
    form = forms.GrantRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("places:manage_people", slug=place.slug)
    role = form.cleaned_data["role"]
    if role == PlaceRole.Role.COORDINATOR and not form.cleaned_data["confirmed"]:
        return render(
            request,
            "places/manage/role_grant_confirm.html",
            {"place": place, "existing": existing, "role": PlaceRole.Role(role)},
        )
    try:
        services.grant_role(
            actor=request.user,
            place=place,
            role=role,
            person=existing.person,
            organisation=existing.organisation,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The role is added."))
    return redirect("places:manage_people", slug=place.slug)
