"""What the pages, the XLSX and the PDF show of one scenario, computed once: the projection,
the verdict, the tornado, a seeded Monte Carlo, the key figures against the seed's thresholds
and the charts. Pure (no ORM); text in the active language when read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.economics import charts, engine, sensitivity, verdict
from tierslieux.economics import scenario as sc
from tierslieux.economics.templates_model import PUBLIC_MAX, RANGES

# The page's Monte Carlo: fewer draws than the command's 10,000 (a page answers in well under a
# second), seeded so that the page shows the same figures each time.
PAGE_DRAWS, PAGE_SEED = 2_000, 0
COLOURS = ("#1f6f8b", "#c62828", "#2e7d32", "#6a1b9a")


def month_date(scenario: sc.Scenario, month: int) -> date:
    year, first = (int(x) for x in scenario.start.split("-"))
    index = first - 1 + month - 1
    return date(year + index // 12, index % 12 + 1, 1)


def month_text(scenario: sc.Scenario, month: int | None) -> str:
    """“month 10 (October 2027)”, or “not reached within 60 months”."""
    if month is None:
        return _("not reached within %(months)s months") % {"months": scenario.horizon}
    when = formats.date_format(month_date(scenario, month), "YEAR_MONTH_FORMAT")
    return _("month %(month)s (%(when)s)") % {"month": month, "when": when}


@dataclass(frozen=True)
class Figure:
    """One key figure: its value as read, the seed's threshold, and whether it is met (None:
    nothing to compare)."""

    label: str
    value: str
    threshold: str
    met: bool | None


def _range(key: str, unit: str = "") -> str:
    low, high = RANGES[key]
    return f"{formatting.number(low)}–{formatting.number(high)}{unit}"


class Report:
    """One scenario's figures; each part is computed when first read."""

    def __init__(self, scenario: sc.Scenario, draws: int = PAGE_DRAWS) -> None:
        self.scenario = scenario
        self.draws = draws

    @cached_property
    def projection(self) -> engine.Projection:
        return engine.project(self.scenario)

    @cached_property
    def verdict(self) -> verdict.Verdict:
        return verdict.judge(self.projection)

    @cached_property
    def tornado(self) -> sensitivity.Tornado:
        return sensitivity.tornado(self.scenario)

    @cached_property
    def monte_carlo(self) -> sensitivity.MonteCarlo:
        return sensitivity.monte_carlo(self.scenario, self.draws, PAGE_SEED)

    @property
    def break_even(self) -> str:
        return month_text(self.scenario, self.projection.break_even_month)

    @property
    def cash_36(self) -> float:
        month = min(36, self.scenario.horizon)
        return float(self.projection.cumulative_cash[month - 1])

    @property
    def chance(self) -> str:
        """The Monte Carlo's probability of breaking even within 24 months, as read."""
        return formatting.percent(round(self.monte_carlo.p_break_even * 100))

    def figures(self) -> list[Figure]:
        p, s = self.projection, self.scenario
        late = RANGES["break_even_months"][1]
        needed = p.occupancy_needed
        people = p.members_needed.get("people")
        bodies = p.members_needed.get("organisations")
        nbsp = formatting.NBSP
        return [
            Figure(_("Operating break-even"), self.break_even,
                   _("18 to 24 months"), p.break_even_month is not None
                   and p.break_even_month <= late),
            Figure(_("Break-even without grants"),
                   month_text(s, p.break_even_without_grants), "", None),
            Figure(_("Investment"), charts.euros(s.investment_total),
                   _range("investment", f"{nbsp}€"), None),
            Figure(_("Opening cash"), charts.euros(p.opening_cash), "", None),
            Figure(_("Cumulative cash at month %(month)s") % {"month": min(36, s.horizon)},
                   charts.euros(self.cash_36), "", None),
            Figure(_("Cash low point"), charts.euros(p.low_point),
                   _("≥ %(month)s (a month of running costs)")
                   % {"month": charts.euros(verdict.monthly_costs(p))},
                   p.low_point >= verdict.monthly_costs(p)),
            Figure(_("Occupancy planned"), _share(p.occupancy_planned),
                   _range("occupancy", f"{nbsp}%"), None),
            Figure(_("Occupancy needed to break even"), _share(needed),
                   f"≤ {formatting.percent(RANGES['occupancy'][1])}",
                   None if needed is None else needed <= RANGES["occupancy"][1] / 100),
            Figure(_("Individual members needed"), _count(people), _range("members_people"),
                   None if people is None else people <= RANGES["members_people"][1]),
            Figure(_("Member organisations needed"), _count(bodies),
                   _range("members_organisations"),
                   None if bodies is None else bodies <= RANGES["members_organisations"][1]),
            Figure(_("Public funding share"), _share(p.public_share),
                   f"≤ {formatting.percent(PUBLIC_MAX)}", p.public_share <= PUBLIC_MAX / 100),
            Figure(_("In-kind contributions a month (not cash)"),
                   charts.euros(float(p.in_kind[0]) if len(p.in_kind) else 0.0), "", None),
        ]  # fmt: skip

    @cached_property
    def charts(self) -> dict[str, str]:
        return {
            "cash": charts.cash_curve(self.projection),
            "mix": charts.revenue_mix(self.projection),
            "tornado": charts.tornado(self.tornado),
        }

    def monte_carlo_rows(self) -> list[dict[str, Any]]:
        """The draws by luck, worst first: a row pairs the cash low point's percentile with
        the break-even month's opposite one (a low cash and a late month are both bad luck),
        so that each row reads as one kind of case, not as two unrelated percentiles."""
        mc = self.monte_carlo
        cases = [
            (5, 95, _("1 case in 20, the worst")),
            (25, 75, _("1 case in 4, unfavourable")),
            (50, 50, _("half of the cases (median)")),
            (75, 25, _("1 case in 4, favourable")),
            (95, 5, _("1 case in 20, the best")),
        ]
        return [
            {"case": label, "low": charts.euros(mc.low_point[low]),
             "month": month_text(self.scenario, mc.break_even[month])}
            for low, month, label in cases
        ]  # fmt: skip

    def monte_carlo_ranges(self) -> list[dict[str, str]]:
        """Each driver's range as the draws use it, in percent of the plan's figure."""

        def pct(factor: float) -> str:
            return f"{round((factor - 1) * 100):+d}{formatting.NBSP}%".replace("-", "−")

        return [
            {"driver": charts.driver_label(name), "low": pct(low), "high": pct(high)}
            for name, (low, high) in sensitivity.DEFAULT_RANGES.items()
        ]


