"""A training's certificate of attendance: a PDF naming the attendee, the training, the place
(with its SIRET), the dates attended and the hours attended out of those planned, in the
reader's language; only for a training someone of the registration attended; the team's."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from tierslieux.accounts.tests import factories as af
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import certificate, services
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


@pytest.fixture
def training(clock, coordinator, place):
    """A course of three mornings (3 h, 3 h, 3 h 30; 10 hours planned): Inès attends the first
    and the third, Jules none."""
    room = bf.room(place, name="Salle Jaune")
    course = ef.event(
        place,
        title="Animer un atelier",
        kind="training",
        enrolment="series",
        hours=Decimal("10"),
        objectives="Préparer et animer un atelier de deux heures.",
    )
    days = [
        ef.session(coordinator, course, room, at(day, 9), at(day, 12, minute))
        for day, minute in (("2027-03-03", 0), ("2027-03-04", 0), ("2027-03-05", 30))
    ]
    services.publish_event(actor=coordinator, event=course)
    course.refresh_from_db()
    ines = ef.visitor(course, None, "Inès Morel").registration
    jules = ef.visitor(course, None, "Jules Vert").registration
    for day in (days[0], days[2]):
        clock.set(day.start)
        services.check_in(actor=coordinator, session=day, registration=ines)
    clock.set(at("2027-03-06", 10))
    return course, ines, jules


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")


def url(event, registration):
    return reverse("events_manage:certificate", args=[event.place.slug, event.pk, registration.pk])


def test_the_certificate_says_who_attended_what_for_how_long(training, place, coordinator):
    _course, ines, _jules = training
    with translation.override("fr"):
        facts = certificate.build(ines, issuer=coordinator)
        pdf = certificate.render_pdf(facts)
    assert pdf.startswith(b"%PDF")
    assert facts.hours == Decimal("6.50")
    assert facts.filename == "attestation-animer-un-atelier-ines-morel.pdf"
    assert facts.coordinator == str(coordinator.person)
    text = text_of(pdf)
    assert "Attestation de présence" in text and "Heures suivies" in text
    for part in ("Inès Morel", "Animer un atelier", "La Fabrique", place.siret, "6,5", "10"):
        assert part in text, part
    assert "Préparer et animer" in text
    assert "3 mars 2027" in text and "5 mars 2027" in text and "4 mars 2027" not in text


def test_in_english_for_an_english_reader(training, coordinator):
    _course, ines, _jules = training
    with translation.override("en"):
        text = text_of(certificate.render_pdf(certificate.build(ines, issuer=coordinator)))
    assert "Certificate of attendance" in text
    assert "6.5 h" in text and "of 10 h planned" in text
    assert "March 3, 2027" in text


def test_no_certificate_without_attendance_or_for_a_workshop(training, place, coordinator):
    _course, _ines, jules = training
    with pytest.raises(ValidationError) as caught:
        certificate.build(jules)
    assert caught.value.code == "none"
    room = bf.room(place, name="Atelier")
    workshop, session = ef.published(
        coordinator, place, room, at("2027-03-10", 14), at("2027-03-10", 16)
    )
    alice = ef.visitor(workshop, session, "Alice").registration
    with pytest.raises(ValidationError) as caught:
        certificate.build(alice)
    assert caught.value.code == "kind"


@pytest.mark.parametrize("persona", ["coordinator", "staff"])
def test_the_team_downloads_it(client, request, persona, training):
    course, ines, jules = training
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(course, ines))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="attestation-animer-un-atelier-ines-morel.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert "Inès Morel" in text_of(response.content)
    assert client.get(url(course, jules)).status_code == 404
    page = client.get(reverse("events_manage:registrations", args=[course.place.slug, course.pk]))
    assert url(course, ines) in page.content.decode()
    assert url(course, jules) not in page.content.decode()


@pytest.mark.parametrize("persona", ["member", "other_coordinator", "outsider"])
def test_others_are_refused(client, request, persona, training):
    course, ines, _jules = training
    client.force_login(af.user() if persona == "outsider" else request.getfixturevalue(persona))
    assert client.get(url(course, ines)).status_code == 403
    send = reverse("events_manage:send_certificate", args=[course.place.slug, course.pk, ines.pk])
    assert client.post(send).status_code == 403


def test_a_registration_of_another_event_is_404(client, coordinator, place, training):
    _course, ines, _jules = training
    client.force_login(coordinator)
    other = ef.event(place, kind="training")
    assert client.get(url(other, ines)).status_code == 404


def test_the_team_sends_it_by_e_mail(
    client, coordinator, training, mailoutbox, django_capture_on_commit_callbacks
):
    course, ines, jules = training
    client.force_login(coordinator)
    send = reverse("events_manage:send_certificate", args=[course.place.slug, course.pk, ines.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(send)
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == [ines.email]
    assert message.subject == "Attestation de présence\u00a0: Animer un atelier"
    ((filename, content, mimetype),) = message.attachments
    assert filename == "attestation-animer-un-atelier-ines-morel.pdf"
    assert mimetype == "application/pdf" and "Inès Morel" in text_of(content)
    refused = reverse(
        "events_manage:send_certificate", args=[course.place.slug, course.pk, jules.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(refused, follow=True)
    assert "rien à attester" in page.content.decode()
    assert len(mailoutbox) == 1
    assert client.get(send).status_code == 302  # a GET sends nothing
    assert len(mailoutbox) == 1
