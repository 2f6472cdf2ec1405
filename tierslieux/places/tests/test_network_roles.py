"""The decision table of `places/access.py`: per permission and persona, who holds it.

A network sees a place's figures; its administrators read the place's people, bookings and
billing only while the place grants it; its observers read figures and nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from tierslieux.accounts.models import User
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as f

ALL = {
    "coordinator",
    "staff",
    "admin",
    "admin_granted",
    "observer",
    "observer_granted",
    "member",
    "outsider",
    "other_admin_granted",
}
# Who holds each permission on the place (the superuser holds them all).
EXPECTED: dict[Perm, set[str]] = {
    Perm.VIEW_BACKOFFICE: {"coordinator", "staff", "admin", "admin_granted"},
    Perm.EDIT_SHEET: {"coordinator", "admin", "admin_granted"},
    Perm.EDIT_SPACES: {"coordinator", "staff", "admin", "admin_granted"},
    Perm.VIEW_FIGURES: {
        "coordinator",
        "staff",
        "admin",
        "admin_granted",
        "observer",
        "observer_granted",
    },
    Perm.VIEW_PEOPLE: {"coordinator", "staff", "admin_granted"},
    Perm.EDIT_PEOPLE: {"coordinator", "admin_granted"},
    Perm.MANAGE_BOOKINGS: {"coordinator", "staff", "admin_granted"},
    Perm.MANAGE_BILLING: {"coordinator", "admin_granted"},
    # A place's surveys hold its people's answers: the network, only while granted.
    Perm.MANAGE_SURVEYS: {"coordinator", "staff", "admin_granted"},
    Perm.MANAGE_IMPACT: {"coordinator", "staff", "admin_granted"},
}


@pytest.fixture(scope="module")
def personas(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Two places of two networks; the second one grants its network. Each persona is asked
    about the place that fits its name (`*_granted`: the granting place)."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        plain, granting = f.place(), f.place()
        f.network_grant(granting)
        other = f.place()
        f.network_grant(other)  # another network's grant opens nothing on ours
        users = {
            "coordinator": (f.coordinator(plain), plain),
            "staff": (f.staff(plain), plain),
            "admin": (f.network_admin(plain.network), plain),
            "admin_granted": (f.network_admin(granting.network), granting),
            "observer": (f.network_observer(plain.network), plain),
            "observer_granted": (f.network_observer(granting.network), granting),
            "member": (f.member(plain), plain),
            "outsider": (f.user(), plain),
            "other_admin_granted": (f.network_admin(other.network), granting),
            "superuser": (User.objects.create_superuser("root@example.org", "x"), plain),
        }
        yield users
        transaction.set_rollback(True)


def fresh(user: User) -> User:
    return User.objects.select_related("person").get(pk=user.pk)


def test_the_table_names_every_permission() -> None:
    assert set(EXPECTED) == set(Perm)
    for perm in Perm:  # the docstring's table too
        assert perm.name in (access.__doc__ or ""), perm


@pytest.mark.parametrize("perm", list(Perm), ids=lambda p: p.value)
@pytest.mark.parametrize("persona", sorted(ALL | {"superuser"}))
def test_the_decision_table(personas: Any, persona: str, perm: Perm) -> None:
    user, place = personas[persona]
    expected = persona == "superuser" or persona in EXPECTED[perm]
    assert access.has_perm(fresh(user), place, perm) is expected
    # The back-office lists agree with the check, granted places included.
    listed = access.places_for(fresh(user), perm).filter(pk=place.pk).exists()
    assert listed is expected


@pytest.mark.parametrize("persona", ["admin", "admin_granted", "observer", "coordinator"])
def test_who_reads_the_networks_list(personas: Any, persona: str) -> None:
    user, place = personas[persona]
    sees = access.sees_network(fresh(user), place.network)
    assert sees is (persona != "coordinator")
    assert access.is_network_admin(fresh(user), place.network) is persona.startswith("admin")
    assert (place.network in access.networks_seen(fresh(user))) is sees


def test_a_first_check_still_costs_one_query_without_a_grant(
    personas: Any, django_assert_num_queries: Any
) -> None:
    user, place = personas["staff"]
    user = fresh(user)
    with django_assert_num_queries(1):
        assert access.has_perm(user, place, Perm.MANAGE_BOOKINGS)
    admin, place = personas["admin"]
    admin = fresh(admin)
    place = Place.objects.get(pk=place.pk)
    with django_assert_num_queries(2):  # the roles, then the place's consent (memoised)
        assert not access.has_perm(admin, place, Perm.MANAGE_BILLING)
        assert not access.has_perm(admin, place, Perm.EDIT_PEOPLE)
        assert access.has_perm(admin, place, Perm.EDIT_SHEET)
