"""Bookings of spaces, their rules, recurring series and machine authorisations.

The guarantee that no two blocking bookings of an exclusive space overlap is kept by the
database on PostgreSQL (an exclusion constraint added in migration 0002, PostgreSQL only) and
by `services` everywhere (locked space rows on PostgreSQL, IMMEDIATE transactions on SQLite).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings.choices import HEADCOUNT_MAX, Audience, Purpose
from tierslieux.bookings.rules import (
    BOUNDS,
    DEFAULT_GRACE_MINUTES,
    GRACE_BOUNDS,
    SpaceRules,
    problems,
    resolve,
)
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Place, Space


def _between(name: str, low: int, high: int) -> Q:
    return Q(**{f"{name}__gte": low, f"{name}__lte": high})


def rule_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The database's copy of `rules.BOUNDS` (names prefixed per table); the cross-field
    rules that need arithmetic (multiples of the grid) are kept by `rules.problems`."""
    bounded: list[models.BaseConstraint] = [
        models.CheckConstraint(name=f"{prefix}_{name}_bounds", condition=_between(name, *bounds))
        for name, bounds in BOUNDS.items()
        if name not in ("granularity_minutes", "auto_release_minutes")
    ]
    low, high = BOUNDS["auto_release_minutes"]
    return [
        models.CheckConstraint(
            name=f"{prefix}_min_le_max", condition=Q(min_minutes__lte=F("max_minutes"))
        ),
        models.CheckConstraint(
            name=f"{prefix}_granularity_min_5", condition=Q(granularity_minutes__gte=5)
        ),
        models.CheckConstraint(
            name=f"{prefix}_granularity_max_day", condition=Q(granularity_minutes__lte=24 * 60)
        ),
        models.CheckConstraint(
            name=f"{prefix}_auto_release_bounds",
            condition=Q(auto_release_minutes__isnull=True)
            | _between("auto_release_minutes", low, high),
        ),
        models.CheckConstraint(
            name=f"{prefix}_audience_valid",
            condition=Q(audience__in=[value for value, _label in Audience.choices]),
        ),
        *bounded,
    ]


class RuleValues(models.Model):
    """The values of booking rules, shared by a space's own rules and a place's defaults for a
    kind of space (`rules.SpaceRules` is their plain copy)."""

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
        abstract = True

    def clean(self) -> None:
        super().clean()
        found = problems({name: getattr(self, name) for name in RULE_FIELDS})
        if found:
            raise ValidationError(found, code="invalid")

    def values(self) -> SpaceRules:
        return SpaceRules(**{f: getattr(self, f) for f in RULE_FIELDS})


RULE_FIELDS = list(SpaceRules.__dataclass_fields__)


class BookingRules(RuleValues):
    """A space's own rules; without a row, its place's defaults for its kind apply, else the
    built-in defaults of the kind (`rules.resolve`)."""

    space = models.OneToOneField(Space, on_delete=models.CASCADE, related_name="booking_rules")

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")
        constraints = rule_constraints("rules")

    def __str__(self) -> str:
        return f"{self.space}"


class KindRules(RuleValues):
    """A place's default booking rules for one kind of space: what its spaces of that kind
    follow when they have no rules of their own."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="kind_rules")
    kind = models.CharField(_("kind of space"), max_length=20, choices=Space.Kind.choices)

    class Meta:
        verbose_name = _("booking rules of a kind of space")
        verbose_name_plural = _("booking rules of kinds of space")
        constraints = [
            models.UniqueConstraint(fields=["place", "kind"], name="kind_rules_unique"),
            models.CheckConstraint(
                name="kind_rules_kind_valid",
                condition=Q(kind__in=[value for value, _label in Space.Kind.choices]),
            ),
            *rule_constraints("kind_rules"),
        ]

    def __str__(self) -> str:
        return f"{self.place} · {self.get_kind_display()}"


class BookingSettings(models.Model):
    """A place's booking settings: the grace period after booking during which the booker may
    always cancel, whatever the space's deadline. Without a row, the default applies."""

    place = models.OneToOneField(Place, on_delete=models.CASCADE, related_name="booking_settings")
    grace_minutes = models.PositiveIntegerField(
        _("grace period after booking (minutes)"),
        default=DEFAULT_GRACE_MINUTES,
        validators=[MinValueValidator(GRACE_BOUNDS[0]), MaxValueValidator(GRACE_BOUNDS[1])],
    )

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")
        constraints = [
            models.CheckConstraint(
                name="booking_settings_grace_bounds",
                condition=_between("grace_minutes", *GRACE_BOUNDS),
            )
        ]

    def __str__(self) -> str:
        return f"{self.place}"


