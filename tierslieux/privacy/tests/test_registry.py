"""Every relation of a model to a person or a login is exported or said not personal: a new
foreign key to `Person`/`User` fails here until someone decides what the export does."""

import pytest
from django.apps import apps

from tierslieux.accounts.models import Person, User
from tierslieux.privacy.registry import EXPORTED, NOT_PERSONAL, key

pytestmark = pytest.mark.pure


def relations_to_people() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model in (Person, User):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_relation_to_a_person_or_login_is_decided():
    decided = {key(r) for r in EXPORTED} | set(NOT_PERSONAL)
    assert relations_to_people() - decided == set()


def test_the_registry_names_only_relations_that_exist():
    decided = {key(r) for r in EXPORTED} | set(NOT_PERSONAL)
    assert decided - relations_to_people() == set()
    assert not {key(r) for r in EXPORTED} & set(NOT_PERSONAL)
    assert all(reason.strip() for reason in NOT_PERSONAL.values())
