"""Absurd input never crashes the census's pages: every field of the declaration and of the
moderation's forms gets values no person should type (a number beyond any float, thirty
nines and their negative, -1, the years 1 and 9999, a control character), one at a time;
every answer is a page with a message or a redirection, never a 500."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from tierslieux.observatory import census_services
from tierslieux.observatory.forms_census import AcceptForm, DeclarationForm
from tierslieux.observatory.models import Declaration
from tierslieux.observatory.tests.test_census_declare import GOOD
from tierslieux.places.tests import factories as f

ABSURD = ["1e309", "9" * 30, "-" + "9" * 30, "-1", "0001-01-01", "9999-12-31", "a\x00b"]
NUMBERS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def absurd(field: forms.Field) -> list[str]:
    """The values that may trouble this kind of field (every one of them for numbers)."""
    if isinstance(field, NUMBERS):
        return ABSURD
    if isinstance(field, forms.DateField):
        return ["0001-01-01", "9999-12-31", "9" * 30, "a\x00b"]
    return ["a\x00b"]  # text: the control character (lengths are the forms' own checks)


SHEET = {k: v for k, v in GOOD.items() if k in census_services.SHEET_FIELDS}


@pytest.fixture
def network():
    return f.network(slug="creuse")


@pytest.fixture(autouse=True)
def _no_context_copies(monkeypatch):
    """These walks read status codes only: the test client's copy of every template context
    (for `response.context`) would be most of their time."""
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **k: None)


def pending(network, n: int) -> Declaration:
    return census_services.declare(
        network=network,
        sheet={**SHEET, "name": f"Lieu {n}"},
        categories=["fablab"],
        declarant_name="Camille",
        declarant_email=f"camille{n}@example.org",
    )


def test_the_declaration_form(client, network):
    address = reverse("census:declare", args=[network.slug])
    for n, (name, field) in enumerate(DeclarationForm.base_fields.items()):
        for value in absurd(field):
            data = {**GOOD, name: value, "declarant_email": f"v{n}@example.org"}
            response = client.post(address, data)
            assert response.status_code in (302, 422, 429), (name, value)
    assert client.post(address, {}).status_code == 422


def test_the_moderation_forms(client, network):
    admin = f.network_admin(network)
    place = f.place(network=network)
    client.force_login(admin)
    counter = iter(range(10_000))
    declaration = pending(network, next(counter))
    data = {**SHEET, "timezone": "Europe/Paris", "slug": ""}
    for name, field in AcceptForm.base_fields.items():
        for value in absurd(field):
            response = client.post(
                reverse("census:accept", args=[network.slug, declaration.pk]),
                {**data, name: value},
            )
            assert response.status_code in (302, 422), (name, value)
            if response.status_code == 302:
                declaration = pending(network, next(counter))
    for value in ABSURD:
        for action, payload in (("decline", {"reason": value}), ("merge", {"take": value})):
            args = [network.slug, declaration.pk] + ([place.pk] if action == "merge" else [])
            response = client.post(reverse(f"census:{action}", args=args), payload)
            assert response.status_code in (302, 422), (action, value)
            if response.status_code == 302:
                declaration = pending(network, next(counter))
        other = f.place(network=network)
        response = client.post(
            reverse("census:merge_places", args=[network.slug, other.pk, place.pk]),
            {"take": value},
        )
        assert response.status_code == 422, value
