"""A visitor asks to become a member: they confirm their address (their login is made then),
and the request waits for the team, or is accepted at once where the place chose so.

No account enumeration: whatever the address, the visitor is told the same thing and the
e-mail says the rest (an address that already has a login is told to log in and ask).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person, User, hash_token
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.joining import emails
from tierslieux.joining.models import CONFIRMATION_LIFETIME, JoinSettings, SignupRequest
from tierslieux.joining.services.common import (
    ensure_person,
    new_token,
    normalise_email,
)
from tierslieux.places import access
from tierslieux.places import services as places_services
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, PlaceRole

Status = SignupRequest.Status


def settings_of(place: Place) -> JoinSettings:
    """The place's joining settings (closed to sign-ups until the team opens them)."""
    return JoinSettings.objects.filter(place=place).first() or JoinSettings(place=place)


@transaction.atomic
def update_settings(
    *, actor: Actor, place: Place, signup_open: bool, auto_accept: bool
) -> JoinSettings:
    access.require(actor, place, Perm.EDIT_PEOPLE)
    row, _created = JoinSettings.objects.select_for_update(of=("self",)).get_or_create(place=place)
    changes = {
        name: value
        for name, value in {"signup_open": signup_open, "auto_accept": auto_accept}.items()
        if getattr(row, name) != value
    }
    row.signup_open, row.auto_accept = signup_open, auto_accept
    row.decided_by_id = actor.pk
    row.updated_at = clock.now()
    row.save()
    audit.record(
        actor=actor, action="join_settings.update", obj=row, place_id=place.pk, changes=changes
    )
    return row


def _require_open(place: Place) -> JoinSettings:
    joining = settings_of(place)
    if not joining.signup_open:
        refuse(_("This place does not take requests to join online."), "signup_closed")
    return joining


@transaction.atomic
def request_signup(
    *, place: Place, first_name: str, last_name: str, email: str, password: str, language: str
) -> None:
    """A visitor's request: a confirmation link goes to the address. The caller is told the
    same thing whatever the address, so nothing is learnt of who has an account."""
    _require_open(place)
    email = normalise_email(email)
    known = User.objects.filter(email__iexact=email).first()
    hashed = make_password(password)  # hashed either way: the answer takes as long
    if known is not None:
        emails.send(
            to=email,
            language=known.language,
            template="signup_known",
            place=place,
            context={"link": emails.link("joining:signup", place.slug)},
        )
        return
    request = (
        SignupRequest.objects.select_for_update(of=("self",))
        .open()
        .filter(place=place, email__iexact=email)
        .first()
    ) or SignupRequest(place=place, email=email)
    if request.status == Status.PENDING:  # its login was removed since: the team decides
        return
    raw, request.digest = new_token()
    request.first_name, request.last_name = first_name.strip(), last_name.strip()
    request.language = language
    request.password = hashed
    request.expires_at = clock.now() + CONFIRMATION_LIFETIME
    request.full_clean()
    request.save()
    audit.record(
        actor=None,
        action="signup.request",
        obj=request,
        place_id=place.pk,
        changes={"email": email},
    )
    emails.send(
        to=email,
        language=language,
        template="signup_confirm",
        place=place,
        context={"request": request, "link": emails.link("joining:confirm", raw)},
    )


def find(raw: str) -> SignupRequest | None:
    return SignupRequest.objects.select_related("place").filter(digest=hash_token(raw)).first()


@transaction.atomic
def confirm(*, raw: str) -> tuple[SignupRequest, User | None]:
    """The address is confirmed: the login and the person are made (or the address's login
    is used) and the request waits for the team, or is accepted at once.

    Returns the request and the login made now (to log in), None when it existed before."""
    request = (
        SignupRequest.objects.select_for_update(of=("self",))
        .select_related("place")
        .filter(digest=hash_token(raw))
        .first()
    )
    now = clock.now()
    if request is None or not request.confirmable:
        refuse(_("This link is no longer valid: ask to join again."), "link_invalid")
    made = None
    account = User.objects.filter(email__iexact=request.email).first()
    if account is None:
        account = made = User(
            email=request.email, full_name=request.full_name, language=request.language
        )
        account.password = request.password
        account.save()
        person = Person(
            first_name=request.first_name,
            last_name=request.last_name,
            email=request.email,
            user=account,
        )
        person.full_clean()
        person.save()
    else:
        person = ensure_person(account)
    request.person = person
    request.password = ""
    request.digest = None
    request.confirmed_at = now
    request.status = Status.PENDING
    request.save()
    audit.record(actor=account, action="signup.confirm", obj=request, place_id=request.place_id)
    _after_confirmation(request)
    return request, made


