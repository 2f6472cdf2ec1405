"""The credit ledger refuses UPDATE and DELETE on PostgreSQL, whatever the code that tries;
only `created_by` may be set to NULL (a deleted user: ON DELETE SET NULL)."""

from django.db import migrations

from tierslieux.core.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [append_only_trigger("members_creditentry", nullable=("created_by_id",))]
