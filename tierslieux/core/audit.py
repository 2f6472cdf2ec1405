"""One call for services to leave a trace of each change (`record`), or of many (`record_many`,
for batches: one INSERT per 500 entries). Nothing else writes `AuditEntry` rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from tierslieux.core.models import AuditEntry
from tierslieux.core.types import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def _who(actor: Actor | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model,
    place_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an audit entry; `changes` maps field names to their new values."""
    return AuditEntry.objects.create(
        actor=_who(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        place_id=place_id,
        changes=_plain(changes or {}),
    )


@dataclass(frozen=True)
class Change:
    """One entry of a batch: what `record` takes, without the actor (shared by the batch)."""

    action: str
    obj: models.Model
    place_id: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def record_many(*, actor: Actor | None, entries: Iterable[Change]) -> list[AuditEntry]:
    """Append one audit entry per change, in as few statements as the database allows."""
    who = _who(actor)
    return AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=who,
                action=entry.action,
                object_type=entry.obj._meta.label_lower,
                object_id=str(entry.obj.pk),
                place_id=entry.place_id,
                changes=_plain(entry.changes),
            )
            for entry in entries
        ),
        batch_size=500,
    )
