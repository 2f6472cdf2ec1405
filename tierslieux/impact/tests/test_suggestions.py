"""The suggestion rules, each with hand-made values: never "yes" without a figure meeting its
threshold, "no" only when figures were recorded and no evidence backs the impact, "not
observed" otherwise, with sentences that say the figure and its threshold."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from tierslieux.impact import framework_defaults, suggestions
from tierslieux.impact.impact_indicators import indicators_of
from tierslieux.impact.indicator_defs import BY_KEY, Value, missing
from tierslieux.impact.suggestions import NO, NOT_OBSERVED, YES, sentences, suggest

pytestmark = pytest.mark.pure

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def test_every_rule_reads_an_indicator_of_its_impact():
    for impact in framework_defaults.IMPACTS:
        rules = suggestions.rules_of(impact.key)
        assert rules, impact.key
        for rule in rules:
            assert rule.indicator in indicators_of(impact.key), (impact.key, rule.indicator)
            assert BY_KEY[rule.indicator].recorded  # a threshold nobody can meet is noise
            assert rule.measure in ("", *suggestions.MEASURES)


def test_yes_needs_a_figure_meeting_its_threshold():
    values = {"peer_learning_sessions": Value(6), "training_hours": Value(D("12.0"))}
    found = suggest("peer_learning", values, 0)
    assert found.verdict == YES
    assert "Dates d’apprentissage entre pairs tenues\u00a0: 6, seuil atteint (au moins 6)." in (
        found.reasons
    )
    assert "Heures de formation reçues\u00a0: 12, seuil non atteint (au moins 20)." in found.reasons
    # One hour more of training is enough, whatever the other figure.
    values = {"peer_learning_sessions": Value(0), "training_hours": Value(D("20.0"))}
    assert suggest("peer_learning", values, 0).verdict == YES


def test_below_every_threshold_without_evidence_is_no():
    values = {"peer_learning_sessions": Value(5), "training_hours": missing("pas de formation")}
    found = suggest("peer_learning", values, 0)
    assert found.verdict == NO
    assert "Heures de formation reçues\u00a0: non renseigné." in found.reasons
    assert found.reasons[-1] == "Aucun témoignage ni récit de l’année ne l’étaye."


def test_evidence_without_a_figure_is_not_observed_and_says_the_figures_do_not_show_it():
    values = {"peer_learning_sessions": Value(1)}
    found = suggest("peer_learning", values, 2)
    assert found.verdict == NOT_OBSERVED
    assert "Les chiffres ne le montrent pas" in found.reasons[0]
    assert found.reasons[-1] == "2 témoignages ou récits de l’année l’étayent."
    # Evidence and nothing recorded at all: not observed too.
    assert suggest("peer_learning", {}, 1).verdict == NOT_OBSERVED


def test_nothing_recorded_and_no_evidence_is_not_observed():
    values = {k: missing("rien") for k in indicators_of("peer_learning")}
    found = suggest("peer_learning", values, 0)
    assert found.verdict == NOT_OBSERVED
    assert found.reasons[0].startswith("Rien de ce qui est enregistré")


def test_an_impact_a_network_added_rests_on_evidence_only():
    found = suggest("local_food", {"events_held": Value(100)}, 5)
    assert found.verdict == NOT_OBSERVED
    assert "aucun indicateur" in found.reasons[0]
    assert suggest("local_food", {}, 0).verdict == NOT_OBSERVED


def test_at_most_rules_and_measures_of_dict_figures():
    # CO₂: lower is better.
    assert suggest("ecological_transition", {"commute_co2": Value(D("300"))}, 0).verdict == YES
    found = suggest("ecological_transition", {"commute_co2": Value(D("613.6"))}, 0)
    assert found.verdict == NO
    assert any("613,6" in r and "au plus 300" in r for r in found.reasons)
    # Modal split: bus 10 + bike 20 + walk 20 = 50 % without a car.
    split = {"car": D("40.0"), "carpool": D("10.0"), "bus": D("10.0"), "bike": D("20.0"),
             "walk": D("20.0"), "tram": D("0.0")}  # fmt: skip
    found = suggest("ecological_transition", {"modal_split": Value(split, basis=4)}, 0)
    assert found.verdict == YES
    assert any(f"50{NBSP}%" in r for r in found.reasons)
    # Audiences: only those with an event held count.
    audiences = {
        "children": {"events": 1, "participants": 3},
        "families": {"events": 2, "participants": 0},
        "seniors": {"events": 0, "participants": 0},
    }
    found = suggest("breaking_silos", {"audiences": Value(audiences)}, 0)
    assert found.verdict == NO
    assert "Publics touchés par au moins un événement tenu\u00a0: 2" in " ".join(found.reasons)
    audiences["seniors"]["events"] = 1
    assert suggest("breaking_silos", {"audiences": Value(audiences)}, 0).verdict == YES


def test_percent_and_money_figures_are_formatted():
    found = suggest("breaking_silos", {"solidarity_offer_share": Value(D("33.3"))}, 0)
    assert f"33,3{NBSP}%, seuil atteint (au moins 25{NBSP}%)" in " ".join(found.reasons)


def test_english_sentences_whatever_the_language_they_were_computed_in():
    found = suggest("unlikely_connections", {"links": Value(3)}, 1)  # computed in French
    assert found.verdict == YES
    with translation.override("en"):
        assert "Links between organisations: 3, threshold met (at least 3)." in found.reasons
        assert found.reasons[-1] == "1 testimony or story recorded this year backs it."
    # The notes are data: the rule as it stood, the figure; no sentence in any language.
    assert found.notes[1] == {
        "say": "figure_met", "indicator": "links", "measure": "", "threshold": "3",
        "at_most": False, "figure": "3",
    }  # fmt: skip


def test_sentences_stored_before_the_notes_read_as_they_were_and_nonsense_reads_nothing():
    old = ["Au moins un chiffre de l’année atteint son seuil.", {"say": "evidence", "count": 2}]
    assert sentences(old) == [old[0], "2 témoignages ou récits de l’année l’étayent."]
    assert sentences([{"say": "?"}, 3, None]) == [] and sentences("text") == []
    # A figure whose indicator has gone since reads with its key rather than failing.
    gone = {"say": "figure_below", "indicator": "retired", "threshold": "5", "figure": "2"}
    assert sentences([gone]) == ["retired\u00a0: 2, seuil non atteint (au moins 5)."]
