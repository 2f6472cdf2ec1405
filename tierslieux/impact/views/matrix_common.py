"""What the network's matrix pages and downloads share: who reads them, the year (and quarter)
asked for, and a figure written as a reader reads it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tierslieux.core import clock, formatting
from tierslieux.impact import matrix, report_format
from tierslieux.impact import matrix_shapes as shapes
from tierslieux.impact.indicator_defs import Value
from tierslieux.impact.models import Verdict
from tierslieux.impact.periods import Period
from tierslieux.places import access
from tierslieux.places.models import Network


def network_read(request: HttpRequest, network_slug: str) -> Network:
    """The network, for its administrators and observers (and superusers): 404 for an unknown
    network, 403 for anyone else, a place's coordinator included."""
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_seen(request.user, network)
    return network


def verdict_labels() -> dict[str, str]:
    labels = {str(value): str(label) for value, label in Verdict.choices}
    labels[shapes.NOT_ASSESSED] = _("Not assessed")
    return labels


def aggregate_labels() -> dict[str | None, str]:
    return {
        shapes.SUM: _("sum of the places"),
        shapes.MEDIAN: _("median of the places"),
        None: _("not added up"),
    }


def source_labels() -> dict[str, str]:
    return {shapes.CONFIRMED: _("confirmed"), shapes.LIVE: _("live")}


@dataclass(frozen=True)
class Choice:
    """The period asked for, and the message when what was asked made no sense."""

    year: int
    quarter: int | None
    years: list[int]  # the years confirmed in the network, newest first
    error: str = ""

    @property
    def period(self) -> Period:
        return Period(self.year, self.quarter)

    def offered(self) -> list[int]:
        """The years of the chooser: every year assessed, and the last ten."""
        this_year = clock.today().year
        return sorted({*self.years, *range(this_year, this_year - 10, -1)}, reverse=True)


def chosen(request: HttpRequest, network: Network, quarters: bool = False) -> Choice:
    """`?year=2025` (and `&quarter=2`): an absurd value gives the default with a message."""
    years = matrix.years(network)
    default = matrix.default_year(years)
    raw_year = request.GET.get("year", "").strip()
    raw_quarter = request.GET.get("quarter", "").strip() if quarters else ""
    year, quarter, error = default, None, ""
    if raw_year:
        plain = raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4
        if plain and matrix.valid_year(int(raw_year)):
            year = int(raw_year)
        else:
            error = _("“%(value)s” is not a year that can be shown: here is %(year)s.") % {
                "value": raw_year[:20],
                "year": default,
            }
    if raw_quarter and not error:
        if raw_quarter in {"1", "2", "3", "4"}:
            quarter = int(raw_quarter)
        else:
            error = _("“%(value)s” is not a quarter (1 to 4): here is the whole year.") % {
                "value": raw_quarter[:20]
            }
    return Choice(year, quarter, years, error)


def matrix_method() -> str:
    return _(
        "Each cell is the verdict of the place's assessment of the year, confirmed by its "
        "team: yes, no or not observed, as the Mille Lieux study judges each impact. “Not "
        "assessed”: the place has no confirmed assessment for the year (a draft is not "
        "shown), or its assessment did not decide the impact. Counts are numbers of places."
    )


def indicators_method() -> str:
    return _(
        "For a year, the figures a place's confirmed assessment froze (source “confirmed”); "
        "otherwise the figures computed today from what the place records (source “live”); "
        "a quarter is always live. A figure not recorded is left empty, never counted as a "
        "0. The network's figure is the sum of the places' figures for counts, people, "
        "hours, euros and jobs (a person known at two places counts twice), their median for "
        "shares, scores and figures per respondent, and nothing for mixes."
    )


# --- Figures as text ------------------------------------------------------------------------


def _scalar(amount: Any, unit: str) -> str:
    if not isinstance(amount, int | Decimal) or isinstance(amount, bool):
        return str(amount)
    return report_format.scalar(unit, amount)


def _part(value: Any, unit: str) -> str:
    if isinstance(value, Mapping) and "events" in value:
        return _("%(events)s events, %(people)s participants") % {
            "events": formatting.number(value.get("events")),
            "people": formatting.number(value.get("participants")),
        }
    if isinstance(value, Mapping) and "amount" in value:
        share = value.get("share")
        money = formatting.money(value.get("amount"))
        return f"{money} ({formatting.percent(share)})" if share is not None else money
    return _scalar(value, unit) if value is not None else "—"


def parts(amount: Mapping[str, Any], unit: str, labels: Mapping[str, str]) -> list[str]:
    """A composite figure (audiences, revenue mix, modal split) as lines "part : value"."""
    return [
        _("%(part)s: %(value)s") % {"part": labels.get(key, key), "value": _part(value, unit)}
        for key, value in amount.items()
    ]


def show(value: Value, unit: str, labels: Mapping[str, str]) -> str:
    """A figure as text; "not recorded" is said, never written as a 0."""
    if value.amount is None:
        return _("not recorded")
    if isinstance(value.amount, Mapping):
        return " · ".join(parts(value.amount, unit, labels))
    return _scalar(value.amount, unit)
