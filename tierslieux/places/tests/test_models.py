"""The database refuses what the forms refuse, even when code bypasses validation."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tierslieux.places.models import OpeningHours, Place, PlaceRole, Space
from tierslieux.places.tests import factories as f


def test_a_place_with_a_complete_sheet_is_valid():
    place = f.place(
        siret="73282932000074",
        rna="W111234567",
        latitude="43.18",
        longitude="3.0",
        investment_public_share=70,
        investment_private_share=30,
    )
    place.full_clean()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("siret", "73282932000075"),
        ("rna", "W12"),
        ("postcode", "1110"),
        ("latitude", 95),
        ("longitude", -181),
        ("timezone", "Europe/Narbonne"),
        ("surface_m2", -5),
    ],
)
def test_full_clean_names_the_bad_field(field, value):
    place = f.place()
    setattr(place, field, value)
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert field in error.value.message_dict


def test_shares_must_add_up_to_100_in_clean():
    place = f.place()
    place.operation_public_share, place.operation_private_share = 60, 30
    with pytest.raises(ValidationError) as error:
        place.full_clean()
    assert "operation_private_share" in error.value.message_dict


@pytest.mark.parametrize("shares", [(60, 30), (100, None), (None, 0)])
def test_the_database_refuses_shares_not_adding_up(shares):
    place = f.place()
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.filter(pk=place.pk).update(
            investment_public_share=shares[0], investment_private_share=shares[1]
        )


def test_the_database_refuses_an_out_of_range_latitude_and_a_duplicate_slug():
    place = f.place()
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.filter(pk=place.pk).update(latitude=91)
    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(
            network=place.network,
            name="Copie",
            slug=place.slug,
            status="open",
            postcode="11100",
            commune="Narbonne",
            location_type="rural",
            legal_form="other",
        )


def test_a_space_has_at_least_one_unit_and_a_unique_slug_in_its_place():
    place = f.place()
    space = f.space(place, slug="salle")
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.filter(pk=space.pk).update(units=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        f.space(place, slug="salle")
    f.space(f.place(), slug="salle")  # the same slug in another place is fine


def test_a_role_belongs_to_a_person_or_an_organisation_never_both():
    place, person = f.place(), f.user().person
    org = f.organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceRole.objects.create(place=place, person=person, organisation=org, role="member")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceRole.objects.create(place=place, role="member")


def test_an_organisation_cannot_coordinate_and_a_role_is_held_once():
    place, org = f.place(), f.organisation()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceRole.objects.create(place=place, organisation=org, role="coordinator")
    person = f.user().person
    PlaceRole.objects.create(place=place, person=person, role="member")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceRole.objects.create(place=place, person=person, role="member")


def test_opening_hours_close_after_they_open():
    place = f.place()
    from datetime import time

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(place=place, weekday=0, opens=time(18), closes=time(9))
