"""Who comes to an event: registrations (seats held, waitlisted or awaiting confirmation) and
the attendance checked at the door.

A registration is for one session when the event's dates stand on their own (a weekly repair
café), or for the whole event when they make one course (a three-day training): then
`session` is empty. Seats held are those of confirmed registrations; the service locks the
event's row before counting them, so concurrent registrations never hold more seats than the
event has (walk-ins added at the door are counted against the room instead, see services).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tierslieux.accounts.models import Person
from tierslieux.billing.models import MAX_PRICE, Invoice, money
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line

MAX_SEATS = 10  # a family or a small group; more is a group booking, made by the team


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting e-mail confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class RegistrationSource(models.TextChoices):
    PUBLIC = "public", _("Public form")
    PORTAL = "portal", _("Member portal")
    TEAM = "team", _("Added by the team")
    WALK_IN = "walk_in", _("At the door")


ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class Registration(models.Model):
    Status = RegistrationStatus
    Source = RegistrationSource

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    # Empty when the event is one course: the registration is for all its sessions.
    session = models.ForeignKey(
        "events.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    # Stored in lower case; used for this registration's messages and nothing else.
    email = models.EmailField(_("e-mail address"), blank=True)
    # The language of the page registered from: a visitor's messages are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
    )
    # The price as it stood when registering: a later change of the event's prices leaves it.
    price_kind = models.CharField(_("price category"), max_length=20, blank=True)
    unit_price_net = money(
        _("price per seat excluding tax"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE)],
    )
    tax_code = models.CharField(_("tax rule"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, db_index=True
    )
    source = models.CharField(_("source"), max_length=8, choices=RegistrationSource.choices)
    created_at = models.DateTimeField(_("registered at"), default=clock.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The waiting list's order: first come, first promoted (when the seats it asks for fit).
    queued_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                name="registration_status_valid",
                condition=Q(status__in=RegistrationStatus.values),
            ),
            models.CheckConstraint(
                name="registration_source_valid",
                condition=Q(source__in=RegistrationSource.values),
            ),
            models.CheckConstraint(
                name="registration_seats_within",
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_SEATS),
            ),
            models.CheckConstraint(
                name="registration_price_within",
                condition=Q(unit_price_net__gte=0) & Q(unit_price_net__lte=MAX_PRICE),
            ),
            models.CheckConstraint(
                name="registration_waitlisted_is_queued",
                condition=~Q(status=RegistrationStatus.WAITLISTED) | Q(queued_at__isnull=False),
            ),
            models.CheckConstraint(
                name="registration_reachable",
                condition=~Q(email="") | Q(source=RegistrationSource.WALK_IN),
            ),
            # Registering twice for the same date (or the same course) is refused here too.
            models.UniqueConstraint(
                "event",
                Coalesce("session", 0),
                "email",
                name="registration_email_once",
                condition=Q(status__in=ACTIVE) & ~Q(email=""),
            ),
            models.UniqueConstraint(
                "event",
                Coalesce("session", 0),
                "person",
                name="registration_person_once",
                condition=Q(status__in=ACTIVE) & Q(person__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "session", "status"], name="registration_seats"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    @property
    def holds_seats(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class Attendance(models.Model):
    """Someone (a registration's seats, or a walk-in) checked in at one session."""

    session = models.ForeignKey(
        "events.Session", on_delete=models.CASCADE, related_name="attendances"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    seats = models.PositiveSmallIntegerField(
        _("people present"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)]
    )
    checked_in_at = models.DateTimeField(_("checked in at"), default=clock.now, editable=False)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["session", "checked_in_at", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                name="attendance_seats_within",
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_SEATS),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.name} @ {self.session}"
