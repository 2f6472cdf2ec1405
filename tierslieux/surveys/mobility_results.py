"""The mobility survey's own results: the modal split and the estimate of CO₂ emitted by the
trips, shown above the per-question results of a survey made from the `mobility` template.

The answers are read in one grouped query (one row per response: its distance and its days
by mode, pivoted in SQL); the arithmetic is `mobility`'s, pure and tested by hand. An anonymous
survey with fewer than `SMALL_GROUP` answers shows no figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Case, Max, When
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.observatory import charts
from tierslieux.surveys import mobility
from tierslieux.surveys.mobility import FACTORS, TRAVEL_MODES, Commute, Mode
from tierslieux.surveys.models import Answer, Survey, SurveyVersion
from tierslieux.surveys.templates_builtin import DISTANCE, MOBILITY_DAYS

SMALL_GROUP = 5  # the fewest answers of an anonymous survey whose figures are shown
TEMPLATE = "mobility"


def commutes(survey: Survey, version: SurveyVersion | None = None) -> list[Commute]:
    """Each response's commute (all versions when `version` is None: the keys are stable)."""
    rows = Answer.objects.filter(survey=survey, question__in=[DISTANCE, *MOBILITY_DAYS.values()])
    if version is not None:
        rows = rows.filter(version=version)
    pivot = (
        rows.order_by()
        .values("response_id")
        .annotate(
            km=Max(Case(When(question=DISTANCE, then="number"))),
            **{
                mode.value: Max(Case(When(question=key, then="number")))
                for mode, key in MOBILITY_DAYS.items()
            },
        )
    )
    found = []
    for row in pivot:
        values: dict[str, Any] = dict(row)
        days = {mode: values[mode.value] for mode in Mode if values[mode.value] is not None}
        found.append(Commute(days=days, km=values["km"]))
    return found


def _kg(value: Decimal) -> str:
    return formatting.number(value, 1)


def _split_panel(summary: mobility.Summary) -> SafeString:
    labels = {mode: str(FACTORS[mode].label) for mode in TRAVEL_MODES}
    rows = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td class='num'>{}</td><td class='num'>{}</td></tr>",
        (
            (
                labels[mode],
                formatting.number(summary.trips[mode]),
                formatting.percent(summary.split[mode], 1),
            )
            for mode in TRAVEL_MODES
        ),
    )
    chart = charts.bar_chart(
        _("Share of trips by mode"),
        [(labels[mode], summary.split[mode]) for mode in TRAVEL_MODES],
        fmt=lambda value: formatting.percent(value, 1),
    )
    return format_html(
        "<p>{}</p>{}<table><thead><tr><th scope='col'>{}</th>"
        "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>"
        "<p>{}</p>",
        _("%(count)s answers; each day travelled is 2 trips (there and back).")
        % {"count": formatting.number(summary.respondents)},
        chart,
        _("Mode"),
        _("Trips a week"),
        _("Share of trips"),
        rows,
        _("Days worked remotely instead of coming: %(share)s of the days.")
        % {"share": formatting.percent(summary.remote_share, 1)},
    )


def _co2_panel(summary: mobility.Summary) -> SafeString:
    if summary.average_co2 is None:
        return format_html("<p>{}</p>", _("No answer gives a distance: nothing to estimate."))
    by_mode = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td class='num'>{}</td></tr>",
        (
            (str(FACTORS[mode].label), _kg(summary.co2_by_mode[mode]))
            for mode in TRAVEL_MODES
            if summary.co2_by_mode[mode] > 0
        ),
    )
    factors = format_html_join(
        "",
        "<tr><th scope='row'>{}</th><td class='num'>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (str(f.label), formatting.number(f.kg_per_km), str(f.note), f.year)
            for f in FACTORS.values()
        ),
    )
    sources = format_html_join(
        "",
        "<li>{}</li>",
        ((source,) for source in dict.fromkeys(str(f.source) for f in FACTORS.values())),
    )
    return format_html(
        "<p><strong>{}</strong></p><p>{}</p>"
        "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
        "</tr></thead><tbody>{}</tbody></table>"
        "<details><summary>{}</summary><p>{}</p>"
        "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
        "<th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>"
        "<p>{}</p><ul>{}</ul></details>",
        _(
            "Estimate: %(total)s kg CO₂e a year in all, %(average)s kg per person on average "
            "(%(count)s people who gave their distance)."
        )
        % {
            "total": _kg(summary.total_co2),
            "average": _kg(summary.average_co2),
            "count": formatting.number(summary.estimated),
        },
        _(
            "An estimate, not a measurement: days a week by each mode × 2 trips × the one-way "
            "distance × the mode's emission factor × %(weeks)s weeks a year (52 weeks less 5 "
            "weeks of paid leave). Every mode is counted over the same one-way distance."
        )
        % {"weeks": mobility.WEEKS_PER_YEAR},
        _("Mode"),
        _("kg CO₂e a year"),
        by_mode,
        _("Emission factors and their sources"),
        _(
            "kg CO₂e per passenger-km: the fuel (its production and its burning, or the "
            "electricity) and the vehicle's construction; not the roads and rails."
        ),
        _("Mode"),
        _("kg CO₂e per km"),
        _("Note"),
        _("Year"),
        factors,
        _("Sources:"),
        sources,
    )


def extra_panels(survey: Survey, version: SurveyVersion | None = None) -> list[tuple[str, str]]:
    """(title, HTML) panels for the results page; none for a survey of another template."""
    if survey.template != TEMPLATE:
        return []
    found = commutes(survey, version)
    if survey.anonymous and len(found) < SMALL_GROUP:
        message = format_html(
            "<p>{}</p>",
            _(
                "Fewer than %(count)s answers: the modal split and the CO₂ estimate stay "
                "hidden so that nobody's answers can be recognised."
            )
            % {"count": SMALL_GROUP},
        )
        return [(_("How people come"), message)]
    summary = mobility.summarise(found)
    return [
        (_("How people come: the modal split"), _split_panel(summary)),
        (_("CO₂ emitted by the trips (estimate)"), _co2_panel(summary)),
    ]
