"""Server-side SVG charts: horizontal bars and a donut, with no JavaScript and no outside
library. Pure (no ORM): a title, (label, value) pairs, values written in the reader's
language by `core.formatting`.

Accessible: `role="img"`, a `<title>` and a `<desc>` naming every value, a `<title>` on each
bar or slice; the page puts the same figures in a table beside the chart. The width follows
the page (`viewBox`, width 100 %), so a chart fits a 390 px screen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import count
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

from tierslieux.core import formatting

Series = Sequence[tuple[str, Decimal | int]]
Formatter = Callable[[Decimal | int], str]

PALETTE = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096")
WIDTH = 360
BAR = 18
GAP = 8
LABEL = 150  # width kept for the labels, left of the bars
_ids = count(1)


def _format(value: Decimal | int) -> str:
    return formatting.number(value)


def _svg(title: str, summary: str, height: int, body: list[str]) -> SafeString:
    uid = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc">'
        f'<title id="chart-{uid}-title">{escape(title)}</title>'
        f'<desc id="chart-{uid}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>"
    )


def _summary(series: Series, fmt: Formatter) -> str:
    return "; ".join(f"{label}{formatting.colon()} {fmt(value)}" for label, value in series)


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(title: str, series: Series, fmt: Formatter = _format) -> SafeString:
    """Horizontal bars, the longest for the largest value, each labelled with its value."""
    top = max((Decimal(v) for _l, v in series), default=Decimal(0))
    height = max(len(series), 1) * (BAR + GAP) + GAP
    room = WIDTH - LABEL - 60  # the value is written after the bar
    body = []
    for n, (label, value) in enumerate(series):
        y = GAP + n * (BAR + GAP)
        length = float(Decimal(value) / top * room) if top > 0 else 0.0
        text = fmt(value)
        body.append(
            f'<g class="bar"><title>{escape(label)}{escape(formatting.colon())} '
            f"{escape(text)}</title>"
            f'<text x="{LABEL - 6}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
            f'font-size="11">{escape(_short(label))}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL + length + 4:.1f}" y="{y + BAR * 0.7:.1f}" '
            f'font-size="11">{escape(text)}</text></g>'
        )
    return _svg(title, _summary(series, fmt), height, body)


def donut_chart(title: str, series: Series, fmt: Formatter = _format) -> SafeString:
    """A donut of the values' shares, with a legend giving each value and its share."""
    total = sum((Decimal(v) for _l, v in series if Decimal(v) > 0), Decimal(0))
    radius, cx, cy, stroke = 50.0, 70.0, 70.0, 26.0
    circumference = 2 * math.pi * radius
    height = max(140, 20 * len(series) + 20)
    body = [
        f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="none" stroke="#edf2f7" '
        f'stroke-width="{stroke}"/>'
    ]
    offset = 0.0
    for n, (label, value) in enumerate(series):
        fraction = float(Decimal(value) / total) if total > 0 else 0.0
        length = fraction * circumference
        colour = PALETTE[n % len(PALETTE)]
        percent = formatting.percent(Decimal(fraction * 100).quantize(Decimal("0.1")))
        text = f"{fmt(value)} ({percent})"
        body.append(
            f'<circle class="slice" cx="{cx}" cy="{cy}" r="{radius}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke}" '
            f'stroke-dasharray="{length:.2f} {circumference - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {cx} {cy})">'
            f"<title>{escape(label)}{escape(formatting.colon())} {escape(text)}</title></circle>"
        )
        y = 20 + 20 * n
        body.append(
            f'<rect x="150" y="{y - 10}" width="12" height="12" fill={quoteattr(colour)}/>'
            f'<text x="168" y="{y}" font-size="11">{escape(_short(label, 24))} '
            f"{escape(percent)}</text>"
        )
        offset += length
    return _svg(title, _summary(series, fmt), height, body)