@transaction.atomic
def ask_to_join(*, user: User, place: Place) -> SignupRequest:
    """A logged-in person asks to join: their address is known, the request waits at once."""
    _require_open(place)
    person = ensure_person(user)
    if PlaceRole.objects.filter(place=place, person=person, role=PlaceRole.Role.MEMBER).exists():
        refuse(_("You are already a member of this place."), "already_member")
    existing = SignupRequest.objects.open().filter(place=place, email__iexact=user.email).first()
    if existing is not None:
        return existing
    request = SignupRequest(
        place=place,
        email=normalise_email(user.email),
        first_name=person.first_name,
        last_name=person.last_name,
        language=user.language,
        person=person,
        status=Status.PENDING,
        confirmed_at=clock.now(),
    )
    request.full_clean()
    request.save()
    audit.record(actor=user, action="signup.request", obj=request, place_id=place.pk)
    _after_confirmation(request)
    return request


def _after_confirmation(request: SignupRequest) -> None:
    """Accept at once where the place chose so, on the authority of the coordinator who
    chose it; otherwise the request waits in the team's list."""
    joining = settings_of(request.place)
    decider = joining.decided_by
    if (
        joining.auto_accept
        and decider is not None
        and access.has_perm(decider, request.place, Perm.EDIT_PEOPLE)
    ):
        _accept(request, actor=decider, automatic=True)
        return
    _tell_the_team(request)


def _tell_the_team(request: SignupRequest) -> None:
    """Each coordinator with a login hears of a request waiting for them."""
    coordinators = User.objects.filter(
        is_active=True,
        person__place_roles__place=request.place,
        person__place_roles__role=PlaceRole.Role.COORDINATOR,
    ).distinct()
    link = emails.link("joining_manage:requests", request.place.slug)
    for coordinator in coordinators:
        emails.send(
            to=coordinator.email,
            language=coordinator.language,
            template="signup_waiting",
            place=request.place,
            context={"request": request, "link": link},
        )


def _language(request: SignupRequest) -> str:
    account = request.person.user if request.person is not None else None
    return account.language if account is not None else request.language


def _accept(request: SignupRequest, *, actor: User | Actor, automatic: bool) -> None:
    places_services.grant_role(
        actor=actor, place=request.place, role=PlaceRole.Role.MEMBER, person=request.person
    )
    request.status = Status.ACCEPTED
    request.decided_at = clock.now()
    request.decided_by_id = actor.pk
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(
        actor=actor,
        action="signup.accept",
        obj=request,
        place_id=request.place_id,
        changes={"automatic": automatic, "person": request.person},
    )
    emails.send(
        to=request.email,
        language=_language(request),
        template="signup_accepted",
        place=request.place,
        context={"request": request, "link": emails.link("places:detail", request.place.slug)},
    )


def _pending(actor: Actor, request: SignupRequest) -> SignupRequest:
    access.require(actor, request.place, Perm.EDIT_PEOPLE)
    locked = (
        SignupRequest.objects.select_for_update(of=("self",))
        .select_related("place", "person__user")
        .get(pk=request.pk)
    )
    if locked.status != Status.PENDING:
        refuse(_("This request is no longer waiting for a decision."), "decided")
    return locked


@transaction.atomic
def accept(*, actor: Actor, request: SignupRequest) -> SignupRequest:
    """The team accepts: the person becomes a member of the place."""
    request = _pending(actor, request)
    _accept(request, actor=actor, automatic=False)
    return request


@transaction.atomic
def decline(*, actor: Actor, request: SignupRequest) -> SignupRequest:
    """The team declines: the person keeps their login but gets no role; they are told."""
    request = _pending(actor, request)
    request.status = Status.DECLINED
    request.decided_at = clock.now()
    request.decided_by_id = actor.pk
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(actor=actor, action="signup.decline", obj=request, place_id=request.place_id)
    emails.send(
        to=request.email,
        language=_language(request),
        template="signup_declined",
        place=request.place,
        context={"request": request},
    )
    return request
