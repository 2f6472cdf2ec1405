"""How much the verdict depends on each guess (issue 15). Pure; NumPy.

- `tornado`: each driver of `engine.DRIVERS` moved by ±20 % alone (a multiplier of 0.8 and
  1.2 on every figure it governs: all occupancies, all prices, all rents…; occupancy is capped
  at 100 %), its effect on the break-even month and on the cumulative cash at month 36. All
  the moves are one vectorised simulation.
- `monte_carlo`: every driver drawn at once, independently, from a triangular law between
  its range's ends with its mode at 1 (the scenario's figure), with
  `numpy.random.default_rng(seed)`: the same seed gives the same figures. Out of the draws:
  the probability of breaking even within 24 months (the seed's "18-24 mois") and the
  percentiles of the cash low point.

DEFAULT_RANGES are this project's assumptions, not the seed's: revenue guesses are more
uncertain downwards than upwards, costs upwards, ramp-ups are slower more often than faster.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from tierslieux.economics import engine
from tierslieux.economics import scenario as s

SWING = 0.2
CASH_MONTH = 36
WITHIN = 24  # the seed's "Équilibre opérationnel à 18-24 mois"
PERCENTILES = (5, 25, 50, 75, 95)
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "occupancy": (0.8, 1.1),
    "price": (0.85, 1.1),
    "members": (0.8, 1.1),
    "fee": (0.9, 1.1),
    "rent": (0.95, 1.15),
    "staff": (0.95, 1.15),
    "other_fixed": (0.9, 1.2),
    "variable": (0.9, 1.25),
    "grants": (0.8, 1.0),
    "ramp": (0.8, 1.5),
    "investment": (0.95, 1.25),
    "side": (0.7, 1.2),
}


@dataclass(frozen=True)
class Bar:
    """One driver's tornado bar: break-even month (None: not reached) and cash at month 36
    with the driver at −20 % and at +20 %."""

    driver: str
    break_even_low: int | None
    break_even_high: int | None
    cash_low: float
    cash_high: float

    @property
    def width(self) -> float:
        return abs(self.cash_high - self.cash_low)


@dataclass(frozen=True)
class Tornado:
    break_even: int | None
    cash: float
    bars: tuple[Bar, ...]  # widest effect on cash first


@dataclass(frozen=True)
class MonteCarlo:
    draws: int
    seed: int
    p_break_even: float  # share of draws breaking even within WITHIN months, 0–1
    low_point: dict[int, float]  # percentile → cash low point
    break_even: dict[int, int | None]  # percentile → break-even month (None: not reached)


def tornado(scenario: s.Scenario, swing: float = SWING) -> Tornado:
    """Every driver down and up by `swing`, one at a time, in one simulation."""
    names = engine.DRIVERS
    count = 1 + 2 * len(names)
    factors = {k: np.ones(count) for k in names}
    for n, name in enumerate(names):
        factors[name][1 + 2 * n] = 1 - swing
        factors[name][2 + 2 * n] = 1 + swing
    sim = engine.simulate(scenario, factors)
    month = min(CASH_MONTH, scenario.horizon) - 1
    cash, even = sim["cumulative"][:, month], sim["break_even"]

    def be(i: int) -> int | None:
        return int(even[i]) or None

    bars = [
        Bar(name, be(1 + 2 * n), be(2 + 2 * n), float(cash[1 + 2 * n]), float(cash[2 + 2 * n]))
        for n, name in enumerate(names)
    ]
    moving = [b for b in bars if b.width > 0.005 or b.break_even_low != b.break_even_high]
    moving.sort(key=lambda b: b.width, reverse=True)
    return Tornado(be(0), float(cash[0]), tuple(moving))


def draw_factors(
    draws: int, seed: int, ranges: Mapping[str, tuple[float, float]] | None = None
) -> dict[str, np.ndarray]:
    """Multipliers by driver, triangular between the range's ends, mode 1."""
    rng = np.random.default_rng(seed)
    found = {}
    for name, (low, high) in (ranges or DEFAULT_RANGES).items():
        mode = min(max(1.0, low), high)
        found[name] = rng.triangular(low, mode, high, draws) if high > low else np.full(draws, low)
    return found


def monte_carlo(
    scenario: s.Scenario,
    draws: int = 10_000,
    seed: int = 0,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> MonteCarlo:
    """`draws` projections at once (arrays draws × months), from `seed`."""
    sim = engine.simulate(scenario, draw_factors(draws, seed, ranges))
    even = sim["break_even"]
    reached = (even > 0) & (even <= WITHIN)
    # Not reached counts as later than any month, so percentiles stay meaningful.
    ranked = np.where(even > 0, even, scenario.horizon + 1)
    months = np.percentile(ranked, PERCENTILES, method="higher")
    lows = np.percentile(sim["low_point"], PERCENTILES)
    return MonteCarlo(
        draws=draws,
        seed=seed,
        p_break_even=float(reached.mean()),
        low_point={q: float(v) for q, v in zip(PERCENTILES, lows, strict=True)},
        break_even={
            q: (int(m) if m <= scenario.horizon else None)
            for q, m in zip(PERCENTILES, months, strict=True)
        },
    )
