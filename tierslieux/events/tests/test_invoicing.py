"""Paid seats: invoiced through billing when they are taken (at the tax rule frozen on the
registration, to the right customer, numbered in the place's sequence, e-mailed), credited in
full when given back; pending, waitlisted and free registrations are never invoiced; billing's
refusal rolls the registration back; the hash chain stays intact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tierslieux.billing import integrity
from tierslieux.billing.models import Customer, Invoice, InvoiceDelivery
from tierslieux.billing.numbering import format_number
from tierslieux.billing.services import create_credit_note
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import emails, services
from tierslieux.events.models import Registration
from tierslieux.events.tests import factories as ef
from tierslieux.places.tests import factories as pf

NOW = at("2027-03-01", 8)  # a Monday
Status = Registration.Status


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)
    with translation.override("en"):
        yield


@pytest.fixture
def workshop(coordinator, place):
    """A public workshop of 3 seats on Wednesday afternoon, 15 € + VAT 20 % for non-members,
    10 € under the VAT franchise for members, free for children, pay what you want from 5 €."""
    room = bf.room(place, name="Salle Jaune")
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=3,
    )
    for kind, price, tax_code, minimum in (
        ("non_member", "15", "vat_20", None),
        ("member", "10", "franchise_293b", None),
        ("free", "0", "vat_20", None),
        ("pay_what_you_want", "20", "vat_20", "5"),
    ):
        services.set_price(
            actor=coordinator,
            event=event,
            kind=kind,
            price_net=Decimal(price),
            tax_code=tax_code,
            min_price_net=Decimal(minimum) if minimum else None,
        )
    return event, session


def issued() -> list[Invoice]:
    return list(Invoice.objects.filter(status=Invoice.Status.ISSUED).order_by("sequence_number"))


def test_a_visitors_seats_are_invoiced_when_confirmed_at_the_frozen_vat(workshop, place):
    event, session = workshop
    outcome = services.register(
        event=event,
        session=session,
        name="Léa Martin",
        email="lea@example.org",
        seats=2,
        price_kind="non_member",
    )
    assert outcome.registration.invoice is None and issued() == []  # pending: nothing yet
    registration = services.confirm_email(token=outcome.token)
    registration.refresh_from_db()
    invoice = registration.invoice
    assert invoice is not None and invoice.is_issued
    assert issued() == [invoice]
    prefix = place.invoice_sequence.prefix
    assert (invoice.number, invoice.sequence_number) == (format_number(prefix, 1), 1)
    assert invoice.issue_date == place.today()
    assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (
        Decimal("30.00"),
        Decimal("6.00"),
        Decimal("36.00"),
    )
    [line] = invoice.lines.all()
    assert (line.quantity, line.unit_price_net, line.tax_code, line.tax_rate) == (
        Decimal("2"),
        Decimal("15.00"),
        "vat_20",
        Decimal("20"),
    )
    # In the customer's language (a visitor without an account: French).
    assert line.description == "Atelier couture — 3 mars 2027 — Non-adhérent"
    assert invoice.service_start == invoice.service_end == at("2027-03-03", 14).date()
    customer = invoice.customer
    assert (customer.name, customer.email, customer.person_id) == (
        "Léa Martin",
        "lea@example.org",
        None,
    )
    assert invoice.buyer["name"] == "Léa Martin"
    delivery = InvoiceDelivery.objects.get(invoice=invoice)
    assert delivery.to == "lea@example.org"
    # Opening the link again invoices nothing more.
    services.confirm_email(token=outcome.token)
    assert issued() == [invoice]


def test_a_members_seat_is_invoiced_to_their_customer_under_the_franchise(workshop, place):
    event, session = workshop
    person = pf.member(place).person
    registration = services.register(
        event=event, session=session, name="Mo", email="", person=person, price_kind="member"
    ).registration
    invoice = registration.invoice
    assert invoice is not None
    assert invoice.customer.person_id == person.pk
    assert Customer.objects.filter(place=place, person=person).count() == 1
    assert (invoice.total_net, invoice.total_tax, invoice.total_gross) == (
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("10.00"),
    )
    [rule] = invoice.taxes
    assert (rule["code"], rule["mention"]) == (
        "franchise_293b",
        "TVA non applicable, art. 293 B du CGI",
    )


def test_pay_what_you_want_is_invoiced_at_the_amount_chosen_and_free_seats_are_not(
    workshop, coordinator
):
    event, session = workshop
    chosen = services.register(
        event=event,
        session=session,
        name="Ana",
        email="ana@example.org",
        price_kind="pay_what_you_want",
        amount=Decimal("7.5"),
        actor=coordinator,
    ).registration
    assert chosen.source == Registration.Source.TEAM and chosen.status == Status.CONFIRMED
    assert chosen.invoice.total_net == Decimal("7.50")
    assert chosen.invoice.total_gross == Decimal("9.00")
    free = ef.visitor(event, session, "Bob", price_kind="free").registration
    free.refresh_from_db()
    assert free.status == Status.CONFIRMED and free.invoice is None
    assert len(issued()) == 1


def test_the_waiting_list_is_not_invoiced_until_promoted(workshop):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana", seats=3, price_kind="non_member").registration
    bob = ef.visitor(event, session, "Bob", seats=2, price_kind="non_member").registration
    bob.refresh_from_db()
    assert bob.status == Status.WAITLISTED and bob.invoice is None
    assert len(issued()) == 1
    outcome = services.cancel_registration(registration=ana, token=emails.token_for(ana))
    assert [r.pk for r in outcome.promoted] == [bob.pk]
    bob.refresh_from_db()
    ana.refresh_from_db()
    assert bob.status == Status.CONFIRMED
    assert bob.invoice.total_gross == Decimal("36.00")
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert note.corrects_id == ana.invoice_id
    assert (note.total_net, note.total_tax, note.total_gross) == (
        Decimal("-45.00"),
        Decimal("-9.00"),
        Decimal("-54.00"),
    )
    assert [i.sequence_number for i in issued()] == [1, 2, 3]  # Ana's, her credit, Bob's
    assert InvoiceDelivery.objects.filter(invoice=note, to=ana.email).exists()
    assert integrity.verify(event.place).intact


def test_the_team_cancelling_or_the_event_cancelled_credits_every_paid_seat(
    workshop, coordinator, place
):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana", price_kind="non_member").registration
    pwyw = {"price_kind": "pay_what_you_want", "amount": Decimal("5")}
    bob = ef.visitor(event, session, "Bob", **pwyw).registration
    ef.visitor(event, session, "Cyd", price_kind="free")
    services.cancel_registration(registration=ana, actor=coordinator)
    services.cancel_event(actor=coordinator, event=event, reason="Intervenant malade")
    notes = Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).order_by("sequence_number")
    ana.refresh_from_db()
    bob.refresh_from_db()
    assert [n.corrects_id for n in notes] == [ana.invoice_id, bob.invoice_id]
    assert [n.total_gross for n in notes] == [Decimal("-18.00"), Decimal("-6.00")]
    assert [i.sequence_number for i in issued()] == [1, 2, 3, 4]
    report = integrity.verify(place)
    assert report.intact and report.checked == 4


def test_an_invoice_already_credited_by_hand_is_not_credited_again(workshop, coordinator):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana", price_kind="non_member").registration
    create_credit_note(actor=coordinator, invoice=ana.invoice)
    services.cancel_registration(registration=ana, actor=coordinator)
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 1


def test_a_refusal_of_billing_leaves_the_registration_as_it_was(workshop, place):
    event, session = workshop
    outcome = services.register(
        event=event, session=session, name="Ana", email="ana@example.org", price_kind="non_member"
    )
    place.siret = ""
    place.save(update_fields=["siret"])
    with pytest.raises(ValidationError) as caught:
        services.confirm_email(token=outcome.token)
    assert caught.value.code == "seller_siren"
    registration = Registration.objects.get(pk=outcome.registration.pk)
    assert (registration.status, registration.invoice_id) == (Status.PENDING, None)
    assert not Invoice.objects.exists()
    assert services.seats_left(event, session) == 3


def test_a_visitor_is_one_customer_and_a_course_is_invoiced_for_its_dates(coordinator, place):
    room = bf.room(place, name="Salle Bleue")
    course = ef.event(place, title="Formation facilitateur", enrolment="series", capacity=8)
    ef.session(coordinator, course, room, at("2027-03-08", 9), at("2027-03-08", 17))
    ef.session(coordinator, course, room, at("2027-03-10", 9), at("2027-03-10", 17))
    services.set_price(
        actor=coordinator,
        event=course,
        kind="non_member",
        price_net=Decimal("150"),
        tax_code="exempt_261_7_1b",
    )
    services.publish_event(actor=coordinator, event=course)
    course.refresh_from_db()
    first = ef.visitor(course, None, "Léa Martin", price_kind="non_member").registration
    first.refresh_from_db()
    invoice = first.invoice
    assert (invoice.service_start, invoice.service_end) == (
        at("2027-03-08", 9).date(),
        at("2027-03-10", 9).date(),
    )
    assert invoice.lines.get().description == (
        "Formation facilitateur — du 8 mars 2027 au 10 mars 2027 — Non-adhérent"
    )
    assert (invoice.total_net, invoice.total_tax) == (Decimal("150.00"), Decimal("0.00"))
    services.cancel_registration(registration=first, token=emails.token_for(first))
    again = ef.visitor(course, None, "Léa Martin", price_kind="non_member").registration
    again.refresh_from_db()
    assert again.invoice.customer_id == invoice.customer_id  # the same visitor, one customer
    assert Customer.objects.filter(place=place, email=first.email).count() == 1
    assert [i.kind for i in issued()] == ["invoice", "credit_note", "invoice"]
