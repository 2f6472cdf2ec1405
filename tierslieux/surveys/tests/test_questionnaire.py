"""A questionnaire as data (`surveys.questionnaire`) and the checking of answers against it
(`surveys.answering`): every kind of question, bounds, conditions, required questions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from tierslieux.surveys import answering
from tierslieux.surveys.questionnaire import Invalid, Kind, dump, parse

pytestmark = pytest.mark.pure


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


DEFINITION = {
    "sections": [
        {
            "key": "you",
            "title": "Vous",
            "questions": [
                {
                    "key": "mode",
                    "kind": "single",
                    "label": "Comment venez-vous ?",
                    "required": True,
                    "other": True,
                    "choices": [
                        {"key": "car", "label": "Voiture"},
                        {"key": "bike", "label": "Vélo"},
                    ],
                },
                {
                    "key": "km",
                    "kind": "number",
                    "label": "Distance (km)",
                    "minimum": 0,
                    "maximum": 300,
                    "condition": {"question": "mode", "any_of": ["car"]},
                    "required": True,
                },
                {
                    "key": "uses",
                    "kind": "multiple",
                    "label": "Ce que vous faites ici",
                    "max_choices": 2,
                    "choices": [
                        {"key": "cowork", "label": "Coworking"},
                        {"key": "fablab", "label": "Fablab"},
                        {"key": "cafe", "label": "Café"},
                    ],
                },
                {
                    "key": "happy",
                    "kind": "scale",
                    "label": "Satisfaction",
                    "minimum": 1,
                    "maximum": 5,
                },
                {"key": "since", "kind": "date", "label": "Depuis quand ?"},
                {"key": "town", "kind": "commune", "label": "Votre commune"},
                {"key": "words", "kind": "text", "label": "Un mot ?", "max_length": 20},
                {
                    "key": "rank",
                    "kind": "ranking",
                    "label": "Classez",
                    "choices": [
                        {"key": "a", "label": "A"},
                        {"key": "b", "label": "B"},
                        {"key": "c", "label": "C"},
                    ],
                },
            ],
        }
    ]
}


def towns(text: str):
    return ("23096", "Guéret") if text.lower() in ("23000 guéret", "gueret") else None


def check(raw):
    return answering.check(parse(DEFINITION), raw, towns)


def test_a_definition_reads_back_the_same_after_dump():
    questionnaire = parse(DEFINITION)
    assert parse(dump(questionnaire)) == questionnaire
    assert [q.kind for q in questionnaire.questions()][:3] == [
        Kind.SINGLE,
        Kind.NUMBER,
        Kind.MULTIPLE,
    ]
    assert questionnaire.question("km").maximum == Decimal(300)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"key": "Mode"}, "lower-case"),
        ({"kind": "essay"}, "Unknown kind"),
        ({"label": "  "}, "required"),
        ({"choices": [{"key": "car", "label": "A"}, {"key": "car", "label": "B"}]}, "same key"),
        ({"choices": [{"key": "other", "label": "A"}, {"key": "x", "label": "B"}]}, "same key"),
        ({"condition": {"question": "words", "any_of": ["x"]}}, "earlier choice question"),
    ],
)
def test_an_inconsistent_question_is_refused_with_where_and_why(change, words):
    broken = {
        "sections": [
            {
                "key": "s",
                "title": "S",
                "questions": [{**DEFINITION["sections"][0]["questions"][0], **change}],
            }
        ]
    }
    with pytest.raises(Invalid, match=words):
        parse(broken)


def test_a_condition_must_name_an_earlier_question_and_answers_it_offers():
    questions = DEFINITION["sections"][0]["questions"]
    later = {"sections": [{"key": "s", "title": "S", "questions": [questions[1], questions[0]]}]}
    with pytest.raises(Invalid, match="earlier choice question"):
        parse(later)
    wrong = {**questions[1], "condition": {"question": "mode", "any_of": ["plane"]}}
    with pytest.raises(Invalid, match="answers the earlier question offers"):
        parse({"sections": [{"key": "s", "title": "S", "questions": [questions[0], wrong]}]})


@pytest.mark.parametrize(("low", "high"), [(1, 1), (5, 1), (0, 11), (1.5, 5), (None, 5)])
def test_a_scale_goes_between_two_whole_numbers_up_to_ten(low, high):
    question = {"key": "s", "kind": "scale", "label": "S", "minimum": low, "maximum": high}
    with pytest.raises(Invalid):
        parse({"sections": [{"key": "x", "title": "X", "questions": [question]}]})


def test_good_answers_of_every_kind_are_kept_as_stored():
    checked = check(
        {
            "mode": ["car"], "km": ["12,5"], "uses": ["cowork", "cafe"], "happy": ["4"],
            "since": ["2024-09-01"], "town": ["23000 Guéret"], "words": ["Super"],
            "rank.b": ["1"], "rank.a": ["2"],
        }
    )  # fmt: skip
    assert checked.ok, checked.errors
    a = checked.answers
    assert a["mode"].choices == ("car",) and a["km"].number == Decimal("12.5")
    assert a["uses"].choices == ("cowork", "cafe") and a["happy"].number == 4
    assert a["since"].date == date(2024, 9, 1)
    assert (a["town"].commune, a["town"].text) == ("23096", "Guéret")
    assert a["rank"].choices == ("b", "a") and a["rank"].ranked


def test_a_hidden_question_is_neither_required_nor_kept():
    checked = check({"mode": ["bike"], "km": ["40"]})
    assert checked.ok and "km" not in checked.answers
    shown = check({"mode": ["car"]})
    assert shown.errors == {"km": "This question is required."}


def test_other_carries_its_text_and_typing_it_chooses_other():
    assert (
        check({"mode": ["other"], "mode.other": ["Trottinette"]}).answers["mode"].text
        == "Trottinette"
    )
    typed = check({"mode.other": ["Roller"]}).answers["mode"]
    assert typed.choices == ("other",) and typed.text == "Roller"
    assert check({"mode": ["other"]}).errors == {"mode": "Say what “other” is."}


@pytest.mark.parametrize(
    ("raw", "key", "words"),
    [
        ({"mode": ["plane"]}, "mode", "not one of the choices"),
        ({"mode": ["car", "bike"]}, "mode", "one answer only"),
        ({"mode": ["car"], "km": ["301"]}, "km", "At most 300"),
        ({"mode": ["car"], "km": ["-1"]}, "km", "At least 0"),
        ({"mode": ["car"], "km": ["1e309"]}, "km", "Enter a number"),
        ({"mode": ["car"], "km": ["NaN"]}, "km", "Enter a number"),
        ({"mode": ["car"], "km": ["douze"]}, "km", "Enter a number"),
        ({"mode": ["bike"], "uses": ["cowork", "fablab", "cafe"]}, "uses", "at most 2"),
        ({"mode": ["bike"], "happy": ["6"]}, "happy", "At most 5"),
        ({"mode": ["bike"], "happy": ["2.5"]}, "happy", "multiple of 1"),
        ({"mode": ["bike"], "since": ["0001-01-01"]}, "since", "between 1900 and 2200"),
        ({"mode": ["bike"], "since": ["hier"]}, "since", "Enter a date"),
        ({"mode": ["bike"], "town": ["Atlantide"]}, "town", "not known"),
        ({"mode": ["bike"], "words": ["x" * 21]}, "words", "At most 20 characters"),
        ({"mode": ["bike"], "words": ["a\x00b"]}, "words", "control characters"),
        (
            {"mode": ["bike"], "rank.a": ["1"], "rank.b": ["1"]},
            "rank",
            "Two answers have the rank 1",
        ),
        ({"mode": ["bike"], "rank.a": ["1"], "rank.b": ["3"]}, "rank", "without a gap"),
        ({"mode": ["bike"], "rank.a": ["9"]}, "rank", "Ranks go from 1 to 3"),
        ({}, "mode", "required"),
    ],
)
def test_bad_answers_are_refused_question_by_question(raw, key, words):
    checked = check(raw)
    assert key in checked.errors and words in checked.errors[key], checked.errors
    assert key not in checked.answers
