"""What the joining services share: tokens, addresses, the person behind a login."""

from __future__ import annotations

import secrets

from tierslieux.accounts.models import Person, User, hash_token


def new_token() -> tuple[str, str]:
    """A raw token for the link (sent, never stored) and its digest (stored)."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def normalise_email(email: str) -> str:
    """Addresses are compared and stored in lower case, as logins are."""
    return email.strip().lower()


def person_of(user: User) -> Person | None:
    return Person.objects.filter(user=user).first()


def split_name(user: User) -> tuple[str, str]:
    """A first and last name for a login that has no person yet."""
    first, _, last = (user.full_name or user.email.split("@")[0]).strip().partition(" ")
    return first[:100] or user.email.split("@")[0][:100], last.strip()[:100] or first[:100]


def ensure_person(user: User) -> Person:
    """The login's person, made from its name when it has none (a superuser, say)."""
    person = person_of(user)
    if person is None:
        first, last = split_name(user)
        person = Person(first_name=first, last_name=last, email=user.email, user=user)
        person.full_clean()
        person.save()
    return person
