"""One call for services to leave a trace of each change."""

from __future__ import annotations

from typing import Any

from django.db import models

from tierslieux.core.models import AuditEntry


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


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    place_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an audit entry; `changes` maps field names to their new values."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        place_id=place_id,
        changes=_plain(changes or {}),
    )