_UNSET: Any = object()


def rules_of(space: Space) -> SpaceRules:
    """The rules that apply to a space. Select `booking_rules` with the space, and for spaces
    without rules of their own call `prime_rules` on the list, to avoid a query per space."""
    return rules_and_source(space)[0]


def rules_and_source(space: Space) -> tuple[SpaceRules, str]:
    try:
        own: SpaceRules | None = space.booking_rules.values()
    except BookingRules.DoesNotExist:
        own = None
    if own is not None:
        return resolve(space.kind, own, None)
    place_kind = space.__dict__.get("_kind_rules", _UNSET)
    if place_kind is _UNSET:
        place_kind = space.__dict__["_kind_rules"] = _kind_defaults(space.place_id, space.kind)
    return resolve(space.kind, None, place_kind)


# Within a request, a place's defaults per kind are read once (all kinds in one query), and
# its grace period once, so that a page listing spaces or bookings does not read them per row;
# outside requests (tasks, commands) every read is fresh. Opened and closed by the request
# signals (`apps.BookingsConfig`).
_request = threading.local()


def open_request_scope(**_kwargs: Any) -> None:
    _request.kind_rules, _request.grace = {}, {}


def close_request_scope(**_kwargs: Any) -> None:
    _request.kind_rules = _request.grace = None


def _kind_defaults(place_id: int, kind: str) -> SpaceRules | None:
    scope: dict[int, dict[str, SpaceRules]] | None = getattr(_request, "kind_rules", None)
    if scope is None:
        row = KindRules.objects.filter(place_id=place_id, kind=kind).first()
        return row.values() if row else None
    if place_id not in scope:
        scope[place_id] = {r.kind: r.values() for r in KindRules.objects.filter(place_id=place_id)}
    return scope[place_id].get(kind)


def kind_defaults(place_id: int, kind: str) -> tuple[SpaceRules, str]:
    """What a place's spaces of a kind follow without rules of their own, and its source."""
    return resolve(kind, None, _kind_defaults(place_id, kind))


def forget_kind_defaults() -> None:
    """After a change of a place's defaults or grace period: this request reads them afresh."""
    if getattr(_request, "kind_rules", None) is not None:
        _request.kind_rules, _request.grace = {}, {}


def prime_rules(spaces: Iterable[Space]) -> None:
    """Read, in one query, the place defaults of the kinds of those spaces that have no rules
    of their own (their `booking_rules` selected already), for `rules_of`."""
    bare = [s for s in spaces if _without_own_rules(s)]
    if not bare:
        return
    found = {
        (row.place_id, row.kind): row.values()
        for row in KindRules.objects.filter(
            place_id__in={s.place_id for s in bare}, kind__in={s.kind for s in bare}
        )
    }
    for space in bare:
        space.__dict__["_kind_rules"] = found.get((space.place_id, space.kind))


def _without_own_rules(space: Space) -> bool:
    if not Space.booking_rules.is_cached(space):
        return False  # unknown: `rules_of` reads it
    return getattr(space, "booking_rules", None) is None


