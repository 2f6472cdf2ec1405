"""The access check reads a user's network administrations and roles in a place at once."""

from __future__ import annotations

from tierslieux.accounts.models import User
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import NetworkRole
from tierslieux.places.tests import factories as f


def fresh(user: User) -> User:
    """The user as a new request loads it: nothing memoised yet."""
    return User.objects.select_related("person").get(pk=user.pk)


def test_a_first_check_reads_network_and_place_roles_in_one_query(
    place, staff, django_assert_num_queries
):
    user = fresh(staff)
    with django_assert_num_queries(1):
        assert access.has_perm(user, place, Perm.MANAGE_BOOKINGS)
        assert not access.has_perm(user, place, Perm.MANAGE_BILLING)  # memoised: no query
    assert access.place_roles(user, place) == {"staff"}
    assert user._tl_admin_networks == set()


def test_the_one_query_finds_the_networks_a_person_administers(place, other_place):
    admin = f.network_admin(place.network)
    NetworkRole.objects.create(network=other_place.network, person=admin.person)
    user = fresh(admin)
    assert access.has_perm(user, place, Perm.EDIT_SHEET)
    assert user._tl_admin_networks == {place.network_id, other_place.network_id}
    assert access.has_perm(user, other_place, Perm.EDIT_SPACES)
    # A network sees figures, not billing, unless the place grants it (test_network_roles).
    assert not access.has_perm(user, other_place, Perm.MANAGE_BILLING)


def test_people_without_a_role_get_nothing(place, other_coordinator, anonymous):
    assert not access.has_perm(fresh(other_coordinator), place, Perm.VIEW_BACKOFFICE)
    assert not access.has_perm(anonymous, place, Perm.VIEW_BACKOFFICE)
