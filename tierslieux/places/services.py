"""The only code that writes places, spaces, hours and roles.

Each function takes a keyword-only `actor`, checks access through `places.access`, validates
the whole object (so that a bad value is refused before anything is written), writes in one
transaction and leaves an audit entry. A `ValidationError` carries per-field messages that
forms and the API show as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.core import audit, clock
from tierslieux.core.types import Actor
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import (
    Category,
    Equipment,
    Network,
    NetworkMembership,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)

PLACE_FIELDS = {
    f.name for f in Place._meta.concrete_fields if f.name not in {"id", "network", "updated_at"}
}
SPACE_FIELDS = {
    "name",
    "slug",
    "kind",
    "description",
    "surface_m2",
    "capacity",
    "units",
    "step_free_access",
    "bookable",
    "inside",
}


def _apply(obj: Any, fields: Set[str], changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - fields
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    changed = {}
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed[name] = value
    return changed


def _categories(codes: Iterable[str]) -> list[Category]:
    codes = list(dict.fromkeys(codes))
    found = list(Category.objects.filter(code__in=codes))
    if len(found) != len(codes):
        missing = sorted(set(codes) - {c.code for c in found})
        raise ValidationError(
            {"categories": [_("Unknown category: %(codes)s.") % {"codes": ", ".join(missing)}]}
        )
    return found


def _equipment(names: Iterable[str]) -> list[Equipment]:
    cleaned = list(dict.fromkeys(n.strip().lower() for n in names if n and n.strip()))
    return [Equipment.objects.get_or_create(name=name)[0] for name in cleaned]


@transaction.atomic
def create_place(
    *,
    actor: Actor,
    network: Network,
    categories: Sequence[str] = (),
    source: str = NetworkMembership.Source.TEAM,
    source_name: str = "",
    **fields: Any,
) -> Place:
    """A place of `network` (its home network, and its first membership with its source)."""
    access.require_network_admin(actor, network)
    place = Place(network=network)
    _apply(place, PLACE_FIELDS, fields)
    if not place.slug and place.name:
        place.slug = slugify(place.name)[:50]
    place.full_clean()
    place.save()
    place.categories.set(_categories(categories))
    NetworkMembership.objects.create(
        network=network, place=place, source=source, source_name=source_name
    )
    audit.record(actor=actor, action="place.create", obj=place, place_id=place.pk, changes=fields)
    return place


@transaction.atomic
def update_place(
    *, actor: Actor, place: Place, categories: Sequence[str] | None = None, **changes: Any
) -> Place:
    """Change fields of the technical sheet; all-or-nothing."""
    access.require(actor, place, Perm.EDIT_SHEET)
    place = Place.objects.select_for_update().get(pk=place.pk)
    changed = _apply(place, PLACE_FIELDS, changes)
    place.full_clean()
    place.save()
    if categories is not None:
        new = _categories(categories)
        if {c.code for c in new} != set(place.categories.values_list("code", flat=True)):
            place.categories.set(new)
            changed["categories"] = sorted(c.code for c in new)
    if changed:
        audit.record(
            actor=actor, action="place.update", obj=place, place_id=place.pk, changes=changed
        )
    return place


@transaction.atomic
def set_team(*, actor: Actor, place: Place, lines: Iterable[tuple[str, int, Decimal]]) -> None:
    """Replace the declared resource team (role, people, FTE)."""
    access.require(actor, place, Perm.EDIT_SHEET)
    rows = [TeamMember(place=place, role=r, people=p, fte=Decimal(f)) for r, p, f in lines]
    for row in rows:
        row.full_clean()
    place.team.all().delete()
    TeamMember.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="place.team",
        obj=place,
        place_id=place.pk,
        changes={"team": [[r.role, r.people, str(r.fte)] for r in rows]},
    )


@transaction.atomic
def set_weekly_hours(
    *, actor: Actor, place: Place, intervals: Iterable[tuple[int, time, time]]
) -> None:
    """Replace the weekly opening hours; spans of one day must not overlap."""
    access.require(actor, place, Perm.EDIT_SHEET)
    rows = sorted(
        (OpeningHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in intervals),
        key=lambda h: (h.weekday, h.opens),
    )
    for row in rows:
        row.full_clean(exclude=["place"], validate_unique=False)
    for before, after in pairwise(rows):
        if before.weekday == after.weekday and after.opens < before.closes:
            raise ValidationError(
                {
                    "hours": [
                        _("%(first)s overlaps %(second)s.") % {"first": before, "second": after}
                    ]
                }
            )
    place.hours.all().delete()
    OpeningHours.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="place.hours",
        obj=place,
        place_id=place.pk,
        changes={"hours": [str(r) for r in rows]},
    )


@transaction.atomic
def add_opening_exception(
    *,
    actor: Actor,
    place: Place,
    start_date: date,
    end_date: date,
    closed: bool = True,
    opens: time | None = None,
    closes: time | None = None,
    reason: str = "",
) -> OpeningException:
    access.require(actor, place, Perm.EDIT_SHEET)
    exc = OpeningException(
        place=place,
        start_date=start_date,
        end_date=end_date,
        closed=closed,
        opens=opens,
        closes=closes,
        reason=reason,
    )
    exc.full_clean()
    exc.save()
    audit.record(
        actor=actor,
        action="place.exception.add",
        obj=exc,
        place_id=place.pk,
        changes={"from": start_date, "to": end_date, "closed": closed},
    )
    return exc


@transaction.atomic
def remove_opening_exception(*, actor: Actor, exception: OpeningException) -> None:
    access.require(actor, exception.place, Perm.EDIT_SHEET)
    audit.record(
        actor=actor, action="place.exception.remove", obj=exception, place_id=exception.place_id
    )
    exception.delete()


def _refuse_an_archived_slug(space: Space) -> None:
    """An archived space keeps its slug: say so rather than "already exists"."""
    taken = Space.objects.archived().filter(place_id=space.place_id, slug=space.slug)
    if space.slug and taken.exclude(pk=space.pk).exists():
        raise ValidationError(
            {
                "slug": [
                    _("An archived space already uses this slug: restore it, or choose another.")
                ]
            }
        )


@transaction.atomic
def create_space(
    *, actor: Actor, place: Place, equipment: Iterable[str] = (), **fields: Any
) -> Space:
    access.require(actor, place, Perm.EDIT_SPACES)
    space = Space(place=place)
    _apply(space, SPACE_FIELDS, fields)
    if not space.slug and space.name:
        space.slug = slugify(space.name)[:50]
    _refuse_an_archived_slug(space)
    space.full_clean()
    space.save()
    space.equipment.set(_equipment(equipment))
    audit.record(actor=actor, action="space.create", obj=space, place_id=place.pk, changes=fields)
    return space


@transaction.atomic
def update_space(
    *, actor: Actor, space: Space, equipment: Iterable[str] | None = None, **changes: Any
) -> Space:
    access.require(actor, space.place, Perm.EDIT_SPACES)
    space = Space.objects.select_for_update().get(pk=space.pk)
    changed = _apply(space, SPACE_FIELDS, changes)
    _refuse_an_archived_slug(space)
    space.full_clean()
    space.save()
    if equipment is not None:
        new = _equipment(equipment)
        if {e.name for e in new} != set(space.equipment.values_list("name", flat=True)):
            space.equipment.set(new)
            changed["equipment"] = sorted(e.name for e in new)
    if changed:
        audit.record(
            actor=actor, action="space.update", obj=space, place_id=space.place_id, changes=changed
        )
    return space


# What a space may lose on deletion: its own settings. Any other row pointing at it (a
# booking, a series, a rate, a machine authorisation, whatever an app adds later) is history.
SPACE_SETTINGS = frozenset({"bookings.bookingrules"})


def space_history(space: Space) -> dict[str, int]:
    """What references the space, by verbose name plural: empty when it can be deleted."""
    found = {}
    for relation in Space._meta.related_objects:
        model = relation.related_model
        if model is Space or model._meta.label_lower in SPACE_SETTINGS:
            continue
        count = model._base_manager.filter(**{relation.field.name: space}).count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    return found


class Removal(StrEnum):
    DELETED = "deleted"
    ARCHIVED = "archived"


@transaction.atomic
def delete_space(*, actor: Actor, space: Space) -> Removal:
    """Delete a space without history; archive one that has some (it is never lost).

    Answers what was done. A booking made meanwhile makes the delete fail on the database's
    PROTECT: the space is then archived all the same, never a `ProtectedError`."""
    access.require(actor, space.place, Perm.EDIT_SPACES)
    space = Space.objects.select_for_update().get(pk=space.pk)
    if not space_history(space):
        try:
            with transaction.atomic():
                audit.record(
                    actor=actor,
                    action="space.delete",
                    obj=space,
                    place_id=space.place_id,
                    changes={"name": space.name},
                )
                space.delete()
        except (ProtectedError, RestrictedError, IntegrityError):
            pass
        else:
            return Removal.DELETED
    archive_space(actor=actor, space=space)
    return Removal.ARCHIVED


@transaction.atomic
def archive_space(*, actor: Actor, space: Space) -> Space:
    """Take the space out of every booking page, keeping its bookings and invoices."""
    access.require(actor, space.place, Perm.EDIT_SPACES)
    space = Space.objects.select_for_update().get(pk=space.pk)
    if space.archived_at is None:
        space.archived_at = clock.now()
        space.save(update_fields=["archived_at"])
        audit.record(
            actor=actor,
            action="space.archive",
            obj=space,
            place_id=space.place_id,
            changes={"name": space.name, "archived_at": space.archived_at},
        )
    return space


@transaction.atomic
def restore_space(*, actor: Actor, space: Space) -> Space:
    """Bring an archived space back to the booking pages, as it was."""
    access.require(actor, space.place, Perm.EDIT_SPACES)
    space = Space.objects.select_for_update().get(pk=space.pk)
    if space.archived_at is not None:
        space.archived_at = None
        space.save(update_fields=["archived_at"])
        audit.record(
            actor=actor,
            action="space.restore",
            obj=space,
            place_id=space.place_id,
            changes={"name": space.name},
        )
    return space


@transaction.atomic
def grant_role(
    *,
    actor: Actor,
    place: Place,
    role: str,
    person: Person | None = None,
    organisation: Organisation | None = None,
    since: date | None = None,
) -> PlaceRole:
    """Give a person or an organisation a role in the place (idempotent)."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    existing = PlaceRole.objects.filter(
        place=place, person=person, organisation=organisation, role=role
    ).first()
    if existing:
        return existing
    row = PlaceRole(place=place, person=person, organisation=organisation, role=role, since=since)
    row.full_clean(validate_unique=False)
    row.save()
    audit.record(
        actor=actor,
        action="role.grant",
        obj=row,
        place_id=place.pk,
        changes={"role": role, "person": person, "organisation": organisation},
    )
    return row


