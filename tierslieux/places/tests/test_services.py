"""Services write all or nothing, check access themselves and leave an audit trail."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.core.models import AuditEntry
from tierslieux.places import services
from tierslieux.places.models import Place, PlaceRole
from tierslieux.places.tests import factories as f


def test_a_coordinator_updates_the_sheet_and_the_change_is_audited(place, coordinator, clock):
    coord = coordinator
    at = clock.set(clock.now().replace(microsecond=0))
    services.update_place(actor=coord, place=place, surface_m2=320, categories=["fablab"])
    place.refresh_from_db()
    assert place.surface_m2 == 320
    assert list(place.categories.values_list("code", flat=True)) == ["fablab"]
    entry = AuditEntry.objects.get(action="place.update")
    assert entry.actor == coord and entry.place_id == place.pk
    assert entry.changes == {"surface_m2": 320, "categories": ["fablab"]}
    assert entry.at == at == place.updated_at  # both from the project's clock


def test_one_bad_field_saves_nothing_of_the_others(place, coordinator):
    coord = coordinator
    with pytest.raises(ValidationError) as error:
        services.update_place(actor=coord, place=place, surface_m2=400, postcode="ABC")
    assert "postcode" in error.value.message_dict
    place.refresh_from_db()
    assert place.surface_m2 == 250
    assert not AuditEntry.objects.exists()


def test_unknown_fields_and_categories_are_refused(place, coordinator):
    coord = coordinator
    with pytest.raises(ValidationError):
        services.update_place(actor=coord, place=place, network_id=99)
    with pytest.raises(ValidationError):
        services.update_place(actor=coord, place=place, categories=["casino"])


def test_services_refuse_a_coordinator_of_another_place(place, other_coordinator, member):
    with pytest.raises(PermissionDenied):
        services.update_place(actor=other_coordinator, place=place, surface_m2=1)
    with pytest.raises(PermissionDenied):
        services.create_space(actor=member, place=place, name="Atelier", kind="workshop")


def test_staff_edit_spaces_but_not_the_sheet(place, staff):
    space = services.create_space(
        actor=staff,
        place=place,
        name="Grand atelier",
        kind="workshop",
        units=3,
        equipment=["Imprimante 3D", "établi"],
    )
    assert space.slug == "grand-atelier"
    assert sorted(space.equipment.values_list("name", flat=True)) == ["imprimante 3d", "établi"]
    with pytest.raises(PermissionDenied):
        services.update_place(actor=staff, place=place, surface_m2=1)


def test_a_network_admin_creates_a_place_with_a_derived_slug(place, network_admin):
    network, admin = place.network, network_admin
    place = services.create_place(
        actor=admin,
        network=network,
        name="La Fabrique du Coin",
        status="project",
        postcode="59000",
        commune="Lille",
        location_type="city_centre",
        legal_form="scic",
        categories=["fablab", "coworking"],
    )
    assert place.slug == "la-fabrique-du-coin"
    assert place.categories.count() == 2
    with pytest.raises(PermissionDenied):
        services.create_place(
            actor=f.user(),
            network=network,
            name="X",
            status="open",
            postcode="59000",
            commune="Lille",
            location_type="rural",
            legal_form="other",
        )


def test_weekly_hours_are_replaced_and_overlaps_refused(place, coordinator):
    coord = coordinator
    services.set_weekly_hours(
        actor=coord, place=place, intervals=[(0, time(9), time(12)), (0, time(14), time(18))]
    )
    assert place.hours.count() == 2
    with pytest.raises(ValidationError):
        services.set_weekly_hours(
            actor=coord, place=place, intervals=[(1, time(9), time(12)), (1, time(11), time(18))]
        )
    assert place.hours.count() == 2  # unchanged


def test_an_exception_with_special_hours_needs_them_in_order(place, coordinator):
    coord = coordinator
    with pytest.raises(ValidationError):
        services.add_opening_exception(
            actor=coord, place=place, start_date=date(2026, 12, 24), end_date=date(2026, 12, 20)
        )
    with pytest.raises(ValidationError):
        services.add_opening_exception(
            actor=coord,
            place=place,
            start_date=date(2026, 12, 24),
            end_date=date(2026, 12, 24),
            closed=False,
            opens=time(14),
            closes=time(10),
        )
    assert not place.opening_exceptions.exists()


def test_people_and_organisations_join_with_a_role(place, coordinator):
    coord = coordinator
    person = services.add_person(
        actor=coord, place=place, role="volunteer", first_name="Inès", last_name="Martin"
    )
    org = services.add_organisation(
        actor=coord,
        place=place,
        role="resident_organisation",
        name="Les Petits Débrouillards",
        kind="association",
        rna="W891234567",
    )
    assert PlaceRole.objects.filter(place=place, person=person, role="volunteer").exists()
    assert PlaceRole.objects.filter(place=place, organisation=org).get().role == (
        "resident_organisation"
    )
    with pytest.raises(ValidationError):
        services.add_organisation(actor=coord, place=place, role="member", name="X", siret="123")
    assert not type(org).objects.filter(name="X").exists()


def test_the_last_coordinator_cannot_be_removed_by_themselves():
    place = f.place()
    coord = f.coordinator(place)
    role = PlaceRole.objects.get(place=place, role="coordinator")
    with pytest.raises(ValidationError):
        services.revoke_role(actor=coord, role=role)
    second = f.coordinator(place)
    services.revoke_role(actor=second, role=role)
    assert not PlaceRole.objects.filter(pk=role.pk).exists()


def test_a_coordinator_edits_only_people_of_their_place(place, coordinator, other_place):
    coord = coordinator
    outsider_person = f.member(other_place).person
    with pytest.raises(PermissionDenied):
        services.update_person(
            actor=coord, place=place, person=outsider_person, first_name="Piraté"
        )
    outsider_person.refresh_from_db()
    assert outsider_person.first_name != "Piraté"


def test_place_count_is_unchanged_by_refused_creation(place, network_admin):
    network, admin = place.network, network_admin
    before = Place.objects.count()
    with pytest.raises(ValidationError):
        services.create_place(
            actor=admin,
            network=network,
            name="Bad",
            status="open",
            postcode="59000",
            commune="Lille",
            location_type="rural",
            legal_form="other",
            latitude=120,
        )
    assert Place.objects.count() == before
