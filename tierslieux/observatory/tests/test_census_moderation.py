"""The moderation of the census: the queue with each declaration's possible duplicates, and
its three decisions (accept, merge, decline), each recorded, audited, all-or-nothing, and
e-mailed to the declarant in their language; who may reach them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tierslieux.core.models import AuditEntry
from tierslieux.observatory import census_services, opendata_queries
from tierslieux.observatory.models import Declaration
from tierslieux.observatory.tests.conftest import GUERET
from tierslieux.places.models import NetworkMembership, Place
from tierslieux.places.tests import factories as f

Status = Declaration.Status
SHEET = {
    "name": "Fab Lab de Gueret",
    "status": "open",
    "postcode": "23000",
    "commune": "Guéret",
    "country": "FR",
    "location_type": "city_centre",
    "legal_form": "association",
    "description": "Imprimantes 3D et découpe laser.",
    "website": "https://fablab-gueret.example.org",
    "surface_m2": 180,
    # 120 m north of the existing fab lab.
    "latitude": Decimal("46.172479"),
    "longitude": Decimal("1.871700"),
}


@pytest.fixture
def network():
    return f.network(name="Creuse", slug="creuse")


@pytest.fixture
def admin(network):
    return f.network_admin(network)


@pytest.fixture
def fablab(network):
    return f.place(
        network=network,
        name="Le Fablab de Guéret",
        slug="fablab-gueret",
        commune="Guéret",
        postcode="23000",
        latitude=Decimal(str(GUERET[0])),
        longitude=Decimal(str(GUERET[1])),
        description="",
        surface_m2=None,
        categories=("fablab",),
    )


def declared(network, language="fr", **changes) -> Declaration:
    sheet = {**SHEET, **changes}
    return census_services.declare(
        network=network,
        sheet=sheet,
        categories=["fablab", "coworking"],
        declarant_name="Camille Martin",
        declarant_email="camille@example.org",
        language=language,
    )


def url(name: str, declaration: Declaration, *more) -> str:
    return reverse(f"census:{name}", args=[declaration.network.slug, declaration.pk, *more])


def geojson_names(client, network) -> set[str]:
    data = client.get("/map/places.geojson", {"network": network.slug}).json()
    return {feature["properties"]["name"] for feature in data["features"]}


def test_the_queue_shows_each_declaration_with_its_duplicates_and_reasons(
    client, network, admin, fablab
):
    other_network_place = f.place(name="Fablab Guéret", commune="Guéret", postcode="23000")
    declaration = declared(network)
    twin = declared(network, name="Le FabLab Guéret Centre", latitude=None, longitude=None)
    far = declared(
        network,
        name="Cœur de Bourg",
        commune="Aubusson",
        postcode="23200",
        latitude=None,
        longitude=None,
    )
    client.force_login(admin)
    response = client.get(reverse("census:queue", args=[network.slug]))
    assert response.status_code == 200
    pending = dict(response.context["pending"])
    assert list(pending) == [declaration, twin, far]
    found = {(d.place or d.declaration).name: d for d in pending[declaration]}
    assert set(found) == {fablab.name, other_network_place.name, twin.name}
    assert found[fablab.name].in_network and not found[other_network_place.name].in_network
    assert found[fablab.name].reasons == ["même nom", "même commune", "à 120\u00a0m"]
    assert "nom proche" in " ".join(found[twin.name].reasons)
    assert pending[far] == []
    page = response.content.decode()
    assert url("merge", declaration, fablab.pk) in page
    assert url("merge", declaration, other_network_place.pk) in page
    # The network's page counts what waits.
    places_page = client.get(reverse("places:network_places", args=[network.slug]))
    assert "3 déclarations attendent" in places_page.content.decode()


def test_accepting_creates_the_place_published_on_the_map(
    client, network, admin, mailoutbox, django_capture_on_commit_callbacks
):
    declaration = declared(network, language="en")
    assert not opendata_queries.published(network).exists()
    assert geojson_names(client, network) == set()
    client.force_login(admin)
    form = client.get(url("accept", declaration))
    assert form.status_code == 200
    assert form.context["form"].initial["slug"] == "fab-lab-de-gueret"
    data = {k: str(v) for k, v in SHEET.items()}
    data.update(slug="fablab-de-gueret", name="Fablab de Guéret", categories=["fablab"])
    data["timezone"] = "Europe/Paris"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("accept", declaration), data)
    assert response.status_code == 302, response.context["form"].errors
    place = Place.objects.get(slug="fablab-de-gueret")
    assert place.name == "Fablab de Guéret" and place.network == network
    assert list(place.categories.values_list("code", flat=True)) == ["fablab"]
    assert place.surface_m2 == 180
    membership = NetworkMembership.objects.get(place=place)
    assert (membership.network, membership.source) == (network, "declaration")
    declaration.refresh_from_db()
    assert declaration.status == Status.ACCEPTED and declaration.place == place
    assert declaration.decided_by == admin.person and declaration.decided_at is not None
    assert AuditEntry.objects.filter(action="declaration.accept").count() == 1
    assert list(opendata_queries.published(network)) == [place]
    assert geojson_names(client, network) == {"Fablab de Guéret"}
    (mail,) = [m for m in mailoutbox if m.to == ["camille@example.org"]]
    assert mail.subject == "“Fab Lab de Gueret” is on the map"
    assert place.get_absolute_url() in mail.body
    # Decided: nothing left to decide.
    assert client.post(url("accept", declaration), data).status_code == 404


def test_accepting_without_changes_keeps_the_declared_sheet(client, network, admin):
    reunion = declared(
        network,
        name="Kaz Numérik",
        postcode="97400",
        commune="Saint-Denis",
        latitude=None,
        longitude=None,
    )
    assert census_services.accept(actor=admin, declaration=reunion).timezone == "Indian/Reunion"
    declaration = declared(network, latitude=None, longitude=None)
    place = census_services.accept(actor=admin, declaration=declaration)
    assert place.slug == "fab-lab-de-gueret" and place.description == SHEET["description"]
    assert set(place.categories.values_list("code", flat=True)) == {"fablab", "coworking"}


def test_a_refused_acceptance_leaves_the_declaration_waiting(
    client, network, admin, fablab, mailoutbox
):
    declaration = declared(network)
    client.force_login(admin)
    data = {k: str(v) for k, v in SHEET.items()}
    data.update(slug=fablab.slug, timezone="Europe/Paris")
    page = client.get(url("accept", declaration))
    assert [d.place for d in page.context["duplicates"]] == [fablab]
    assert url("merge", declaration, fablab.pk) in page.content.decode()
    response = client.post(url("accept", declaration), data)
    assert response.status_code == 422
    assert "slug" in response.context["form"].errors
    swapped = {**data, "slug": "autre", "latitude": "1.8717", "longitude": "46.1714"}
    response = client.post(url("accept", declaration), swapped)
    assert response.status_code == 422 and "latitude" in response.context["form"].errors
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING and declaration.place is None
    assert Place.objects.count() == 1
    assert not AuditEntry.objects.filter(action="declaration.accept").exists()


def test_merging_writes_the_chosen_fields_and_unites_the_categories(
    client, network, admin, fablab, django_capture_on_commit_callbacks, mailoutbox
):
    declaration = declared(network)
    client.force_login(admin)
    page = client.get(url("merge", declaration, fablab.pk))
    assert page.status_code == 200
    rows = {row["name"]: row for row in page.context["rows"]}
    assert {"name", "description", "surface_m2", "website", "latitude"} <= set(rows)
    # The place's empty fields are ticked first, its own values are not.
    assert set(page.context["form"].initial["take"]) == {"description", "surface_m2", "website"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("merge", declaration, fablab.pk), {"take": ["description", "surface_m2"]}
        )
    assert response.status_code == 302
    fablab.refresh_from_db()
    assert fablab.description == SHEET["description"] and fablab.surface_m2 == 180
    assert fablab.name == "Le Fablab de Guéret" and fablab.website == ""
    assert fablab.latitude == Decimal(str(GUERET[0]))
    assert set(fablab.categories.values_list("code", flat=True)) == {"fablab", "coworking"}
    declaration.refresh_from_db()
    assert declaration.status == Status.MERGED and declaration.place == fablab
    assert declaration.decided_by == admin.person
    entry = AuditEntry.objects.get(action="declaration.merge")
    assert entry.changes["fields"] == ["description", "surface_m2"]
    (mail,) = [m for m in mailoutbox if m.to == ["camille@example.org"]]
    assert "Le Fablab de Guéret" in mail.body


def test_merging_into_another_networks_place_only_adds_it_to_the_census(client, network, admin):
    foreign = f.place(name="Fablab Guéret", commune="Guéret", postcode="23000", description="")
    declaration = declared(network)
    client.force_login(admin)
    page = client.get(url("merge", declaration, foreign.pk))
    assert page.status_code == 200 and not page.context["writes"]
    assert "géré par le réseau" in page.content.decode()
    # Its sheet is its own team's: a field asked for anyway is refused, nothing changes.
    refused = client.post(url("merge", declaration, foreign.pk), {"take": ["description"]})
    assert refused.status_code == 422
    assert not NetworkMembership.objects.filter(network=network, place=foreign).exists()
    assert client.post(url("merge", declaration, foreign.pk), {}).status_code == 302
    membership = NetworkMembership.objects.get(network=network, place=foreign)
    assert membership.source == "declaration"
    foreign.refresh_from_db()
    assert foreign.description == "" and foreign.network != network
    assert foreign in opendata_queries.published(network)
    assert Declaration.objects.get(pk=declaration.pk).status == Status.MERGED


def test_declining_needs_a_reason_and_sends_it(
    client, network, admin, django_capture_on_commit_callbacks, mailoutbox
):
    declaration = declared(network)
    client.force_login(admin)
    assert client.get(url("decline", declaration)).status_code == 200
    response = client.post(url("decline", declaration), {"reason": "  "})
    assert response.status_code == 422 and "reason" in response.context["form"].errors
    assert Declaration.objects.get(pk=declaration.pk).status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("decline", declaration), {"reason": "Ce lieu a fermé en 2024."})
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert (
        declaration.status == Status.REJECTED and declaration.reason == "Ce lieu a fermé en 2024."
    )
    assert not Place.objects.exists()
    (mail,) = [m for m in mailoutbox if m.to == ["camille@example.org"]]
    assert "Ce lieu a fermé en 2024." in mail.body
    assert mail.subject.startswith("Votre déclaration de")
    # The decision is listed under the queue.
    page = client.get(reverse("census:queue", args=[network.slug]))
    assert page.context["decided"] == [declaration]
    assert "Ce lieu a fermé en 2024." in page.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "observer", "other_admin", "coordinator"])
def test_only_the_networks_administrators_moderate(client, network, fablab, persona):
    declaration = declared(network)
    users = {
        "observer": lambda: f.network_observer(network),
        "other_admin": lambda: f.network_admin(f.network()),
        "coordinator": lambda: f.coordinator(fablab),
    }
    if persona != "anonymous":
        client.force_login(users[persona]())
    urls = [
        reverse("census:queue", args=[network.slug]),
        url("accept", declaration),
        url("merge", declaration, fablab.pk),
        url("decline", declaration),
    ]
    data = {"reason": "non", "take": ["description"], **{k: str(v) for k, v in SHEET.items()}}
    for address in urls:
        for response in (client.get(address), client.post(address, data)):
            if persona == "anonymous":
                assert response.status_code == 302
                assert response["Location"].startswith("/accounts/login/")
            else:
                # 405: the queue is read only (never reaches a write).
                assert response.status_code in (403, 404, 405), (persona, address)
    declaration.refresh_from_db()
    assert declaration.status == Status.PENDING
    assert Place.objects.count() == 1
    assert not NetworkMembership.objects.filter(source="declaration").exists()


def test_an_administrator_reaches_no_other_networks_declaration(client, network, admin):
    elsewhere = declared(f.network(slug="ailleurs"))
    client.force_login(admin)
    for name in ("accept", "decline"):
        address = reverse(f"census:{name}", args=[network.slug, elsewhere.pk])
        assert client.get(address).status_code == 404
        assert client.post(address, {"reason": "non"}).status_code == 404
    assert Declaration.objects.get(pk=elsewhere.pk).status == Status.PENDING
