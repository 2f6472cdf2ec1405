"""On PostgreSQL, the database itself refuses to change or delete a customer's credit entry
(the ledger is append-only: `core.append_only`); SQLite keeps the model's guards."""

from django.db import migrations

from tierslieux.core.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_invoice_delivery")]

    operations = [append_only_trigger("billing_customercreditentry")]
