"""A person's own data: download it, erase it. A superuser may erase anyone (a request the
person made by mail); a place's team may export, not erase (the person may belong to other
places, whose records one place cannot decide on)."""

from __future__ import annotations

import json
from typing import cast

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tierslieux.accounts.models import Person, User
from tierslieux.core.forms import attach_error, form_status
from tierslieux.privacy import services
from tierslieux.privacy.export import person_data
from tierslieux.privacy.forms import EraseForm


def json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=cast(User, request.user)).first()
    if person is None:
        raise Http404
    return json_download(person_data(person), f"my-data-{person.pk}.json")


def _erase(request: HttpRequest, person: Person, own: bool) -> HttpResponse:
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase(actor=request.user, person=person)
        except ValidationError as error:
            attach_error(form, error)
        else:
            if own:
                logout(request)
                return redirect("/")
            return redirect("/admin/")
    context = {"form": form, "person": person, "own": own}
    context["blocked"] = services.last_coordinated(person)
    return render(request, "privacy/erase.html", context, status=form_status(form))


@login_required
def erase_own(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=cast(User, request.user)).first()
    if person is None:
        raise Http404
    return _erase(request, person, own=True)


@login_required
def erase_person(request: HttpRequest, person_id: int) -> HttpResponse:
    if not request.user.is_superuser:
        raise Http404
    return _erase(request, get_object_or_404(Person, pk=person_id), own=False)
