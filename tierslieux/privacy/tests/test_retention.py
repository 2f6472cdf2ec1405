"""`privacy_tick`: stale sign-up requests and never-confirmed registrations deleted, visitors'
names of long-ended events anonymised, the rest untouched; twice changes nothing more."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from tierslieux.accounts.models import Person
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services as events
from tierslieux.events.models import Registration
from tierslieux.events.tests import factories as ef
from tierslieux.joining.models import SignupRequest


def tick() -> str:
    out = StringIO()
    call_command("privacy_tick", stdout=out)
    return out.getvalue().strip()


def signup(place, email, status):
    person = None
    if status != SignupRequest.Status.UNCONFIRMED:
        person = Person.objects.create(first_name="A", last_name="B", email=email)
    return SignupRequest.objects.create(
        place=place, first_name="A", last_name="B", email=email, status=status, person=person
    )


def test_the_retention_rules(clock, place, coordinator, settings):
    clock.set(at("2027-03-01", 8))
    bf.open_every_day(place)
    room = bf.room(place, name="Salle Jaune")
    old, session = ef.published(
        coordinator, place, room, at("2027-03-03", 14), at("2027-03-03", 17)
    )
    kept = ef.visitor(old, session, "Alice Durand").registration
    stale = events.register(
        event=old, session=session, name="Bob", email="bob@example.org", seats=1
    )
    lost = signup(place, "lost@example.org", SignupRequest.Status.UNCONFIRMED)
    waiting = signup(place, "wait@example.org", SignupRequest.Status.PENDING)

    clock.set(at("2027-03-20", 8))  # 19 days on: nothing is due yet
    assert tick() == "signups=0 pending_registrations=0 visitors=0 survey_answers_unconfirmed=0"

    clock.set(at("2027-04-05", 8))  # a month on: the stale request and registration go
    recent, recent_session = ef.published(
        coordinator, place, room, at("2029-03-20", 14), at("2029-03-20", 17)
    )
    fresh = ef.visitor(recent, recent_session, "Chloé Petit").registration
    fresh_signup = signup(place, "new@example.org", SignupRequest.Status.UNCONFIRMED)
    assert tick() == "signups=1 pending_registrations=1 visitors=0 survey_answers_unconfirmed=0"
    assert not SignupRequest.objects.filter(pk=lost.pk).exists()
    assert not Registration.objects.filter(pk=stale.registration.pk).exists()
    assert SignupRequest.objects.filter(pk__in=[waiting.pk, fresh_signup.pk]).count() == 2

    clock.set(at("2029-03-10", 8))  # two years after the old workshop
    settings.PRIVACY_RETENTION = {"signup_days": 10_000}
    assert tick() == "signups=0 pending_registrations=0 visitors=1 survey_answers_unconfirmed=0"
    kept.refresh_from_db()
    assert kept.name == "Visiteur anonymisé" and kept.status == "confirmed"
    assert kept.email == f"registration-{kept.pk}@anonymised.invalid"
    fresh.refresh_from_db()
    assert fresh.name == "Chloé Petit"
    clock.advance(timedelta(days=1))
    assert tick() == "signups=0 pending_registrations=0 visitors=0 survey_answers_unconfirmed=0"
