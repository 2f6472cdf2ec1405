"""The impact indicators laid out for people and files: grouped by family for the indicators
page and the assessment, and flattened into rows (one per figure, a composite figure's parts
each on its own row) for the CSV and JSON exports.

Reads no database: it takes `indicators.compute`'s values (or `figures.thaw`'s)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tierslieux.billing.models import Family
from tierslieux.core import formatting
from tierslieux.events.models import Audience
from tierslieux.impact.indicator_defs import FAMILIES, INDICATORS, Indicator, Value
from tierslieux.impact.suggestions import show
from tierslieux.surveys.mobility import FACTORS, Mode

FAMILY_LABELS: dict[str, Any] = {
    "visits": _("Visits"),
    "members": _("Members and volunteers"),
    "events": _("Events"),
    "audiences": _("Audiences"),
    "access": _("Free and solidarity access"),
    "occupancy": _("Occupancy"),
    "learning": _("Learning"),
    "jobs": _("Jobs"),
    "revenue": _("Revenue"),
    "surveys": _("Surveys"),
    "links": _("Links between organisations"),
}

UNIT_LABELS: dict[str, Any] = {
    "people": _("people"),
    "visits": _("visits"),
    "count": _("count"),
    "percent": "%",
    "hours": _("hours"),
    "eur": "€",
    "kg_co2e": _("kg CO₂e"),
    "fte": _("FTE"),
    "score": _("score out of 5"),
}


def _mode_label(code: str) -> str:
    try:
        mode = Mode(code)
    except ValueError:
        return code
    factor = FACTORS.get(mode)
    return str(factor.label) if factor else str(_("Worked from elsewhere"))


@dataclass(frozen=True)
class Part:
    """One entry of a composite figure: its code, label, amount and unit."""

    code: str
    label: str
    amount: Any
    unit: str


def parts(key: str, amount: Any) -> list[Part]:
    """The entries of a composite figure (audiences, revenue mix, modal split), else none."""
    if not isinstance(amount, Mapping):
        return []
    found: list[Part] = []
    if key == "audiences":
        labels = dict(Audience.choices)
        for code, row in amount.items():
            label = str(labels.get(code, code))
            found.append(Part(f"{code}.events", label, row.get("events", 0), "count"))
            found.append(Part(f"{code}.participants", label, row.get("participants", 0), "people"))
    elif key == "revenue_mix":
        labels = dict(Family.choices)
        for code, row in amount.items():
            label = str(labels.get(code, code))
            found.append(Part(f"{code}.amount", label, row.get("amount"), "eur"))
            found.append(Part(f"{code}.share", label, row.get("share"), "percent"))
    elif key == "modal_split":
        found = [Part(code, _mode_label(code), share, "percent") for code, share in amount.items()]
    else:
        found = [Part(str(code), str(code), value, "") for code, value in amount.items()]
    return found


def _part_text(key: str, amount: Mapping[str, Any]) -> list[str]:
    """Composite figures as sentences: "Enfants : 1 événement, 3 participants"."""
    colon = formatting.colon()
    if key == "audiences":
        labels = dict(Audience.choices)
        lines = []
        for code, row in amount.items():
            events, people = row.get("events", 0), row.get("participants", 0)
            text = ngettext("%(n)s event", "%(n)s events", events) % {
                "n": formatting.number(events)
            }
            text += ", " + ngettext("%(n)s participant", "%(n)s participants", people) % {
                "n": formatting.number(people)
            }
            lines.append(f"{labels.get(code, code)}{colon} {text}")
        return lines
    return [
        f"{p.label}{colon} {show(p.amount, p.unit)}"
        + (
            f" ({show(amount[p.code.split('.')[0]]['share'], 'percent')})"
            if key == "revenue_mix"
            else ""
        )
        for p in parts(key, amount)
        if not (key == "revenue_mix" and p.code.endswith(".share"))
    ]


@dataclass
class Row:
    """An indicator with its value as the page shows it."""

    indicator: Indicator
    value: Value
    text: str = ""  # the figure written, or "" when not recorded
    lines: list[str] = field(default_factory=list)  # a composite figure's entries

    @property
    def recorded(self) -> bool:
        return self.value.recorded


def row(indicator: Indicator, value: Value) -> Row:
    amount = value.amount
    if amount is None:
        return Row(indicator, value)
    if isinstance(amount, Mapping):
        return Row(indicator, value, "", _part_text(indicator.key, amount))
    return Row(indicator, value, show(amount, indicator.unit))


def grouped(values: Mapping[str, Value]) -> list[tuple[Any, list[Row]]]:
    """Every indicator, by family in the definitions' order, with its value."""
    by_family: dict[str, list[Row]] = {family: [] for family in FAMILIES}
    for indicator in INDICATORS:
        if indicator.key in values:
            by_family[indicator.family].append(row(indicator, values[indicator.key]))
    return [(FAMILY_LABELS.get(f, f), rows) for f, rows in by_family.items() if rows]


def flat(values: Mapping[str, Value]) -> list[dict[str, Any]]:
    """One row per figure for the exports: a composite figure gives one row per entry
    (`part`), each with its own unit; a figure not recorded has no amount and says why."""
    rows: list[dict[str, Any]] = []
    for indicator in INDICATORS:
        value = values.get(indicator.key)
        if value is None:
            continue
        base = {
            "family": indicator.family,
            "key": indicator.key,
            "label": str(indicator.label),
            "basis": value.basis,
            "not_recorded": "" if value.recorded else str(value.reason),
        }
        entries = parts(indicator.key, value.amount)
        if entries:
            for p in entries:
                rows.append({**base, "part": p.code, "unit": p.unit, "amount": p.amount})
        else:
            rows.append({**base, "part": "", "unit": indicator.unit,
                         "amount": value.amount})  # fmt: skip
    return rows
