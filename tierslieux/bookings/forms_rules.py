"""The forms of the booking rules pages: a space's rules or a kind's defaults (one form for
both), and the place's grace period. Bounds come from `rules.BOUNDS` and the cross-field rules
from `rules.problems`, as the model checks them: a refusal names its field (422)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.bookings.models import Audience
from tierslieux.bookings.rules import BOUNDS, GRACE_BOUNDS, SpaceRules, problems

HELP = {
    "min_minutes": _("The shortest booking, in minutes."),
    "max_minutes": _("The longest booking, in minutes (a week at most)."),
    "granularity_minutes": _(
        "Bookings start and end on this grid from the top of the hour (15: 9:00, 9:15…)."
    ),
    "notice_minutes": _("How long before the start one may still book, in minutes."),
    "horizon_days": _("How many days ahead one may book."),
    "buffer_minutes": _("Time kept free between two bookings (cleaning, setting up)."),
    "cancellation_deadline_hours": _(
        "Up to how many hours before the start the booker may cancel free of charge; after "
        "it, only the team can cancel and the booking stays billed."
    ),
    "auto_release_minutes": _(
        "Without a check-in this many minutes after the start, the rest of the slot is freed. "
        "Leave empty to never release."
    ),
    "audience": _("Non-members pay the space's non-member rate (rate card of the members' pages)."),
}


def _whole(name: str, label: Any, required: bool = True) -> forms.IntegerField:
    low, high = BOUNDS[name]
    return forms.IntegerField(
        label=label, min_value=low, max_value=high, required=required, help_text=HELP[name]
    )


class RulesForm(forms.Form):
    """Booking rules, for a space or as a place's defaults for a kind of space."""

    audience = forms.ChoiceField(
        label=_("Who may book"), choices=Audience.choices, help_text=HELP["audience"]
    )
    approval_required = forms.BooleanField(
        label=_("Each booking awaits the team's approval"), required=False
    )
    requires_authorisation = forms.BooleanField(
        label=_("Booking needs an authorisation (a training, for machines)"), required=False
    )
    min_minutes = _whole("min_minutes", _("Minimum duration (minutes)"))
    max_minutes = _whole("max_minutes", _("Maximum duration (minutes)"))
    granularity_minutes = _whole("granularity_minutes", _("Slot granularity (minutes)"))
    notice_minutes = _whole("notice_minutes", _("Notice (minutes)"))
    horizon_days = _whole("horizon_days", _("Bookable up to (days ahead)"))
    buffer_minutes = _whole("buffer_minutes", _("Buffer between bookings (minutes)"))
    cancellation_deadline_hours = _whole(
        "cancellation_deadline_hours", _("Free cancellation until (hours before the start)")
    )
    auto_release_minutes = _whole(
        "auto_release_minutes", _("Release if not checked in after (minutes)"), required=False
    )

    @classmethod
    def initial_from(cls, rules: SpaceRules) -> dict[str, Any]:
        return asdict(rules)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in problems(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class GraceForm(forms.Form):
    grace_minutes = forms.IntegerField(
        label=_("Grace period after booking (minutes)"),
        min_value=GRACE_BOUNDS[0],
        max_value=GRACE_BOUNDS[1],
        help_text=_(
            "For this long after booking, the booker may always cancel free of charge, "
            "whatever the space's deadline (a booking made by mistake). 0: no grace period."
        ),
    )
