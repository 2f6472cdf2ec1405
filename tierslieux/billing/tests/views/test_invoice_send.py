"""Sending an issued invoice by e-mail from its page: the form (the customer's address
prefilled), the list of what was sent, refusals on the form, and nobody else may send."""

from __future__ import annotations

import smtplib
from datetime import date
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from tierslieux.billing.models import Customer, InvoiceDelivery
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.views.support import SIXTY, page, url
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def invoice(coordinator, customer):
    Customer.objects.filter(pk=customer.pk).update(email="tresorier@amis.example")
    customer.refresh_from_db()
    return f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 2, 1))


def written():
    return InvoiceDelivery.objects.count(), AuditEntry.objects.count(), len(mail.outbox)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_offers_the_form_with_the_customer_s_address(team, place, invoice):
    shown = team.get(url("invoice", place, invoice.pk))
    assert shown.status_code == 200
    assert shown.context["send_form"]["to"].value() == "tresorier@amis.example"
    assert url("invoice_send", place, invoice.pk) in page(shown)


def test_a_draft_s_page_has_no_sending_form_and_a_post_is_refused(
    team, place, customer, django_capture_on_commit_callbacks
):
    draft = f.draft(customer)
    assert "send_form" not in team.get(url("invoice", place, draft.pk)).context
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(url("invoice_send", place, draft.pk), {"to": "a@example.org"})
    assert response.status_code == 302
    assert texts(response) == ["A draft has no number yet: issue it before sending it."]
    assert written() == before


def test_the_coordinator_sends_and_the_page_lists_the_delivery(
    team, place, coordinator, invoice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = team.post(url("invoice_send", place, invoice.pk), {"to": "compta@amis.example"})
    assert response.status_code == 302
    assert response["Location"] == url("invoice", place, invoice.pk)
    # The task ran after the response here (the test's transaction): queued when it answered.
    assert texts(response) == [f"{invoice.number} is on its way to compta@amis.example."]
    [message] = mail.outbox
    assert message.to == ["compta@amis.example"]
    assert message.attachments[0][0] == f"{invoice.number}.pdf"
    delivery = InvoiceDelivery.objects.get()
    assert (delivery.invoice, delivery.requested_by, delivery.state) == (
        invoice,
        coordinator,
        "sent",
    )

    listing = page(team.get(url("invoice", place, invoice.pk)))
    assert "compta@amis.example" in listing and "Sent " in listing


def test_an_empty_address_sends_to_the_customer(
    team, place, invoice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team.post(url("invoice_send", place, invoice.pk), {"to": ""})
    assert [m.to for m in mail.outbox] == [["tresorier@amis.example"]]


def test_refusals_are_shown_on_the_form_and_nothing_is_written(
    team, place, coordinator, customer, django_capture_on_commit_callbacks
):
    invoice = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 2, 1))  # no e-mail
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        missing = team.post(url("invoice_send", place, invoice.pk), {"to": ""})
        invalid = team.post(url("invoice_send", place, invoice.pk), {"to": "amis-at-ex"})
    assert missing.status_code == 422
    assert "Association Les Amis has no e-mail address" in page(missing)
    assert invalid.status_code == 422 and "to" in invalid.context["send_form"].errors
    assert written() == before


def test_a_mail_server_refusal_shows_on_the_page_not_as_an_error_page(
    team, place, invoice, django_capture_on_commit_callbacks
):
    down = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = team.post(url("invoice_send", place, invoice.pk), {"to": ""})
    assert response.status_code == 302
    delivery = InvoiceDelivery.objects.get()
    assert delivery.state == "failed" and "Connection unexpectedly closed" in delivery.error
    listing = page(team.get(url("invoice", place, invoice.pk)))
    assert "Not sent:" in listing and "Connection unexpectedly closed" in listing


@pytest.mark.django_db(transaction=True)
def test_when_the_worker_runs_at_once_the_message_says_how_it_went(team, place, invoice):
    """With the immediate backend and real commits, the e-mail is tried before the answer."""
    response = team.post(url("invoice_send", place, invoice.pk), {"to": ""})
    assert texts(response) == [f"{invoice.number} was sent to tresorier@amis.example."]
    down = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    with mock.patch.object(EmailBackend, "send_messages", side_effect=down):
        response = team.post(url("invoice_send", place, invoice.pk), {"to": ""})
    assert response.status_code == 302
    assert texts(response)[-1] == (  # the first message was not shown yet: still queued
        f"{invoice.number} could not be sent to tresorier@amis.example: "
        "SMTPServerDisconnected: Connection unexpectedly closed"
    )
    assert len(mail.outbox) == 1


def test_get_is_not_allowed(team, place, invoice):
    assert team.get(url("invoice_send", place, invoice.pk)).status_code == 405
    assert not InvoiceDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "member", "outsider"])
def test_without_the_billing_permission_it_is_403_and_nothing_is_sent(
    client, place, invoice, persona, django_capture_on_commit_callbacks
):
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
    }[persona]()
    client.force_login(user)
    before = written()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invoice_send", place, invoice.pk), {"to": "pirate@example.org"})
    assert response.status_code == 403
    assert written() == before
