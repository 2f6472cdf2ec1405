"""Registration pages against bad input and abuse: every absurd value of every field answers
422 naming the field, writes nothing and sends nothing; an address flooded with pending
registrations is refused (429); robots filling the hidden field are refused; pay what you
want is typed including tax; the pages and the e-mails read right in French and English."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tierslieux.bookings.tests.factories import at
from tierslieux.events import emails, services
from tierslieux.events.forms_registration import net_of, with_tax
from tierslieux.events.models import Event, Registration
from tierslieux.events.registration_queries import PENDING_PER_HOUR
from tierslieux.events.tests import factories as ef
from tierslieux.events.tests import pages_support as support
from tierslieux.events.tests.pages_support import (
    english,
    event_url,
    form,
    register_url,
    visitor_form,
)

Status = Registration.Status
setup, outbox, room, workshop = support.setup, support.outbox, support.room, support.workshop
NBSP = "\u00a0"


@pytest.fixture
def priced(workshop, coordinator):
    """The workshop at pay what you want: 20 € suggested, 5 € at least (excl. tax, VAT 20 %)."""
    event, session = workshop
    services.set_price(
        actor=coordinator,
        event=event,
        kind="pay_what_you_want",
        price_net=Decimal("20"),
        min_price_net=Decimal("5"),
        tax_code="vat_20",
    )
    return event, session


def errors_of(response) -> dict:
    return response.context["panel"].form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "Deux\nlignes"),
        ("name", "x" * 201),
        ("email", ""),
        ("email", "not-an-address"),
        ("email", "a" * 250 + "@example.org"),
        ("seats", "0"),
        ("seats", "11"),
        ("seats", "-1"),
        ("seats", "deux"),
        ("seats", "1.5"),
        ("seats", "9" * 30),
        ("session", ""),
        ("session", "abc"),
        ("session", "999999"),
        ("price_kind", ""),
        ("price_kind", "bogus"),
        ("price_kind", "member"),
        ("amount", ""),
        ("amount", "-1"),
        ("amount", "abc"),
        ("amount", "NaN"),
        ("amount", "Infinity"),
        ("amount", "1e12"),
        ("amount", "5.99"),
        ("amount", "6.001"),
        ("website", "http://spam.example"),
    ],
)
def test_absurd_input_answers_422_naming_the_field_and_writes_nothing(
    client, priced, outbox, field, value
):
    event, session = priced
    data = visitor_form(session, price_kind="pay_what_you_want", amount="8")
    data["registration-" + field] = value
    response = english(client).post(register_url(event), data)
    assert response.status_code == 422
    assert field in errors_of(response), errors_of(response)
    assert "nothing was saved" in response.content.decode()
    assert not Registration.objects.exists() and outbox == []


def test_a_date_of_another_event_or_a_cancelled_one_is_refused(
    client, workshop, coordinator, place, room
):
    event, _session = workshop
    _other, other_session = ef.published(
        coordinator, place, room, at("2027-03-04", 14), at("2027-03-04", 15)
    )
    response = client.post(register_url(event), visitor_form(other_session))
    assert response.status_code == 422 and "session" in errors_of(response)
    second = ef.session(coordinator, event, room, at("2027-03-05", 14), at("2027-03-05", 15))
    page = client.get(event_url(event)).content.decode()
    assert f'value="{second.pk}"' in page
    services.cancel_session(actor=coordinator, session=second)
    response = client.post(register_url(event), visitor_form(second))
    assert response.status_code == 422 and "session" in errors_of(response)
    assert not Registration.objects.exists()


def test_a_date_that_started_is_no_longer_offered(client, workshop, clock):
    event, session = workshop
    clock.set(at("2027-03-03", 14, 30))
    page = english(client).get(event_url(event)).content.decode()
    assert register_url(event) not in page
    assert client.post(register_url(event), visitor_form(session)).status_code == 422
    assert not Registration.objects.exists()


def test_pay_what_you_want_is_typed_including_tax(client, priced):
    event, session = priced
    page = english(client).get(event_url(event)).content.decode().replace(NBSP, " ")
    assert "Pay what you want: from 6.00 € incl. tax (5.00 € excl. tax)" in page
    assert "At least 6.00 € including tax (5.00 € excluding tax)." in page
    data = visitor_form(session, price_kind="pay_what_you_want", amount="6.00")
    assert client.post(register_url(event), data).status_code == 302
    assert Registration.objects.get().unit_price_net == Decimal("5.00")
    data = visitor_form(session, "Bob", email="bob@example.org", price_kind="pay_what_you_want")
    data["registration-amount"] = "7"
    client.post(register_url(event), data)
    bob = Registration.objects.get(email="bob@example.org")
    assert bob.unit_price_net == Decimal("5.83") and bob.tax_code == "vat_20"


@pytest.mark.pure
@pytest.mark.parametrize("gross", ["0.01", "0.07", "6.00", "7.00", "99.99", "12345.67"])
@pytest.mark.parametrize("code", ["vat_20", "vat_5_5", "vat_2_1", "franchise_293b"])
def test_the_price_excluding_tax_never_makes_one_pay_more_than_typed(gross, code):
    net = net_of(Decimal(gross), code)
    assert with_tax(net, code) <= Decimal(gross)
    assert with_tax(net + Decimal("0.01"), code) > Decimal(gross) or net == Decimal(gross)


def test_an_address_flooded_with_pending_registrations_is_refused(
    client, coordinator, place, room, setup, outbox, clock
):
    events = [
        ef.published(
            coordinator,
            place,
            room,
            at(f"2027-03-0{2 + n // 4}", 9 + 2 * (n % 4)),
            at(f"2027-03-0{2 + n // 4}", 10 + 2 * (n % 4)),
        )
        for n in range(PENDING_PER_HOUR + 1)
    ]
    english(client)
    for event, session in events[:PENDING_PER_HOUR]:
        assert client.post(register_url(event), visitor_form(session)).status_code == 302
    event, session = events[-1]
    response = client.post(register_url(event), visitor_form(session))
    assert response.status_code == 429
    assert "too many registrations awaiting confirmation" in response.content.decode()
    assert "email" in errors_of(response)
    assert Registration.objects.count() == PENDING_PER_HOUR
    assert len(outbox) == PENDING_PER_HOUR
    # Another address is not concerned; an hour later, neither is this one.
    other = visitor_form(session, "Bob", email="bob@example.org")
    assert client.post(register_url(event), other).status_code == 302
    clock.advance(timedelta(minutes=61))
    assert client.post(register_url(event), visitor_form(session)).status_code == 302


def test_a_members_only_event_offers_no_form_to_visitors(
    client, coordinator, member, place, room, setup
):
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-05", 10),
        at("2027-03-05", 12),
        access=Event.Access.MEMBERS,
    )
    client.force_login(member)
    page = english(client).get(event_url(event)).content.decode()
    assert register_url(event) in page
    response = client.post(register_url(event), form(session=session.pk, seats=1))
    assert response.status_code == 302
    assert Registration.objects.get().person == member.person


def test_a_draft_or_anothers_members_only_event_is_not_found(
    client, coordinator, place, room, setup
):
    draft = ef.event(place, title="Brouillon")
    response = client.post(register_url(draft), visitor_form(None))
    assert response.status_code == 404
    client.force_login(coordinator)  # the team previews the draft: no form to fill yet
    page = client.get(event_url(draft))
    assert page.status_code == 200 and register_url(draft) not in page.content.decode()
    client.logout()
    event, session = ef.published(
        coordinator,
        place,
        room,
        at("2027-03-05", 10),
        at("2027-03-05", 12),
        access=Event.Access.MEMBERS,
    )
    assert client.post(register_url(event), visitor_form(session)).status_code == 404
    assert client.get(register_url(event)).status_code == 405
    assert not Registration.objects.exists()


def test_the_form_and_its_refusals_read_in_french(client, workshop, outbox):
    event, session = workshop
    page = client.get(event_url(event)).content.decode()
    assert "Votre nom" in page and "3 places restantes" in page
    assert "Mercredi 3 mars 2027, 14:00–17:00 · Salle Jaune — 3 places restantes" in page
    assert "Pas besoin de compte." in page
    client.post(register_url(event), visitor_form(session))
    response = client.post(register_url(event), visitor_form(session))
    assert response.status_code == 422
    assert "Vous êtes déjà inscrit à cette date." in response.content.decode()
    page = client.get(reverse("events:registration_sent", args=[place_slug(event), event.pk]))
    assert "Votre adresse ne sert qu’aux messages de cette inscription." in page.content.decode()


def place_slug(event):
    return event.place.slug


WORKSHOP = "Atelier couture"
KINDS = {  # subjects in French, then English
    "pending": ("Confirmez votre inscription", "Confirm your registration"),
    "confirmed": ("Vous êtes inscrit", "You are registered"),
    "waitlisted": ("Sur liste d’attente", "On the waiting list"),
    "promoted": ("Une place est à vous", "A seat is yours"),
    "cancelled": ("Inscription annulée", "Registration cancelled"),
    "event_cancelled": ("Annulé", "Cancelled"),
    "reminder": ("Demain", "Tomorrow"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_email_renders_its_subject_and_links_in_both_languages(workshop, member, kind):
    event, session = workshop
    visitor = ef.visitor(event, session, "Ana", seats=2).registration
    french, english_subject = KINDS[kind]
    subject, body = emails.render(visitor, kind)
    assert subject == f"{french}{NBSP}: {WORKSHOP}"
    dated = kind != "cancelled"  # the cancellation names the event, not its dates
    assert "Bonjour Ana," in body
    assert ("Mercredi 3 mars 2027, 14:00–17:00, Salle Jaune" in body) == dated
    member.language = "en"
    member.save(update_fields=["language"])
    registered = services.register(
        event=event, session=session, name="Mo", email="", person=member.person
    ).registration
    subject, body = emails.render(registered, kind)
    assert subject == f"{english_subject}: {WORKSHOP}"
    assert "Hello Mo," in body
    assert ("Wednesday 3 March 2027, 14:00–17:00, Salle Jaune" in body) == dated
    token = emails.token_for(registered)
    link = {
        "pending": reverse("events:registration_confirm", args=[token]),
        "cancelled": reverse("events:event", args=[event.place.slug, event.pk]),
        "event_cancelled": None,
    }.get(kind, reverse("events:registration", args=[token]))
    assert link is None or link in body
    assert "{" not in body and "%(" not in body
