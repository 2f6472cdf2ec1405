"""The only code that writes the census's declarations: a visitor declares a place, a network
administrator accepts it (the place is created), merges it into an existing place, or
declines it with a reason.

Each decision locks the declaration, refuses one already decided, writes in one transaction
(a refusal leaves the declaration pending and nothing created), records who decided and
when, leaves an audit entry, and e-mails the declarant once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field, ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.observatory import census, census_emails
from tierslieux.observatory.models import Declaration
from tierslieux.places import access, membership_services
from tierslieux.places import services as place_services
from tierslieux.places.access import Perm
from tierslieux.places.models import Category, ExternalId, Network, NetworkMembership, Place
from tierslieux.places.queries import in_network

Status = Declaration.Status
# The sheet's fields a declaration may carry: the place's own, never its network or slug.
SHEET_FIELDS = frozenset(place_services.PLACE_FIELDS - {"slug", "timezone"})


def plain(value: Any) -> Any:
    """A form's cleaned value as the JSON of the sheet keeps it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def typed(name: str, value: Any) -> Any:
    """A value of the stored sheet back to what the place's field holds (dates, decimals)."""
    field = Place._meta.get_field(name)
    assert isinstance(field, Field)  # the sheet's own columns, never a relation
    if value in (None, "") and field.null:
        return None
    return field.to_python(value)


def sheet_values(declaration: Declaration) -> dict[str, Any]:
    """The declared sheet's fields (categories apart), typed for `places.services`."""
    return {
        name: typed(name, value)
        for name, value in declaration.sheet.items()
        if name in SHEET_FIELDS
    }


def declared_categories(declaration: Declaration) -> list[str]:
    return [str(code) for code in declaration.sheet.get("categories", [])]


