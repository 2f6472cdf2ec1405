"""The plan against the actuals as a standalone SVG (no library, no script): revenue and
operating costs month by month, the plan dashed, the actuals solid. Pure."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.economics.actuals import Comparison
from tierslieux.economics.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, _svg, _text, euros

SERIES = (("revenue", "#1f6f8b"), ("costs", "#c62828"))


def plan_and_actuals(c: Comparison) -> str:
    """Revenue and costs, plan (dashed) and actual (solid), over the compared months."""
    rows = [c.row(key) for key, _colour in SERIES]
    values = [0.0, *(v for r in rows for v in r.plan), *(v or 0.0 for r in rows for v in r.actual)]
    high = max(values) or 1.0
    count = max(len(c.months), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - 20

    def xy(n: int, value: float) -> str:
        x = LEFT + (plot_w * n / (count - 1) if count > 1 else plot_w / 2)
        return f"{x:.1f},{TOP + plot_h * (high - value) / high:.1f}"

    body = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#999"/>',
        _text(LEFT - 6, TOP + 4, euros(high), "end"),
        _text(LEFT - 6, TOP + plot_h + 4, euros(0), "end"),
    ]
    for row, (_key, colour) in zip(rows, SERIES, strict=True):
        plan = " ".join(xy(n, v) for n, v in enumerate(row.plan))
        actual = " ".join(xy(n, v or 0.0) for n, v in enumerate(row.actual))
        body += [
            f'<polyline points="{plan}" fill="none" stroke="{colour}" stroke-width="2" '
            'stroke-dasharray="6 4"/>',
            f'<polyline points="{actual}" fill="none" stroke="{colour}" stroke-width="2"/>',
        ]
    if c.months:
        body.append(
            _text(LEFT, TOP + plot_h + 18, formatting.day(c.months[0], "YEAR_MONTH_FORMAT"))
        )
        body.append(
            _text(WIDTH - RIGHT, TOP + plot_h + 18,
                  formatting.day(c.months[-1], "YEAR_MONTH_FORMAT"), "end")
        )  # fmt: skip
    body.append(
        _text(LEFT, HEIGHT - 4, _("blue: revenue, red: costs; dashed: the plan, solid: actual"))
    )
    return _svg(_("Revenue and costs against the plan"), body)
