"""A person's own profile: name, language, and a new e-mail address that takes effect only once
confirmed from that address (a signed link, bound to the address it replaces)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person, User
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.joining import emails
from tierslieux.joining.services.common import normalise_email, split_name

EMAIL_SALT = "tierslieux.joining.email-change"
EMAIL_LINK_MAX_AGE = 2 * 24 * 3600  # seconds


@transaction.atomic
def update(*, user: User, first_name: str, last_name: str, language: str) -> Person:
    """Change the name (on the person and the login) and the language."""
    if language not in dict(settings.LANGUAGES):
        refuse(_("Choose a language from the list."), "language_invalid")
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None:
        first, last = split_name(user)
        person = Person(user=user, email=user.email, first_name=first, last_name=last)
    changes: dict[str, Any] = {}
    for name, value in {"first_name": first_name.strip(), "last_name": last_name.strip()}.items():
        if getattr(person, name) != value:
            changes[name] = value
            setattr(person, name, value)
    person.full_clean()
    person.save()
    if user.language != language:
        changes["language"] = language
    user.full_name = f"{person.first_name} {person.last_name}".strip()
    user.language = language
    user.save(update_fields=["full_name", "language"])
    if changes:
        audit.record(actor=user, action="profile.update", obj=user, changes=changes)
    return person


def request_email_change(*, user: User, email: str) -> None:
    """Send a confirmation link to the new address; the address changes only once confirmed.

    An address that another login uses gets a notice instead, and the person is told the same
    thing either way (no way to learn who has an account)."""
    email = normalise_email(email)
    if email == user.email.lower():
        refuse(_("This is already your address."), "same_email")
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        emails.send(
            to=email, language=user.language, template="email_taken", place=None, context={}
        )
        return
    token = signing.dumps(
        {"user": user.pk, "old": user.email, "new": email, "at": int(clock.now().timestamp())},
        salt=EMAIL_SALT,
    )
    emails.send(
        to=email,
        language=user.language,
        template="email_change",
        place=None,
        context={"user": user, "email": email, "link": emails.link("joining:email", token)},
    )
    audit.record(actor=user, action="profile.email_request", obj=user, changes={"email": email})


def read_email_token(token: str, *, user: User) -> str:
    """The new address a link confirms for `user`, or a refusal saying why not."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT)
    except signing.BadSignature:
        refuse(_("This link is invalid or has expired: ask for a new one."), "link_invalid")
    # The age is read on the project's clock (signing's own max_age reads the system's).
    issued = data.get("at") if isinstance(data, dict) else None
    if not isinstance(issued, int) or clock.now().timestamp() - issued > EMAIL_LINK_MAX_AGE:
        refuse(_("This link is invalid or has expired: ask for a new one."), "link_invalid")
    if data.get("user") != user.pk:
        refuse(_("This link is for another account: log in with that one."), "other_account")
    if data.get("old") != user.email:
        refuse(_("This link is invalid or has expired: ask for a new one."), "link_invalid")
    return str(data["new"])


@transaction.atomic
def confirm_email_change(*, user: User, token: str) -> str:
    """Make the confirmed address the login's (and the person's where it was the same)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    email = read_email_token(token, user=user)
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        refuse(_("Another account uses this address now."), "email_taken")
    old = user.email
    user.email = email
    user.save(update_fields=["email"])
    Person.objects.filter(user=user, email__iexact=old).update(email=email)
    Person.objects.filter(user=user, email="").update(email=email)
    audit.record(
        actor=user, action="profile.email_change", obj=user, changes={"email": email, "old": old}
    )
    emails.send(
        to=old,
        language=user.language,
        template="email_changed",
        place=None,
        context={"user": user, "email": email},
    )
    return email
