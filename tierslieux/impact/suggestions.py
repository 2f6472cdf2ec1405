"""The suggested verdict of one impact for one year, from its indicators and the evidence the
team recorded: what the yearly assessment proposes and the team confirms or overrides.

Pure. The thresholds below are this project's proposal, derived from the Mille Lieux study's
conditions of expression (seed `002_02160530ca19453f.txt`: the study names conditions, not
figures): a regular activity over a year (about one a month, or one every two months for
peer learning), several audiences or partners rather than one, a share of free or solidarity
access that is not marginal. A network may read them as a starting point; the team decides.

The rules never over-claim:
- "yes" needs at least one recorded figure meeting its threshold;
- nothing recorded and no evidence: "not observed";
- figures recorded, all below their thresholds, and no evidence: "no";
- evidence but no figure meeting a threshold: "not observed", saying the figures do not show
  it (the team reads its evidence and decides);
- an impact without indicators (one a network added) rests on the evidence alone: "not
  observed", with the reason.
A figure the team typed itself is not an indicator and never counts here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from tierslieux.core import formatting
from tierslieux.impact.impact_indicators import indicators_of
from tierslieux.impact.indicator_defs import BY_KEY, Value

YES, NO, NOT_OBSERVED = "yes", "no", "not_observed"  # models.Verdict's values (a test holds it)

# Modes of the mobility survey that are neither the car alone nor carpooling (`remote` is a
# day not travelled).
LOW_CARBON_MODES = ("bus", "tram", "train", "bike", "walk")


def _number(amount: Any) -> Decimal | None:
    if amount is None or isinstance(amount, (bool, Mapping)):
        return None
    try:
        return Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None


def _audiences_served(amount: Any) -> Decimal | None:
    """How many audiences had at least one event held for them."""
    if not isinstance(amount, Mapping):
        return None
    return Decimal(sum(1 for row in amount.values() if (row or {}).get("events", 0) > 0))


def _low_carbon_share(amount: Any) -> Decimal | None:
    """The share of trips by public transport, bike or on foot."""
    if not isinstance(amount, Mapping) or not amount:
        return None
    return sum((Decimal(str(amount.get(mode) or 0)) for mode in LOW_CARBON_MODES), Decimal(0))


@dataclass(frozen=True)
class Measure:
    """How a rule reads an indicator whose value is not a single number."""

    label: Any
    unit: str
    read: Callable[[Any], Decimal | None]


MEASURES: dict[str, Measure] = {
    "audiences_served": Measure(
        gettext_lazy("Audiences with at least one event held"), "count", _audiences_served
    ),
    "low_carbon_share": Measure(
        gettext_lazy("Share of trips by public transport, bike or on foot"),
        "percent",
        _low_carbon_share,
    ),
}


@dataclass(frozen=True)
class Rule:
    """A figure of `indicator` meeting `threshold` (at least, or `at_most`) over a year."""

    indicator: str
    threshold: Decimal
    at_most: bool = False
    measure: str = ""  # a key of MEASURES, else the indicator's amount itself

    def label(self) -> str:
        if self.measure:
            return str(MEASURES[self.measure].label)
        return str(BY_KEY[self.indicator].label)

    def unit(self) -> str:
        return MEASURES[self.measure].unit if self.measure else BY_KEY[self.indicator].unit

    def read(self, value: Value | None) -> Decimal | None:
        if value is None or not value.recorded:
            return None
        return MEASURES[self.measure].read(value.amount) if self.measure else _number(value.amount)

    def met(self, figure: Decimal) -> bool:
        return figure <= self.threshold if self.at_most else figure >= self.threshold


def _r(indicator: str, threshold: int | str, **kwargs: Any) -> Rule:
    return Rule(indicator, Decimal(threshold), **kwargs)


# The proposal: per impact, the figures of a year that show it (any one is enough).
RULES: dict[str, tuple[Rule, ...]] = {
    # Open uses: people come (counted at the door or booking), and events are free.
    "non_programmed_city": (
        _r("footfall", 2000),
        _r("checkins", 200),
        _r("free_events_share", 50),
    ),
    # A counter of services to the public: many people known, members, volunteers, trust.
    "trusted_third_party": (
        _r("unique_users", 100),
        _r("members", 30),
        _r("volunteers", 5),
        _r("satisfaction_mean", "4"),
    ),
    # Learning between peers: a peer-learning date every two months, or hours of training.
    "peer_learning": (_r("peer_learning_sessions", 6), _r("training_hours", 20)),
    # Local sectors: several resident organisations, jobs on site.
    "local_sectors": (_r("resident_organisations", 5), _r("jobs_fte", 2)),
    # The ecological transition: half the trips without a car, or little CO₂ per person.
    "ecological_transition": (
        _r("modal_split", 50, measure="low_carbon_share"),
        _r("commute_co2", 300, at_most=True),
    ),
    # Silos opened: several audiences, partners co-organising, solidarity access.
    "breaking_silos": (
        _r("audiences", 3, measure="audiences_served"),
        _r("co_organisers", 3),
        _r("solidarity_offer_share", 25),
        _r("free_or_solidarity_seats_share", 30),
    ),
    # Unlikely connections: organisations linked by co-organising, new links of the year.
    "unlikely_connections": (_r("links", 3), _r("new_links", 2)),
    # Pride and reach: an event a month, participants, satisfied users.
    "pride_and_influence": (
        _r("events_held", 12),
        _r("participants", 300),
        _r("satisfaction_mean", "4"),
    ),
}


def rules_of(impact_key: str) -> tuple[Rule, ...]:
    """The rules of an impact; none for an impact without indicators (a network's own)."""
    if not indicators_of(impact_key):
        return ()
    return RULES.get(impact_key, ())


@dataclass(frozen=True)
class Suggestion:
    """A suggested verdict and its reasons as `notes`: plain data, the same whatever the
    language of who computed them (stored so, in `Judgement.suggestion_reasons`), written
    as sentences in the reader's language by `sentences` (`reasons`)."""

    verdict: str
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return sentences(self.notes)


def show(figure: Any, unit: str) -> str:
    """A figure as the page writes it, in the active language."""
    if unit == "percent":
        return formatting.percent(figure)
    if unit == "eur":
        return formatting.money(figure)
    if unit == "kg_co2e":
        return f"{formatting.number(figure)}{formatting.NBSP}kg"
    return formatting.number(figure)


def _note(say: str, rule: Rule | None = None, figure: Decimal | None = None) -> dict[str, Any]:
    """A reason as data: what it says, and for a figure its rule as it stood (indicator,
    measure, threshold) and the figure, so that it reads the same later in any language."""
    note: dict[str, Any] = {"say": say}
    if rule is not None:
        note |= {"indicator": rule.indicator, "measure": rule.measure,
                 "threshold": str(rule.threshold), "at_most": rule.at_most}  # fmt: skip
    if figure is not None:
        note["figure"] = str(figure)
    return note


def _rule_of(note: Mapping[str, Any]) -> Rule:
    return Rule(
        str(note.get("indicator", "")), Decimal(str(note.get("threshold", "0"))),
        bool(note.get("at_most")), str(note.get("measure", "")),
    )  # fmt: skip


def _label(rule: Rule) -> str:
    known = rule.measure in MEASURES if rule.measure else rule.indicator in BY_KEY
    return rule.label() if known else rule.indicator  # a figure dropped since: its key


def _unit(rule: Rule) -> str:
    known = rule.measure in MEASURES if rule.measure else rule.indicator in BY_KEY
    return rule.unit() if known else "count"


def _limit(rule: Rule) -> str:
    shown = show(rule.threshold, _unit(rule))
    if rule.at_most:
        return _("at most %(threshold)s") % {"threshold": shown}
    return _("at least %(threshold)s") % {"threshold": shown}


def _evidence(count: int) -> str:
    if count <= 0:
        return _("No testimony or story recorded this year backs it.")
    return ngettext(
        "%(count)s testimony or story recorded this year backs it.",
        "%(count)s testimonies or stories recorded this year back it.",
        count,
    ) % {"count": formatting.number(count)}


HEADS = {
    "no_indicator": gettext_noop(
        "This impact has no indicator: its verdict rests on the team's evidence alone."
    ),
    "met": gettext_noop("At least one figure of the year meets its threshold."),
    "evidence_may": gettext_noop(
        "The figures do not show it; the team's evidence may: read it and decide."
    ),
    "below": gettext_noop(
        "The figures recorded are below their thresholds and no evidence backs it."
    ),
    "nothing": gettext_noop("Nothing recorded shows this impact: no figure and no evidence."),
}


def sentence(note: Any) -> str:
    """One reason in the active language; a sentence stored before reasons were kept as data
    is shown as it was written."""
    if isinstance(note, str):
        return note
    say = note.get("say") if isinstance(note, Mapping) else None
    if say in HEADS:
        return _(HEADS[say])
    if say == "evidence":
        return _evidence(int(note.get("count", 0)))
    if say not in ("figure_met", "figure_below", "not_recorded"):
        return ""
    rule = _rule_of(note)
    params = {"label": _label(rule), "limit": _limit(rule)}
    if say == "not_recorded":
        return _("%(label)s: not recorded.") % params
    params["figure"] = show(Decimal(str(note.get("figure", "0"))), _unit(rule))
    if say == "figure_met":
        return _("%(label)s: %(figure)s, threshold met (%(limit)s).") % params
    return _("%(label)s: %(figure)s, threshold not met (%(limit)s).") % params


def sentences(notes: Any) -> list[str]:
    """The reasons as the reader reads them (old stored sentences as they are)."""
    found = [sentence(n) for n in notes] if isinstance(notes, list) else []
    return [s for s in found if s]


def suggest(impact_key: str, values: Mapping[str, Value], evidence: int) -> Suggestion:
    """The suggested verdict of `impact_key` from the year's indicator `values` and the
    number of pieces of `evidence` (testimonies and stories tagged with it), with the
    reasons that say why."""
    rules = rules_of(impact_key)
    counted = {"say": "evidence", "count": max(evidence, 0)}
    if not rules:
        return Suggestion(NOT_OBSERVED, [{"say": "no_indicator"}, counted])
    met, below, details = 0, 0, []
    for rule in rules:
        figure = rule.read(values.get(rule.indicator))
        if figure is None:
            details.append(_note("not_recorded", rule))
        elif rule.met(figure):
            met += 1
            details.append(_note("figure_met", rule, figure))
        else:
            below += 1
            details.append(_note("figure_below", rule, figure))
    if met:
        verdict, head = YES, "met"
    elif evidence > 0:
        verdict, head = NOT_OBSERVED, "evidence_may"
    elif below:
        verdict, head = NO, "below"
    else:
        verdict, head = NOT_OBSERVED, "nothing"
    return Suggestion(verdict, [{"say": head}, *details, counted])
