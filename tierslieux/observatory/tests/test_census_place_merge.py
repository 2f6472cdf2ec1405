"""Duplicates among the network's own places (two imports of one place) and their merge: a
census-only place goes into the kept one with the values chosen, its categories, networks,
external ids and declarations, then is deleted; a place that runs on tierslieux never is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tierslieux.core.models import AuditEntry
from tierslieux.observatory import census_queries, census_services
from tierslieux.observatory.models import Declaration
from tierslieux.observatory.tests.conftest import GUERET
from tierslieux.places.models import ExternalId, NetworkMembership, Place
from tierslieux.places.tests import factories as f


@pytest.fixture
def network():
    return f.network(name="Creuse", slug="creuse")


@pytest.fixture
def admin(network):
    return f.network_admin(network)


@pytest.fixture
def pair(network):
    kept = f.place(
        network=network,
        name="Le Fablab de Guéret",
        commune="Guéret",
        postcode="23000",
        latitude=Decimal(str(GUERET[0])),
        longitude=Decimal(str(GUERET[1])),
        description="",
        categories=("fablab",),
    )
    imported = f.place(
        network=network,
        name="FabLab Gueret",
        commune="Guéret",
        postcode="23000",
        description="Importé du recensement national.",
        website="https://fablab.example.org",
        surface_m2=90,
        categories=("coworking",),
    )
    return kept, imported


def url(network, merged, kept) -> str:
    return reverse("census:merge_places", args=[network.slug, merged.pk, kept.pk])


def test_the_network_s_places_are_paired_when_they_look_alike(client, network, admin, pair):
    kept, imported = pair
    f.place(network=network, name="Cœur de Bourg", commune="Aubusson", postcode="23200")
    f.place(network=network, name="Le Fablab de Guéret", commune="Arles", postcode="13200")
    # Another network's place counted by this one is compared too.
    member = f.place(name="Fablab de Gueret", commune="Guéret", postcode="23000")
    NetworkMembership.objects.create(network=network, place=member, source="import")
    found = {
        frozenset({p.first.name, p.second.name}): p for p in census_queries.place_pairs(network)
    }
    assert set(found) == {
        frozenset({kept.name, imported.name}),
        frozenset({kept.name, member.name}),
        frozenset({imported.name, member.name}),
    }
    assert found[frozenset({kept.name, imported.name})].reasons == ["même nom", "même commune"]
    client.force_login(admin)
    page = client.get(reverse("census:duplicates", args=[network.slug]))
    assert page.status_code == 200
    assert url(network, imported, kept) in page.content.decode()


def test_merging_a_census_only_place_moves_everything_to_the_kept_one(client, network, admin, pair):
    kept, imported = pair
    regional = f.network(slug="region")
    NetworkMembership.objects.create(network=regional, place=imported, source="import")
    ExternalId.objects.create(place=imported, scheme="bdtfl", value="TL-23-001")
    ExternalId.objects.create(place=imported, scheme="movilab", value="https://movilab.org/a")
    ExternalId.objects.create(place=kept, scheme="movilab", value="https://movilab.org/b")
    declaration = Declaration.objects.create(
        network=network,
        name="FabLab Gueret",
        postcode="23000",
        commune="Guéret",
        match_key="x",
        declarant_name="Camille",
        declarant_email="camille@example.org",
        status="accepted",
        decided_at=kept.updated_at,
        place=imported,
    )
    client.force_login(admin)
    page = client.get(url(network, imported, kept))
    assert page.status_code == 200 and not page.context["blocking"]
    assert set(page.context["form"].initial["take"]) == {"description", "website"}
    response = client.post(url(network, imported, kept), {"take": ["description", "surface_m2"]})
    assert response.status_code == 302
    assert not Place.objects.filter(pk=imported.pk).exists()
    kept.refresh_from_db()
    assert kept.description == "Importé du recensement national." and kept.surface_m2 == 90
    assert kept.website == "" and kept.name == "Le Fablab de Guéret"
    assert set(kept.categories.values_list("code", flat=True)) == {"fablab", "coworking"}
    assert NetworkMembership.objects.filter(network=regional, place=kept).exists()
    ids = dict(ExternalId.objects.filter(place=kept).values_list("scheme", "value"))
    assert ids == {"bdtfl": "TL-23-001", "movilab": "https://movilab.org/b"}
    declaration.refresh_from_db()
    assert declaration.place == kept
    entry = AuditEntry.objects.get(action="place.merge")
    assert entry.changes["merged"] == imported.pk
    assert entry.changes["dropped_ids"] == {"movilab": "https://movilab.org/a"}


@pytest.mark.parametrize("runs", ["space", "role"])
def test_a_place_that_runs_on_tierslieux_is_never_merged_away(client, network, admin, pair, runs):
    kept, imported = pair
    if runs == "space":
        f.space(imported)
    else:
        f.coordinator(imported)
    client.force_login(admin)
    page = client.get(url(network, imported, kept))
    assert page.context["blocking"]
    assert "Fusionnez dans l’autre sens" in page.content.decode()
    response = client.post(url(network, imported, kept), {"take": ["description"]})
    assert response.status_code == 422
    assert Place.objects.filter(pk=imported.pk).exists()
    kept.refresh_from_db()
    assert kept.description == ""
    with pytest.raises(ValidationError) as refused:
        census_services.merge_places(actor=admin, network=network, merged=imported, kept=kept)
    assert refused.value.code == "runs_here"
    assert not AuditEntry.objects.filter(action="place.merge").exists()


def test_into_another_network_s_place_only_the_census_moves(client, network, admin, pair):
    _kept, imported = pair
    foreign = f.place(name="Fablab de Gueret", commune="Guéret", postcode="23000")
    NetworkMembership.objects.create(network=network, place=foreign, source="import")
    client.force_login(admin)
    page = client.get(url(network, imported, foreign))
    assert not page.context["writes"] and page.context["rows"] == []
    assert client.post(url(network, imported, foreign), {"take": ["website"]}).status_code == 422
    assert client.post(url(network, imported, foreign), {}).status_code == 302
    foreign.refresh_from_db()
    assert foreign.website == "" and foreign.network != network
    assert not Place.objects.filter(pk=imported.pk).exists()
    # Another network's place is never merged away by this one.
    assert client.post(url(network, foreign, _kept), {}).status_code == 403
    assert Place.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("persona", ["observer", "other_admin", "coordinator"])
def test_only_the_networks_administrators_merge_places(client, network, pair, persona):
    kept, imported = pair
    users = {
        "observer": lambda: f.network_observer(network),
        "other_admin": lambda: f.network_admin(f.network()),
        "coordinator": lambda: f.coordinator(imported),
    }
    client.force_login(users[persona]())
    for address in (
        reverse("census:duplicates", args=[network.slug]),
        url(network, imported, kept),
    ):
        assert client.get(address).status_code in (403, 404)
        assert client.post(address, {}).status_code in (403, 404, 405)
    assert Place.objects.filter(pk=imported.pk).exists()
