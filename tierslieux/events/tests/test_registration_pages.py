"""The registration pages, through the test client: a visitor registers from the event's
page, confirms their address from the e-mail's link (GET asks, POST acts), lands on the
waiting list when the workshop is full and is promoted when someone cancels; a person logged
in registers at once and finds it under "My registrations"; dead links answer a page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import emails, services
from tierslieux.events.models import Event, Registration
from tierslieux.events.tests import factories as ef
from tierslieux.events.tests import pages_support as support
from tierslieux.events.tests.pages_support import (
    english,
    event_url,
    form,
    link_in,
    register_url,
    visitor_form,
)

Status = Registration.Status
# The shared fixtures, under their names.
setup, outbox, room, workshop = support.setup, support.outbox, support.room, support.workshop


def test_a_visitor_registers_confirms_waits_in_line_and_is_promoted(client, workshop, outbox):
    event, session = workshop
    english(client)
    page = client.get(event_url(event)).content.decode()
    assert register_url(event) in page and "3 seats left" in page
    # Ana takes two seats and confirms her address: one seat is left.
    response = client.post(register_url(event), visitor_form(session, "Ana", seats=2))
    sent = reverse("events:registration_sent", args=[event.place.slug, event.pk])
    assert response.status_code == 302 and response["Location"] == sent
    page = client.get(sent).content.decode()
    assert "lea@example.org" in page and "this registration's messages only" in page
    ana = Registration.objects.get()
    assert ana.status == Status.PENDING and ana.seats == 2
    # Her messages are in the language of the page she registered from.
    assert outbox[0].subject == "Confirm your registration: Atelier couture"
    confirm = link_in(outbox[0], "confirm/")
    # Opening the link (a mail scanner does) changes nothing; the button does.
    assert "Confirm my registration" in client.get(confirm).content.decode()
    assert Registration.objects.get().status == Status.PENDING
    response = client.post(confirm, follow=True)
    page = response.content.decode()
    assert "You are registered" in page and "Registered" in page
    assert Registration.objects.get().status == Status.CONFIRMED
    assert outbox[1].subject.startswith("You are registered")
    # The link opened again leads to the registration, changing nothing.
    again = client.get(confirm)
    assert again.status_code == 302 and again["Location"] == link_in(outbox[1])
    # Bob asks for two seats: the form says it is nearly full; he goes on the waiting list.
    assert "1 seat left" in client.get(event_url(event)).content.decode()
    client.post(register_url(event), visitor_form(session, "Bob", email="bob@example.org", seats=2))
    response = client.post(link_in(outbox[2], "confirm/"), follow=True)
    page = response.content.decode()
    assert "you are on the waiting list, position 1" in page
    assert "position 1 on the waiting list" in page
    bob = Registration.objects.get(email="bob@example.org")
    assert bob.status == Status.WAITLISTED
    # Ana cancels from her e-mail's link: the page asks first, then Bob has the seats.
    manage = link_in(outbox[1])
    cancel = reverse("events:registration_cancel", args=[emails.token_for(ana)])
    assert cancel in client.get(manage).content.decode()
    assert "Yes, cancel my registration" in client.get(cancel).content.decode()
    assert Registration.objects.get(pk=ana.pk).status == Status.CONFIRMED
    page = client.post(cancel, follow=True).content.decode()
    assert "Your registration is cancelled." in page and "Register again" in page
    assert Registration.objects.get(pk=ana.pk).status == Status.CANCELLED
    assert Registration.objects.get(pk=bob.pk).status == Status.CONFIRMED
    subjects = [m.subject for m in outbox if m.to == ["bob@example.org"]]
    assert subjects[-1].startswith("A seat is yours")


def test_a_full_date_says_beforehand_that_it_leads_to_the_waiting_list(client, workshop):
    event, session = workshop
    ef.visitor(event, session, "Ana", seats=3)
    page = english(client).get(event_url(event)).content.decode()
    assert "full: you would go on the waiting list" in page
    assert "Join the waiting list" in page


def test_a_person_logged_in_registers_at_once_at_the_member_price(
    client, workshop, member, coordinator
):
    event, session = workshop
    services.set_price(
        actor=coordinator, event=event, kind="member", price_net=Decimal("10"), tax_code="vat_20"
    )
    services.set_price(
        actor=coordinator,
        event=event,
        kind="non_member",
        price_net=Decimal("20"),
        tax_code="vat_20",
    )
    client.force_login(member)
    english(client)
    page = client.get(event_url(event)).content.decode().replace("\xa0", " ")
    assert "Member: 12.00 € incl. tax (10.00 € excl. tax)" in page
    assert "no e-mail to confirm" in page and 'name="registration-email"' not in page
    response = client.post(
        register_url(event), form(session=session.pk, seats=2, price_kind="member", website="")
    )
    registration = Registration.objects.get()
    token = emails.token_for(registration)
    assert response["Location"] == reverse("events:registration", args=[token])
    assert registration.person == member.person and registration.status == Status.CONFIRMED
    assert registration.unit_price_net == Decimal("10.00")
    page = client.get(response["Location"]).content.decode().replace("\xa0", " ")
    assert "12.00 € incl. tax per seat (10.00 € excl. tax), 24.00 € incl. tax for 2 seats" in page
    # The event's page reminds them; registering twice is refused on the form.
    page = client.get(event_url(event)).content.decode()
    assert "You are registered already" in page
    response = client.post(
        register_url(event), form(session=session.pk, seats=1, price_kind="member")
    )
    assert response.status_code == 422
    assert "You are registered already for this date." in response.content.decode()
    assert Registration.objects.count() == 1


def test_a_person_logged_in_is_told_their_place_on_the_waiting_list(client, workshop, staff):
    event, session = workshop
    ef.visitor(event, session, "Ana", seats=3)
    ef.visitor(event, session, "Bob", seats=1)  # waitlisted first
    client.force_login(staff)
    response = english(client).post(register_url(event), form(session=session.pk, seats=1))
    page = client.get(response["Location"]).content.decode()
    assert "you are on the waiting list, position 2" in page
    assert "Leave the waiting list" in page
    assert Registration.objects.get(person=staff.person).status == Status.WAITLISTED


def test_the_member_price_is_offered_to_the_places_people_only(client, workshop, coordinator):
    event, session = workshop
    services.set_price(
        actor=coordinator, event=event, kind="member", price_net=Decimal("10"), tax_code="vat_20"
    )
    services.set_price(
        actor=coordinator,
        event=event,
        kind="non_member",
        price_net=Decimal("20"),
        tax_code="vat_20",
    )
    page = english(client).get(event_url(event)).content.decode().replace("\xa0", " ")
    assert "Non-member: 24.00 € incl. tax" in page and "Member:" not in page
    response = client.post(register_url(event), visitor_form(session, price_kind="member"))
    assert response.status_code == 422 and not Registration.objects.exists()


def test_my_registrations_lists_them_across_places_and_cancels_after_asking(
    client, workshop, member, other_place, other_coordinator
):
    event, session = workshop
    person = member.person
    mine = services.register(
        event=event, session=session, name="Mo", email="", person=person
    ).registration
    bf.open_every_day(other_place)
    elsewhere = ef.published(
        other_coordinator,
        other_place,
        bf.room(other_place, name="Atelier"),
        at("2027-03-02", 10),
        at("2027-03-02", 11),
        title="Causerie",
    )
    services.register(event=elsewhere[0], session=elsewhere[1], name="Mo", email="", person=person)
    client.force_login(member)
    english(client)
    assert reverse("events:mine") in client.get(reverse("web:dashboard")).content.decode()
    page = client.get(reverse("events:mine")).content.decode()
    assert page.index("Causerie") < page.index("Atelier couture")  # the soonest first
    cancel = reverse("events:mine_cancel", args=[mine.pk])
    assert cancel in page
    assert "Yes, cancel my registration" in client.get(cancel).content.decode()
    assert Registration.objects.get(pk=mine.pk).status == Status.CONFIRMED
    page = client.post(cancel, follow=True).content.decode()
    assert "Your registration is cancelled." in page
    assert Registration.objects.get(pk=mine.pk).status == Status.CANCELLED


def test_someone_elses_registration_is_not_found_from_my_registrations(
    client, workshop, staff, member
):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana").registration
    theirs = services.register(
        event=event, session=session, name="Mo", email="", person=member.person
    ).registration
    client.force_login(staff)
    for registration in (ana, theirs):
        url = reverse("events:mine_cancel", args=[registration.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert Registration.objects.filter(status=Status.CANCELLED).count() == 0
    client.logout()
    response = client.get(reverse("events:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("path", ["confirm", "registration", "cancel"])
def test_a_forged_link_answers_a_clear_page(client, workshop, path):
    names = {
        "confirm": "registration_confirm",
        "registration": "registration",
        "cancel": "registration_cancel",
    }
    for token in ("12:forged", "not-a-token", "x" * 300, "1"):
        url = reverse(f"events:{names[path]}", args=[token])
        for method in ("get", "post"):
            response = getattr(english(client), method)(url)
            assert response.status_code in (404, 405), (url, method)
            if response.status_code == 404:
                assert "This link does not work" in response.content.decode()


def test_an_expired_link_answers_410_and_registers_nothing(client, workshop, clock, outbox):
    event, session = workshop
    english(client).post(register_url(event), visitor_form(session))
    clock.advance(timedelta(hours=49))
    confirm = link_in(outbox[0], "confirm/")
    for method in ("get", "post"):
        response = getattr(client, method)(confirm)
        assert response.status_code == 410
        assert "This link has expired: register again." in response.content.decode()
    assert Registration.objects.get().status == Status.PENDING


def test_a_date_that_started_before_the_confirmation_answers_410(client, workshop, clock, outbox):
    event, session = workshop
    clock.set(at("2027-03-03", 13))
    english(client).post(register_url(event), visitor_form(session))
    clock.set(at("2027-03-03", 14, 30))
    response = client.post(link_in(outbox[0], "confirm/"))
    assert response.status_code == 410
    assert "has started" in response.content.decode()


def test_too_late_to_cancel_says_so_and_changes_nothing(client, workshop, clock):
    event, session = workshop
    ana = ef.visitor(event, session, "Ana")
    clock.set(at("2027-03-03", 15))
    cancel = reverse("events:registration_cancel", args=[ana.token])
    assert "too late to cancel" in english(client).get(cancel).content.decode()
    page = client.post(cancel, follow=True).content.decode()
    assert "too late to cancel" in page
    assert Registration.objects.get().status == Status.CONFIRMED


def test_a_course_is_registered_for_once(client, coordinator, place, room, setup):
    event = ef.event(place, title="Formation", enrolment=Event.Enrolment.SERIES, capacity=2)
    ef.session(coordinator, event, room, at("2027-03-08", 9), at("2027-03-08", 17))
    ef.session(coordinator, event, room, at("2027-03-09", 9), at("2027-03-09", 17))
    services.publish_event(actor=coordinator, event=event)
    page = english(client).get(event_url(event)).content.decode()
    assert "2 seats left for the whole course." in page
    assert 'name="registration-session"' not in page
    response = client.post(register_url(event), visitor_form(None))
    assert response.status_code == 302
    assert Registration.objects.get().session is None


def test_no_form_when_no_registration_or_the_event_is_over_or_cancelled(
    client, workshop, coordinator, clock
):
    event, session = workshop
    Event.objects.filter(pk=event.pk).update(registration_required=False)
    page = english(client).get(event_url(event)).content.decode()
    assert "no registration needed" in page and register_url(event) not in page
    response = client.post(register_url(event), visitor_form(session))
    assert response.status_code == 422 and not Registration.objects.exists()
    Event.objects.filter(pk=event.pk).update(registration_required=True)
    services.cancel_event(actor=coordinator, event=event, reason="Intervenant malade")
    assert register_url(event) not in client.get(event_url(event)).content.decode()
    assert client.post(register_url(event), visitor_form(session)).status_code == 422
    assert not Registration.objects.exists()
