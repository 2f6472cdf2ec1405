"""Who can log in (`User`), who the people and organisations of the network are.

`Person` and `Organisation` are network-wide identities: one person may belong to several
places. What they are *in* a place (coordinator, member…) is a role, kept by `places`.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock
from tierslieux.core.fields import WebsiteField
from tierslieux.core.validators import (
    validate_postcode,
    validate_rna,
    validate_single_line,
    validate_siren,
    validate_siret,
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        """Log in whatever the case of the address: e-mails are unique case-insensitively."""
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. The e-mail address is the identifier; the language follows the user."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(
        _("Django admin access"),
        default=False,
        help_text=_("Lets the user log into the Django admin site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=clock.now)
    # When the last password-reset e-mail was sent: at most one per PASSWORD_RESET_INTERVAL.
    password_reset_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Person(models.Model):
    """A human of the network, with or without a login."""

    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[validate_single_line])
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Organisation(models.Model):
    """A legal entity: a resident company, a member association, a town…"""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Company")
        COOPERATIVE = "cooperative", _("Cooperative")
        PUBLIC_BODY = "public_body", _("Public body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
    email = models.EmailField(_("e-mail address"), blank=True)
    website = WebsiteField(_("website"), blank=True)
    # The postal address an invoice to the organisation must give (the buyer's address).
    address = models.CharField(
        _("address"), max_length=255, blank=True, validators=[validate_single_line]
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(
        _("city"), max_length=120, blank=True, validators=[validate_single_line]
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        default="FR",
        validators=[RegexValidator(r"^[A-Z]{2}\Z", _("Two capital letters, e.g. FR or BE."))],
        help_text=_("ISO code of two letters, e.g. FR, BE."),
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("people"), blank=True, related_name="organisations"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def siren(self) -> str:
        """The SIREN (the legal unit) is the SIRET's first nine digits: no field of its own,
        so the two can never disagree."""
        return self.siret[:9]

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.siret and len(self.siret) == 14 and self.siret.isdigit():
            try:  # a SIRET can pass its own check while its SIREN part fails its own
                validate_siren(self.siren)
            except ValidationError as error:
                errors.setdefault("siret", []).append(error)
        if self.postcode:
            try:
                validate_postcode(self.postcode, self.country)
            except ValidationError as error:
                errors.setdefault("postcode", []).append(error)
        if errors:
            raise ValidationError(errors)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "tl_" + secrets.token_urlsafe(32)


class UserSession(models.Model):
    """A logged-in browser, so that its owner can see it and end it from elsewhere.

    The session itself lives in Django's session store; this row only describes it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="browser_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(default=clock.now, editable=False)
    last_seen_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("browser session")
        verbose_name_plural = _("browser sessions")

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d}"
