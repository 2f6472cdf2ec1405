"""The team edits an organisation of the place (its address is what its invoices give), and
offers each holder only the roles it may take."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tierslieux.accounts.models import Organisation
from tierslieux.accounts.tests import factories as af
from tierslieux.places.models import Place, PlaceRole


@pytest.fixture
def resident(place: Place) -> Organisation:
    org = af.organisation(name="Les Tisserands", address="", postcode="", city="")
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    return org


def _url(place: Place, org: Organisation) -> str:
    return reverse(
        "places:manage_organisation", kwargs={"slug": place.slug, "organisation_id": org.pk}
    )


def _form(org: Organisation, **changes: str) -> dict[str, str]:
    fields = ["name", "kind", "siret", "rna", "email", "website", "country"]
    return {**{name: getattr(org, name) or "" for name in fields}, **changes}


def test_the_coordinator_completes_an_organisations_postal_address(
    client: Any, coordinator: Any, place: Place, resident: Organisation
) -> None:
    client.force_login(coordinator)
    page = client.get(_url(place, resident))
    assert page.status_code == 200 and "Les Tisserands" in page.content.decode()
    response = client.post(
        _url(place, resident),
        _form(resident, address="3 rue des Canuts", postcode="69004", city="Lyon"),
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.address, resident.postcode, resident.city) == (
        "3 rue des Canuts",
        "69004",
        "Lyon",
    )


def test_a_bad_postcode_is_refused_and_nothing_changes(
    client: Any, coordinator: Any, place: Place, resident: Organisation
) -> None:
    client.force_login(coordinator)
    response = client.post(_url(place, resident), _form(resident, postcode="ABCDE", city="Lyon"))
    assert response.status_code == 422
    resident.refresh_from_db()
    assert resident.city == ""


def test_an_organisation_of_another_place_is_a_404(
    client: Any, coordinator: Any, place: Place, other_place: Place
) -> None:
    elsewhere = af.organisation(name="Ailleurs")
    PlaceRole.objects.create(place=other_place, organisation=elsewhere, role="member")
    client.force_login(coordinator)
    assert client.get(_url(place, elsewhere)).status_code == 404


def test_a_member_cannot_edit_organisations(
    client: Any, member: Any, place: Place, resident: Organisation
) -> None:
    client.force_login(member)
    assert client.post(_url(place, resident), _form(resident, city="Piraté")).status_code == 403
    resident.refresh_from_db()
    assert resident.city == ""


def test_an_organisation_is_never_offered_the_coordinator_role(
    client: Any, coordinator: Any, place: Place, resident: Organisation
) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("places:manage_people", kwargs={"slug": place.slug})).content.decode()
    org_row = page[page.index("Les Tisserands") :]
    org_row = org_row[: org_row.index("</tr>")]
    assert 'value="resident_organisation"' in org_row
    assert 'value="coordinator"' not in org_row
    person_rows = page[: page.index("Les Tisserands")]
    assert 'value="coordinator"' in person_rows  # the coordinator's own row offers it
