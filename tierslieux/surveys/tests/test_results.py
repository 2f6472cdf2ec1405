"""Results and cross-tabulations against figures worked out by hand on `results_data.ROWS`
(8 responses) and `ANONYMOUS_ROWS` (12 anonymous responses, small groups hidden)."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from django.db import transaction

from tierslieux.surveys import results as sr
from tierslieux.surveys import results_shapes as shapes
from tierslieux.surveys import services
from tierslieux.surveys.tests import results_data


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        yield results_data.build()
        transaction.set_rollback(True)


def _lines(result: sr.QuestionResult) -> dict[str, tuple[Any, ...]]:
    return {line.key: (line.count, line.share) for line in result.lines}


def _by_key(found: sr.Results) -> dict[str, sr.QuestionResult]:
    return {r.question.key: r for r in found.questions}


def test_counts_shares_and_rate(data: dict) -> None:
    found = sr.results(data["survey"])
    assert (found.responses, found.invited, found.rate) == (8, 20, D("40.0"))
    q = _by_key(found)
    # mode: car r1 r2 r7, bike r3 r4 r8, foot r5, other r6 — of 8.
    assert q["mode"].answered == 8
    assert _lines(q["mode"]) == {
        "car": (3, D("37.5")),
        "bike": (3, D("37.5")),
        "foot": (1, D("12.5")),
        "other": (1, D("12.5")),
    }
    assert q["mode"].texts == 1  # "Trottinette"
    # why (several answers): 6 people; price r1 r5 r7, time r1 r2, health r3 r4 r5, fun r3.
    assert q["why"].answered == 6
    assert _lines(q["why"]) == {
        "price": (3, D("50.0")),
        "time": (2, D("33.3")),
        "health": (3, D("50.0")),
        "fun": (1, D("16.7")),
    }


def test_scales_and_numbers(data: dict) -> None:
    q = _by_key(sr.results(data["survey"]))
    # happy: 4 5 3 5 2 4 4 → sum 27 of 7; sorted 2 3 4 4 4 5 5.
    happy = q["happy"]
    assert (happy.answered, happy.figures.mean, happy.figures.median) == (7, D("3.86"), D(4))
    assert (happy.figures.minimum, happy.figures.maximum) == (D(2), D(5))
    assert _lines(happy) == {
        "1": (0, D("0.0")),
        "2": (1, D("14.3")),
        "3": (1, D("14.3")),
        "4": (3, D("42.9")),
        "5": (2, D("28.6")),
    }
    # km: 10 20 4 6 1 30 → 71 / 6; median of 1 4 6 10 20 30 is (6 + 10) / 2.
    km = q["km"].figures
    assert (km.count, km.mean, km.median, km.minimum, km.maximum) == (
        6,
        D("11.83"),
        D(8),
        D(1),
        D(30),
    )
    assert [line.key for line in q["km"].lines] == ["1", "4", "6", "10", "20", "30"]


def test_dates_communes_rankings_texts(data: dict, english: None) -> None:
    q = _by_key(sr.results(data["survey"]))
    assert _lines(q["since"]) == {
        "2027-01": (2, D("50.0")),
        "2027-02": (1, D("25.0")),
        "2027-03": (1, D("25.0")),
    }
    assert q["since"].lines[0].label == "January 2027"
    assert [(line.label, line.count) for line in q["town"].lines] == [
        ("Guéret (23096)", 2),
        ("Limoges (87085)", 1),
    ]
    # rank: a at 1, 2, 1, 1 (mean 1.25, first 3); b at 2, 1, 3; c at 3, 2. 4 people ranked.
    rank = q["rank"]
    assert rank.answered == 4
    found = {line.key: (line.count, line.mean_rank, line.first) for line in rank.lines}
    assert found == {"a": (4, D("1.25"), 3), "b": (3, D("2.00"), 1), "c": (2, D("2.50"), 0)}
    assert (q["words"].answered, q["words"].texts) == (2, 2)


def test_filter_on_an_answer(data: dict) -> None:
    found = sr.results(data["survey"], where=("mode", "car"))  # r1 r2 r7
    assert found.responses == 3 and found.rate is None
    happy = _by_key(found)["happy"].figures
    assert (happy.count, happy.mean, happy.median) == (3, D("4.33"), D(4))


def test_crosstab_by_hand(data: dict) -> None:
    table = sr.crosstab(sr.scope(data["survey"]), "mode", "happy")
    assert table.total == 7  # r8 gave no happiness
    assert [c[0] for c in table.columns] == ["1", "2", "3", "4", "5"]
    rows = {row.key: row for row in table.rows}
    # car: 4, 5, 4 → 2 at 4 (66.7 %), 1 at 5 (33.3 %)
    assert rows["car"].total == 3
    assert [(c.count, c.share) for c in rows["car"].cells][3:] == [(2, D("66.7")), (1, D("33.3"))]
    assert (rows["bike"].total, rows["bike"].cells[2].count, rows["bike"].cells[4].count) == (
        2,
        1,
        1,
    )
    assert (rows["foot"].total, rows["foot"].cells[1].share) == (1, D("100.0"))
    # A multiple choice in columns: car people r1 [price time], r2 [time], r7 [price].
    why = {row.key: row for row in sr.crosstab(sr.scope(data["survey"]), "mode", "why").rows}
    assert why["car"].total == 3
    assert [(c.count, c.share) for c in why["car"].cells][:2] == [(2, D("66.7")), (2, D("66.7"))]
    with pytest.raises(ValueError):
        sr.crosstab(sr.scope(data["survey"]), "mode", "words")
    with pytest.raises(ValueError):
        sr.crosstab(sr.scope(data["survey"]), "mode", "mode")


def test_anonymous_small_groups_hidden(data: dict) -> None:
    q = _by_key(sr.results(data["anonymous"]))
    # mode: car 7 shown (58.3 %), bike 3 and foot 2 hidden.
    assert _lines(q["mode"]) == {"car": (7, D("58.3")), "bike": (None, None), "foot": (None, None)}
    # happy: 5 at 4 shown, 2 at 3 and 1 at 5 hidden; the mean of 8 people stays.
    assert _lines(q["happy"])["4"] == (5, D("62.5"))
    assert _lines(q["happy"])["3"] == (None, None) and _lines(q["happy"])["5"] == (None, None)
    assert q["happy"].figures.mean == D("3.88")  # (2×3 + 5×4 + 5) / 8 = 31 / 8
    assert q["km"].hidden and q["km"].lines == [] and q["km"].figures is None  # 3 answers
    table = sr.crosstab(sr.scope(data["anonymous"]), "mode", "happy")
    rows = {row.key: row for row in table.rows}
    assert rows["car"].total == 6
    # 5 at 4, 1 at 5: the 1 is hidden, and the 5 with it (else 6 − 5 would tell it).
    assert [(c.count, c.share) for c in rows["car"].cells][2:] == [
        (0, D("0.0")),
        (None, None),
        (None, None),
    ]
    assert rows["bike"].total is None  # 2 people: the whole row is hidden
    assert all(c.count is None for c in rows["bike"].cells)
    turned = {
        row.key: row for row in sr.crosstab(sr.scope(data["anonymous"]), "happy", "mode").rows
    }
    assert [(c.count, c.share) for c in turned["4"].cells] == [
        (5, D("100.0")),
        (0, D("0.0")),
        (0, D("0.0")),
    ]
    assert turned["3"].total is None and turned["5"].total is None
    hidden = sr.results(data["anonymous"], where=("mode", "bike"))  # 3 people
    assert hidden.hidden and hidden.questions == []


def test_versions_pooled_when_key_and_kind_unchanged(data: dict) -> None:
    survey = data["survey"]
    with transaction.atomic():
        definition = {"sections": [{**results_data.DEFINITION["sections"][0]}]}
        questions = [dict(q) for q in definition["sections"][0]["questions"]]
        questions[3] = {"key": "km", "kind": "scale", "label": "Km", "minimum": 1, "maximum": 5}
        definition["sections"][0]["questions"] = questions
        version = services.edit_definition(
            actor=data["coordinator"], survey=survey, definition=definition
        )
        assert version.number == 2
        given = {
            "mode": results_data.Answer("mode", choices=("foot",)),
            "km": results_data.Answer("km", number=D(3)),
        }
        results_data._record(survey, given, version.created_at.date())
        q = _by_key(sr.results(survey))
        assert q["mode"].answered == 9 and q["mode"].versions == [1, 2]
        assert q["km"].answered == 1 and q["km"].versions == [2]  # a number then, a scale now
        first = _by_key(sr.results(survey, survey.versions.get(number=1)))
        assert first["mode"].answered == 8
        transaction.set_rollback(True)


def test_shapes_by_hand() -> None:
    assert shapes.median({D(1): 1, D(2): 1, D(9): 2}) == D("5.5")
    assert shapes.median({D(3): 3}) == D(3)
    lines = [shapes.Line("a", "A", 10), shapes.Line("b", "B", 2), shapes.Line("c", "C", 6)]
    shapes.protect(lines, True, exclusive=True)  # b alone hidden: c, the next smallest, too
    assert [line.count for line in lines] == [10, None, None]
    lines = [shapes.Line("a", "A", 10), shapes.Line("b", "B", 2), shapes.Line("c", "C", 6)]
    shapes.protect(lines, True, exclusive=False)
    assert [line.count for line in lines] == [10, None, 6]
    many = {D(n): 1 for n in range(0, 80, 5)}  # 16 values from 0 to 75: 8 bins
    bins = shapes.distribution(many)
    assert len(bins) == 8 and sum(n for _k, _l, n in bins) == 16 and bins[0][2] == 2
