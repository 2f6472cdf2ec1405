"""Frozen figures come back as they were: Decimals exact, nested mixes, reasons translated."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.utils import translation

from tierslieux.impact.figures import freeze, thaw
from tierslieux.impact.indicator_defs import Value, missing

pytestmark = pytest.mark.pure


def test_values_survive_json_exactly() -> None:
    values = {
        "members": Value(42),
        "occupancy": Value(Decimal("63.4"), basis=2_400),
        "revenue_mix": Value({"spaces": {"amount": Decimal("1200.50"), "share": Decimal("48.0")}}),
        "modal_split": Value({"car": Decimal("40.0"), "bike": Decimal("60.0")}, basis=12),
        "volunteer_hours": missing("Not recorded: nobody records volunteers' hours."),
    }
    back = thaw(json.loads(json.dumps(freeze(values))))
    assert back["members"] == Value(42)
    assert back["occupancy"] == Value(Decimal("63.4"), basis=2_400)
    assert back["revenue_mix"].amount["spaces"]["amount"] == Decimal("1200.50")
    assert back["modal_split"].amount == {"car": Decimal("40.0"), "bike": Decimal("60.0")}
    assert not back["volunteer_hours"].recorded


def test_reasons_are_stored_in_english_and_read_in_the_readers_language() -> None:
    with translation.override("fr"):
        frozen = freeze(
            {"footfall": missing(translation.gettext_lazy("No day counted in the period."))}
        )
        assert frozen["footfall"]["reason"] == "No day counted in the period."
        assert thaw(frozen)["footfall"].reason == translation.gettext(
            "No day counted in the period."
        )
        assert thaw(frozen)["footfall"].reason != "No day counted in the period."
