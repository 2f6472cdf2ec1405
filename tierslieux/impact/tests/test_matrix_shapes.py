"""The matrix's shaping, without the database: cells, order, counts, totals of indicators."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.matrix_shapes import NO, NOT_ASSESSED, NOT_OBSERVED, YES, PlaceIn

pytestmark = pytest.mark.pure

IMPACTS = (("a", "Impact A"), ("b", "Impact B"), ("c", "Impact C"))


def test_cells_counts_and_order() -> None:
    found = shapes.shape(
        IMPACTS,
        [
            PlaceIn("zebre", "Zèbre"),  # no confirmed assessment
            PlaceIn("epicerie", "Épicerie", {"a": (YES, ["x"]), "b": (NO, []), "c": ("", ["y"])}),
            PlaceIn("bliida", "bliida", {"a": (NOT_OBSERVED, []), "b": (YES, ["z", "x"])}),
        ],
    )
    assert [row.slug for row in found.rows] == ["bliida", "epicerie", "zebre"]
    bliida, epicerie, zebre = found.rows
    assert bliida.cells == {"a": NOT_OBSERVED, "b": YES, "c": NOT_ASSESSED}
    assert epicerie.cells == {"a": YES, "b": NO, "c": NOT_ASSESSED}  # undecided: not assessed
    assert zebre.cells == dict.fromkeys("abc", NOT_ASSESSED)
    # The axes shown only where the impact was decided, in the team's order.
    assert epicerie.axes == {"a": ("x",)} and bliida.axes == {"b": ("z", "x")}
    assert (bliida.confirmed, epicerie.confirmed, zebre.confirmed) == (True, True, False)
    assert epicerie.counts == {YES: 1, NO: 1, NOT_OBSERVED: 0, NOT_ASSESSED: 1}
    assert found.counts == {
        "a": {YES: 1, NO: 0, NOT_OBSERVED: 1, NOT_ASSESSED: 1},
        "b": {YES: 1, NO: 1, NOT_OBSERVED: 0, NOT_ASSESSED: 1},
        "c": {YES: 0, NO: 0, NOT_OBSERVED: 0, NOT_ASSESSED: 3},
    }
    assert found.totals == {YES: 2, NO: 1, NOT_OBSERVED: 1, NOT_ASSESSED: 5}
    assert found.confirmed == 2
    by_verdict = found.places_by_verdict("a")
    assert [[r.slug for r in by_verdict[v]] for v in shapes.VERDICTS] == [
        ["epicerie"],
        [],
        ["bliida"],
        ["zebre"],
    ]


def test_an_unknown_verdict_is_not_assessed_and_an_empty_network_has_zeros() -> None:
    assert shapes.cell("maybe") == NOT_ASSESSED and shapes.cell(None) == NOT_ASSESSED
    empty = shapes.shape(IMPACTS, [])
    assert empty.rows == () and empty.counts["a"] == shapes.zero() and empty.confirmed == 0


def test_sort_key_ignores_case_and_accents() -> None:
    names = ["Zèbre", "école", "Eden", "Abbaye", "Élan"]
    assert sorted(names, key=shapes.sort_key) == ["Abbaye", "école", "Eden", "Élan", "Zèbre"]


def test_totals_sum_counts_and_take_the_median_of_shares() -> None:
    counted = shapes.total("people", [10, None, 32, 0])
    assert counted == shapes.Total(shapes.SUM, 42, 3)  # a recorded 0 counts, None does not
    share = shapes.total("percent", [Decimal("45.5"), None, Decimal("60")])
    assert share == shapes.Total(shapes.MEDIAN, Decimal("52.8"), 2)
    assert shapes.total("percent", [Decimal("10.0"), Decimal("30.0"), Decimal("20.0")]).amount == (
        Decimal("20.0")
    )
    assert shapes.total("eur", [Decimal("12.50"), Decimal("7.25")]).amount == Decimal("19.75")
    nothing = shapes.total("people", [None, None])
    assert nothing == shapes.Total(shapes.SUM, None, 0)  # not recorded, never 0
    mix = shapes.total("percent", [{"services": Decimal(1)}])
    assert mix == shapes.Total(None, None, 0)  # a mix by family or mode is not added up
    assert shapes.aggregate_of("score") == shapes.MEDIAN
    assert shapes.aggregate_of("kg_co2e") == shapes.MEDIAN
    assert shapes.aggregate_of("fte") == shapes.SUM
    assert shapes.aggregate_of("unknown") is None


def test_source_of_a_figure() -> None:
    assert shapes.source_of({"footfall": {}}, "footfall") == shapes.CONFIRMED
    assert shapes.source_of({"footfall": {}}, "members") == shapes.LIVE
    assert shapes.source_of(None, "footfall") == shapes.LIVE
