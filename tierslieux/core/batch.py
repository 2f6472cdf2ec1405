"""Writing many rows at once, for the services that do (the bill run, batch issuing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 500


def bulk_set(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    **constants: Any,
) -> None:
    """Set `fields` per row — rows are (pk, value, …) — and `constants` on every row, one
    UPDATE … FROM (VALUES …) per 1,000 rows. Django's `bulk_update` writes a CASE per field
    and row, whose building costs seconds of Python for 20,000 rows; this costs none.
    SQLite before 3.33 has no UPDATE … FROM: there, `bulk_update` does it."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33):
        objects = [model(pk=pk, **dict(zip(fields, values, strict=True))) for pk, *values in rows]
        for obj in objects:
            for name, value in constants.items():
                setattr(obj, name, value)
        model._default_manager.bulk_update(objects, [*fields, *constants], batch_size=BATCH_SIZE)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    key: Any = meta.pk
    table, pk = quote(meta.db_table), quote(key.column)
    columns: list[Any] = [meta.get_field(name) for name in fields]
    fixed: list[tuple[Any, Any]] = [(meta.get_field(n), v) for n, v in constants.items()]
    names = ", ".join(["pk", *(f"v{n}" for n in range(len(columns)))])
    assignments = [f"{quote(f.column)} = v.v{n}" for n, f in enumerate(columns)]
    assignments += [f"{quote(f.column)} = %s" for f, _value in fixed]
    constant_params = [f.get_db_prep_save(value, connection) for f, value in fixed]
    plain = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    first = plain  # on PostgreSQL the first row types the columns (a NULL would be text)
    if connection.vendor == "postgresql":
        types = [f.cast_db_type(connection) for f in [key, *columns]]
        first = "(" + ", ".join(f"CAST(%s AS {t})" for t in types) + ")"
    size = 1000
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            values_sql = ", ".join([first] + [plain] * (len(chunk) - 1))
            params: list[Any] = []
            for pk_value, *values in chunk:
                params.append(pk_value)
                params.extend(
                    f.get_db_prep_save(value, connection)
                    for f, value in zip(columns, values, strict=True)
                )
            cursor.execute(
                f"WITH v({names}) AS (VALUES {values_sql}) "
                f"UPDATE {table} SET {', '.join(assignments)} FROM v WHERE {table}.{pk} = v.pk",
                [*params, *constant_params],
            )
