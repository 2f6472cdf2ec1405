"""The network's matrix and indicators read from the database, on a small network whose counts
are worked out by hand below: two places confirmed, one draft (ignored), one not assessed, and
places of another network (absent, even one the network counts in its census)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from tierslieux.impact import matrix
from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.indicator_defs import INDICATORS
from tierslieux.impact.periods import Period
from tierslieux.impact.tests import matrix_factories as mf

YES, NO, NOB, NA = shapes.YES, shapes.NO, shapes.NOT_OBSERVED, shapes.NOT_ASSESSED
KEYS = mf.KEYS


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield mf.small_network()
        transaction.set_rollback(True)


def test_the_matrix_counts(data) -> None:
    found = matrix.matrix(data["network"], 2025)
    assert [key for key, _t in found.impacts] == list(KEYS)
    assert [r.slug for r in found.rows] == ["bliida", "epicerie", "coop", "zebre"]
    rows = {r.slug: r for r in found.rows}
    assert rows["epicerie"].counts == {YES: 4, NO: 3, NOB: 1, NA: 0}
    assert rows["bliida"].counts == {YES: 4, NO: 1, NOB: 1, NA: 2}
    assert rows["coop"].counts == {YES: 0, NO: 0, NOB: 0, NA: 8}  # the draft is not read
    assert rows["zebre"].counts == {YES: 0, NO: 0, NOB: 0, NA: 8}  # 2024 is another year
    expected = {
        "non_programmed_city": (1, 1, 0, 2),
        "trusted_third_party": (1, 1, 0, 2),
        "peer_learning": (2, 0, 0, 2),
        "local_sectors": (1, 0, 1, 2),
        "ecological_transition": (0, 1, 0, 3),
        "breaking_silos": (1, 0, 1, 2),
        "unlikely_connections": (2, 0, 0, 2),
        "pride_and_influence": (0, 1, 0, 3),
    }
    assert {k: tuple(c[v] for v in shapes.VERDICTS) for k, c in found.counts.items()} == expected
    assert found.totals == {YES: 8, NO: 4, NOB: 2, NA: 18}  # 32 cells: 4 places × 8
    assert found.confirmed == 2
    assert rows["epicerie"].axes == {"peer_learning": ("peer_to_peer", "common_spaces")}
    assert matrix.years(data["network"]) == [2025, 2024]
    assert matrix.default_year([2025, 2024]) == 2025


def test_one_place_assessment(data) -> None:
    network = data["network"]
    found = matrix.assessment_of(network, "epicerie", 2025)
    assert found is not None
    peer = next(e for e in found["entries"] if e.impact.key == "peer_learning")
    assert peer.verdict == YES and peer.judgement.note == "Des ateliers chaque mardi."
    assert peer.axes == [  # the axes' titles, in the team's order
        "Un développement d'activités sur un modèle de pair-à-pair",
        "Les espaces communs comme vivier d'actions collectives",
    ]
    city = next(e for e in found["entries"] if e.impact.key == "non_programmed_city")
    assert [(f.indicator.key, f.value.amount) for f in city.figures] == [
        ("footfall", 1200),
        ("occupancy", Decimal("45.5")),
    ]
    assert found["counts"] == {YES: 4, NO: 3, NOB: 1, NA: 0}
    # A draft, another year, another network's place: nothing.
    assert matrix.assessment_of(network, "coop", 2025) is None
    assert matrix.assessment_of(network, "epicerie", 2024) is None
    assert matrix.assessment_of(network, "ailleurs", 2025) is None


def test_the_network_indicators(data, django_assert_max_num_queries) -> None:
    table = matrix.network_indicators(data["network"], Period(2025))
    assert [r.slug for r in table.rows] == ["bliida", "epicerie", "coop", "zebre"]
    rows = {r.slug: r for r in table.rows}
    footfall = {slug: (r.cells["footfall"].value.amount, r.cells["footfall"].source)
                for slug, r in rows.items()}  # fmt: skip
    assert footfall == {
        "epicerie": (1200, shapes.CONFIRMED),  # frozen when the team confirmed
        "bliida": (None, shapes.LIVE),  # its assessment froze no footfall: today's records
        "coop": (None, shapes.LIVE),  # a draft freezes nothing
        "zebre": (80, shapes.LIVE),
    }
    assert rows["bliida"].cells["occupancy"].source == shapes.CONFIRMED
    assert (rows["epicerie"].confirmed, rows["coop"].confirmed) == (True, False)
    assert table.totals["footfall"] == shapes.Total(shapes.SUM, 1280, 2)  # None is not a 0
    assert table.totals["occupancy"] == shapes.Total(shapes.MEDIAN, Decimal("52.8"), 2)
    assert table.sources == {shapes.CONFIRMED: 3, shapes.LIVE: 4 * len(INDICATORS) - 3}
    # A quarter is always live: an assessment freezes a whole year.
    quarter = matrix.network_indicators(data["network"], Period(2025, 1))
    assert quarter.rows[3].cells["footfall"] == matrix.Cell(
        quarter.rows[3].cells["footfall"].value, shapes.LIVE
    )
    assert quarter.totals["footfall"] == shapes.Total(shapes.SUM, 80, 1)
