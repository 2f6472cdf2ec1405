"""How people join a place: the team's invitations, visitors' sign-up requests, and each
place's choice of taking sign-ups online.

Links in e-mails carry a random token; only its SHA-256 is stored (`accounts.hash_token`), so
a leaked database opens no account. A new link replaces the old digest: the old link dies.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Person
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, PlaceRole

INVITATION_LIFETIME = timedelta(days=7)
CONFIRMATION_LIFETIME = timedelta(days=3)
PERSON_ROLES = sorted(str(role) for role in PlaceRole.PERSON_ROLES)


class JoinSettings(models.Model):
    """A place's choice: does it take sign-ups from its public page, and does it accept them
    at once? Auto-acceptance stands on the authority of the coordinator who turned it on
    (`decided_by`): if they no longer manage the place's people, requests wait for the team."""

    place = models.OneToOneField(
        Place, on_delete=models.CASCADE, related_name="join_settings", verbose_name=_("place")
    )
    signup_open = models.BooleanField(
        _("people may ask to join from the place’s page"), default=False
    )
    auto_accept = models.BooleanField(
        _("accept requests at once, without the team’s decision"), default=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("joining settings")
        verbose_name_plural = _("joining settings")

    def __str__(self) -> str:
        return str(self.place)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked (possibly expired: the team may resend it)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """The team invites a person by e-mail to take a role in the place."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("place")
    )
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_single_line])
    role = models.CharField(
        _("role"), max_length=30, choices=PlaceRole.Role.choices, default=PlaceRole.Role.MEMBER
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    sends = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                name="invitation_role_for_a_person", condition=Q(role__in=PERSON_ROLES)
            ),
            models.CheckConstraint(
                name="invitation_accepted_or_revoked_not_both",
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.place}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def expired(self) -> bool:
        return self.is_open and self.expires_at <= clock.now()


class SignupRequestQuerySet(models.QuerySet["SignupRequest"]):
    def open(self) -> SignupRequestQuerySet:
        return self.filter(
            status__in=[SignupRequest.Status.UNCONFIRMED, SignupRequest.Status.PENDING]
        )


class SignupRequest(models.Model):
    """Someone asks to become a member of the place. A visitor first confirms their address
    (their login is made then); the request then waits for the team, unless the place accepts
    at once."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Address not confirmed yet")
        PENDING = "pending", _("Waiting for the team")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="signup_requests", verbose_name=_("place")
    )
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_single_line])
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The chosen password, hashed, until the address is confirmed and the login made.
    password = models.CharField(max_length=128, blank=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signup_requests",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SignupRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        constraints = [
            models.UniqueConstraint(
                "place",
                Lower("email"),
                condition=Q(status__in=["unconfirmed", "pending"]),
                name="signup_one_open_per_address",
            ),
            models.CheckConstraint(
                name="signup_confirmed_has_a_person",
                condition=Q(status="unconfirmed") | Q(person__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.place}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def confirmable(self) -> bool:
        """Its confirmation link still works."""
        return (
            self.status == self.Status.UNCONFIRMED
            and self.expires_at is not None
            and self.expires_at > clock.now()
        )