def _share(value: float | None) -> str:
    return "—" if value is None else formatting.percent(round(value * 100))


def _count(value: float | None) -> str:
    return "—" if value is None else formatting.number(round(value))


def compare_chart(reports: list[tuple[str, Report]]) -> str:
    """The cumulative cash of 2–4 scenarios, one curve each, on one scale (SVG)."""
    from xml.sax.saxutils import escape

    width, height, left, right, top, bottom = 640, 340, 90, 20, 40, 70
    months = max(r.projection.months for _n, r in reports)
    series = [[r.projection.opening_cash, *map(float, r.projection.cumulative_cash)]
              for _n, r in reports]  # fmt: skip
    low = min(0.0, *(min(v) for v in series))
    high = max(0.0, *(max(v) for v in series))
    span = (high - low) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: float) -> float:
        return top + plot_h * (high - value) / span

    title = escape(_("Cumulative cash"))
    body = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{title}">',
        f"<title>{title}</title>", f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="12" text-anchor="end">'
        f"{escape(charts.euros(high))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="12" text-anchor="end">'
        f"{escape(charts.euros(low))}</text>",
    ]  # fmt: skip
    for n, ((name, _r), values) in enumerate(zip(reports, series, strict=True)):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(
            f"{left + plot_w * m / months:.1f},{y(v):.1f}" for m, v in enumerate(values)
        )
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        body.append(
            f'<text x="{left}" y="{height - 46 + 16 * (n // 2)}" dx="{300 * (n % 2)}" '
            f'font-size="12" fill="{colour}">— {escape(name[:40])}</text>'
        )
    body.append("</svg>\n")
    return "\n".join(body)
