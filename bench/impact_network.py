"""The network's side of the impact benchmark (`bench/impact_bench.py` (d) and (e)): every
place gets a confirmed assessment of each year, then the matrix and the network's indicators
are timed."""

from __future__ import annotations

import random
from typing import Any

from bench.bookings_bench import timed


def network_side(
    values: dict[int, Any], rng: random.Random, runs: int, years: tuple[int, ...]
) -> dict[str, Any]:
    """Confirmed assessments for every place and year, then the matrix and the network's
    indicators timed (bulk_create: the services would take minutes for 3,000 years)."""
    from tierslieux.core import clock
    from tierslieux.impact import figures, matrix, services
    from tierslieux.impact.models import Judgement, YearAssessment
    from tierslieux.impact.periods import Period
    from tierslieux.places.models import Network

    network = Network.objects.get(slug="banc")
    keys = list(services.load_framework().impacts.values_list("key", flat=True))
    now = clock.now()
    made = YearAssessment.objects.bulk_create(
        (
            YearAssessment(
                place_id=pk, year=year, method="banc", figures=figures.freeze(kept),
                confirmed_at=now,
            )
            for pk, kept in values.items()
            for year in years
        ),
        batch_size=500,
    )  # fmt: skip
    verdicts = ("yes", "no", "not_observed")
    Judgement.objects.bulk_create(
        (
            Judgement(assessment=a, impact_key=k, suggested=v, verdict=v, decided_at=now)
            for a in made
            for k in keys
            for v in [rng.choice(verdicts)]
        ),
        batch_size=5000,
    )
    found: dict[str, Any] = {}

    def whole_matrix(_n: int) -> None:
        found["d"] = matrix.matrix(network, 2025)

    def table(_n: int) -> None:
        found["e"] = matrix.network_indicators(network, Period(2025))

    timings = {"d": timed(whole_matrix, runs), "e": timed(table, runs)}
    assert len(found["d"].rows) == len(values) and len(found["e"].rows) == len(values)
    return timings
