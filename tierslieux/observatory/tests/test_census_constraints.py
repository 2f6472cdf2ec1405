"""The database backs the census's rules whatever code writes: one pending declaration per
network and place, a pending declaration undecided, and two declarations sent at the same
moment (both past the service's check) answered with the same refusal, nothing stored twice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tierslieux.core import clock
from tierslieux.observatory import census_services
from tierslieux.observatory.models import Declaration
from tierslieux.places.tests import factories as f

SHEET = {
    "name": "La Grange",
    "status": "project",
    "postcode": "23000",
    "commune": "Guéret",
    "country": "FR",
    "location_type": "rural",
    "legal_form": "association",
}


def row(network, **fields) -> Declaration:
    fields = {
        "network": network,
        "name": "La Grange",
        "postcode": "23000",
        "commune": "Guéret",
        "match_key": "grange|23000",
        "declarant_name": "Camille",
        "declarant_email": "camille@example.org",
        **fields,
    }
    return Declaration.objects.create(**fields)


def test_one_pending_declaration_per_network_and_place():
    network = f.network()
    row(network)
    with pytest.raises(IntegrityError), transaction.atomic():
        row(network)
    # Decided declarations of the same place, and other networks, are free.
    row(network, status="rejected", decided_at=clock.now())
    row(f.network())
    assert Declaration.objects.count() == 3


def test_a_pending_declaration_has_no_decision_nor_place():
    network = f.network()
    with pytest.raises(IntegrityError), transaction.atomic():
        row(network, decided_at=clock.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        row(network, status="forgotten")


def test_a_race_past_the_services_check_is_refused_by_the_index(monkeypatch):
    network = f.network()
    declare = {
        "network": network,
        "sheet": SHEET,
        "categories": ["fablab"],
        "declarant_name": "Camille",
        "declarant_email": "camille@example.org",
    }
    census_services.declare(**declare)
    # The other request read "nothing pending" before the first committed.
    monkeypatch.setattr(
        census_services.Declaration.objects, "filter", lambda **kw: Declaration.objects.none()
    )
    with pytest.raises(ValidationError) as refused:
        census_services.declare(**{**declare, "declarant_email": "autre@example.org"})
    assert refused.value.code == "duplicate"
    monkeypatch.undo()
    assert Declaration.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": "north", "longitude": "2"}, "latitude"),
        ({"postcode": "ABC"}, "postcode"),
        ({"status": "dreaming"}, "status"),
        ({"slug": "mine"}, "__all__"),
    ],
)
def test_the_service_checks_the_sheet_whoever_calls(changes, field):
    """The form is not the only caller: the service refuses what the place's model refuses."""
    network = f.network()
    with pytest.raises(ValidationError) as refused:
        census_services.declare(
            network=network,
            sheet={**SHEET, **changes},
            categories=["fablab"],
            declarant_name="Camille",
            declarant_email="camille@example.org",
        )
    error = refused.value
    assert field in error.message_dict if hasattr(error, "error_dict") else field == "__all__"
    with pytest.raises(ValidationError):
        census_services.declare(
            network=network,
            sheet=SHEET,
            categories=["spaceport"],
            declarant_name="Camille",
            declarant_email="camille@example.org",
        )
    assert not Declaration.objects.exists()
