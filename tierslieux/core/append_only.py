"""Rows that are written once and never changed nor deleted: ledgers and the audit log.

Three guards, from the friendliest to the strongest:
- the model refuses `save()` on an existing row and `delete()`;
- its queryset refuses `update()` and `delete()` (bulk ones included);
- on PostgreSQL a trigger (`append_only_trigger`, in each app's migration) refuses any UPDATE
  or DELETE, from whatever code. TRUNCATE (the test suite's flush) fires no row trigger.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.utils.translation import gettext_lazy as _

REFUSAL = _("This record is append-only: it can be added to, never changed nor deleted.")


class AppendOnlyError(ValidationError):
    """An attempt to change or delete an append-only row."""

    def __init__(self, message: Any = REFUSAL) -> None:
        super().__init__(message, code="append_only")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError()

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise AppendOnlyError()

    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError()


class AppendOnlyModel(models.Model):
    """Abstract base of append-only rows; subclasses may set `append_only_message`."""

    append_only_message: ClassVar[Any] = REFUSAL
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(self.append_only_message)


_FUNCTION = """
CREATE OR REPLACE FUNCTION tierslieux_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV: the columns that may be set to NULL (a deleted user's id, say); nothing else.
    IF TG_OP = 'UPDATE' AND TG_NARGS > 0 THEN
        IF (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) AND NOT EXISTS (
            SELECT 1 FROM unnest(TG_ARGV) AS c
            WHERE to_jsonb(NEW) -> c <> 'null'::jsonb AND to_jsonb(NEW) -> c <> to_jsonb(OLD) -> c
        ) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = '23000',
        MESSAGE = 'append_only: ' || TG_TABLE_NAME || ' rows are never changed nor deleted';
END $$;
"""


def append_only_trigger(table: str, nullable: tuple[str, ...] = ()) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, refuse UPDATE and DELETE on `table`, except
    setting one of the `nullable` columns to NULL (what ON DELETE SET NULL does)."""
    name = f"{table}_append_only"
    args = ", ".join(f"'{column}'" for column in nullable)

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_FUNCTION)
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION tierslieux_append_only({args})"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")

    return migrations.RunPython(forwards, backwards)
