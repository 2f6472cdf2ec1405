"""Places at known points, shared by the map's and the GeoJSON's tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from tierslieux.places.models import Place
from tierslieux.places.tests import factories as f

GUERET = (46.1714, 1.8717)
AUBUSSON = (45.9560, 2.1680)
ARLES = (43.6768, 4.6303)


def located(lat_lon: tuple[float, float] | None, **fields: Any) -> Place:
    if lat_lon is not None:
        fields["latitude"], fields["longitude"] = (Decimal(str(v)) for v in lat_lon)
    return f.place(**fields)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The GeoJSON kept by an earlier test (ids and times repeat across tests) is forgotten."""
    cache.clear()


@pytest.fixture
def places() -> dict[str, Place]:
    network = f.network(name="Creuse", slug="creuse")
    return {
        "fablab": located(
            GUERET,
            name="Le Fablab de Guéret",
            commune="Guéret",
            postcode="23000",
            network=network,
            categories=("fablab", "coworking"),
        ),
        "coeur": located(
            AUBUSSON,
            name="Cœur de Bourg",
            commune="Aubusson",
            postcode="23200",
            network=network,
            location_type=Place.LocationType.RURAL,
            categories=("coworking",),
        ),
        "terra": located(
            ARLES,
            name="TerraLab",
            commune="Arles",
            postcode="13200",
            status=Place.Status.PROJECT,
            categories=("cultural_cafe",),
        ),
        "unlocated": located(
            None,
            name="Atelier sans adresse",
            commune="Limoges",
            postcode="87000",
            categories=("fablab",),
        ),
    }
