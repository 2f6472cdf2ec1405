"""The team invites a person by e-mail; the person sets a password (or logs in) and takes the
role. A link lives `INVITATION_LIFETIME`; resending makes a new link and kills the old one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person, User, hash_token
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.joining import emails
from tierslieux.joining.models import INVITATION_LIFETIME, Invitation
from tierslieux.joining.services.common import new_token, normalise_email, person_of
from tierslieux.places import access
from tierslieux.places import services as places_services
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, PlaceRole

Role = PlaceRole.Role


def _send(invitation: Invitation, raw: str) -> None:
    emails.send(
        to=invitation.email,
        language=emails.language_of(invitation.email),
        template="invitation",
        place=invitation.place,
        context={
            "invitation": invitation,
            "role": Role(invitation.role).label,
            "link": emails.link("joining:invitation", raw),
        },
    )


@transaction.atomic
def invite(
    *,
    actor: Actor,
    place: Place,
    role: str = Role.MEMBER,
    person: Person | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    coordinator_confirmed: bool = False,
) -> tuple[Invitation, str]:
    """Invite a person of the place (`person`) or a newcomer (e-mail and name) to take `role`.

    Returns the invitation and the raw token of its link (sent by e-mail, never stored)."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    if role not in PlaceRole.PERSON_ROLES:
        refuse(_("Choose a role for a person."), "role_invalid")
    if role == Role.COORDINATOR and not coordinator_confirmed:
        refuse(
            _("Making someone coordinator asks for a confirmation first."), "confirm_coordinator"
        )
    if person is not None:
        if not PlaceRole.objects.filter(place=place, person=person).exists():
            raise PermissionDenied
        account = person.user
        email = person.email or (account.email if account is not None else "")
        first_name, last_name = person.first_name, person.last_name
        if not email:
            refuse(_("This person has no e-mail address: add one first."), "email_missing")
    email = normalise_email(email)
    if Invitation.objects.open().filter(place=place, email__iexact=email).exists():
        refuse(
            _("An invitation to %(email)s is already open: resend it from the list.")
            % {"email": email},
            "already_invited",
        )
    holder = person
    if holder is None:
        user = User.objects.filter(email__iexact=email).first() if email else None
        holder = person_of(user) if user is not None else None
    if (
        holder is not None
        and PlaceRole.objects.filter(place=place, person=holder, role=role).exists()
    ):
        refuse(_("%(name)s already has this role in the place.") % {"name": holder}, "role_held")
    raw, digest = new_token()
    now = clock.now()
    invitation = Invitation(
        place=place,
        person=person,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        digest=digest,
        invited_by_id=actor.pk,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        place_id=place.pk,
        changes={"email": email, "role": role, "person": person},
    )
    _send(invitation, raw)
    return invitation, raw


def _require_open(invitation: Invitation) -> None:
    if not invitation.is_open:
        refuse(_("This invitation is already accepted or revoked."), "invitation_closed")


@transaction.atomic
def resend(*, actor: Actor, invitation: Invitation) -> str:
    """A new link, valid for a new period; the link sent before no longer opens anything."""
    access.require(actor, invitation.place, Perm.EDIT_PEOPLE)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("place")
        .get(pk=invitation.pk)
    )
    _require_open(invitation)
    raw, invitation.digest = new_token()
    invitation.sent_at = clock.now()
    invitation.expires_at = invitation.sent_at + INVITATION_LIFETIME
    invitation.sends += 1
    invitation.save(update_fields=["digest", "sent_at", "expires_at", "sends"])
    audit.record(
        actor=actor,
        action="invitation.resend",
        obj=invitation,
        place_id=invitation.place_id,
        changes={"expires_at": invitation.expires_at},
    )
    _send(invitation, raw)
    return raw


@transaction.atomic
def revoke(*, actor: Actor, invitation: Invitation) -> None:
    access.require(actor, invitation.place, Perm.EDIT_PEOPLE)
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    _require_open(invitation)
    invitation.revoked_at = clock.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor, action="invitation.revoke", obj=invitation, place_id=invitation.place_id
    )


def find(raw: str) -> Invitation | None:
    """The invitation a link opens, whatever its state (the page says which)."""
    return (
        Invitation.objects.select_related("place", "person__user", "invited_by")
        .filter(digest=hash_token(raw))
        .first()
    )


def account_for(invitation: Invitation) -> User | None:
    """The login the invitation goes to: the invited person's, else the address's."""
    if invitation.person is not None and invitation.person.user is not None:
        return invitation.person.user
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accept(*, invitation: Invitation, user: User | None, password: str = "") -> User:
    """Take the invitation: with the logged-in `user` when the address already has a login,
    else with a new login and `password`. Returns the login, to log in."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("place", "person__user", "invited_by")
        .get(pk=invitation.pk)
    )
    if not invitation.is_open or invitation.expired:
        refuse(_("This invitation is no longer valid: ask the place for a new one."), "invalid")
    place = invitation.place
    inviter = invitation.invited_by
    if inviter is None or not access.has_perm(inviter, place, Perm.EDIT_PEOPLE):
        refuse(
            _("The person who invited you no longer manages this place: ask for a new invitation."),
            "inviter_gone",
        )
    account = account_for(invitation)
    if account is not None:
        if user is None or user.pk != account.pk:
            refuse(
                _("An account uses %(email)s: log in with it to accept the invitation.")
                % {"email": account.email},
                "log_in_first",
            )
    else:
        if not password:
            refuse(_("Choose a password."), "password_missing")
        account = User.objects.create_user(
            invitation.email, password, full_name=invitation.full_name
        )
    person = person_of(account)
    if person is None:
        person = invitation.person
        if person is None or person.user_id is not None:
            person = Person(
                first_name=invitation.first_name,
                last_name=invitation.last_name,
                email=invitation.email,
            )
            person.full_clean()
        person.user = account
        person.save()
    places_services.grant_role(actor=inviter, place=place, role=invitation.role, person=person)
    invitation.accepted_at = clock.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=account,
        action="invitation.accept",
        obj=invitation,
        place_id=place.pk,
        changes={"person": person, "role": invitation.role},
    )
    return account
