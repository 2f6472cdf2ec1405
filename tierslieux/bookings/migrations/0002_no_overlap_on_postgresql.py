"""On PostgreSQL, the database itself refuses two overlapping blocking bookings of an
exclusive space: an exclusion constraint over (space, [start, end)) with btree_gist.

SQLite has no such constraint; there, writers are serialised by IMMEDIATE transactions and the
service's check is the guarantee.
"""

from django.db import migrations

BLOCKING = "('confirmed', 'done')"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap_exclusive
    EXCLUDE USING gist (space_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (exclusive AND status IN {BLOCKING});
"""
DROP = "ALTER TABLE bookings_booking DROP CONSTRAINT IF EXISTS booking_no_overlap_exclusive;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
