"""The impact framework as data, a place's commitments self-assessments and its evidence.

The default framework (`Framework.is_default`) comes from `framework_defaults` through
`services.load_framework`; a network edits its own copy, made on its first edit. Entries
carry stable `key`s: assessments, evidence and reports refer to keys, never to rows, so a
network's copy or a reset keeps them meaningful. Only `services` writes these rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.impact import suggestions
from tierslieux.places.models import Network, Place

TEXT = 5_000
QUOTE = 2_000
MIN_LEVEL, MAX_LEVEL = 1, 4


def _text(verbose: Any, max_length: int = TEXT) -> models.TextField:
    return models.TextField(
        verbose, blank=True, max_length=max_length, validators=[MaxLengthValidator(max_length)]
    )


def _title(verbose: Any) -> models.CharField:
    return models.CharField(verbose, max_length=300, validators=[validate_single_line])


class Framework(models.Model):
    """The default framework (no network), or one network's edited copy."""

    network = models.OneToOneField(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="impact_framework"
    )
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="impact_one_default"
            ),
            models.CheckConstraint(
                condition=Q(is_default=True, network__isnull=True)
                | Q(is_default=False, network__isnull=False),
                name="impact_default_has_no_network",
            ),
        ]

    def __str__(self) -> str:
        return "default framework" if self.is_default else f"framework of {self.network_id}"


class Impact(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="impacts")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    title = _title(_("title"))
    conditions = _text(_("conditions of expression"))  # one condition per line

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="impact_key_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def condition_lines(self) -> list[str]:
        return [line for line in self.conditions.splitlines() if line.strip()]


class Axis(models.Model):
    impact = models.ForeignKey(Impact, on_delete=models.CASCADE, related_name="axes")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    title = _title(_("title"))
    example = models.CharField(_("example"), max_length=300, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["impact", "key"], name="axis_key_unique")]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """One of the four functions or of the four fields of exploration."""

    class Kind(models.TextChoices):
        FUNCTION = "function", _("Function")
        FIELD = "field", _("Field of exploration")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="themes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    title = _title(_("title"))

    class Meta:
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "kind", "key"], name="theme_key_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Commitment(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="commitments")
    key = models.SlugField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    title = _title(_("title"))
    description = _text(_("description"))
    criteria = models.JSONField(default=list)  # [[key, text], …]

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="commitment_key_unique")
        ]

    def __str__(self) -> str:
        return self.title


class CommitmentLevel(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_LEVEL), MaxValueValidator(MAX_LEVEL)]
    )
    text = _text(_("text"), 1_000)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "level"], name="level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL), name="level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id} · {self.level}"


class CommitmentAssessment(models.Model):
    """A dated self-assessment of the place's commitments; never overwritten (the history)."""

    place = models.ForeignKey(
        Place, on_delete=models.CASCADE, related_name="commitment_assessments"
    )
    assessed_on = models.DateField(_("date"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = _text(_("note"))
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.place_id} · {self.assessed_on}"


class CommitmentScore(models.Model):
    assessment = models.ForeignKey(
        CommitmentAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    commitment_key = models.SlugField(max_length=60)
    level = models.PositiveSmallIntegerField()
    criteria = models.JSONField(default=list)  # keys of the criteria met

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "commitment_key"], name="score_commitment_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=MIN_LEVEL, level__lte=MAX_LEVEL), name="score_level_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_key} · {self.level}"


def _photo_path(testimony: Testimony, filename: str) -> str:
    """Under the place's folder, by a random name: never the uploader's file name."""
    suffix = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"impact/{testimony.place_id}/testimonies/{uuid.uuid4().hex}{suffix}"


class TestimonyQuerySet(models.QuerySet["Testimony"]):
    def publishable(self) -> TestimonyQuerySet:
        """What may leave the back office (public pages, reports, exports): consented and
        marked public. Every reader outside the place's team goes through this."""
        return self.filter(consent=True, public=True)


