"""The report's charts as SVG: the verdict of each impact, the revenue mix (not in the public
version), the modal split when a mobility survey recorded it, the commitments' levels over
time, and the territory map. Drawn without JavaScript so the PDF (WeasyPrint) shows them as
the page does; the bars and the donut are `observatory.charts`'.

Accessible as those are: `role="img"`, a `<title>` and a `<desc>` naming every value; the
report prints the same figures in words beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import count
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.impact import nearby
from tierslieux.impact.indicator_defs import Value
from tierslieux.impact.report_format import parts
from tierslieux.observatory import charts

if TYPE_CHECKING:
    from tierslieux.impact.models import Commitment, CommitmentAssessment
    from tierslieux.impact.report import Report
    from tierslieux.impact.territory import Territory

WIDTH = charts.WIDTH
COLOURS = {"yes": "#2f855a", "no": "#c53030", "not_observed": "#4a5568", "": "#ffffff"}
LEVEL_COLOURS = ("#e2e8f0", "#bee3f8", "#63b3ed", "#3182ce", "#2a4365")
_ids = count(1)


def _svg(title: str, summary: str, height: int, body: list[str], width: int = WIDTH) -> SafeString:
    uid = f"r{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{uid}-title {uid}-desc">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(summary)}</desc>' + "".join(body) + "</svg>"
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lines(text: str, width: int, count: int = 2) -> list[str]:
    """`text` cut at spaces into at most `count` lines of about `width` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > count:
        lines = [*lines[: count - 1], _short(" ".join(lines[count - 1 :]), width)]
    return lines


def verdicts(rows: Sequence[tuple[str, str, str]]) -> SafeString:
    """One line per impact (title, verdict code, verdict word), the word in its colour."""
    row = 32
    body = []
    for n, (title, code, word) in enumerate(rows):
        y = 4 + n * row
        colour = COLOURS.get(code, COLOURS[""])
        ink = "#1a202c" if not code else "#ffffff"
        text = "".join(
            f'<text x="0" y="{y + 11 + 12 * i}" font-size="10">{escape(line)}</text>'
            for i, line in enumerate(_lines(title, 46))
        )
        body.append(
            f"<g><title>{escape(title)}{escape(formatting.colon())} {escape(word)}</title>{text}"
            f'<rect x="258" y="{y + 3}" width="100" height="19" rx="4" fill="{colour}" '
            f'stroke="#4a5568" stroke-width="{0 if code else 1}"/>'
            f'<text x="308" y="{y + 16.5}" font-size="10" text-anchor="middle" '
            f'fill="{ink}">{escape(word)}</text></g>'
        )
    summary = "; ".join(f"{t}{formatting.colon()} {w}" for t, _c, w in rows)
    return _svg(_("Verdict of each impact"), summary, max(len(rows), 1) * row + 6, body)


def commitment_levels(
    commitments: Sequence[Commitment], history: Sequence[CommitmentAssessment]
) -> SafeString:
    """A row per commitment, a column per self-assessment (oldest first): the level in a
    square, darker as it rises, so a progress reads from left to right."""
    label, cell, gap = 150, 56, 6
    dates = [formatting.day(h.assessed_on, "SHORT_DATE_FORMAT") for h in history][-4:]
    history = list(history)[-4:]
    levels = [{s.commitment_key: s.level for s in h.scores.all()} for h in history]
    body = [
        f'<text x="{label + i * (cell + gap) + cell / 2}" y="12" font-size="9" '
        f'text-anchor="middle">{escape(d)}</text>'
        for i, d in enumerate(dates)
    ]
    summary = []
    commitments = [c for c in commitments if any(c.key in by_key for by_key in levels)]
    for n, c in enumerate(commitments):
        y = 20 + n * (cell - 8 + gap)
        body.append(f'<text x="0" y="{y + 18}" font-size="10">{escape(_short(c.title, 28))}</text>')
        said = []
        for i, by_key in enumerate(levels):
            level = by_key.get(c.key)
            x = label + i * (cell + gap)
            text = "–" if level is None else str(level)
            fill = LEVEL_COLOURS[level or 0]
            ink = "#ffffff" if (level or 0) >= 3 else "#1a202c"
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell - 8}" rx="3" fill="{fill}"/>'
                f'<text x="{x + cell / 2}" y="{y + 18}" font-size="11" text-anchor="middle" '
                f'fill="{ink}">{text}</text>'
            )
            said.append(f"{dates[i]} {text}")
        summary.append(f"{c.title}{formatting.colon()} {', '.join(said)}")
    height = 20 + max(len(commitments), 1) * (cell - 8 + gap)
    return _svg(_("Commitments: level at each self-assessment"), "; ".join(summary), height, body)


