"""A person's data as one JSON document: everything for the person themself, only what one
place holds for its coordinator. Walks `registry.EXPORTED`, then what hangs from those rows
(invoices and payments of their customers, attendance of their registrations) and what names
them without a key (census declarations sent from their address, audit entries about them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models

from tierslieux.accounts.models import Person, User
from tierslieux.billing.models import Invoice, Payment
from tierslieux.core import clock
from tierslieux.core.models import AuditEntry
from tierslieux.events.registration_models import Attendance
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Place
from tierslieux.privacy.registry import EXPORTED, Relation

NEVER = frozenset({"password", "digest", "token", "iban", "bic"})


def plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row(obj: models.Model, hidden: tuple[str, ...] = ()) -> dict[str, Any]:
    """The row's own columns (keys by their id), secrets left out."""
    skip = NEVER | set(hidden)
    return {
        f.attname: plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.name not in skip
    }


def _rows(relation: Relation, person: Person, user: User | None, place: Place | None) -> list:
    target = person if relation.to == "person" else user
    if target is None or (place is not None and relation.place is None):
        return []
    model = apps.get_model(relation.label)
    qs = model._default_manager.filter(**{relation.field: target})
    if place is not None and relation.place is not None:
        qs = qs.filter(**{relation.place: place.pk}).distinct()
    return [row(obj, relation.hidden) for obj in qs.order_by("pk")]


def person_data(person: Person, place: Place | None = None) -> dict[str, Any]:
    """The export; `place` narrows it to what that place holds about the person."""
    user = person.user
    data: dict[str, Any] = {
        "exported_at": plain(clock.now()),
        "place": place.slug if place else None,
        "accounts.Person": row(person),
    }
    if user is not None and place is None:
        data["accounts.User"] = row(user)
    for relation in EXPORTED:
        if relation.label == "accounts.Person":
            continue
        data[relation.label] = _rows(relation, person, user, place)
    customers = [c["id"] for c in data["billing.Customer"]]
    data["billing.Invoice"] = [
        {
            "id": i.pk,
            "place_id": i.place_id,
            "customer_id": i.customer_id,
            "kind": i.kind,
            "status": i.status,
            "number": i.number,
            "issue_date": plain(i.issue_date),
            "total_net": plain(i.total_net),
            "total_tax": plain(i.total_tax),
            "total_gross": plain(i.total_gross),
        }
        for i in Invoice.objects.filter(customer_id__in=customers).order_by("pk")
    ]
    data["billing.Payment"] = [
        row(p) for p in Payment.objects.filter(customer_id__in=customers).order_by("pk")
    ]
    registrations = [r["id"] for r in data["events.Registration"]]
    data["events.Attendance"] = [
        row(a) for a in Attendance.objects.filter(registration_id__in=registrations).order_by("pk")
    ]
    about = AuditEntry.objects.filter(object_type="accounts.person", object_id=str(person.pk))
    if place is not None:
        about = about.filter(place_id=place.pk)
    data["core.AuditEntry (about the person)"] = [row(e) for e in about.order_by("pk")]
    declarations: list[dict[str, Any]] = []
    if place is None and person.email:
        declarations = [
            row(d)
            for d in Declaration.objects.filter(declarant_email__iexact=person.email).order_by("pk")
        ]
    data["observatory.Declaration"] = declarations
    return data
