"""Load the demo network: the eight Mille Lieux places, the micro-centre pilote, people, logins.

This is a fixture loader, like ``loaddata``: it writes the models directly instead of going
through ``places.services`` on purpose. The services act for a user (access checks, one audit
entry per change, replace-all semantics), whereas this loader must *upsert* a known data set
by natural key (slugs, e-mails, organisation names) and leave the database untouched when it
is already up to date. It still holds every object to the same rules as user data: each one
passes ``full_clean()`` before it is saved, and opening hours of one day must not overlap.
Rows written by the dozen (a place's products, ``Writer.upsert_many``; its room rates) are
compared in one query and inserted in one: each passes its field checks here, the database's
constraints on insert.

Everything happens in one transaction. A second run writes nothing: each value is compared
before writing, and the password of an existing login is never set again (new logins share
one hash of the demo password, computed once per load). Last come twelve
months of bookings around the current month (``bookings.py``, which keys them so that they too
are written once; bulk-inserted, not ``full_clean``-ed one by one). When something was written,
one audit entry ``demo.load`` records the counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, Protocol, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction

from tierslieux.accounts.models import Organisation, Person, User
from tierslieux.core import audit
from tierslieux.demo import (
    bookings,
    census,
    data,
    economics,
    events,
    impact,
    money,
    people,
    surveys,
)
from tierslieux.joining.models import JoinSettings
from tierslieux.places.models import (
    Category,
    Equipment,
    Network,
    NetworkMembership,
    NetworkRole,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)

NETWORK_SLUG = "demo"
NETWORK_NAME = "Réseau des tiers-lieux (démo)"
NETWORK_DESCRIPTION = (
    "Réseau de démonstration : les huit tiers-lieux de l'étude Mille Lieux et le Micro-centre "
    "pilote, avec des personnes, des organisations et des identifiants fictifs."
)
PASSWORD = people.PASSWORD

# Scalar fields of the technical sheet, read as they are from data.py (dates parsed below).
# fmt: off
SHEET_FIELDS = [
    "name", "description", "status", "address", "postcode", "commune", "country",
    "location_type", "timezone", "surface_m2", "legal_form", "legal_form_detail", "programme",
    "investment_public_share", "investment_private_share", "operation_public_share",
    "operation_private_share", "visitors_per_year", "events_per_year", "resident_organisations",
    "website",
]
# fmt: on
SPACE_FIELDS = ["name", "kind", "surface_m2", "capacity", "units", "step_free_access", "bookable"]

M = TypeVar("M", bound=models.Model)


class SupportsWrite(Protocol):
    def write(self, msg: str) -> Any: ...


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    place: str


@dataclass
class DemoSummary:
    places: int = 0
    spaces: int = 0
    equipment: int = 0
    team_lines: int = 0
    opening_hours: int = 0
    opening_exceptions: int = 0
    users: int = 0
    people: int = 0
    organisations: int = 0
    roles: int = 0
    bookings: int = 0
    requested: int = 0
    series: int = 0
    authorisations: int = 0
    events: int = 0
    registrations: int = 0
    survey_answers: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = PASSWORD

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.survey_answers)


def all_places() -> list[dict]:
    """The nine places of the demo network, as data.py describes them."""
    return [*data.PLACES, data.MICRO_CENTRE]


class _Writer:
    """Upserts by natural key, counting what it really writes."""

    def __init__(self) -> None:
        self.created = self.updated = self.deleted = 0
        self._new: set[tuple[type[models.Model], Any]] = set()

    @cached_property
    def demo_password(self) -> str:
        """The demo password, hashed once per load for every new login: a hash costs ~0.3 s
        with the production hasher. (They share a salt; the password is public anyway.)"""
        return make_password(PASSWORD)

    def upsert(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        obj = model._default_manager.filter(**lookup).order_by("pk").first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.created += 1
            self._new.add((model, obj.pk))
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.updated += 1
        return obj

    def upsert_many(
        self, model: type[M], scope: dict[str, Any], key: str, rows: list[dict[str, Any]]
    ) -> dict[Any, M]:
        """`upsert` for the rows of one model under `scope` (its place, say), told apart by
        `key`: compared in one query and the missing ones inserted in one. A new row passes its
        field checks here and the database's constraints on insert, as the demo's bookings and
        room rates do (decision 0002). Returns the rows by key."""
        stored: dict[Any, M] = {}
        for row in model._default_manager.filter(**scope).order_by("pk"):
            stored.setdefault(getattr(row, key), row)
        found: dict[Any, M] = {}
        missing: list[M] = []
        for values in rows:
            obj = stored.get(values[key])
            if obj is None:
                obj = model(**scope, **values)
                obj.full_clean(validate_unique=False, validate_constraints=False)
                missing.append(obj)
            elif any(getattr(obj, name) != value for name, value in values.items()):
                obj = self.upsert(model, {"pk": obj.pk}, values)
            found[values[key]] = obj
        model._default_manager.bulk_create(missing)
        self.created += len(missing)
        self._new.update((model, new.pk) for new in missing)
        return found

    def set_m2m(self, obj: models.Model, attr: str, targets: Iterable[models.Model]) -> None:
        targets = list(targets)
        manager = getattr(obj, attr)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            manager.set(targets)
            if (type(obj), obj.pk) not in self._new:
                self.updated += 1

    def prune(self, queryset: models.QuerySet[Any], keep: Iterable[models.Model]) -> None:
        """Delete the rows of `queryset` that the data no longer describes."""
        count, _ = queryset.exclude(pk__in=[obj.pk for obj in keep]).delete()
        self.deleted += count


def _hhmm(value: str) -> time:
    return time.fromisoformat(value)


def _equipment_name(name: str) -> str:
    # The same normalisation as places.services, so the vocabulary stays one list.
    return name.strip().lower()


def _check_hours(slug: str, intervals: list[tuple[int, time, time]]) -> None:
    ordered = sorted(intervals)
    for (day1, _o1, closes1), (day2, opens2, _c2) in itertools.pairwise(ordered):
        if day1 == day2 and opens2 < closes1:
            raise ValidationError(f"{slug}: overlapping opening hours on weekday {day1}.")


def _exceptions(index: int) -> list[dict[str, Any]]:
    """Two illustrative closures per place; the summer one is staggered across places."""
    summer = date(2026, 8, 3) + timedelta(weeks=index % 3)
    return [
        {
            "start_date": summer,
            "end_date": summer + timedelta(days=13),
            "reason": "Fermeture estivale",
        },
        {
            "start_date": date(2026, 12, 24),
            "end_date": date(2027, 1, 1),
            "reason": "Fermeture de fin d'année",
        },
    ]


def _load_place(
    w: _Writer, network: Network, spec: dict, index: int, summary: DemoSummary
) -> Place:
    values = {name: spec[name] for name in SHEET_FIELDS}
    values["network"] = network
    values["latitude"] = Decimal(spec["latitude"]) if spec["latitude"] else None
    values["longitude"] = Decimal(spec["longitude"]) if spec["longitude"] else None
    values["opening_date"] = (
        date.fromisoformat(spec["opening_date"]) if spec["opening_date"] else None
    )
    place = w.upsert(Place, {"slug": spec["slug"]}, values)
    w.upsert(NetworkMembership, {"network": network, "place": place}, {"source": "team"})

    codes = spec["categories"]
    categories = list(Category.objects.filter(code__in=codes))
    if len(categories) != len(set(codes)):
        raise ValidationError(f"{spec['slug']}: unknown category in {codes}.")
    w.set_m2m(place, "categories", categories)

    lines = [
        w.upsert(
            TeamMember,
            {"place": place, "role": line["role"]},
            {"people": line["people"], "fte": Decimal(line["fte"])},
        )
        for line in spec["team"]
    ]
    w.prune(place.team.all(), lines)
    summary.team_lines += len(lines)

    intervals = [(day, _hhmm(opens), _hhmm(closes)) for day, opens, closes in spec["opening_hours"]]
    _check_hours(spec["slug"], intervals)
    hours = [
        w.upsert(OpeningHours, {"place": place, "weekday": day, "opens": opens}, {"closes": closes})
        for day, opens, closes in intervals
    ]
    w.prune(place.hours.all(), hours)
    summary.opening_hours += len(hours)

    for exc in _exceptions(index):
        w.upsert(
            OpeningException,
            {"place": place, "start_date": exc["start_date"], "reason": exc["reason"]},
            {"end_date": exc["end_date"], "closed": True, "opens": None, "closes": None},
        )
        summary.opening_exceptions += 1

    spaces: dict[str, Space] = {}
    later = []  # spaces listed before the room they stand in
    for space_spec in spec["spaces"]:
        inside = space_spec.get("inside")
        values = {name: space_spec[name] for name in SPACE_FIELDS}
        values["inside"] = spaces.get(inside) if inside else None
        space = w.upsert(Space, {"place": place, "slug": space_spec["slug"]}, values)
        names = dict.fromkeys(_equipment_name(n) for n in space_spec["equipment"] if n.strip())
        w.set_m2m(space, "equipment", [w.upsert(Equipment, {"name": n}, {}) for n in names])
        spaces[space_spec["slug"]] = space
        if inside and inside not in spaces:
            later.append((space, inside))
        summary.spaces += 1
    for space, inside in later:
        w.upsert(Space, {"pk": space.pk}, {"inside": spaces[inside]})
    return place


def _load_login(
    w: _Writer, spec: people.LoginSpec, network: Network, places: dict[str, Place]
) -> DemoLogin:
    admin = spec.network_admin
    fields = {
        "full_name": spec.full_name,
        "language": "fr",
        "is_active": True,
        "is_staff": admin,
        "is_superuser": admin,
    }
    user = User.objects.filter(email__iexact=spec.email).first()
    if user is None:
        user = User(email=User.objects.normalize_email(spec.email).lower(), **fields)
        user.password = w.demo_password
        user.full_clean()
        user.save()
        w.created += 1
    else:
        # An existing login keeps its password: someone may have changed it on purpose.
        w.upsert(User, {"pk": user.pk}, fields)
    person = w.upsert(
        Person,
        {"user": user},
        {"first_name": spec.first_name, "last_name": spec.last_name, "email": spec.email},
    )
    if admin:
        role = {"network": network, "person": person, "role": NetworkRole.Role.ADMIN}
        w.upsert(NetworkRole, role, {})
        return DemoLogin(spec.email, spec.role_label, network.name)
    assert spec.place_slug is not None and spec.place_role is not None
    place = places[spec.place_slug]
    w.upsert(PlaceRole, {"place": place, "person": person, "role": spec.place_role}, {})
    return DemoLogin(spec.email, spec.role_label, place.name)


def _load_people(w: _Writer, specs: list[dict], places: dict[str, Place]) -> tuple[int, int]:
    """The staff, members, volunteers and organisations of every place; their counts."""
    person_specs, organisation_specs = people.people_and_organisations(specs)
    persons: dict[str, Person] = {}
    for p in person_specs:
        person = w.upsert(
            Person,
            {"email": p.email, "user": None},
            {"first_name": p.first_name, "last_name": p.last_name},
        )
        persons[p.email] = person
        w.upsert(
            PlaceRole,
            {"place": places[p.place_slug], "person": person, "role": p.role},
            {"since": p.since},
        )
    for o in organisation_specs:
        organisation = w.upsert(
            Organisation,
            {"name": o.name},
            {
                "kind": o.kind,
                "siret": o.siret,
                "rna": o.rna,
                "email": o.email,
                "address": o.address,
                "postcode": o.postcode,
                "city": o.city,
                "country": o.country,
            },
        )
        w.set_m2m(organisation, "people", [persons[o.contact_email]])
        w.upsert(
            PlaceRole,
            {"place": places[o.place_slug], "organisation": organisation, "role": o.role},
            {"since": o.since},
        )
    return len(person_specs), len(organisation_specs)


def load_demo(stdout: SupportsWrite | None = None) -> DemoSummary:
    """Create or update the demo network; running it again writes nothing.

    `stdout`, if given, receives one progress line per place.
    """
    summary = DemoSummary()
    w = _Writer()
    specs = all_places()
    with transaction.atomic():
        network = w.upsert(
            Network,
            {"slug": NETWORK_SLUG},
            {"name": NETWORK_NAME, "description": NETWORK_DESCRIPTION},
        )
        places: dict[str, Place] = {}
        for index, spec in enumerate(specs):
            places[spec["slug"]] = _load_place(w, network, spec, index, summary)
            if stdout is not None:
                stdout.write(f"  · {spec['name']} ({spec['commune']})\n")

        login_specs = people.logins([p["slug"] for p in data.PLACES], data.MICRO_CENTRE["slug"])
        summary.logins = [_load_login(w, login, network, places) for login in login_specs]
        person_count, organisation_count = _load_people(w, specs, places)
        # The micro-centre opens sign-up from its page ("Devenir membre"); its team accepts.
        micro = places[data.MICRO_CENTRE["slug"]]
        w.upsert(JoinSettings, {"place": micro}, {"signup_open": True, "auto_accept": False})
        booked = bookings.load_bookings(w, places)
        money.load_money(w, places)
        lived = events.load_events(places)
        census.load_census(w, network)
        summary.survey_answers = surveys.load_surveys(places, data.MICRO_CENTRE["slug"], network)
        impact.load_impact(places, data.MICRO_CENTRE["slug"])
        economics.load_economics(places, data.MICRO_CENTRE["slug"], network)

        summary.places = len(places)
        summary.equipment = (
            Equipment.objects.filter(spaces__place__network=network).distinct().count()
        )
        summary.users = len(login_specs)
        summary.people = len(login_specs) + person_count
        summary.organisations = organisation_count
        summary.roles = len(login_specs) + person_count + organisation_count
        summary.bookings, summary.requested = booked.bookings, booked.requested
        summary.series, summary.authorisations = booked.series, booked.authorisations
        summary.events, summary.registrations = lived.events, lived.registrations
        summary.created, summary.updated, summary.deleted = w.created, w.updated, w.deleted
        if summary.changed:
            audit.record(
                actor=None,
                action="demo.load",
                obj=network,
                changes={"created": w.created, "updated": w.updated, "deleted": w.deleted},
            )
    return summary
