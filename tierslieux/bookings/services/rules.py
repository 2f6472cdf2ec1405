"""The booking rules a place's coordinators set in the back office: a space's own rules, the
place's defaults per kind of space (what spaces without their own follow) and the place's
grace period after booking. Each change is checked whole (`full_clean`: bounds, maximum not
below minimum, durations on the slot grid), written in one transaction and audited with the
values it changed.

The booking path reads what these write in its one locked statement (`common.load`), and the
pages through `models.rules_of`: the order of `rules.resolve` is the only one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from django.db import transaction

from tierslieux.bookings.models import (
    RULE_FIELDS,
    BookingRules,
    BookingSettings,
    KindRules,
    RuleValues,
    forget_kind_defaults,
    rules_and_source,
)
from tierslieux.bookings.rules import DEFAULT_GRACE_MINUTES, SpaceRules, defaults_for
from tierslieux.core import audit
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place, Space

# Who sets the rules: the coordinators (and the network's administrators); the staff sees them.
RULES_PERM = Perm.EDIT_SHEET


def _changes(before: SpaceRules, row: RuleValues) -> dict[str, Any]:
    return {
        name: getattr(row, name)
        for name in RULE_FIELDS
        if getattr(before, name) != getattr(row, name)
    }


def _fill(row: RuleValues, values: Mapping[str, Any]) -> None:
    for name in RULE_FIELDS:
        if name in values:
            setattr(row, name, values[name])


@transaction.atomic
def save_space_rules(*, actor: Actor, space: Space, values: Mapping[str, Any]) -> BookingRules:
    """Give a space its own rules (from then on, its kind's defaults no longer apply to it)."""
    access.require(actor, space.place, RULES_PERM)
    before, _source = rules_and_source(space)
    row = BookingRules.objects.filter(space=space).first()
    if row is None:
        row = BookingRules(space=space, **asdict(before))
    _fill(row, values)
    row.full_clean()
    row.save()
    space.booking_rules = row
    audit.record(
        actor=actor,
        action="booking_rules.save",
        obj=row,
        place_id=space.place_id,
        changes={"space": space.pk, **_changes(before, row)},
    )
    return row


@transaction.atomic
def reset_space_rules(*, actor: Actor, space: Space) -> None:
    """The space follows its kind's defaults again: its own rules are removed."""
    access.require(actor, space.place, RULES_PERM)
    row = BookingRules.objects.filter(space=space).first()
    if row is None:
        return
    audit.record(
        actor=actor,
        action="booking_rules.reset",
        obj=row,
        place_id=space.place_id,
        changes={"space": space.pk, "removed": asdict(row.values())},
    )
    row.delete()
    space.__dict__.pop("_kind_rules", None)


@transaction.atomic
def save_kind_rules(
    *, actor: Actor, place: Place, kind: str, values: Mapping[str, Any]
) -> KindRules:
    """Set the place's defaults for a kind of space: its spaces of that kind without rules of
    their own follow them from the next booking on."""
    access.require(actor, place, RULES_PERM)
    row = KindRules.objects.filter(place=place, kind=kind).first()
    before = row.values() if row else defaults_for(kind)
    if row is None:
        row = KindRules(place=place, kind=kind, **asdict(before))
    _fill(row, values)
    row.full_clean()
    row.save()
    forget_kind_defaults()
    audit.record(
        actor=actor,
        action="kind_rules.save",
        obj=row,
        place_id=place.pk,
        changes={"kind": kind, **_changes(before, row)},
    )
    return row


@transaction.atomic
def reset_kind_rules(*, actor: Actor, place: Place, kind: str) -> None:
    """The place's spaces of that kind follow the built-in defaults again."""
    access.require(actor, place, RULES_PERM)
    row = KindRules.objects.filter(place=place, kind=kind).first()
    if row is None:
        return
    audit.record(
        actor=actor,
        action="kind_rules.reset",
        obj=row,
        place_id=place.pk,
        changes={"kind": kind, "removed": asdict(row.values())},
    )
    row.delete()
    forget_kind_defaults()


@transaction.atomic
def save_booking_settings(*, actor: Actor, place: Place, grace_minutes: int) -> BookingSettings:
    """The place's grace period: how long after booking the booker may always cancel."""
    access.require(actor, place, RULES_PERM)
    row = BookingSettings.objects.filter(place=place).first() or BookingSettings(place=place)
    before = row.grace_minutes if row.pk else DEFAULT_GRACE_MINUTES
    row.grace_minutes = grace_minutes
    row.full_clean()
    row.save()
    place.__dict__.pop("_grace_minutes", None)
    forget_kind_defaults()
    audit.record(
        actor=actor,
        action="booking_settings.save",
        obj=row,
        place_id=place.pk,
        changes={"grace_minutes": grace_minutes} if before != grace_minutes else {},
    )
    return row
