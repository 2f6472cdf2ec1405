"""An indicator's value written for a reader: the figure in the active locale with its unit,
and the parts of a composite value (revenue families, modes of travel, audiences).

Pure (no ORM). Every number goes through `core.formatting`, so a report reads "1 234,5 €"
and "45,2 %" in French.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing.models import Family
from tierslieux.core import formatting
from tierslieux.events.models import Audience
from tierslieux.impact.indicator_defs import Indicator, Value

MODES = {
    "car": gettext_lazy("By car, alone"),
    "carpool": gettext_lazy("By car-pool"),
    "bus": gettext_lazy("By bus or coach"),
    "tram": gettext_lazy("By tram or metro"),
    "train": gettext_lazy("By train"),
    "bike": gettext_lazy("By bike"),
    "walk": gettext_lazy("On foot"),
    "remote": gettext_lazy("Working remotely instead of coming"),
}


def scalar(unit: str, amount: Any) -> str:
    """One number with its unit, as the reader writes it."""
    if unit == "percent":
        return formatting.percent(amount)
    if unit == "eur":
        return formatting.money(amount)
    if unit == "hours":
        return _("%(n)s h") % {"n": formatting.number(amount)}
    if unit == "fte":
        return _("%(n)s FTE") % {"n": formatting.number(amount)}
    if unit == "score":
        return _("%(n)s / 5") % {"n": formatting.number(amount)}
    if unit == "kg_co2e":
        return _("%(n)s kg CO₂e") % {"n": formatting.number(amount)}
    return formatting.number(amount)


def label_of(code: str) -> str:
    """The reader's word for a part's code (a revenue family, a mode, an audience)."""
    for choices in (Family, Audience):
        if code in choices.values:
            return str(choices(code).label)
    return str(MODES.get(code, code))


def parts(key: str, amount: Mapping[str, Any]) -> list[tuple[str, str, Decimal]]:
    """(label, text, number to chart) of a composite value, largest first, empty ones left
    out."""
    rows: list[tuple[str, str, Decimal]] = []
    for code, part in amount.items():
        if key == "revenue_mix":
            money, share = part.get("amount") or 0, part.get("share")
            if not money:
                continue
            text = formatting.money(money)
            if share is not None:
                text += f" ({formatting.percent(share)})"
            rows.append((label_of(code), text, Decimal(money)))
        elif key == "audiences":
            events, people = part.get("events") or 0, part.get("participants") or 0
            if not events:
                continue
            text = _("%(events)s events, %(people)s participants") % {
                "events": formatting.number(events),
                "people": formatting.number(people),
            }
            rows.append((label_of(code), text, Decimal(events)))
        elif part:
            rows.append((label_of(code), formatting.percent(part), Decimal(part)))
    rows.sort(key=lambda row: -row[2])
    return rows


def shown(indicator: Indicator | None, key: str, value: Value) -> tuple[str, list[Any]]:
    """(the figure as text, its parts) — the text is empty when not recorded or composite."""
    if not value.recorded:
        return "", []
    if isinstance(value.amount, Mapping):
        return "", parts(key, value.amount)
    unit = indicator.unit if indicator is not None else "count"
    return scalar(unit, value.amount), []
