"""Events of a place (workshops, trainings, screenings…), their sessions and price categories.

A session holds the booking of its space (`bookings.Booking`, one-to-one, protected): the
event goes through the bookings service like anyone else, so it never collides with a
booking and shows on the team's calendar. Registrations, attendance and invoicing of paid
seats build on `Event.capacity` and `PriceCategory`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tierslieux.accounts.models import Organisation
from tierslieux.billing.models import MAX_PRICE, money
from tierslieux.billing.tax import RULES
from tierslieux.bookings.models import Booking
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, Space

TAX_CODES = sorted(RULES)
DESCRIPTION_LENGTH = 5_000  # a page of text, not a book
OBJECTIVES_LENGTH = 2_000
MAX_CAPACITY = 100_000
MAX_HOURS = 1_000


class Audience(models.TextChoices):
    """Whom an event is meant for (several may apply)."""

    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    SENIORS = "seniors", _("Seniors")
    JOB_SEEKERS = "job_seekers", _("Job seekers")
    FAMILIES = "families", _("Families")
    PROFESSIONALS = "professionals", _("Professionals")
    DISABILITIES = "disabilities", _("People with disabilities")


def validate_audiences(value: object) -> None:
    """A list of distinct audience codes: the JSON column holds nothing else."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Choose audiences from the list."), code="audiences")
    unknown = sorted(set(value) - set(Audience.values))
    if unknown:
        raise ValidationError(
            _("Unknown audience: %(codes)s.") % {"codes": ", ".join(unknown)}, code="audiences"
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("An audience is listed twice."), code="audiences")


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    CONFERENCE = "conference", _("Conference")
    SCREENING = "screening", _("Screening")
    MEETING = "meeting", _("Meeting")
    OPEN_DAY = "open_day", _("Open day")
    REPAIR_CAFE = "repair_cafe", _("Repair café")
    OTHER = "other", _("Other")


class EventAccess(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class Enrolment(models.TextChoices):
    """How people register: for each date on its own, or once for every date (a course)."""

    SESSION = "session", _("For each date on its own")
    SERIES = "series", _("Once for all the dates")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class Event(models.Model):
    Kind = EventKind
    Access = EventAccess
    Status = EventStatus
    Enrolment = Enrolment

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("description"),
        blank=True,
        max_length=DESCRIPTION_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_LENGTH)],
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=EventKind.choices, default=EventKind.WORKSHOP
    )
    access = models.CharField(
        _("open to"), max_length=8, choices=EventAccess.choices, default=EventAccess.PUBLIC
    )
    capacity = models.PositiveIntegerField(
        _("capacity (seats)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    registration_required = models.BooleanField(
        _("registration required"),
        default=True,
        help_text=_("Untick for an event open to all without registering (an open day)."),
    )
    enrolment = models.CharField(
        _("registration"),
        max_length=8,
        choices=Enrolment.choices,
        default=Enrolment.SESSION,
        help_text=_("A training over several days is one course: people register once."),
    )
    # A JSON list of `Audience` codes: portable (SQLite has no arrays), checked by the validator.
    audiences = models.JSONField(
        _("audiences"), default=list, blank=True, validators=[validate_audiences]
    )
    peer_learning = models.BooleanField(
        _("peer learning"),
        default=False,
        help_text=_("Led by a member for members."),
    )
    co_organisers = models.ManyToManyField(
        Organisation,
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="co_organised_events",
    )
    partners = models.CharField(
        _("outside partners"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Partners outside the network, by name."),
    )
    hours = models.DecimalField(
        _("hours of training"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(MAX_HOURS)],
    )
    objectives = models.TextField(
        _("training objectives"),
        blank=True,
        max_length=OBJECTIVES_LENGTH,
        validators=[MaxLengthValidator(OBJECTIVES_LENGTH)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(name="event_kind_valid", condition=Q(kind__in=EventKind.values)),
            models.CheckConstraint(
                name="event_access_valid", condition=Q(access__in=EventAccess.values)
            ),
            models.CheckConstraint(
                name="event_enrolment_valid", condition=Q(enrolment__in=Enrolment.values)
            ),
            models.CheckConstraint(
                name="event_status_valid", condition=Q(status__in=EventStatus.values)
            ),
            models.CheckConstraint(
                name="event_capacity_within",
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
            ),
            models.CheckConstraint(
                name="event_hours_within",
                condition=Q(hours__isnull=True) | (Q(hours__gt=0) & Q(hours__lte=MAX_HOURS)),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audience_labels(self) -> list[str]:
        return [str(Audience(code).label) for code in self.audiences if code in Audience.values]


class Session(models.Model):
    """One date of an event, in one space; it holds the booking of that space."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="event_sessions")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="event_session")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["event", "start", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(name="session_end_after_start", condition=Q(end__gt=F("start")))
        ]
        indexes = [models.Index(fields=["event", "start"], name="session_event_start")]

    def __str__(self) -> str:
        return f"{self.event} ({self.start:%Y-%m-%d %H:%M})"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class PriceKind(models.TextChoices):
    FREE = "free", pgettext_lazy("price", "Free")
    MEMBER = "member", _("Member")
    NON_MEMBER = "non_member", _("Non-member")
    SOLIDARITY = "solidarity", _("Solidarity")
    PAY_WHAT_YOU_WANT = "pay_what_you_want", _("Pay what you want")


class PriceCategory(models.Model):
    """A price of an event's seat: free, for members, for others, solidarity, or pay what you
    want with a minimum (then `price_net` is the suggested price). At most one per kind."""

    Kind = PriceKind

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="prices")
    kind = models.CharField(_("category"), max_length=20, choices=PriceKind.choices)
    price_net = money(
        _("price excluding tax"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE)],
    )
    min_price_net = money(
        _("minimum price (pay what you want)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE)],
    )
    tax_code = models.CharField(_("tax rule"), max_length=20, choices=[(c, c) for c in TAX_CODES])

    class Meta:
        ordering = ["event", "price_net", "id"]
        verbose_name = _("price category")
        verbose_name_plural = _("price categories")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="price_category_once"),
            models.CheckConstraint(
                name="price_category_kind_valid", condition=Q(kind__in=PriceKind.values)
            ),
            models.CheckConstraint(
                name="price_category_tax_code_known", condition=Q(tax_code__in=TAX_CODES)
            ),
            models.CheckConstraint(
                name="price_category_price_within",
                condition=Q(price_net__gte=0) & Q(price_net__lte=MAX_PRICE),
            ),
            models.CheckConstraint(
                name="price_category_free_is_free", condition=~Q(kind="free") | Q(price_net=0)
            ),
            models.CheckConstraint(
                name="price_category_minimum_for_pay_what_you_want",
                condition=(
                    Q(kind="pay_what_you_want")
                    & Q(min_price_net__isnull=False)
                    & Q(min_price_net__gte=0)
                    & Q(min_price_net__lte=F("price_net"))
                )
                | (~Q(kind="pay_what_you_want") & Q(min_price_net__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def tax_label(self) -> str:
        rule = RULES.get(self.tax_code)
        return str(rule.label) if rule else self.tax_code


# Registrations and attendance live in their own module, registered with this app's models.
from tierslieux.events.registration_models import (  # noqa: E402
    Attendance,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)

__all__ = [
    "Attendance",
    "Audience",
    "Enrolment",
    "Event",
    "EventAccess",
    "EventKind",
    "EventStatus",
    "PriceCategory",
    "PriceKind",
    "Registration",
    "RegistrationSource",
    "RegistrationStatus",
    "Session",
]
