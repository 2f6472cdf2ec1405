"""Erasure: the person's fields gone everywhere, invoices intact and verifiable, asked first
with a password, refused for a place's last coordinator, all or nothing."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from tierslieux.accounts.models import ApiToken, Person, hash_token
from tierslieux.accounts.tests.factories import PASSWORD
from tierslieux.billing.models import Customer, Invoice
from tierslieux.core.clock import now as clock_now
from tierslieux.core.models import AuditEntry
from tierslieux.events.models import Registration
from tierslieux.events.tests import factories as ef
from tierslieux.joining.models import Invitation
from tierslieux.observatory import census_services
from tierslieux.observatory.tests.test_census_moderation import SHEET
from tierslieux.places.models import PlaceRole
from tierslieux.privacy import services


@pytest.fixture
def customer(place, member, coordinator):
    from tierslieux.billing.tests import factories as bf

    customer = bf.customer(place, person=member.person, name="Jeanne Martin", email="j@example.org")
    bf.issued(coordinator, customer)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=member, name="script", prefix=raw[:8], digest=hash_token(raw))
    Invitation.objects.create(
        place=place,
        person=member.person,
        email=member.email,
        first_name="J",
        last_name="M",
        role="member",
        digest="x" * 64,
        expires_at="2099-01-01T00:00:00Z",
    )
    for status in ("confirmed", "pending"):
        Registration.objects.create(
            event=ef.event(place),
            person=member.person,
            name="Jeanne Martin",
            email=member.email,
            source="portal",
            status=status,
            confirmed_at=clock_now() if status == "confirmed" else None,
        )
    return customer


def verify() -> str:
    out = StringIO()
    call_command("verify_invoices", stdout=out)
    return out.getvalue()


def test_the_person_erases_themself_after_confirming(client, place, member, customer):
    invoice = Invoice.objects.get(customer=customer)
    buyer, digest = invoice.buyer, invoice.hash
    declaration = census_services.declare(
        network=place.network,
        sheet=SHEET,
        categories=["fablab"],
        declarant_name="Jeanne Martin",
        declarant_email=member.email.upper(),
        language="fr",
    )
    client.force_login(member)
    exported = client.get(reverse("privacy:export")).json()
    assert [d["id"] for d in exported["observatory.Declaration"]] == [declaration.pk]
    url = reverse("privacy:erase")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"password": "wrong"})
    assert refused.status_code == 422
    assert Person.objects.get(pk=member.person.pk).email == member.email
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    person = Person.objects.get(pk=member.person.pk)
    assert str(person) == f"Personne effacée n°\u00a0{person.pk}"
    assert person.email == person.phone == ""
    member.refresh_from_db()
    assert not member.is_active and not member.has_usable_password()
    assert member.email == f"erased-{member.pk}@invalid"
    customer.refresh_from_db()
    assert customer.name == str(person) and customer.email == customer.address == ""
    assert not ApiToken.objects.filter(user=member).exists()
    assert not Invitation.objects.filter(person=person).exists()
    assert not PlaceRole.objects.filter(person=person).exists()
    registration = Registration.objects.get(person=person)  # the pending one is gone
    assert registration.name == str(person) and registration.email.endswith(".invalid")
    declaration.refresh_from_db()
    assert declaration.declarant_name == str(person)
    assert declaration.declarant_email == f"erased-{person.pk}@invalid"
    invoice.refresh_from_db()
    assert (invoice.buyer, invoice.hash) == (buyer, digest)
    assert "chain intact" in verify()
    entry = AuditEntry.objects.get(action="privacy.erase")
    assert entry.object_id == str(person.pk) and entry.actor_id == member.pk
    assert client.get(reverse("privacy:export")).status_code == 302  # logged out


def test_the_last_coordinator_is_refused(client, place, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("privacy:erase")).content.decode()
    assert "seule coordinatrice de «\u00a0La Fabrique\u00a0»" in page
    with pytest.raises(ValidationError) as refused:
        services.erase(actor=coordinator, person=coordinator.person)
    assert refused.value.code == "last_coordinator"
    assert Person.objects.get(pk=coordinator.person.pk).email == coordinator.email


def test_a_failed_erasure_changes_nothing(monkeypatch, member, customer):
    def broken(user_id):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_forget_sessions", broken)
    with pytest.raises(RuntimeError):
        services.erase(actor=member, person=member.person)
    customer.refresh_from_db()
    assert customer.name == "Jeanne Martin"
    assert ApiToken.objects.filter(user=member).exists()
    assert Invitation.objects.filter(person=member.person).exists()
    assert not AuditEntry.objects.filter(action="privacy.erase").exists()


def test_only_a_superuser_erases_someone_else(client, member, coordinator, customer):
    url = reverse("privacy:erase_person", args=[member.person.pk])
    client.force_login(coordinator)
    assert client.get(url).status_code == 404
    coordinator.is_superuser = True
    coordinator.save()
    assert client.post(url, {"password": "wrong"}).status_code == 422
    assert client.post(url, {"password": PASSWORD}).status_code == 302
    assert Customer.objects.get(pk=customer.pk).email == ""
    assert AuditEntry.objects.get(action="privacy.erase").actor_id == coordinator.pk