def _float(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


def _already_declared(name: str, postcode: str) -> NoReturn:
    refuse(
        _(
            "“%(name)s” (%(postcode)s) is already declared and waits for the network’s "
            "answer: there is no need to declare it again."
        ),
        "duplicate",
        name=name,
        postcode=postcode,
    )


def _validate(sheet: Mapping[str, Any], categories: Sequence[str]) -> None:
    """The sheet checked as the place it would become (the model's own rules), whoever calls:
    a refusal names its field."""
    unknown = set(sheet) - SHEET_FIELDS
    if unknown:
        refuse(_("Unknown field: %(names)s."), "unknown_field", names=", ".join(sorted(unknown)))
    values, errors = {}, {}
    for name, value in sheet.items():
        try:
            values[name] = typed(name, value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    place = Place(**values)
    place.full_clean(exclude=["network", "slug"], validate_unique=False)
    missing = set(categories) - set(
        Category.objects.filter(code__in=list(categories)).values_list("code", flat=True)
    )
    if missing:
        raise ValidationError(
            {"categories": [_("Unknown category: %(codes)s.") % {"codes": ", ".join(missing)}]}
        )


@transaction.atomic
def declare(
    *,
    network: Network,
    sheet: Mapping[str, Any],
    categories: Sequence[str],
    declarant_name: str,
    declarant_email: str,
    declarant_role: str = "",
    language: str = "fr",
) -> Declaration:
    """A declaration waiting for the network, or a refusal: a pending declaration of the same
    place (same telling words of the name, same postcode), coordinates out of the country."""
    _validate(sheet, categories)
    name, postcode = str(sheet.get("name", "")), str(sheet.get("postcode", ""))
    latitude, longitude = _float(sheet.get("latitude")), _float(sheet.get("longitude"))
    if census.check_coordinates(latitude, longitude, str(sheet.get("country") or "FR")):
        refuse(_("The coordinates are not in the place's country."), "coordinates")
    key = census.match_key(name, postcode)
    declaration = Declaration(
        network=network,
        name=name,
        postcode=postcode,
        commune=str(sheet.get("commune", "")),
        latitude=sheet.get("latitude"),
        longitude=sheet.get("longitude"),
        match_key=key,
        sheet={**{k: plain(v) for k, v in sheet.items()}, "categories": list(categories)},
        declarant_name=declarant_name,
        declarant_email=declarant_email.strip().lower(),
        declarant_role=declarant_role,
        language=language or "fr",
    )
    declaration.full_clean(validate_constraints=False)
    pending = Declaration.objects.filter(network=network, match_key=key, status=Status.PENDING)
    if pending.exists():
        _already_declared(name, postcode)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:  # declared at the same moment: the unique index decided
        _already_declared(name, postcode)
    audit.record(
        actor=None,
        action="declaration.submit",
        obj=declaration,
        changes={"network": network.pk, "name": name, "postcode": postcode},
    )
    census_emails.received(declaration)
    census_emails.waiting(declaration)
    return declaration


def _lock(declaration: Declaration) -> Declaration:
    locked = (
        Declaration.objects.select_for_update().select_related("network").get(pk=declaration.pk)
    )
    if locked.status != Status.PENDING:
        refuse(
            _("This declaration has already been decided (%(status)s)."),
            "decided",
            status=locked.get_status_display(),
        )
    return locked


def _decided(actor: Actor, declaration: Declaration, status: str, place: Place | None) -> None:
    declaration.status = status
    declaration.decided_at = clock.now()
    declaration.decided_by = getattr(actor, "person", None)
    declaration.place = place
    declaration.save(update_fields=["status", "decided_at", "decided_by", "place", "reason"])


@transaction.atomic
def accept(
    *,
    actor: Actor,
    declaration: Declaration,
    categories: Sequence[str] | None = None,
    **fields: Any,
) -> Place:
    """Create the declared place in the network, with the values the administrator fixed
    (by default the declared ones), its membership's source "declaration"."""
    access.require_network_admin(actor, declaration.network)
    declaration = _lock(declaration)
    values = sheet_values(declaration)
    values["timezone"] = census.timezone_for(
        str(values.get("postcode", "")), str(values.get("country") or "FR")
    )
    values.update(fields)
    codes = declared_categories(declaration) if categories is None else list(categories)
    place = place_services.create_place(
        actor=actor,
        network=declaration.network,
        categories=codes,
        source=NetworkMembership.Source.DECLARATION,
        **values,
    )
    _decided(actor, declaration, Status.ACCEPTED, place)
    audit.record(
        actor=actor,
        action="declaration.accept",
        obj=declaration,
        place_id=place.pk,
        changes={"place": place.pk, "slug": place.slug},
    )
    census_emails.decided(declaration)
    return place


def may_write_sheet(actor: Actor, place: Place) -> bool:
    """Whether a merge writes the declared values into the place: only for who may edit its
    sheet (the administrators of its home network, its coordinator). A place of another
    network is only added to this one's census: its sheet is its own team's."""
    return access.has_perm(actor, place, Perm.EDIT_SHEET)


@transaction.atomic
def merge(
    *, actor: Actor, declaration: Declaration, place: Place, take: Iterable[str] = ()
) -> Place:
    """The declaration merged into `place`: the place counted by the network (membership,
    source "declaration") and, where the administrator may edit its sheet, the declared
    values they chose written into it, categories united."""
    network = declaration.network
    access.require_network_admin(actor, network)
    declaration = _lock(declaration)
    values = sheet_values(declaration)
    chosen = set(take)
    unknown = chosen - set(values)
    if unknown:
        refuse(_("Unknown field: %(names)s."), "unknown_field", names=", ".join(sorted(unknown)))
    changes: dict[str, Any] = {}
    if may_write_sheet(actor, place):
        changes = {name: values[name] for name in sorted(chosen)}
        current = set(place.categories.values_list("code", flat=True))
        united = sorted(current | set(declared_categories(declaration)))
        place = place_services.update_place(actor=actor, place=place, categories=united, **changes)
    elif chosen:
        refuse(
            _("“%(place)s” is run by another network: its sheet is its own team’s to change."),
            "foreign_sheet",
            place=place.name,
        )
    if not Place.objects.filter(in_network(network), pk=place.pk).exists():
        membership_services.add_to_network(
            actor=actor, network=network, place=place, source=NetworkMembership.Source.DECLARATION
        )
    _decided(actor, declaration, Status.MERGED, place)
    audit.record(
        actor=actor,
        action="declaration.merge",
        obj=declaration,
        place_id=place.pk,
        changes={"place": place.pk, "fields": sorted(changes)},
    )
    census_emails.decided(declaration)
    return place


@transaction.atomic
def decline(*, actor: Actor, declaration: Declaration, reason: str) -> Declaration:
    """The declaration declined; the reason is e-mailed to the declarant."""
    access.require_network_admin(actor, declaration.network)
    reason = reason.strip()
    if not reason:
        refuse(_("Say why: the declarant receives this reason."), "reason")
    declaration = _lock(declaration)
    declaration.reason = reason
    declaration.full_clean(validate_constraints=False)
    _decided(actor, declaration, Status.REJECTED, None)
    audit.record(
        actor=actor, action="declaration.decline", obj=declaration, changes={"reason": reason}
    )
    census_emails.decided(declaration)
    return declaration


# What a merged-away place may lose or hand over: its sheet's own rows (hours, closures, the
# declared team) go with it; memberships, external ids and declarations move to the kept
# place. Any other row pointing at it (a role, a space, a customer, an invitation, a count…)
# means the place runs on tierslieux, and is never merged away.
MOVED = frozenset({"places.networkmembership", "places.externalid", "observatory.declaration"})
SHEET_ROWS = frozenset({"places.openinghours", "places.openingexception", "places.teammember"})


def running(place: Place) -> list[str]:
    """What makes the place more than a census line, by verbose name plural (empty: none)."""
    found = []
    for relation in Place._meta.related_objects:
        model = relation.related_model
        label = model._meta.label_lower
        if label in MOVED or label in SHEET_ROWS or relation.many_to_many:
            continue
        if model._base_manager.filter(**{relation.field.name: place}).exists():
            found.append(str(model._meta.verbose_name_plural))
    return sorted(found)


def _refuse_running(place: Place, found: Iterable[str]) -> NoReturn:
    refuse(
        _(
            "“%(place)s” runs on tierslieux (%(what)s): it cannot be merged away. "
            "Merge the other way, into it."
        ),
        "runs_here",
        place=place.name,
        what=", ".join(found),
    )


def _move_memberships(merged: Place, kept: Place) -> list[int]:
    """The networks counting `merged` count `kept` (its home network too), once each."""
    already = set(NetworkMembership.objects.filter(place=kept).values_list("network_id", flat=True))
    already.add(kept.network_id)
    rows = {m.network_id: m for m in NetworkMembership.objects.filter(place=merged)}
    rows.setdefault(
        merged.network_id,
        NetworkMembership(network_id=merged.network_id, source=NetworkMembership.Source.TEAM),
    )
    added = []
    for network_id, row in sorted(rows.items()):
        if network_id in already:
            continue
        NetworkMembership.objects.create(
            network_id=network_id, place=kept, source=row.source, source_name=row.source_name
        )
        added.append(network_id)
    return added


def _move_external_ids(merged: Place, kept: Place) -> dict[str, str]:
    """The merged place's identifiers move where the kept one has none of the scheme; the
    others are dropped (and said in the audit entry)."""
    schemes = set(ExternalId.objects.filter(place=kept).values_list("scheme", flat=True))
    dropped = {}
    for external in ExternalId.objects.filter(place=merged):
        if external.scheme in schemes:
            dropped[external.scheme] = external.value
            external.delete()
        else:
            external.place = kept
            external.save(update_fields=["place"])
    return dropped


@transaction.atomic
def merge_places(
    *, actor: Actor, network: Network, merged: Place, kept: Place, take: Iterable[str] = ()
) -> Place:
    """Two places of the network that are one (two imports, a declaration accepted twice):
    `merged`, a census line only, goes into `kept` with the values chosen, its categories,
    memberships, external ids and declarations; then it is deleted. All or nothing."""
    access.require_network_admin(actor, network)
    if merged.pk == kept.pk:
        refuse(_("A place cannot be merged into itself."), "same_place")
    both = Place.objects.filter(in_network(network), pk__in=[merged.pk, kept.pk])
    if both.count() != 2:
        refuse(_("Both places must be counted by the network."), "not_in_network")
    access.require(actor, merged, Perm.EDIT_SHEET)
    merged = Place.objects.select_for_update().get(pk=merged.pk)
    found = running(merged)
    if found:
        _refuse_running(merged, found)
    chosen = sorted(set(take))
    unknown = set(chosen) - SHEET_FIELDS
    if unknown:
        refuse(_("Unknown field: %(names)s."), "unknown_field", names=", ".join(sorted(unknown)))
    writes = may_write_sheet(actor, kept)
    if chosen and not writes:
        refuse(
            _("“%(place)s” is run by another network: its sheet is its own team’s to change."),
            "foreign_sheet",
            place=kept.name,
        )
    values = {name: getattr(merged, name) for name in chosen}
    codes = set(kept.categories.values_list("code", flat=True))
    codes |= set(merged.categories.values_list("code", flat=True))
    added = _move_memberships(merged, kept)
    dropped = _move_external_ids(merged, kept)
    Declaration.objects.filter(place=merged).update(place=kept)
    snapshot = {"merged": merged.pk, "name": merged.name, "slug": merged.slug}
    try:
        with transaction.atomic():
            merged.delete()
    except (ProtectedError, RestrictedError, IntegrityError):
        _refuse_running(merged, [_("rows that protect it")])
    if writes:
        kept = place_services.update_place(
            actor=actor, place=kept, categories=sorted(codes), **values
        )
    audit.record(
        actor=actor,
        action="place.merge",
        obj=kept,
        place_id=kept.pk,
        changes={**snapshot, "fields": chosen, "networks": added, "dropped_ids": dropped},
    )
    return kept
