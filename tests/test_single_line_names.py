"""Names and titles are one line: a line break, a tab or another control character is
refused with the field named (a line break in a place's name made its e-mails invalid)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tierslieux.core.validators import validate_single_line
from tierslieux.places.tests.api_support import API, bearer, patch


@pytest.mark.parametrize("text", ["La\nFabrique", "La\rFabrique", "La\tFabrique", "La\x07Fab"])
def test_control_characters_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert refused.value.code == "control_characters"


def test_one_line_with_accents_apostrophes_and_dashes_passes():
    validate_single_line("L’Établi – Café-atelier « Chez Ève »")


def test_the_sheet_refuses_a_place_name_on_two_lines_and_keeps_the_old_one(
    client, place, coordinator
):
    client.force_login(coordinator)
    page = client.get(f"/manage/{place.slug}/sheet/")
    form = page.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in ((n, form[n].value()) for n in form.fields)
        if not isinstance(value, list)
    }
    data.update({n: form[n].value() for n in form.fields if isinstance(form[n].value(), list)})
    data["name"] = "La Fabrique\nBcc: tous@example.org"
    response = client.post(f"/manage/{place.slug}/sheet/", data)
    assert response.status_code == 422
    assert "name" in response.context["form"].errors
    place.refresh_from_db()
    assert place.name == "La Fabrique"


def test_the_api_refuses_it_too(place, coordinator):
    response = patch(
        Client(), f"{API}/places/{place.slug}", {"name": "La\tFabrique"}, **bearer(coordinator)
    )
    assert response.status_code == 422
    assert "name" in response.content.decode()
    place.refresh_from_db()
    assert place.name == "La Fabrique"
