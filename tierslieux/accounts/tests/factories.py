"""Plain-function factories for logins and people."""

from __future__ import annotations

import itertools
from typing import Any

from tierslieux.accounts.models import Organisation, Person, User

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def user(*, email: str | None = None, password: str = PASSWORD, **fields: Any) -> User:
    """A login with its person, as every human user of a place has."""
    n = next(_seq)
    u = User.objects.create_user(email or f"user{n}@example.org", password, **fields)
    Person.objects.create(user=u, first_name="Prénom", last_name=f"Nom{n}", email=u.email)
    return u


ORGANISATION_SIRET = "55210055400013"  # Luhn-valid, and so is its SIREN


def organisation(**fields: Any) -> Organisation:
    """An organisation that can be invoiced: a SIRET and a postal address (set them to ""
    to test one without)."""
    fields.setdefault("name", f"Organisation {next(_seq)}")
    fields.setdefault("siret", ORGANISATION_SIRET)
    fields.setdefault("address", "3 rue de la Mairie")
    fields.setdefault("postcode", "11100")
    fields.setdefault("city", "Narbonne")
    return Organisation.objects.create(**fields)
