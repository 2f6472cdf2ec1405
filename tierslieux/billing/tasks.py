"""Background tasks of billing: an issued invoice leaves by e-mail from the worker, never
inside the request (`services.send_invoice` enqueues once the delivery is committed), and
the exports page's files are built there (`services.exports.start_export`)."""

from __future__ import annotations

from datetime import date
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django_tasks import TaskContext, task

from tierslieux.billing import export_files, invoice_mail, pdf, queries
from tierslieux.billing.models import InvoiceDelivery
from tierslieux.core import clock, jobs
from tierslieux.core.models import Job
from tierslieux.places.models import Place

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def _message(delivery: InvoiceDelivery) -> EmailMessage:
    """The e-mail in the customer's language, from the place, with the PDF attached."""
    invoice = delivery.invoice
    place = invoice.place
    doc = queries.invoice_document(invoice)
    with translation.override(invoice.customer.language):
        subject = invoice_mail.subject(doc, place.name)
        text = invoice_mail.body(doc, place.name)
    # From the platform's address (the recipient's SPF/DMARC checks pass), named after the
    # place; replies go to the place.
    message = EmailMessage(
        subject,
        text,
        formataddr((place.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        [delivery.to],
        reply_to=[place.email] if place.email else None,
    )
    message.attach(f"{invoice.number}.pdf", pdf.invoice_pdf(doc), "application/pdf")
    return message


@task()
def deliver_invoice(delivery_id: int) -> str:
    """Send one delivery, once: a delivery already sent is not sent again (a task run twice,
    or two workers). A refusal of the mail server is kept on the delivery, not raised: the
    team sees it on the invoice's page and sends again."""
    delivery = (
        InvoiceDelivery.objects.select_related("invoice__place", "invoice__customer")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.sent_at is not None:
        return SKIPPED
    try:
        message = _message(delivery)  # the PDF is made before the row is locked
    except Exception as error:  # whatever it is, the team must see it, not "waiting" forever
        _failed(delivery_id, error)
        return FAILED
    with transaction.atomic():
        locked = InvoiceDelivery.objects.select_for_update().get(pk=delivery_id)
        if locked.sent_at is not None:
            return SKIPPED
        try:
            message.send()
        except (OSError, ValueError) as error:  # refused or lost connections; a bad header
            locked.error = f"{type(error).__name__}: {error}"
            locked.save(update_fields=["error"])
            return FAILED
        locked.sent_at = clock.now()
        locked.error = ""
        locked.save(update_fields=["sent_at", "error"])
    return SENT


def _failed(delivery_id: int, error: Exception) -> None:
    """Keep why a delivery could not even be prepared, where the invoice's page shows it."""
    InvoiceDelivery.objects.filter(pk=delivery_id, sent_at__isnull=True).update(
        error=f"{type(error).__name__}: {error}"
    )


@task(takes_context=True)
def build_export(context: TaskContext, job_id: int) -> str:
    """Build the file of an export job (`services.exports.start_export`) and keep it for the
    place; a refusal (an entry that does not balance) or an error is recorded on the job.
    Run again after its worker died (`core.worker`), it builds the file again."""
    return jobs.run(job_id, _export, resumed=context.attempt > 1)


def _export(job: Job, report: jobs.Report) -> jobs.Output:
    place = Place.objects.get(pk=job.place_id)
    params = job.params
    return export_files.build(
        place,
        params["format"],
        date.fromisoformat(params["start"]),
        date.fromisoformat(params["end"]),
        report,
    )
