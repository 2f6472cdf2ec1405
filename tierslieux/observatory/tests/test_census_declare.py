"""A place's public declaration: what it stores, what it refuses (422, the field named,
nothing stored), a second declaration of the same place, coordinates swapped or abroad, the
honeypot, the rate limit, and the e-mails in the declarant's and the administrators' languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tierslieux.core.models import AuditEntry
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as f

GOOD = {
    "name": "La Grange Numérique",
    "status": "project",
    "postcode": "23000",
    "commune": "Guéret",
    "country": "FR",
    "location_type": "rural",
    "legal_form": "association",
    "categories": ["fablab", "coworking"],
    "programme": "Repair café\nAtelier vélo",
    "description": "Un atelier partagé dans une ancienne grange.",
    "declarant_name": "Camille Martin",
    "declarant_email": "Camille@Example.org",
    "declarant_role": "fondatrice",
    "consent": "on",
}


@pytest.fixture
def network():
    return f.network(name="Creuse", slug="creuse")


@pytest.fixture
def admin(network):
    return f.network_admin(network)


def declare(client, network, **changes):
    data = {**GOOD, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("census:declare", args=[network.slug]), data)


def errors_of(response) -> dict:
    return response.context["form"].errors


def test_the_form_is_public_and_explains_what_is_published(client, network):
    response = client.get(reverse("census:declare", args=[network.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "jamais publiés" in page
    assert 'name="nickname"' in page and 'name="consent"' in page
    assert client.get(reverse("census:declare", args=["nowhere"])).status_code == 404


def test_a_declaration_waits_without_an_address_nor_coordinates(
    client, network, admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = declare(client, network)
    assert response.status_code == 302
    assert response["Location"] == reverse("census:declared", args=[network.slug])
    declaration = Declaration.objects.get()
    assert declaration.status == Declaration.Status.PENDING
    assert (declaration.name, declaration.postcode, declaration.commune) == (
        "La Grange Numérique",
        "23000",
        "Guéret",
    )
    assert declaration.latitude is None and declaration.longitude is None
    assert declaration.declarant_email == "camille@example.org"
    assert sorted(declaration.sheet["categories"]) == ["coworking", "fablab"]
    assert declaration.sheet["programme"] == ["Repair café", "Atelier vélo"]
    assert declaration.sheet["status"] == "project"
    assert declaration.language == "fr"
    # Nothing is published: no place exists yet.
    assert not Place.objects.exists()
    assert AuditEntry.objects.filter(action="declaration.submit").count() == 1
    sent = {m.to[0]: m for m in mailoutbox}
    assert set(sent) == {"camille@example.org", admin.email}
    subject = sent["camille@example.org"].subject
    assert subject == "Votre déclaration de «\u00a0La Grange Numérique\u00a0» est bien reçue"
    assert "Une nouvelle déclaration attend" in sent[admin.email].subject
    assert reverse("census:queue", args=[network.slug]) in sent[admin.email].body
    page = client.get(response["Location"]).content.decode()
    assert "camille@example.org" in page


def test_coordinates_and_an_address_are_kept(client, network):
    response = declare(
        client, network, address="2 rue de la Gare", latitude="46.1714", longitude="1.8717"
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert str(declaration.latitude) == "46.171400"
    assert declaration.sheet["latitude"] == "46.1714"
    assert declaration.sheet["address"] == "2 rue de la Gare"


def test_the_english_page_sends_english_mail(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("census:declare", args=[network.slug]),
            GOOD,
            HTTP_ACCEPT_LANGUAGE="en",
        )
    declaration = Declaration.objects.get()
    assert declaration.language == "en"
    (mail,) = [m for m in mailoutbox if m.to == ["camille@example.org"]]
    assert mail.subject == "Your declaration of “La Grange Numérique” is received"


def test_each_administrator_reads_the_notice_in_their_language(
    client, network, mailoutbox, django_capture_on_commit_callbacks
):
    french = f.network_admin(network)
    english = f.network_admin(network)
    english.language = "en"
    english.save()
    with django_capture_on_commit_callbacks(execute=True):
        declare(client, network)
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[english.email] == "A new declaration waits: La Grange Numérique"
    assert subjects[french.email] == "Une nouvelle déclaration attend\u00a0: La Grange Numérique"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Deux\nlignes"}, "name"),
        ({"commune": ""}, "commune"),
        ({"postcode": ""}, "postcode"),
        ({"postcode": "ABC"}, "postcode"),
        ({"status": "dreaming"}, "status"),
        ({"categories": ["spaceport"]}, "categories"),
        ({"declarant_email": "not an address"}, "declarant_email"),
        ({"declarant_name": ""}, "declarant_name"),
        ({"consent": None}, "consent"),
        ({"latitude": "95", "longitude": "2"}, "latitude"),
        ({"latitude": "north"}, "latitude"),
        ({"latitude": "48.85"}, "longitude"),
        (
            {"investment_public_share": "60", "investment_private_share": "60"},
            "investment_private_share",
        ),
        ({"nickname": "http://spam.example"}, "nickname"),
        ({"name": "x" * 201}, "name"),
        ({"name": "La\x00Grange"}, "name"),
        ({"latitude": "NaN", "longitude": "2"}, "latitude"),
        ({"latitude": "1e400", "longitude": "2"}, "latitude"),
        ({"latitude": "48.123456789", "longitude": "2"}, "latitude"),
        ({"opening_date": "2026-02-30"}, "opening_date"),
        ({"surface_m2": "-5"}, "surface_m2"),
        ({"declarant_role": "a" * 151}, "declarant_role"),
        ({"country": "XX"}, "country"),
        ({"website": "javascript:alert(1)"}, "website"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_stored(
    client, network, mailoutbox, changes, field
):
    response = declare(client, network, **changes)
    assert response.status_code == 422
    assert field in errors_of(response), errors_of(response)
    assert not Declaration.objects.exists()
    assert mailoutbox == []


def test_swapped_coordinates_suggest_the_swap(client, network):
    response = declare(client, network, latitude="1.8717", longitude="46.1714")
    assert response.status_code == 422
    (message,) = errors_of(response)["latitude"]
    assert "inversées" in message and "latitude 46,1714 et longitude 1,8717" in message
    assert not Declaration.objects.exists()


def test_a_point_in_the_atlantic_is_outside_france(client, network):
    response = declare(client, network, latitude="45", longitude="-30")
    assert response.status_code == 422
    (message,) = errors_of(response)["latitude"]
    assert "en dehors de France" in message
    # The same point is fine in Réunion, not in Belgium for a Belgian place.
    assert declare(client, network, latitude="-20.8789", longitude="55.4481").status_code == 302
    belgian = {"country": "BE", "postcode": "1000", "commune": "Bruxelles", "name": "Bxl"}
    response = declare(client, network, latitude="48.8566", longitude="2.3522", **belgian)
    assert "latitude" in errors_of(response)


def test_a_second_declaration_of_the_same_place_is_refused(client, network):
    assert declare(client, network).status_code == 302
    response = declare(
        client, network, name="la grange  numerique", declarant_email="autre@example.org"
    )
    assert response.status_code == 422
    (message,) = errors_of(response)["name"]
    assert "déjà déclaré" in message
    assert Declaration.objects.count() == 1
    # Another network may be told of the same place; a decided declaration frees the key.
    assert declare(client, f.network(), declarant_email="autre@example.org").status_code == 302
    Declaration.objects.filter(network=network).update(status="rejected")
    assert declare(client, network, declarant_email="trois@example.org").status_code == 302


def test_an_address_may_send_three_declarations_an_hour(client, network, clock):
    clock.set(date(2027, 3, 1))
    for n in range(3):
        assert declare(client, network, name=f"Lieu {n}").status_code == 302
    response = declare(client, network, name="Lieu 4")
    assert response.status_code == 429
    assert "declarant_email" in errors_of(response)
    assert Declaration.objects.count() == 3
    clock.advance(timedelta(minutes=61))
    assert declare(client, network, name="Lieu 4").status_code == 302
