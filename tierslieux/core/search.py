"""Text search that ignores case and accents, the same on SQLite and PostgreSQL.

"cafe" finds "Café", "COEUR" finds "Cœur". `fold()` folds the words searched in Python;
`Fold(expression)` folds a column in SQL with the database function `tl_fold`, which both
databases define from the one table below: on SQLite a Python function registered on each
new connection (`core.apps`), on PostgreSQL an immutable SQL function (core migration 0003).
"""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Func

ACCENTED = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŸ"
PLAIN = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyY"
LIGATURES = (("Œ", "OE"), ("œ", "oe"), ("Æ", "AE"), ("æ", "ae"))
_TABLE = str.maketrans(ACCENTED, PLAIN)


def fold(text: str | None) -> str:
    """Lower case, without accents or ligatures: what `tl_fold` does in the database."""
    if text is None:
        return ""
    folded = text.translate(_TABLE)
    for ligature, letters in LIGATURES:
        folded = folded.replace(ligature, letters)
    return folded.lower()


class Fold(Func):
    """`tl_fold(expression)`: a column folded as `fold()` folds the words searched."""

    function = "tl_fold"
    output_field = CharField()


def postgresql_function() -> str:
    """The SQL of `tl_fold` on PostgreSQL (immutable: usable in an index)."""
    body = f"translate($1, '{ACCENTED}', '{PLAIN}')"
    for ligature, letters in LIGATURES:
        body = f"replace({body}, '{ligature}', '{letters}')"
    return (
        "CREATE OR REPLACE FUNCTION tl_fold(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT lower({body}) $$"
    )


def register_sqlite(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On each new SQLite connection, `tl_fold` as a deterministic Python function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("tl_fold", 1, fold, deterministic=True)
