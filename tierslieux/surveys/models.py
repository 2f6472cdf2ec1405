"""Surveys: a questionnaire with a public link, its versions, the people invited, the answers.

A survey belongs to a place or to a network (exactly one, checked by the database). Its
questions live in versions: a version that has answers is never changed, it is copied
(`services.edit_definition`), so an answer always reads against the questions it answered.

Anonymous surveys (`Survey.anonymous`): a response holds no person, no invitation, no time of
day (the date only) and no address; the database refuses them otherwise (a check constraint
on the response's own copy of the flag). docs/privacy.md says what is stored.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Person
from tierslieux.core import clock
from tierslieux.core.validators import validate_single_line
from tierslieux.places.models import Network, Place


def new_public_key() -> str:
    return secrets.token_urlsafe(12)


class Survey(models.Model):
    class AnswerRule(models.TextChoices):
        OPEN = "open", _("anyone with the link, as often as they like")
        INVITED = "invited", _("one answer per invited person (a personal link)")
        CONFIRMED = "confirmed", _("one answer per e-mail address (confirmed by e-mail)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    place = models.ForeignKey(
        Place, verbose_name=_("place"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="surveys",
    )  # fmt: skip
    network = models.ForeignKey(
        Network, verbose_name=_("network"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="surveys",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    intro = models.TextField(_("introduction"), blank=True, max_length=5000)
    consent = models.TextField(
        _("consent text"),
        blank=True,
        max_length=5000,
        help_text=_("Shown before the questions; answering means agreeing to it."),
    )
    thanks = models.TextField(_("thank-you message"), blank=True, max_length=2000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    answer_rule = models.CharField(
        _("who may answer"), max_length=10, choices=AnswerRule, default=AnswerRule.OPEN
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    public_key = models.CharField(
        _("public key"), max_length=32, unique=True, default=new_public_key, editable=False
    )
    template = models.CharField(_("template"), max_length=40, blank=True)  # built-in it came from
    source = models.TextField(_("source"), blank=True)  # the document the template cites
    invitation_count = models.PositiveIntegerField(_("invitations sent"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(place__isnull=False) & Q(network__isnull=True))
                | (Q(place__isnull=True) & Q(network__isnull=False)),
                name="survey_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        owner = self.place or self.network
        return owner.name if owner is not None else ""

    def current_version(self) -> SurveyVersion | None:
        return self.versions.order_by("-number").first()

    def is_open(self, at: object = None) -> bool:
        """Whether answers are taken now: published, and within its dates."""
        now = at or clock.now()
        if self.status != Survey.Status.PUBLISHED:
            return False
        if self.opens_at is not None and now < self.opens_at:  # type: ignore[operator]
            return False
        return self.closes_at is None or now < self.closes_at  # type: ignore[operator]


class SurveyVersion(models.Model):
    """The questions as they were answered (`questionnaire.parse` reads `definition`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("questions"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class Invitation(models.Model):
    """A person asked to answer, with a personal link (its token's digest only is kept).

    For an anonymous survey `answered` only says the link was used: no time, no response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"), max_length=254)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("invitation to a survey")
        verbose_name_plural = _("invitations to a survey")
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="survey_invitation_unique")
        ]

    def __str__(self) -> str:
        return self.email


class UsedAddress(models.Model):
    """An address that confirmed its answer (`AnswerRule.CONFIRMED`), kept as a keyed hash with
    no link to the answer: it stops a second answer and tells nothing else."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "digest"], name="survey_used_address")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.digest[:8]}"


class PendingResponse(models.Model):
    """Answers waiting for their e-mail's confirmation (sealed, `core.sealing`); removed once
    confirmed or expired (`privacy_tick`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)  # of the confirmation token
    sealed = models.TextField()
    created_at = models.DateTimeField(default=clock.now, editable=False)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.digest[:8]}"


class Response(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", _("public link")
        TEAM = "team", _("typed in by the team")
        IMPORT = "import", _("imported")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    anonymous = models.BooleanField(default=False, editable=False)  # the survey's, when answered
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.LINK)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    submitted_on = models.DateField(_("answered on"))
    submitted_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    language = models.CharField(max_length=10, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_on", "-pk"]
        indexes = [models.Index(fields=["survey", "version"], name="survey_response_version")]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | (
                    Q(person__isnull=True)
                    & Q(invitation__isnull=True)
                    & Q(submitted_at__isnull=True)
                ),
                name="survey_anonymous_response",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """One question's answer, one row per choice ticked (a ranking's `rank` is its order), so
    that results are counted in SQL."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # The response's survey and version, copied: results group a survey's answers walking one
    # index in group order, with no join (docs/PERFORMANCE.md, "Surveys").
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    question = models.CharField(max_length=40)
    choice = models.CharField(max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)
    commune = models.CharField(max_length=5, blank=True)  # INSEE code; `text` has its name

    class Meta:
        indexes = [
            models.Index(
                fields=["survey", "question", "choice", "number", "date", "commune", "rank"],
                name="survey_answer_results",
            ),
            models.Index(fields=["response", "question"], name="survey_answer_response"),
        ]

    def __str__(self) -> str:
        return f"{self.question}={self.choice or self.number or self.date or self.text[:30]}"


class Tag(models.Model):
    """A team's label on free-text answers ("transport", "horaires")."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=60, validators=[validate_single_line])
    answers = models.ManyToManyField(Answer, related_name="tags", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="survey_tag_unique")]

    def __str__(self) -> str:
        return self.name
