"""Read helpers for the joining pages."""

from __future__ import annotations

from django.db.models import QuerySet

from tierslieux.accounts.models import User
from tierslieux.joining.models import Invitation, SignupRequest
from tierslieux.joining.services.signups import settings_of
from tierslieux.places.models import Place, PlaceRole

CLOSED_SHOWN = 20


def open_invitations(place: Place) -> QuerySet[Invitation]:
    return Invitation.objects.open().filter(place=place).select_related("invited_by")


def closed_invitations(place: Place) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(place=place)
        .exclude(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-id")[:CLOSED_SHOWN]
    )


def pending_requests(place: Place) -> QuerySet[SignupRequest]:
    return SignupRequest.objects.filter(place=place, status=SignupRequest.Status.PENDING).order_by(
        "confirmed_at", "id"
    )


def decided_requests(place: Place) -> QuerySet[SignupRequest]:
    return (
        SignupRequest.objects.filter(
            place=place,
            status__in=[SignupRequest.Status.ACCEPTED, SignupRequest.Status.DECLINED],
        )
        .select_related("decided_by")
        .order_by("-decided_at", "-id")[:CLOSED_SHOWN]
    )


def join_state(user: User | None, place: Place) -> str:
    """What the place's page offers: `closed`, `member`, `waiting`, `ask` or `signup`."""
    if not settings_of(place).signup_open:
        return "closed"
    if user is None or not user.is_authenticated:
        return "signup"
    roles = PlaceRole.objects.filter(place=place, person__user=user, role=PlaceRole.Role.MEMBER)
    if roles.exists():
        return "member"
    waiting = SignupRequest.objects.filter(
        place=place, email__iexact=user.email, status=SignupRequest.Status.PENDING
    )
    return "waiting" if waiting.exists() else "ask"


def my_places(user: User) -> QuerySet[PlaceRole]:
    return (
        PlaceRole.objects.filter(person__user=user)
        .select_related("place")
        .order_by("place__name", "role")
    )


def my_requests(user: User) -> QuerySet[SignupRequest]:
    return SignupRequest.objects.filter(
        person__user=user, status=SignupRequest.Status.PENDING
    ).select_related("place")