class Testimony(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="testimonies")
    quote = models.TextField(_("quote"), max_length=QUOTE, validators=[MaxLengthValidator(QUOTE)])
    author_role = models.CharField(
        _("author's role"), max_length=200, validators=[validate_single_line]
    )
    said_on = models.DateField(_("date"))
    consent = models.BooleanField(_("consent given"), default=False)
    consent_how = models.CharField(_("how consent was given"), max_length=300, blank=True)
    public = models.BooleanField(_("public"), default=False)
    photo = models.FileField(_("photo"), upload_to=_photo_path, max_length=255, blank=True)
    impact_key = models.SlugField(_("impact"), max_length=60)
    axis_key = models.SlugField(_("axis"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        ordering = ["-said_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public=False) | Q(consent=True), name="testimony_public_needs_consent"
            ),
            models.CheckConstraint(
                condition=Q(consent=False) | ~Q(consent_how=""), name="testimony_consent_how"
            ),
        ]

    def __str__(self) -> str:
        return self.quote[:60]


class StoryQuerySet(models.QuerySet["Story"]):
    def publishable(self) -> StoryQuerySet:
        return self.filter(consent=True, public=True)


class Story(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="stories")
    title = _title(_("title"))
    text = models.TextField(_("text"), max_length=TEXT, validators=[MaxLengthValidator(TEXT)])
    told_on = models.DateField(_("date"))
    impact_keys = models.JSONField(default=list)
    # The people the story names or shows agreed to its publication.
    consent = models.BooleanField(_("consent given"), default=False)
    public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-told_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public=False) | Q(consent=True), name="story_public_needs_consent"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    class Kind(models.TextChoices):
        FOUNDING = "founding", _("Founding")
        OPENING = "opening", _("Opening")
        FUNDING = "funding", _("Funding")
        ACTIVITY = "activity", _("New activity")
        OTHER = "other", _("Other")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="milestones")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = _title(_("title"))
    text = _text(_("text"))
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return self.title


# --- The yearly assessment -------------------------------------------------------------------


class Verdict(models.TextChoices):
    """The Mille Lieux study's three answers for one impact of one place."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_OBSERVED = "not_observed", _("Not observed")


class YearAssessment(models.Model):
    """A place's impact assessment for one calendar year: one judgement per impact.

    While `confirmed_at` is empty it is a draft the team works on; confirming freezes the
    figures it rests on (`figures`: {indicator key: {"amount", "basis", "reason"}} as JSON)
    so a report handed to a funder does not move when a late correction lands. Reports,
    exports and the network's matrix read confirmed assessments only."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="impact_assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    method = _text(_("method"))  # how the team judged: who, when, with what
    public = models.BooleanField(_("public report"), default=False)  # confirmed ones only
    figures = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["place", "year"], name="year_assessment_unique"),
            models.CheckConstraint(condition=Q(year__gte=1990), name="year_assessment_year"),
            models.CheckConstraint(
                condition=Q(public=False) | Q(confirmed_at__isnull=False),
                name="year_assessment_public_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} · {self.year}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class Judgement(models.Model):
    """One impact of a year's assessment: the suggestion computed from the indicators, and
    the team's verdict. A verdict that departs from the suggestion needs its reason (the
    database refuses it otherwise)."""

    assessment = models.ForeignKey(
        YearAssessment, on_delete=models.CASCADE, related_name="judgements"
    )
    impact_key = models.SlugField(max_length=60)
    suggested = models.CharField(max_length=12, choices=Verdict.choices)
    # The reasons as data (`suggestions.Suggestion.notes`), read in the reader's language.
    suggestion_reasons = models.JSONField(default=list, blank=True)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    reason = _text(_("reason"), 2_000)  # why the team departs from the suggestion
    axis_keys = models.JSONField(default=list, blank=True)  # the axes observed
    note = _text(_("note"), 2_000)  # the team's words, shown in the report
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "impact_key"], name="judgement_impact_unique"
            ),
            models.CheckConstraint(
                condition=Q(suggested__in=Verdict.values), name="judgement_suggested_known"
            ),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=Verdict.values),
                name="judgement_verdict_known",
            ),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict=models.F("suggested")) | ~Q(reason=""),
                name="judgement_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.impact_key} · {self.verdict or self.suggested}"

    @property
    def overridden(self) -> bool:
        return bool(self.verdict) and self.verdict != self.suggested

    @property
    def reasons(self) -> list[str]:
        """The suggestion's reasons in the active language (whoever computed them)."""
        return suggestions.sentences(self.suggestion_reasons)


class TeamFigure(models.Model):
    """A figure the team brings to a judgement itself (a partner's count, a survey made
    elsewhere), with its method, sample and period as the team states them. Shown labelled
    "method not given" without a method; never counted in the suggestion, which reads the
    computed indicators only."""

    judgement = models.ForeignKey(Judgement, on_delete=models.CASCADE, related_name="figures")
    label = _title(_("figure"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True, validators=[validate_single_line])
    method = _text(_("method"), 2_000)
    sample = models.CharField(
        _("sample"), max_length=300, blank=True, validators=[validate_single_line]
    )
    period = models.CharField(
        _("period"), max_length=100, blank=True, validators=[validate_single_line]
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label
