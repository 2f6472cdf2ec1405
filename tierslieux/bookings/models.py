"""Bookings of spaces, their rules, recurring series and machine authorisations.

The guarantee that no two blocking bookings of an exclusive space overlap is kept by the
database on PostgreSQL (an exclusion constraint added in migration 0002, PostgreSQL only) and
by `services` everywhere (locked space rows on PostgreSQL, IMMEDIATE transactions on SQLite).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Person
from tierslieux.bookings.rules import SpaceRules, defaults_for
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, Space


class Audience(models.TextChoices):
    PUBLIC = "public", _("Anyone with an account")
    MEMBERS = "members", _("People with a role in the place")
    STAFF = "staff", _("Coordinators and staff only")


class BookingRules(models.Model):
    """A space's own rules; without a row, the defaults of its kind apply (`rules.py`)."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="booking_rules")
    min_minutes = models.PositiveIntegerField(_("minimum duration (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("maximum duration (minutes)"), default=480)
    granularity_minutes = models.PositiveIntegerField(
        _("slot granularity (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    notice_minutes = models.PositiveIntegerField(_("notice (minutes)"), default=0)
    horizon_days = models.PositiveIntegerField(_("horizon (days)"), default=365)
    buffer_minutes = models.PositiveIntegerField(_("buffer between bookings (minutes)"), default=0)
    audience = models.CharField(
        _("who may book"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS
    )
    approval_required = models.BooleanField(_("approval required"), default=False)
    cancellation_deadline_hours = models.PositiveIntegerField(
        _("free cancellation until (hours before)"), default=24
    )
    auto_release_minutes = models.PositiveIntegerField(
        _("release if not checked in after (minutes)"), null=True, blank=True
    )
    requires_authorisation = models.BooleanField(_("authorisation required"), default=False)

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")
        constraints = [
            models.CheckConstraint(
                name="rules_min_le_max", condition=Q(min_minutes__lte=F("max_minutes"))
            ),
            models.CheckConstraint(
                name="rules_granularity_min_5", condition=Q(granularity_minutes__gte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space}"

    def values(self) -> SpaceRules:
        return SpaceRules(**{f: getattr(self, f) for f in SpaceRules.__dataclass_fields__})


def rules_of(space: Space) -> SpaceRules:
    """The rules that apply to a space (prefetch `booking_rules` to avoid a query)."""
    try:
        return space.booking_rules.values()
    except BookingRules.DoesNotExist:
        return defaults_for(space.kind)


class MachineAuthorisation(models.Model):
    """A person trained on a machine, until an expiry date (fab-lab practice)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="authorisations")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="authorisations")
    granted_on = models.DateField(_("training done on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("machine authorisation")
        verbose_name_plural = _("machine authorisations")
        constraints = [
            models.UniqueConstraint(fields=["person", "space"], name="authorisation_unique"),
            models.CheckConstraint(
                name="authorisation_expires_after_grant",
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("granted_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.space}"


class Series(models.Model):
    """A recurring booking: its RFC 5545 rule; occurrences are `Booking` rows."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="booking_series")
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="booking_series")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL)
    rrule = models.CharField(_("recurrence rule"), max_length=255)
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_single_line]
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")

    def __str__(self) -> str:
        return f"{self.title or self.space} ({self.rrule})"


class Booking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")
        DONE = "done", _("Done")

    # A no-show frees the rest of its slot (automatic release); a request blocks nothing yet.
    BLOCKING = (Status.CONFIRMED, Status.DONE)

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="bookings")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    units = models.PositiveIntegerField(_("units"), default=1)
    # Copied from the space when booked: the PostgreSQL exclusion constraint needs it on the row.
    exclusive = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    title = models.CharField(
        _("title"), max_length=200, blank=True, validators=[validate_single_line]
    )
    note = models.TextField(_("note"), blank=True)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    blocked_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="blocks",
        help_text=_("The room booking that blocks this machine."),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # The price when the booking was made (`pricing.quote`), kept whatever the rates become:
    # null when the place does not price the space; credits used come from `wallet`.
    price_net = models.DecimalField(
        _("price excluding tax"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    tax_code = models.CharField(_("tax rule"), max_length=20, blank=True)
    wallet = models.CharField(_("credits from"), max_length=14, blank=True)
    credits_used = models.DecimalField(
        _("credits used"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    price_note = models.CharField(_("how the price was made"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(fields=["space", "start"], name="booking_space_start"),
            models.Index(fields=["place", "start"], name="booking_place_start"),
            models.Index(fields=["person", "start"], name="booking_person_start"),
            # Bounds the conflict check's `end > start` to the bookings that can overlap.
            models.Index(
                fields=["space", "end"],
                name="booking_blocking_space_end",
                condition=Q(status__in=["confirmed", "done"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(name="booking_end_after_start", condition=Q(end__gt=F("start"))),
            models.CheckConstraint(name="booking_units_positive", condition=Q(units__gte=1)),
            models.CheckConstraint(
                name="booking_status_valid",
                condition=Q(status__in=["requested", "confirmed", "cancelled", "no_show", "done"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"

    @property
    def is_blocking(self) -> bool:
        return self.status in self.BLOCKING


class CalendarFeed(models.Model):
    """The secret address of a person's private iCalendar feed; resetting it changes the token
    so that an address shared by mistake stops working."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)  # set by `services`
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person}"