def rules_sql(space: str, own: str, kind: str) -> tuple[str, str]:
    """The columns and joins that read a space's own rules and its place's defaults for its
    kind with the space (`space` is the space table's alias): plain SQL for the write path's
    locked read. `rules_from_row` reads the columns back."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.id, " + ", ".join(f"{alias}.{quote(name)}" for name in RULE_FIELDS)
        for alias in (own, kind)
    )
    joins = (
        f"LEFT JOIN {quote(BookingRules._meta.db_table)} {own} ON {own}.space_id = {space}.id "
        f"LEFT JOIN {quote(KindRules._meta.db_table)} {kind} "
        f"ON {kind}.place_id = {space}.place_id AND {kind}.kind = {space}.kind"
    )
    return columns, joins


RULES_SQL_WIDTH = 2 * (1 + len(RULE_FIELDS))


def rules_from_row(kind: str, values: Sequence[Any]) -> tuple[SpaceRules, str]:
    """The rules (and their source) from the columns of `rules_sql`."""
    width = 1 + len(RULE_FIELDS)
    own, place_kind = values[:width], values[width:]
    return resolve(kind, _plain_rules(own), _plain_rules(place_kind))


def _plain_rules(values: Sequence[Any]) -> SpaceRules | None:
    if values[0] is None:
        return None
    found = dict(zip(RULE_FIELDS, values[1:], strict=True))
    for name in ("approval_required", "requires_authorisation"):  # SQLite gives 0 or 1
        found[name] = bool(found[name])
    return SpaceRules(**found)


def grace_minutes(place: Place) -> int:
    """The place's grace period after booking (memoised on the place instance, and within a
    request for the place)."""
    cached = place.__dict__.get("_grace_minutes")
    scope: dict[int, int] | None = getattr(_request, "grace", None)
    if cached is None and scope is not None:
        cached = scope.get(place.pk)
    if cached is None:
        row = BookingSettings.objects.filter(place=place).values_list("grace_minutes").first()
        cached = row[0] if row else DEFAULT_GRACE_MINUTES
        if scope is not None:
            scope[place.pk] = cached
    place.__dict__["_grace_minutes"] = cached
    return int(cached)


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


NOTE_MAX = 2000  # characters of a booking's note


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
    # Booked by the team for an organisation of the place (then for no person): priced at
    # its rate and charged to its customer. PROTECT: the booking is billed to it, like a
    # subscription; an organisation with bookings is kept, as a space with history is.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("organisation"),
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
    note = models.TextField(
        _("note"), blank=True, max_length=NOTE_MAX, validators=[MaxLengthValidator(NOTE_MAX)]
    )
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
    # How many people come, and what for: optional, they feed the place's activity figures.
    headcount = models.PositiveIntegerField(
        _("number of people"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(HEADCOUNT_MAX)],
    )
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices, blank=True)
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
            # Bounds the conflict check's `end > start` to the bookings that can overlap; its
            # other columns let the occupancy report (activity.queries) read the blocking
            # bookings from the index alone (SQLite needs `status` in it for that).
            models.Index(
                fields=["space", "end", "start", "units", "place", "status"],
                name="booking_blocking_cover",
                condition=Q(status__in=["confirmed", "done"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(name="booking_end_after_start", condition=Q(end__gt=F("start"))),
            models.CheckConstraint(name="booking_units_positive", condition=Q(units__gte=1)),
            models.CheckConstraint(
                name="booking_note_length", condition=LessThanOrEqual(Length("note"), NOTE_MAX)
            ),
            models.CheckConstraint(
                name="booking_status_valid",
                condition=Q(status__in=["requested", "confirmed", "cancelled", "no_show", "done"]),
            ),
            models.CheckConstraint(
                name="booking_headcount_bounds",
                condition=Q(headcount__isnull=True) | _between("headcount", 1, HEADCOUNT_MAX),
            ),
            models.CheckConstraint(
                name="booking_purpose_valid",
                condition=Q(purpose="") | Q(purpose__in=[v for v, _label in Purpose.choices]),
            ),
            models.CheckConstraint(
                name="booking_person_or_organisation",
                condition=Q(person__isnull=True) | Q(organisation__isnull=True),
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
