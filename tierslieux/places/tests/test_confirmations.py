"""Irreversible actions of the back office ask first: the first request shows a confirmation
page and writes nothing; only the confirmed POST acts (issue 9, "ask first"). Without
JavaScript: every step is a plain link or form."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tierslieux.places.forms import GrantRoleForm
from tierslieux.places.models import OpeningException, PlaceRole
from tierslieux.places.tests import factories as f

NBSP = "\xa0"


@pytest.fixture
def member_role(place, member):
    return PlaceRole.objects.get(place=place, person=member.person, role=PlaceRole.Role.MEMBER)


def grant_url(place, role):
    return reverse("places:manage_role_grant", args=[place.slug, role.pk])


def coordinators(place):
    return set(place.roles.filter(role=PlaceRole.Role.COORDINATOR).values_list("person", flat=True))


def test_the_role_picker_defaults_to_member(client, place, coordinator, member_role):
    assert GrantRoleForm().fields["role"].initial == PlaceRole.Role.MEMBER
    client.force_login(coordinator)
    page = client.get(reverse("places:manage_people", args=[place.slug])).content.decode()
    assert f'id="grant-{member_role.pk}"' in page
    assert page.count('<option value="member" selected>') == place.roles.count() == 2
    assert '<option value="coordinator" selected>' not in page


def test_making_someone_coordinator_asks_first_and_says_what_it_allows(
    client, place, coordinator, member, member_role
):
    client.force_login(coordinator)
    before = coordinators(place)
    asked = client.post(grant_url(place, member_role), {"role": "coordinator"})
    assert asked.status_code == 200
    assert coordinators(place) == before  # nothing written yet
    page = asked.content.decode()
    assert f"Confier la coordination de La Fabrique à {member.person}{NBSP}?" in page
    for what in ("la facturation", "la fiche technique", "les personnes"):
        assert f"{what}{NBSP}:" in page
    assert 'name="confirmed" value="1"' in page and 'name="role" value="coordinator"' in page
    assert "<script" not in page.split("<main", 1)[-1]  # a plain form: no JavaScript needed

    done = client.post(grant_url(place, member_role), {"role": "coordinator", "confirmed": "1"})
    assert done.status_code == 302
    assert coordinators(place) == before | {member.person.pk}


def test_other_roles_are_granted_at_once(client, place, coordinator, member, member_role):
    client.force_login(coordinator)
    done = client.post(grant_url(place, member_role), {"role": "volunteer"})
    assert done.status_code == 302
    assert place.roles.filter(person=member.person, role=PlaceRole.Role.VOLUNTEER).exists()


def test_a_staff_member_cannot_reach_the_coordinator_confirmation(
    client, place, staff, member_role
):
    client.force_login(staff)
    refused = client.post(grant_url(place, member_role), {"role": "coordinator"})
    assert refused.status_code == 403


def test_removing_a_role_asks_first_naming_the_person_and_the_role(
    client, place, coordinator, member, member_role
):
    client.force_login(coordinator)
    people = client.get(reverse("places:manage_people", args=[place.slug])).content.decode()
    url = reverse("places:manage_role_revoke", args=[place.slug, member_role.pk])
    assert f'href="{url}"' in people  # a link to the question, not a form that acts

    asked = client.get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert f"Retirer le rôle «{NBSP}Adhérent{NBSP}» à {member.person}{NBSP}?" in page
    assert PlaceRole.objects.filter(pk=member_role.pk).exists()

    done = client.post(url)
    assert done.status_code == 302
    assert not PlaceRole.objects.filter(pk=member_role.pk).exists()


def test_an_organisations_role_is_named_on_its_confirmation(client, place, coordinator):
    client.force_login(coordinator)
    client.post(
        reverse("places:manage_organisation_new", args=[place.slug]),
        {"name": "Atelier Bois", "kind": "association", "role": "resident_organisation"},
    )
    role = place.roles.get(organisation__name="Atelier Bois")
    page = client.get(reverse("places:manage_role_revoke", args=[place.slug, role.pk]))
    assert "Atelier Bois" in page.content.decode()
    assert PlaceRole.objects.filter(pk=role.pk).exists()


def test_deleting_a_closure_asks_first_naming_its_dates(client, clock, place, coordinator):
    clock.set(date(2031, 2, 10))
    closure = OpeningException.objects.create(
        place=place, start_date=date(2031, 3, 1), end_date=date(2031, 3, 4), reason="Travaux"
    )
    client.force_login(coordinator)
    url = reverse("places:manage_exception_remove", args=[place.slug, closure.pk])
    hours = client.get(reverse("places:manage_hours", args=[place.slug])).content.decode()
    assert f'href="{url}"' in hours

    asked = client.get(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Supprimer l’exception du 1er mars 2031 au 4 mars 2031" in page.replace("&#x27;", "'")
    assert "Le lieu est fermé à ces dates." in page and "Travaux" in page
    assert OpeningException.objects.filter(pk=closure.pk).exists()

    done = client.post(url)
    assert done.status_code == 302
    assert not OpeningException.objects.filter(pk=closure.pk).exists()


def test_a_one_day_exception_names_its_day(client, place, coordinator):
    day = place.today() + timedelta(days=3)
    one = OpeningException.objects.create(place=place, start_date=day, end_date=day)
    client.force_login(coordinator)
    page = client.get(reverse("places:manage_exception_remove", args=[place.slug, one.pk]))
    assert f"{NBSP}?" in page.content.decode()
    assert " au " not in page.content.decode().split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert OpeningException.objects.filter(pk=one.pk).exists()


def test_the_confirmation_pages_are_the_places_own(client, place, coordinator, other_place):
    """Another place's role or exception is not found through this place's URLs."""
    foreign_role = PlaceRole.objects.create(
        place=other_place, person=f.member(other_place).person, role=PlaceRole.Role.VOLUNTEER
    )
    today = other_place.today()
    foreign = OpeningException.objects.create(place=other_place, start_date=today, end_date=today)
    client.force_login(coordinator)
    for name, pk in (
        ("places:manage_role_revoke", foreign_role.pk),
        ("places:manage_exception_remove", foreign.pk),
    ):
        assert client.get(reverse(name, args=[place.slug, pk])).status_code == 404
