"""The projection's charts as standalone SVG (no library, no script): the cash curve, the
revenue mix against the seed's targets, the tornado. Pure; text in the active language."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tierslieux.core import formatting
from tierslieux.economics import scenario as s
from tierslieux.economics.engine import Projection
from tierslieux.economics.sensitivity import Tornado
from tierslieux.economics.templates_model import MIX_TARGETS

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 40, 40
FONT = 'font-family="sans-serif" font-size="12"'
DRIVER_LABELS = {
    "occupancy": gettext_noop("occupancy"),
    "price": gettext_noop("prices"),
    "members": gettext_noop("members"),
    "fee": gettext_noop("membership fees"),
    "rent": gettext_noop("rent"),
    "staff": gettext_noop("staff costs"),
    "other_fixed": gettext_noop("other fixed costs"),
    "variable": gettext_noop("variable costs"),
    "grants": gettext_noop("grants"),
    "ramp": gettext_noop("ramp-up time"),
    "investment": gettext_noop("investment"),
    "side": gettext_noop("side activities"),
}


def euros(value: float) -> str:
    """Whole euros, as a projection deserves: 12 500 € (no cents)."""
    return f"{formatting.number(round(value))}{formatting.NBSP}€"


def driver_label(name: str) -> str:
    return _(DRIVER_LABELS[name]) if name in DRIVER_LABELS else name


def _svg(title: str, body: list[str], height: int = HEIGHT) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="{LEFT}" y="22" {FONT} font-weight="bold">{escape(title)}</text>',
        *body,
        "</svg>\n",
    ])  # fmt: skip


def _text(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" {FONT} text-anchor="{anchor}">{escape(text)}</text>'


def cash_curve(p: Projection) -> str:
    """Cumulative cash month by month, the opening cash at month 0, the zero line."""
    values = [p.opening_cash, *(float(v) for v in p.cumulative_cash)]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(month: int, value: float) -> tuple[float, float]:
        return LEFT + plot_w * month / p.months, TOP + plot_h * (high - value) / span

    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(m, v) for m, v in enumerate(values)))
    zero = xy(0, 0.0)[1]
    body = [
        f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - RIGHT}" y2="{zero:.1f}" stroke="#999"/>',
        f'<polyline points="{points}" fill="none" stroke="#1f6f8b" stroke-width="2"/>',
        _text(LEFT - 6, TOP + 4, euros(high), "end"),
        _text(LEFT - 6, zero + 4, euros(0), "end"),
    ]
    if TOP + plot_h - zero > 14:
        body.append(_text(LEFT - 6, TOP + plot_h, euros(low), "end"))
    if zero - TOP < 14:
        body.pop(2)
    for month in range(0, p.months + 1, 12):
        x = xy(month, 0.0)[0]
        body.append(_text(x, HEIGHT - 18, str(month), "middle"))
    body.append(_text(WIDTH - RIGHT, HEIGHT - 4, _("months"), "end"))
    if p.break_even_month:
        x = xy(p.break_even_month, 0.0)[0]
        body.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" '
            'stroke="#2e7d32" stroke-dasharray="4 3"/>'
        )
    return _svg(_("Cumulative cash"), body)


def revenue_mix(p: Projection) -> str:
    """Each family's share of the revenue (bar) against the seed's target range (band)."""
    plot_w = WIDTH - 260 - RIGHT
    body = []
    for n, family in enumerate(s.FAMILIES):
        y = TOP + 10 + n * 60
        low, high = MIX_TARGETS[family]
        share = p.mix.get(family, 0.0) * 100
        band_x, band_w = 240 + plot_w * low / 100, plot_w * (high - low) / 100
        body += [
            _text(10, y + 16, str(s.FAMILY_LABELS[family])),
            f'<rect x="{band_x:.1f}" y="{y}" width="{band_w:.1f}" height="24" fill="#c8e6c9"/>',
            f'<rect x="240" y="{y + 6}" width="{plot_w * min(share, 100) / 100:.1f}" '
            'height="12" fill="#1f6f8b"/>',
            _text(WIDTH - RIGHT, y + 16, formatting.percent(round(share)), "end"),
        ]
    body.append(_text(240, HEIGHT - 10, _("green: the seed's target range"), "start"))
    return _svg(_("Revenue mix"), body)


def tornado(t: Tornado) -> str:
    """Each driver at −20 % and +20 %: the cumulative cash at month 36 around the base."""
    bars = t.bars[:12]
    height = TOP + 30 * max(len(bars), 1) + 40
    values = [t.cash, *(b.cash_low for b in bars), *(b.cash_high for b in bars)]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    left, plot_w = 190, WIDTH - 190 - RIGHT

    def x(value: float) -> float:
        return left + plot_w * (value - low) / span

    body = []
    for n, bar in enumerate(bars):
        y = TOP + 30 * n
        body.append(_text(10, y + 16, driver_label(bar.driver)))
        for value, colour in ((bar.cash_low, "#c62828"), (bar.cash_high, "#2e7d32")):
            a, b = sorted((x(t.cash), x(value)))
            body.append(
                f'<rect x="{a:.1f}" y="{y + 4}" width="{max(b - a, 1):.1f}" height="18" '
                f'fill="{colour}" fill-opacity="0.7"/>'
            )
    base = x(t.cash)
    body += [
        f'<line x1="{base:.1f}" y1="{TOP - 4}" x2="{base:.1f}" y2="{height - 36}" stroke="#333"/>',
        _text(base, height - 20, euros(t.cash), "middle"),
        _text(10, height - 4, _("red: driver −20 %, green: +20 % (cash at month 36)")),
    ]
    return _svg(_("What moves the cash at month 36"), body, height)