def territory_map(place_name: str, found: Territory) -> SafeString:
    """The place at the centre, rings at 10, 20 and 30 km, each neighbour a numbered dot
    (partners filled, similar places hollow) linked to its public page."""
    size, centre = 360, 180
    scale = 150 / found.radius_km
    body = [f'<rect width="{size}" height="{size}" fill="#f7fafc"/>']
    for km in nearby.RINGS_KM:
        r = km * scale
        body.append(
            f'<circle cx="{centre}" cy="{centre}" r="{r}" fill="none" stroke="#a0aec0" '
            f'stroke-dasharray="3 3"/><text x="{centre + 3}" y="{centre - r + 11}" '
            f'font-size="9" fill="#4a5568">{escape(_("%(n)s km") % {"n": km})}</text>'
        )
    body.append(
        f'<text x="{centre}" y="14" font-size="10" text-anchor="middle" '
        f'font-weight="bold">{escape(_("N"))}</text>'
        f'<circle cx="{centre}" cy="{centre}" r="6" fill="#c05621"/>'
        f'<text x="{centre}" y="{centre + 18}" font-size="10" text-anchor="middle" '
        f'font-weight="bold">{escape(_short(place_name, 30))}</text>'
    )
    summary = []
    for n, neighbour in enumerate(found.neighbours, start=1):
        dx, dy = neighbour.offset(scale)
        x, y = centre + dx, centre + dy
        fill = "#2b6cb0" if neighbour.partner else "#ffffff"
        ink = "#ffffff" if neighbour.partner else "#2b6cb0"
        distance = _("%(n)s km") % {"n": formatting.number(Decimal(str(round(neighbour.km, 1))))}
        name = neighbour.place.name
        href = reverse("places:detail", kwargs={"slug": neighbour.place.slug})
        body.append(
            f"<a href={quoteattr(href)}><g><title>{escape(name)} ({escape(distance)})</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="{fill}" stroke="#2b6cb0" '
            f'stroke-width="1.5"/><text x="{x:.1f}" y="{y + 3.5:.1f}" font-size="9" '
            f'text-anchor="middle" fill="{ink}">{n}</text>'
            f'<text x="{x + 11:.1f}" y="{y + 3.5:.1f}" font-size="8.5" fill="#1a202c">'
            f"{escape(_short(name, 18))}</text></g></a>"
        )
        summary.append(f"{n}. {name}, {distance}")
    title = _("Partner and similar places within %(n)s km") % {
        "n": formatting.number(int(found.radius_km))
    }
    return _svg(title, "; ".join(summary) or _("No place listed."), size, body, size)


def charts_of(
    report: Report, values: dict[str, Value], history: Any, commitments: Any
) -> dict[str, SafeString]:
    """Every chart the report shows, by name; a chart without data is left out."""
    drawn: dict[str, SafeString] = {
        "verdicts": verdicts([(s.title, s.verdict, s.verdict_label) for s in report.impacts])
    }
    mix = values.get("revenue_mix")
    if not report.public and mix is not None and mix.recorded:
        rows = [(label, number) for label, _t, number in _parts("revenue_mix", mix)]
        if rows:
            drawn["revenue_mix"] = charts.donut_chart(
                _("Revenue mix"), rows, lambda v: formatting.money(v)
            )
    split = values.get("modal_split")
    if split is not None and split.recorded:
        rows = [(label, number) for label, _t, number in _parts("modal_split", split)]
        if rows:
            drawn["modal_split"] = charts.bar_chart(
                _("How users come (share of trips)"), rows, lambda v: formatting.percent(v)
            )
    if history:
        drawn["commitments"] = commitment_levels(commitments, history)
    return drawn


def _parts(key: str, value: Value) -> list[tuple[str, str, Decimal]]:
    return parts(key, value.amount)
