"""An organisation's postal address and SIRET, which its invoices need: entered in the back
office (form and service), checked (the postcode for its country, the SIREN inside the
SIRET), edited by the place's team only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tierslieux.accounts.models import Organisation
from tierslieux.places import services
from tierslieux.places.tests import factories as f

# Passes the SIRET's own check digit, but its first nine digits fail the SIREN's.
SIRET_WITH_A_BAD_SIREN = "12345678000014"


def test_the_form_records_the_address_and_a_pasted_siret(client, place, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("places:manage_organisation_new", args=[place.slug]),
        {
            "name": "SCOP Les Bâtisseurs",
            "kind": "cooperative",
            "siret": "552 100 554 00013",
            "address": "4 rue des Tanneurs",
            "postcode": "11100",
            "city": "Narbonne",
            "country": "fr",
            "role": "resident_organisation",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="SCOP Les Bâtisseurs")
    assert (organisation.siret, organisation.siren) == ("55210055400013", "552100554")
    assert (organisation.address, organisation.postcode, organisation.city) == (
        "4 rue des Tanneurs",
        "11100",
        "Narbonne",
    )
    assert organisation.country == "FR"


def test_the_form_names_a_bad_postcode_and_a_bad_siren(client, place, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("places:manage_organisation_new", args=[place.slug]),
        {
            "name": "Atelier",
            "kind": "company",
            "siret": SIRET_WITH_A_BAD_SIREN,
            "postcode": "1100",
            "country": "FR",
            "role": "resident_organisation",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors.as_data()
    assert [e.code for e in errors["siret"]] == ["invalid_siren"]
    assert [e.code for e in errors["postcode"]] == ["invalid_postcode"]
    assert not Organisation.objects.filter(name="Atelier").exists()


def test_a_line_break_in_the_address_is_refused(place, coordinator):
    with pytest.raises(ValidationError) as caught:
        services.add_organisation(
            actor=coordinator, place=place, role="member", name="X", address="1 rue\nHaute"
        )
    assert set(caught.value.message_dict) == {"address"}


def test_the_team_edits_its_organisations_and_only_those(place, coordinator, other_place):
    organisation = services.add_organisation(
        actor=coordinator, place=place, role="member", name="Repair café", kind="association"
    )
    services.update_organisation(
        actor=coordinator,
        place=place,
        organisation=organisation,
        address="8 place du Marché",
        postcode="11100",
        city="Narbonne",
        siret="55210055400013",
    )
    organisation.refresh_from_db()
    assert (organisation.address, organisation.siren) == ("8 place du Marché", "552100554")

    stranger = f.organisation(name="Ailleurs")
    with pytest.raises(PermissionDenied):
        services.update_organisation(
            actor=coordinator, place=place, organisation=stranger, city="Nulle part"
        )
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(
            actor=coordinator, place=place, organisation=organisation, colour="red"
        )
    assert set(caught.value.message_dict) == {"colour"}
