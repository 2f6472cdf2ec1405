"""A network's statistics count the places it lists from other networks in its census, never
in the figures of the places it runs: their activity is their own network's to aggregate."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tierslieux.observatory.statistics import Territory, network_statistics
from tierslieux.places import membership_services
from tierslieux.places.tests import factories as pf


def test_member_places_are_counted_in_the_census_not_in_the_figures(client: Any) -> None:
    home = pf.network(name="Métropole")
    regional = pf.network(name="Région")
    places = [pf.place(network=home, name=f"Lieu {n}") for n in range(3)]
    for place in places:
        pf.coordinator(place)  # each runs on tierslieux
    own = pf.place(network=regional, name="Lieu régional")
    admin = pf.network_admin(regional)
    for place in places:
        membership_services.add_to_network(actor=admin, network=regional, place=place)

    assert network_statistics(regional, Territory()).places == 4
    client.force_login(admin)
    regional_page = client.get(reverse("statistics:page", args=[regional.slug]))
    assert regional_page.status_code == 200
    assert regional_page.context["running"] == 0
    client.force_login(pf.network_admin(home))
    home_page = client.get(reverse("statistics:page", args=[home.slug]))
    assert home_page.context["running"] == 3
    assert own.network == regional
