"""`tl_fold(text)` on PostgreSQL: lower case without accents (see `core.search`). SQLite gets
the same function from Python on each connection."""

from django.db import migrations

from tierslieux.core.search import postgresql_function


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgresql_function())


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS tl_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_auditentry_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
