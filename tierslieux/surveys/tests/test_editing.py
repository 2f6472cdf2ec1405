"""The editor's operations on a questionnaire's JSON form (`surveys.editing`): keys made once
from labels, unique and never reused; choices typed one per line keep their keys."""

from __future__ import annotations

import copy

import pytest

from tierslieux.surveys import editing, questionnaire
from tierslieux.surveys.tests.factories import DEFINITION

pytestmark = pytest.mark.pure


def test_keys_come_from_labels_unique_and_valid() -> None:
    assert editing.new_key("Comment venez-vous ?", set()) == "comment_venez_vous"
    assert editing.new_key("Comment venez-vous ?", {"comment_venez_vous"}) == "comment_venez_vous_2"
    assert editing.new_key("2 roues", set()) == "q_2_roues"
    assert editing.new_key("« ? »", set()) == "q"
    assert editing.new_key("Autre", set(), prefix="c") == "autre"
    assert editing.new_key("Other", set(), prefix="c") == "other_2"  # "other" is the open choice
    assert editing.new_key("New", set()) == "new_2"  # the editor's own URL
    long = editing.new_key("x" * 300, set())
    assert questionnaire.KEY.match(long) and len(long) <= 30


def test_choices_typed_again_keep_their_keys() -> None:
    existing = [{"key": "car", "label": "Voiture"}, {"key": "bike", "label": "Vélo"}]
    again = editing.choices_from_lines(["Voiture électrique", "Vélo", "Train"], existing)
    # "Voiture électrique" replaces "Voiture" in place: renamed, same key; "Vélo" kept.
    assert again == [
        {"key": "car", "label": "Voiture électrique"},
        {"key": "bike", "label": "Vélo"},
        {"key": "train", "label": "Train"},
    ]
    moved = editing.choices_from_lines(["Vélo", "Voiture électrique"], existing)
    assert moved[1] == {"key": "voiture_electrique", "label": "Voiture électrique"}
    # A key an earlier version gave is not given again to another choice.
    fresh = editing.choices_from_lines(["Bus"], [], taken={"bus"})
    assert fresh == [{"key": "bus_2", "label": "Bus"}]


def test_operations_leave_their_argument_alone_and_stay_parseable() -> None:
    original = copy.deepcopy(DEFINITION)
    data = editing.add_section(DEFINITION, "Vos besoins", "", taken={"vos_besoins"})
    data, key = editing.add_question(
        data, "vos_besoins_2", {"kind": "text", "label": "Pourquoi ?"}, taken=set()
    )
    assert key == "pourquoi"
    data = editing.move_question(data, key, -1)  # past its section's top: the section before
    section, _question = editing.find_question(data, key)
    assert section["key"] == "trip" and section["questions"][-1]["key"] == key
    data = editing.move_section(data, "vos_besoins_2", -1)
    assert [s["key"] for s in data["sections"]] == ["vos_besoins_2", "trip"]
    assert editing.move_section(data, "vos_besoins_2", -1) == data  # already first
    assert editing.conditioned_on(data, "mode") == ["Distance aller (km)"]
    questionnaire.parse(data)
    assert original == DEFINITION
    with pytest.raises(editing.NotFound):
        editing.remove_question(data, "ghost")
