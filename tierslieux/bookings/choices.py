"""The fixed choices of bookings: who may book a space, and what a booking is for (stored
as codes, shown translated). Plain choices, apart from the models so that pure modules and
the API's schemas read them too."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Anyone with an account")
    MEMBERS = "members", _("People with a role in the place")
    RESIDENTS = "residents", _("People of the place's resident organisations")
    STAFF = "staff", _("Coordinators and staff only")


HEADCOUNT_MAX = 10_000  # people at one booking, whatever the space (its capacity bounds it too)


class Purpose(models.TextChoices):
    """What a booking is for, as a third place counts its activity (figures of purposes)."""

    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    EVENT = "event", _("Event")
    COWORKING = "coworking", _("Coworking")
    PRODUCTION = "production", _("Production")
    OTHER = "other", _("Other")
