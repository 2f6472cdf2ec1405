"""Sending issued invoices by e-mail: what the services refuse (and then write nothing), the
message the worker sends (in the customer's language, the PDF attached), once only, and a
mail server's refusal kept on the delivery instead of raised."""

import smtplib
from datetime import date
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend

from tierslieux.billing import services
from tierslieux.billing.models import BillingProfile, Customer, InvoiceDelivery
from tierslieux.billing.tasks import deliver_invoice
from tierslieux.billing.tests import factories as f
from tierslieux.core.models import AuditEntry
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.usefixtures("english")  # refusals read in English


ISSUED = date(2027, 2, 1)  # due 30 days later: 3 March 2027
SIXTY = [("Bureau fermé, février", "1", "50.00", "vat_20")]  # 60.00 with VAT
IBAN = "FR1420041010050500013M02606"


@pytest.fixture
def place(place):
    """The root persona, with its e-mail address and bank details."""
    place.email = "bonjour@lafabrique.example"
    place.save(update_fields=["email"])
    BillingProfile.objects.create(
        place=place, iban=IBAN, bic="PSSTFRPPLYO", sepa_creditor_id="FR72ZZZ123456"
    )
    return place


@pytest.fixture
def amis(place):
    return f.customer(place, name="Association Les Amis", email="tresorier@amis.example")


def written():
    return InvoiceDelivery.objects.count(), AuditEntry.objects.count()


def refusal(call, **kwargs):
    before = written()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert written() == before
    return caught.value


# What the services refuse


def test_a_draft_is_not_sent_and_the_refusal_says_why(coordinator, amis):
    draft = f.draft(amis)
    error = refusal(services.send_invoice, actor=coordinator, invoice=draft)
    assert error.code == "draft"
    assert "is a draft: issue it before sending it" in error.messages[0]


def test_a_customer_without_address_is_refused_unless_one_is_given(coordinator, place):
    nobody = f.customer(place, name="Café Sans Mail")
    invoice = f.issued(coordinator, nobody, SIXTY, issue_date=ISSUED)
    error = refusal(services.send_invoice, actor=coordinator, invoice=invoice)
    assert error.code == "no_email"
    assert error.messages == [
        "Café Sans Mail has no e-mail address: enter one, or add it to the customer's account."
    ]
    delivery = services.send_invoice(actor=coordinator, invoice=invoice, to=" compta@cafe.example ")
    assert delivery.to == "compta@cafe.example" and delivery.state == "queued"


def test_an_invalid_address_is_refused(coordinator, amis):
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    error = refusal(services.send_invoice, actor=coordinator, invoice=invoice, to="amis-at-example")
    assert error.code == "invalid_email"
    assert error.messages == ["“amis-at-example” is not a valid e-mail address."]


@pytest.mark.parametrize("who", ["staff", "member", "outsider", "other_coordinator"])
def test_only_who_manages_billing_sends(place, coordinator, amis, who):
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(f.place()),
    }[who]()
    before = written()
    with pytest.raises(PermissionDenied):
        services.send_invoice(actor=user, invoice=invoice)
    with pytest.raises(PermissionDenied):
        services.send_invoices(actor=user, invoices=[invoice])
    assert written() == before


# The message


def send(coordinator, invoice, capture, **kwargs):
    with capture(execute=True):
        delivery = services.send_invoice(actor=coordinator, invoice=invoice, **kwargs)
    delivery.refresh_from_db()
    return delivery


