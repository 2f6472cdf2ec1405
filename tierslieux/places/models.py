"""A network, its places (the tenants) with their technical sheet, their spaces and roles.

The technical sheet follows the Mille Lieux study and the national census of tiers-lieux.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.core import clock
from tierslieux.core.fields import WebsiteField
from tierslieux.core.validators import (
    validate_postcode,
    validate_rna,
    validate_single_line,
    validate_siret,
    validate_timezone,
)
from tierslieux.places import bounds

SHARE = [MinValueValidator(0), MaxValueValidator(100)]


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), unique=True)
    description = bounds.description_field(bounds.LONG_TEXT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A kind of place (coworking, fablab…); rows are fixed by a data migration."""

    class Code(models.TextChoices):
        COWORKING = "coworking", _("Coworking")
        FABLAB = "fablab", _("Fablab")
        SHARED_WORKSHOP = "shared_workshop", _("Shared workshop")
        CULTURAL_CAFE = "cultural_cafe", _("Cultural place / café")
        SUPPORT_INCUBATION = "support_incubation", _("Support / incubation")
        FOOD = "food", _("Food tiers-lieu")
        LIVING_LAB = "living_lab", _("Living lab")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=30, choices=Code.choices, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return str(self.get_code_display())


class Place(models.Model):
    class LocationType(models.TextChoices):
        CITY_CENTRE = "city_centre", _("City centre")
        HISTORIC_CENTRE = "historic_centre", _("Historic centre")
        PERIPHERY = "periphery", _("Periphery")
        RURAL = "rural", _("Rural")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        SCIC = "scic", _("SCIC cooperative")
        COMPANY_ESUS = "company_esus", _("SAS/SARL with ESUS approval")
        PUBLIC_SERVICE = "public_service", _("Public service")
        SAEML = "saeml", _("SAEML (mixed-economy company)")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PROJECT = "project", _("In project")

    class Country(models.TextChoices):
        FR = "FR", _("France")
        BE = "BE", _("Belgium")
        ES = "ES", _("Spain")
        LU = "LU", _("Luxembourg")
        CH = "CH", _("Switzerland")

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), unique=True)
    description = bounds.description_field(bounds.LONG_TEXT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    opening_date = models.DateField(_("opening date"), null=True, blank=True)
    # Location
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10)
    commune = models.CharField(_("commune"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, default="FR")
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    # Blank: not stated (a census import or a declaration in project may not know it).
    location_type = models.CharField(
        _("location"), max_length=20, choices=LocationType.choices, blank=True
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_timezone]
    )
    # Sheet
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    legal_form_detail = models.CharField(_("legal form, in detail"), max_length=200, blank=True)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_("14 digits, from the Sirene register."),
    )
    rna = models.CharField(
        _("RNA number"),
        max_length=10,
        blank=True,
        validators=[validate_rna],
        help_text=_("For associations: W followed by 9 characters."),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, related_name="places"
    )
    programme = models.JSONField(
        _("programme"), default=list, blank=True, help_text=_("The uses of the place.")
    )
    investment_public_share = models.PositiveSmallIntegerField(
        _("investment: public share (%)"), null=True, blank=True, validators=SHARE
    )
    investment_private_share = models.PositiveSmallIntegerField(
        _("investment: private share (%)"), null=True, blank=True, validators=SHARE
    )
    operation_public_share = models.PositiveSmallIntegerField(
        _("operation: public share (%)"), null=True, blank=True, validators=SHARE
    )
    operation_private_share = models.PositiveSmallIntegerField(
        _("operation: private share (%)"), null=True, blank=True, validators=SHARE
    )
    visitors_per_year = models.PositiveIntegerField(_("visitors per year"), null=True, blank=True)
    events_per_year = models.PositiveIntegerField(_("events per year"), null=True, blank=True)
    resident_organisations = models.PositiveIntegerField(
        _("resident organisations (declared)"), null=True, blank=True
    )
    # Contact
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = WebsiteField(_("website"), blank=True)
    # Set by `save` from the project's clock (not `auto_now`, which reads the real one).
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                name="place_investment_shares_sum_100",
                condition=Q(
                    investment_public_share__isnull=True, investment_private_share__isnull=True
                )
                | Q(investment_public_share__isnull=False, investment_private_share__isnull=False)
                & Q(investment_public_share=100 - models.F("investment_private_share")),
            ),
            models.CheckConstraint(
                name="place_operation_shares_sum_100",
                condition=Q(
                    operation_public_share__isnull=True, operation_private_share__isnull=True
                )
                | Q(operation_public_share__isnull=False, operation_private_share__isnull=False)
                & Q(operation_public_share=100 - models.F("operation_private_share")),
            ),
            models.CheckConstraint(
                name="place_latitude_range",
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            ),
            models.CheckConstraint(
                name="place_longitude_range",
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            ),
            models.CheckConstraint(
                name="place_status_valid", condition=Q(status__in=["open", "project"])
            ),
            bounds.length_within("description", bounds.LONG_TEXT, "place_description_length"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = clock.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("places:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.postcode and self.country:
            try:
                validate_postcode(self.postcode, self.country)
            except ValidationError as error:
                errors.setdefault("postcode", []).append(error)
        for prefix, label in (("investment", _("investment")), ("operation", _("operation"))):
            public = getattr(self, f"{prefix}_public_share")
            private = getattr(self, f"{prefix}_private_share")
            if (public is None) != (private is None) or (
                public is not None and private is not None and public + private != 100
            ):
                errors.setdefault(f"{prefix}_private_share", []).append(
                    ValidationError(
                        _("The public and private shares of %(what)s must add up to 100 %%."),
                        code="shares_sum",
                        params={"what": label},
                    )
                )
        if errors:
            raise ValidationError(errors)

    def today(self) -> date:
        """Today in the place's own time zone (a Réunion place turns the page before Paris)."""
        return clock.today(self.timezone)

    def now(self) -> datetime:
        """The current wall-clock time in the place's time zone."""
        return clock.localtime(self.timezone)


class Equipment(models.Model):
    """A piece of equipment a space offers, shared vocabulary across the network."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return self.name


class SpaceQuerySet(models.QuerySet["Space"]):
    def active(self) -> SpaceQuerySet:
        """Spaces in use: the archived ones keep their history but leave every booking page."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> SpaceQuerySet:
        return self.filter(archived_at__isnull=False)

    def open_for_booking(self) -> SpaceQuerySet:
        """What booking pages offer: bookable and not archived."""
        return self.filter(bookable=True, archived_at__isnull=True)


class Space(models.Model):
    class Kind(models.TextChoices):
        MULTIPURPOSE_ROOM = "multipurpose_room", _("Multipurpose room")
        COWORKING = "coworking", _("Coworking")
        WORKSHOP = "workshop", _("Practical workshop")
        WELLBEING = "wellbeing", _("Wellbeing room")
        OUTDOOR = "outdoor", _("Outdoor space")
        MEETING_ROOM = "meeting_room", _("Meeting room")
        DESK = "desk", _("Desk")
        MACHINE = "machine", _("Machine")
        OTHER = "other", _("Other")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="spaces"
    )
    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = bounds.description_field(bounds.SHORT_TEXT)
    surface_m2 = models.PositiveIntegerField(_("surface (m²)"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity (people)"), default=1, validators=[MaxValueValidator(bounds.MAX_CAPACITY)]
    )
    units = models.PositiveIntegerField(
        _("identical units"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(bounds.MAX_UNITS)],
        help_text=_("E.g. 8 desks of a coworking, or 3 identical 3D printers."),
    )
    equipment = models.ManyToManyField(
        Equipment, verbose_name=_("equipment"), blank=True, related_name="spaces"
    )
    step_free_access = models.BooleanField(_("step-free access"), default=False)
    bookable = models.BooleanField(_("bookable"), default=True)
    inside = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contents",
        help_text=_("The room this space or machine stands in: booking the room blocks it."),
    )
    # Set by `services.archive_space`: a space with a history (bookings, rates…) is never
    # deleted; archived, it leaves the booking pages and keeps its bookings and invoices.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)

    objects = SpaceQuerySet.as_manager()

    class Meta:
        ordering = ["place", "name"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        constraints = [
            models.UniqueConstraint(fields=["place", "slug"], name="space_slug_unique_in_place"),
            # Two spaces "Salle A" and "salle a" cannot be told apart on a booking page.
            models.UniqueConstraint(
                F("place"),
                Lower("name"),
                name="space_name_unique_in_place",
                violation_error_code="space_name_taken",
            ),
            models.CheckConstraint(name="space_units_at_least_one", condition=Q(units__gte=1)),
            models.CheckConstraint(
                name="space_units_at_most_the_maximum", condition=Q(units__lte=bounds.MAX_UNITS)
            ),
            bounds.length_within("description", bounds.SHORT_TEXT, "space_description_length"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def validate_constraints(self, exclude: Any = None) -> None:
        """The name taken by another space of the place is the name field's error."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            message = _(
                "The place already has a space named “%(name)s” (archived spaces included): "
                "choose another name."
            )
            raise bounds.on_field(
                error, "space_name_taken", "name", message, name=self.name
            ) from None

    def clean(self) -> None:
        inside = self.inside if self.inside_id is not None else None
        if inside is not None and (inside.pk == self.pk or inside.place_id != self.place_id):
            raise ValidationError(
                {"inside": _("A space can only stand in another space of the same place.")}
            )


class PlaceRole(models.Model):
    """What a person or an organisation is in a place; access rules read these rows."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        STAFF = "staff", _("Staff")
        MEMBER = "member", _("Member")
        RESIDENT_ORGANISATION = "resident_organisation", _("Resident organisation")
        VOLUNTEER = "volunteer", _("Volunteer")

    PERSON_ROLES = {Role.COORDINATOR, Role.STAFF, Role.MEMBER, Role.VOLUNTEER}
    ORGANISATION_ROLES = {Role.MEMBER, Role.RESIDENT_ORGANISATION}

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="place_roles"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="place_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        ordering = ["place", "role", "id"]
        verbose_name = _("role in a place")
        verbose_name_plural = _("roles in places")
        constraints = [
            models.CheckConstraint(
                name="place_role_person_xor_organisation",
                condition=Q(person__isnull=False, organisation__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False),
            ),
            models.CheckConstraint(
                name="place_role_fits_holder",
                condition=Q(
                    person__isnull=False,
                    role__in=["coordinator", "staff", "member", "volunteer"],
                )
                | Q(organisation__isnull=False, role__in=["member", "resident_organisation"]),
            ),
            models.UniqueConstraint(
                fields=["place", "person", "role"],
                condition=Q(person__isnull=False),
                name="place_role_unique_person",
            ),
            models.UniqueConstraint(
                fields=["place", "organisation", "role"],
                condition=Q(organisation__isnull=False),
                name="place_role_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation}: {self.get_role_display()} @ {self.place}"

    def clean(self) -> None:
        if (self.person_id is None) == (self.organisation_id is None):
            raise ValidationError(_("A role belongs to either a person or an organisation."))
        if self.person_id and self.role not in self.PERSON_ROLES:
            raise ValidationError({"role": _("This role is for organisations only.")})
        if self.organisation_id and self.role not in self.ORGANISATION_ROLES:
            raise ValidationError({"role": _("An organisation can only be a member or resident.")})


class NetworkRole(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Network administrator")
        OBSERVER = "observer", _("Network observer")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.ADMIN)

    class Meta:
        verbose_name = _("role in a network")
        verbose_name_plural = _("roles in networks")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person", "role"], name="network_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()} @ {self.network}"


# Models in their own modules, re-exported: the app has one models namespace.
from tierslieux.places.grant_models import NetworkGrant  # noqa: E402
from tierslieux.places.hours_models import OpeningException, OpeningHours  # noqa: E402
from tierslieux.places.membership_models import ExternalId, NetworkMembership  # noqa: E402
from tierslieux.places.team_models import TeamMember  # noqa: E402

__all__ = [
    "Category",
    "Equipment",
    "ExternalId",
    "Network",
    "NetworkGrant",
    "NetworkMembership",
    "NetworkRole",
    "OpeningException",
    "OpeningHours",
    "Place",
    "PlaceRole",
    "Space",
    "TeamMember",
]