@transaction.atomic
def revoke_role(*, actor: Actor, role: PlaceRole) -> None:
    access.require(actor, role.place, Perm.EDIT_PEOPLE)
    if role.role == PlaceRole.Role.COORDINATOR:
        others = PlaceRole.objects.filter(
            place_id=role.place_id, role=PlaceRole.Role.COORDINATOR
        ).exclude(pk=role.pk)
        if not others.exists() and not access.is_network_admin(actor, role.place.network_id):
            raise ValidationError(
                {"role": [_("A place keeps at least one coordinator; name another one first.")]}
            )
    audit.record(
        actor=actor,
        action="role.revoke",
        obj=role,
        place_id=role.place_id,
        changes={"role": role.role},
    )
    role.delete()


@transaction.atomic
def add_person(
    *,
    actor: Actor,
    place: Place,
    role: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
) -> Person:
    """Record a new person and their first role in the place, or nothing at all."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    person = Person(first_name=first_name, last_name=last_name, email=email, phone=phone)
    person.full_clean()
    person.save()
    grant_role(actor=actor, place=place, role=role, person=person)
    return person


@transaction.atomic
def update_person(*, actor: Actor, place: Place, person: Person, **changes: Any) -> Person:
    """A coordinator edits the people who hold a role in their own place, and no one else."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    if not PlaceRole.objects.filter(place=place, person=person).exists():
        raise access.PermissionDenied
    changed = _apply(person, {"first_name", "last_name", "email", "phone"}, changes)
    person.full_clean()
    person.save()
    if changed:
        audit.record(
            actor=actor, action="person.update", obj=person, place_id=place.pk, changes=changed
        )
    return person