def test_the_worker_sends_the_pdf_in_french_to_a_french_customer(
    coordinator, amis, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = "tierslieux <noreply@tierslieux.example>"
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    with django_capture_on_commit_callbacks() as callbacks:
        delivery = services.send_invoice(actor=coordinator, invoice=invoice)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()

    assert delivery.state == "sent" and delivery.sent_at is not None and delivery.error == ""
    assert delivery.requested_by == coordinator
    [message] = mail.outbox
    assert message.to == ["tresorier@amis.example"]
    # From the platform, named after the place; replies go to the place.
    assert message.from_email == "La Fabrique <noreply@tierslieux.example>"
    assert message.reply_to == ["bonjour@lafabrique.example"]
    assert message.subject == f"Facture {invoice.number} — La Fabrique"
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    body = message.body
    assert invoice.number in body and "1er février 2027" in body
    assert "Total TTC\u00a0: 60,00\u00a0€" in body and "Reste à payer\u00a0: 60,00\u00a0€" in body
    assert "Date d’échéance\u00a0: 3 mars 2027" in body
    terms = "Conditions de paiement\u00a0: Payable sous 30 jours à compter de la date de facture."
    assert terms in body
    assert f"IBAN {IBAN}" in body and "BIC PSSTFRPPLYO" in body
    assert AuditEntry.objects.filter(action="billing.invoice.send", object_id=delivery.pk).exists()


def test_an_english_customer_reads_english_and_a_mandate_replaces_the_iban(
    coordinator, place, django_capture_on_commit_callbacks
):
    debtor = f.customer(
        place,
        name="Ada Lovelace",
        email="ada@example.org",
        language=Customer.Language.EN,
        iban="FR7630006000011234567890189",
        sepa_mandate_reference="MANDAT-7",
        sepa_mandate_date=date(2026, 1, 1),
    )
    invoice = f.issued(coordinator, debtor, SIXTY, issue_date=ISSUED)
    send(coordinator, invoice, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.subject == f"Invoice {invoice.number} — La Fabrique"
    assert message.attachments[0][0] == f"{invoice.number}.pdf"
    body = message.body
    assert "Please find attached invoice" in body and "Feb. 1, 2027" in body
    assert "Amount due: 60.00\u00a0€" in body and "Due date: March 3, 2027" in body
    assert "Payable within 30 days of the invoice date." in body
    assert "SEPA direct debit, mandate MANDAT-7" in body and "nothing to do" in body
    assert IBAN not in body  # no transfer to make


def test_a_second_run_of_the_task_sends_nothing(
    coordinator, amis, django_capture_on_commit_callbacks
):
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    delivery = send(coordinator, invoice, django_capture_on_commit_callbacks)
    first = delivery.sent_at

    assert deliver_invoice.call(delivery.pk) == "skipped"

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.sent_at == first


def test_a_mail_server_refusal_is_recorded_not_raised(
    coordinator, amis, django_capture_on_commit_callbacks
):
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    refused = smtplib.SMTPRecipientsRefused({"tresorier@amis.example": (550, b"No such user")})
    with mock.patch.object(EmailBackend, "send_messages", side_effect=refused):
        delivery = send(coordinator, invoice, django_capture_on_commit_callbacks)

    assert delivery.state == "failed" and delivery.sent_at is None
    assert "SMTPRecipientsRefused" in delivery.error and "No such user" in delivery.error
    assert mail.outbox == []
    # The task may run again (a retry): a delivery not sent yet is sent then.
    assert deliver_invoice.call(delivery.pk) == "sent"
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.error == "" and len(mail.outbox) == 1


def test_a_message_that_cannot_be_made_is_recorded_as_failed_not_left_waiting(
    coordinator, amis, django_capture_on_commit_callbacks
):
    """A line break in the place's name (written before names were checked) makes the
    subject an invalid header: the delivery says so instead of waiting forever."""
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    Place.objects.filter(pk=invoice.place_id).update(name="La Fabrique\nBcc: x@example.org")
    delivery = send(coordinator, invoice, django_capture_on_commit_callbacks)
    assert delivery.state == "failed" and delivery.sent_at is None
    assert delivery.error and mail.outbox == []


def test_a_credit_note_goes_out_as_a_credit_note(
    coordinator, amis, django_capture_on_commit_callbacks
):
    invoice = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    note = services.create_credit_note(actor=coordinator, invoice=invoice, issue_date=ISSUED)
    send(coordinator, note, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.subject == f"Avoir {note.number} — La Fabrique"
    assert message.attachments[0][0] == f"{note.number}.pdf"
    assert invoice.number in message.body and "60,00\u00a0€" in message.body
    assert "IBAN" not in message.body  # nothing to pay


# Many at once (a bill run)


def test_send_invoices_queues_those_with_an_address_and_skips_the_others(
    coordinator, place, amis, django_capture_on_commit_callbacks
):
    other = f.customer(place, name="Octopus", email="factures@octopus.example")
    nobody = f.customer(place, name="Sans Mail")
    invoices = [f.issued(coordinator, c, SIXTY, issue_date=ISSUED) for c in (amis, other, nobody)]
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.send_invoices(actor=coordinator, invoices=invoices)

    assert queued == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "factures@octopus.example",
        "tresorier@amis.example",
    ]
    assert {(d.invoice_id, d.state) for d in InvoiceDelivery.objects.all()} == {
        (invoices[0].pk, "sent"),
        (invoices[1].pk, "sent"),
    }
    assert AuditEntry.objects.filter(action="billing.invoice.send").count() == 2


def test_send_invoices_refuses_a_draft_among_them_and_queues_nothing(coordinator, amis):
    issued = f.issued(coordinator, amis, SIXTY, issue_date=ISSUED)
    error = refusal(services.send_invoices, actor=coordinator, invoices=[issued, f.draft(amis)])
    assert error.code == "draft"
