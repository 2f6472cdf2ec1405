"""Legal records untouchable (issue 12): payments chained per place, and on PostgreSQL the
database refuses to change or delete a payment, an allocation or a closed period, to rewind
an invoice sequence, to change its prefix once a number is taken, or to delete it.

Payments recorded before this migration are chained here, in the order they were written."""

from django.db import migrations, models

from tierslieux.billing import chain
from tierslieux.core.append_only import append_only_trigger

SEQUENCE = """
CREATE OR REPLACE FUNCTION billing_invoicesequence_forward() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.next_number > 1 THEN
            RAISE EXCEPTION USING ERRCODE = '23000',
                MESSAGE = 'billing_invoicesequence: a sequence that numbered is never deleted';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.place_id <> OLD.place_id OR NEW.next_number < OLD.next_number THEN
        RAISE EXCEPTION USING ERRCODE = '23000',
            MESSAGE = 'billing_invoicesequence: a sequence only moves forward';
    END IF;
    IF NEW.prefix <> OLD.prefix AND OLD.next_number > 1 THEN
        RAISE EXCEPTION USING ERRCODE = '23000',
            MESSAGE = 'billing_invoicesequence: the prefix is fixed once a number is issued';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER billing_invoicesequence_forward
    BEFORE UPDATE OR DELETE ON billing_invoicesequence
    FOR EACH ROW EXECUTE FUNCTION billing_invoicesequence_forward();
"""

DROP_SEQUENCE = """
DROP TRIGGER IF EXISTS billing_invoicesequence_forward ON billing_invoicesequence;
DROP FUNCTION IF EXISTS billing_invoicesequence_forward();
"""


def chain_existing_payments(apps, schema_editor):
    Payment = apps.get_model("billing", "Payment")
    Allocation = apps.get_model("billing", "PaymentAllocation")
    heads: dict[int, str] = {}
    for payment in Payment.objects.order_by("id").iterator():
        parts = Allocation.objects.filter(payment_id=payment.pk).values_list(
            "invoice__number", "amount"
        )
        previous = heads.get(payment.place_id, chain.GENESIS)
        digest = chain.chain_hash(previous, chain.payment_payload(payment, parts))
        Payment.objects.filter(pk=payment.pk).update(previous_hash=previous, hash=digest)
        heads[payment.place_id] = digest


def sequence_forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SEQUENCE)


def sequence_backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SEQUENCE)


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_names_on_one_line")]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="previous_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="payment",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_payments, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                fields=("place", "previous_hash"), name="payment_chain_one_successor"
            ),
        ),
        append_only_trigger("billing_payment", nullable=("recorded_by_id",)),
        append_only_trigger("billing_paymentallocation"),
        append_only_trigger("billing_closedperiod"),
        migrations.RunPython(sequence_forwards, sequence_backwards),
    ]