ORGANISATION_FIELDS = frozenset(
    {"name", "kind", "siret", "rna", "email", "website", "address", "postcode", "city", "country"}
)


@transaction.atomic
def add_organisation(
    *, actor: Actor, place: Place, role: str, name: str, **details: Any
) -> Organisation:
    """Record a new organisation (its identity, SIRET and postal address: what an invoice to
    it must give) and its first role in the place, or nothing at all."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    org = Organisation(name=name)
    _apply(org, ORGANISATION_FIELDS, details)
    org.full_clean()
    org.save()
    grant_role(actor=actor, place=place, role=role, organisation=org)
    return org


@transaction.atomic
def update_organisation(
    *, actor: Actor, place: Place, organisation: Organisation, **changes: Any
) -> Organisation:
    """A place's team edits the organisations that hold a role in the place. Invoices
    already issued keep the address they gave; the place's billing customer of the
    organisation takes the new details when it lacks them (`billing.customer_for_organisation`)."""
    access.require(actor, place, Perm.EDIT_PEOPLE)
    if not PlaceRole.objects.filter(place=place, organisation=organisation).exists():
        raise access.PermissionDenied
    changed = _apply(organisation, ORGANISATION_FIELDS, changes)
    organisation.full_clean()
    organisation.save()
    if changed:
        audit.record(
            actor=actor,
            action="organisation.update",
            obj=organisation,
            place_id=place.pk,
            changes=changed,
        )
    return organisation
