"""A place's team exports what the place holds about one of its people (audited)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tierslieux.accounts.models import Person
from tierslieux.core import audit
from tierslieux.places.access import Perm
from tierslieux.places.backoffice import place_view
from tierslieux.places.models import Place
from tierslieux.privacy.export import person_data
from tierslieux.privacy.views.portal import json_download


@place_view(Perm.EDIT_PEOPLE)
def export(request: HttpRequest, place: Place, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    data = person_data(person, place)
    if not any(isinstance(rows, list) and rows for rows in data.values()):
        raise Http404  # the place holds nothing about this person: not theirs to export
    audit.record(actor=request.user, action="privacy.export", obj=person, place_id=place.pk)
    return json_download(data, f"{place.slug}-person-{person.pk}.json")
