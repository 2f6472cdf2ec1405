"""Writes around bookings that concern a person: machine authorisations, calendar feeds."""

from __future__ import annotations

import secrets
from datetime import date

from django.db import transaction

from tierslieux.accounts.models import Person
from tierslieux.bookings.models import CalendarFeed, MachineAuthorisation
from tierslieux.core import audit, clock
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Space

# --- Machine authorisations -----------------------------------------------------------------


@transaction.atomic
def authorise(
    *,
    actor: Actor,
    person: Person,
    space: Space,
    granted_on: date,
    expires_on: date | None = None,
) -> MachineAuthorisation:
    """Record that a person did the training for a machine (the team only)."""
    access.require(actor, space.place, Perm.MANAGE_BOOKINGS)
    row, _created = MachineAuthorisation.objects.update_or_create(
        person=person,
        space=space,
        defaults={"granted_on": granted_on, "expires_on": expires_on, "granted_by_id": actor.pk},
    )
    row.full_clean()
    audit.record(
        actor=actor,
        action="authorisation.grant",
        obj=row,
        place_id=space.place_id,
        changes={"person": person, "expires_on": expires_on},
    )
    return row


# --- Calendar feeds -------------------------------------------------------------------------


def calendar_feed_for(person: Person) -> CalendarFeed:
    """The person's private feed, made on first use: its token is the only key to it."""
    feed, _created = CalendarFeed.objects.get_or_create(
        person=person, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def reset_calendar_feed(person: Person, *, actor: Actor | None = None) -> CalendarFeed:
    """A new token for the person's feed: the old address stops working at once."""
    feed = calendar_feed_for(person)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = clock.now()
    feed.save(update_fields=["token", "created_at"])
    audit.record(actor=actor, action="calendar_feed.reset", obj=feed)
    return feed
