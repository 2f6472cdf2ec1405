"""Will this place hold up? A verdict in plain words with its reasons, each reason tied to a
threshold of the micro-centre seed (`000_6d729c841a80c6de.txt`, "Modèle de viabilité"):

- "Équilibre opérationnel à 18-24 mois": break-even after 24 months makes the place fragile;
  none within the horizon, it does not hold.
- "Taux d'occupation minimal: 60-70%": needing more than 70 % occupancy to break even (in the
  horizon's last month) makes it fragile; needing more than 100 %, it does not hold.
- "Nombre d'adhérents cible: 100-150 individuels, 10-15 structures": needing more members than
  the top of the range makes it fragile.
- "Mix de revenus: Max 30% de financements publics": more makes it fragile.
- The four families' shares ("Sources de revenus", 40–50 / 20–30 / 20–30 / 5–10 %): outside,
  a note that does not change the verdict (the seed states them as a target mix).
In-kind contributions are shown in a note: could the place pay for them if they stopped?
This project's thresholds, not the seed's: cash below zero at any month does not hold (the
place cannot pay); cash that at its lowest would not cover one month of running costs (a late
grant or an unpaid invoice away from unpaid bills), one funder over half the revenue, or a
grant's end that tips the result below zero (a cliff), makes it fragile.

Levels: holds (« tient »), fragile (« fragile »), does not hold (« ne tient pas »).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_noop

from tierslieux.core import formatting
from tierslieux.economics import scenario as s
from tierslieux.economics.charts import euros
from tierslieux.economics.engine import Projection
from tierslieux.economics.templates_model import MIX_TARGETS, PUBLIC_MAX, RANGES

HOLDS, FRAGILE, FAILS = "holds", "fragile", "fails"
LEVEL_LABELS = {
    HOLDS: gettext_noop("holds"),
    FRAGILE: gettext_noop("fragile"),
    FAILS: gettext_noop("does not hold"),
}
OK, NOTE, WARNING, BLOCKING = "ok", "note", "warning", "blocking"
SEED_QUOTES = {
    "break_even": "Équilibre opérationnel à 18-24 mois",
    "occupancy": "Taux d'occupation minimal: 60-70%",
    "members": "Nombre d'adhérents cible: 100-150 individuels, 10-15 structures",
    "public": "Max 30% de financements publics pour assurer l'autonomie",
    "mix": (
        "Adhésions et abonnements (40-50% des revenus) / Services et prestations (20-30% des "
        "revenus) / Partenariats (20-30% des revenus) / Activités complémentaires (5-10% des "
        "revenus)"
    ),
}


@dataclass(frozen=True)
class Reason:
    """One reason: its weight, the seed's words it is held to ('' for this project's own
    thresholds), and a message rendered in the active language when read."""

    code: str
    severity: str
    template: str
    params: tuple[tuple[str, Any], ...] = ()
    seed: str = ""

    @property
    def text(self) -> str:
        values = {k: v() if callable(v) else v for k, v in self.params}
        return gettext(self.template) % values


@dataclass(frozen=True)
class Verdict:
    level: str
    reasons: tuple[Reason, ...]

    @property
    def label(self) -> str:
        return gettext(LEVEL_LABELS[self.level])


def _pct(share: float) -> Any:
    return lambda: formatting.percent(round(share * 100))


def _money(value: float) -> Any:
    return lambda: euros(value)


def judge(p: Projection) -> Verdict:
    """The verdict and every reason behind it, worst first."""
    r: list[Reason] = []
    late = RANGES["break_even_months"][1]
    quote = SEED_QUOTES["break_even"]
    if p.break_even_month is None:
        r.append(Reason("break_even", BLOCKING, gettext_noop(
            "The operating result does not stay positive within %(months)s months: the seed "
            "expects it from month 18 to 24."), (("months", p.months),), quote))  # fmt: skip
    elif p.break_even_month > late:
        r.append(Reason("break_even", WARNING, gettext_noop(
            "Operating break-even comes in month %(month)s, later than the 24 months the seed "
            "allows."), (("month", p.break_even_month),), quote))  # fmt: skip
    else:
        r.append(Reason("break_even", OK, gettext_noop(
            "Operating break-even comes in month %(month)s, within the 24 months the seed allows."),
            (("month", p.break_even_month),), quote))  # fmt: skip
    if p.break_even_month is not None and p.break_even_without_grants is None:
        r.append(Reason("autonomy", NOTE, gettext_noop(
            "Without its grants the place would not break even within %(months)s months."),
            (("months", p.months),)))  # fmt: skip
    if p.low_point < 0:
        first = next((f.month for f in p.flags if f.code == "cash_negative"), 0)
        r.append(Reason("cash", BLOCKING, gettext_noop(
            "Cash falls below zero from month %(month)s (lowest point %(low)s): the place "
            "cannot pay its bills without more funds."),
            (("month", first), ("low", _money(p.low_point)))))  # fmt: skip
    else:
        _reserve(p, r)
    _needs(p, r)
    quote = SEED_QUOTES["public"]
    if p.public_share > PUBLIC_MAX / 100:
        r.append(Reason("public", WARNING, gettext_noop(
            "Public funding makes %(share)s of the revenue, above the seed's 30 %% ceiling."),
            (("share", _pct(p.public_share)),), quote))  # fmt: skip
    else:
        r.append(Reason("public", OK, gettext_noop(
            "Public funding makes %(share)s of the revenue, within the seed's 30 %% ceiling."),
            (("share", _pct(p.public_share)),), quote))  # fmt: skip
    for flag in p.flags:
        if flag.code == "one_funder":
            r.append(Reason("one_funder", WARNING, gettext_noop(
                "One funder, %(funder)s, brings %(share)s of the revenue: more than half."),
                (("funder", flag.subject), ("share", _pct(flag.value)))))  # fmt: skip
        elif flag.code == "grant_cliff":
            r.append(Reason("cliff", WARNING, gettext_noop(
                "When “%(grant)s” ends, the operating result falls below zero in month "
                "%(month)s."), (("grant", flag.subject), ("month", flag.month))))  # fmt: skip
    in_kind = float(p.in_kind[-1]) if len(p.in_kind) else 0.0
    if in_kind > 0 and float(p.operating_result[-1]) < in_kind:
        r.append(Reason("in_kind", NOTE, gettext_noop(
            "Contributions in kind worth %(value)s a month are not in the figures; the place "
            "could not pay for them if they stopped."), (("value", _money(in_kind)),)))  # fmt: skip
    elif in_kind > 0:
        r.append(Reason("in_kind", NOTE, gettext_noop(
            "Contributions in kind worth %(value)s a month are not in the figures; the place "
            "could pay for them if they stopped."), (("value", _money(in_kind)),)))  # fmt: skip
    for family, (low, high) in MIX_TARGETS.items():
        share = p.mix.get(family, 0.0) * 100
        if not low <= share <= high:
            r.append(Reason("mix", NOTE, gettext_noop(
                "%(family)s make %(share)s of the revenue; the seed aims at %(low)s to "
                "%(high)s."), (("family", lambda f=family: str(s.FAMILY_LABELS[f])),
                ("share", _pct(share / 100)), ("low", _pct(low / 100)),
                ("high", _pct(high / 100))), SEED_QUOTES["mix"]))  # fmt: skip
    order = {BLOCKING: 0, WARNING: 1, NOTE: 2, OK: 3}
    r.sort(key=lambda reason: order[reason.severity])
    level = HOLDS
    if any(x.severity == BLOCKING for x in r):
        level = FAILS
    elif any(x.severity == WARNING for x in r):
        level = FRAGILE
    return Verdict(level, tuple(r))


def monthly_costs(p: Projection) -> float:
    """A month of running costs: fixed and variable costs, on average over the horizon."""
    months = max(p.months, 1)
    return float(p.fixed_costs.sum() + p.variable_costs.sum()) / months


def _reserve(p: Projection, r: list[Reason]) -> None:
    month = monthly_costs(p)
    if month > 0 and p.low_point < month:
        r.append(Reason("reserve", WARNING, gettext_noop(
            "At its lowest, cash would be %(low)s: less than one month of running costs "
            "(%(month)s). A late grant or an unpaid invoice would leave bills unpaid."),
            (("low", _money(p.low_point)), ("month", _money(month)))))  # fmt: skip


def _needs(p: Projection, r: list[Reason]) -> None:
    quote = SEED_QUOTES["occupancy"]
    needed = p.occupancy_needed
    top = RANGES["occupancy"][1] / 100
    if needed is not None and needed > 1:
        r.append(Reason("occupancy", BLOCKING, gettext_noop(
            "Breaking even would take an occupancy of %(needed)s: more than the place holds."),
            (("needed", _pct(needed)),), quote))  # fmt: skip
    elif needed is not None and needed > top:
        r.append(Reason("occupancy", WARNING, gettext_noop(
            "Breaking even takes an occupancy of %(needed)s, above the 60 to 70 %% the seed "
            "counts on."), (("needed", _pct(needed)),), quote))  # fmt: skip
    elif needed is not None:
        r.append(Reason("occupancy", OK, gettext_noop(
            "Breaking even takes an occupancy of %(needed)s (planned: %(planned)s)."),
            (("needed", _pct(needed)), ("planned", _pct(p.occupancy_planned))), quote))  # fmt: skip
    people = p.members_needed.get("people")
    most = RANGES["members_people"][1]
    if people is not None and people > most:
        r.append(Reason("members", WARNING, gettext_noop(
            "Breaking even takes %(people)s individual members, more than the 150 the seed "
            "aims at."), (("people", lambda: formatting.number(round(people))),),
            SEED_QUOTES["members"]))  # fmt: skip
