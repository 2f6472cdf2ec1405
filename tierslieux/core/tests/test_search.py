"""`fold`: what the searched words become, as the database folds its columns."""

import pytest

from tierslieux.core.search import ACCENTED, PLAIN, fold, postgresql_function

pytestmark = pytest.mark.pure


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Café", "cafe"),
        ("GUÉRET", "gueret"),
        ("Cœur de Bourg", "coeur de bourg"),
        ("Ÿ l'Haÿ-les-Roses", "y l'hay-les-roses"),
        ("Ça", "ca"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_lowers_and_drops_accents_and_ligatures(text, folded):
    assert fold(text) == folded


def test_the_postgresql_function_uses_the_same_table():
    sql = postgresql_function()
    assert f"'{ACCENTED}', '{PLAIN}'" in sql and "IMMUTABLE" in sql and "'œ', 'oe'" in sql
