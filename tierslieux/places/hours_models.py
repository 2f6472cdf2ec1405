"""Weekly opening hours of a place, in its local wall-clock time, and their exceptions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        # A heading's context: Django's own "mardi" stays lower case inside a date.
        MONDAY = 0, pgettext_lazy("heading", "Monday")
        TUESDAY = 1, pgettext_lazy("heading", "Tuesday")
        WEDNESDAY = 2, pgettext_lazy("heading", "Wednesday")
        THURSDAY = 3, pgettext_lazy("heading", "Thursday")
        FRIDAY = 4, pgettext_lazy("heading", "Friday")
        SATURDAY = 5, pgettext_lazy("heading", "Saturday")
        SUNDAY = 6, pgettext_lazy("heading", "Sunday")

    place = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["place", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                name="hours_opens_before_closes", condition=Q(opens__lt=F("closes"))
            ),
            models.CheckConstraint(name="hours_weekday_valid", condition=Q(weekday__lte=6)),
            models.UniqueConstraint(
                fields=["place", "weekday", "opens"], name="hours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError({"closes": _("Closing time must be after opening time.")})


class OpeningException(models.Model):
    """A closure (holidays, works) or special hours over a range of dates, inclusive."""

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=150, blank=True)

    class Meta:
        ordering = ["place", "start_date"]
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        constraints = [
            models.CheckConstraint(
                name="exception_dates_ordered", condition=Q(start_date__lte=F("end_date"))
            ),
            models.CheckConstraint(
                name="exception_hours_when_open",
                condition=Q(closed=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date} {self.reason}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.start_date > self.end_date:
            errors["end_date"] = _("The end date must not be before the start date.")
        if not self.closed and (
            self.opens is None or self.closes is None or self.opens >= self.closes
        ):
            errors["closes"] = _("Special hours need an opening time before the closing time.")
        if errors:
            raise ValidationError(errors)
