"""Footfall: the people a place counted, day by day (entered by the team or imported from a
counter's CSV). Written only by `activity.services`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.core import clock
from tierslieux.places.models import Place

MAX_COUNT = 1_000_000  # a day's visitors: beyond, a typo
NOTE_MAX = 200


class DailyCount(models.Model):
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="daily_counts"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("people counted"))
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["place", "day"]
        verbose_name = _("daily footfall")
        verbose_name_plural = _("daily footfall")
        constraints = [
            models.UniqueConstraint(fields=["place", "day"], name="daily_count_one_per_day"),
            models.CheckConstraint(
                name="daily_count_within_bounds",
                condition=Q(count__gte=0, count__lte=MAX_COUNT),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.day}: {self.count}"
