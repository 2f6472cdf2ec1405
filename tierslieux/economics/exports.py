"""A scenario as a workbook (openpyxl) and as a PDF summary (WeasyPrint).

The workbook has one sheet per table: the summary, the assumptions, the monthly projection,
the revenue by family, the loan schedule, the sensitivity. Where a reader expects a formula
there is one: each month's result and cash flow, the cumulative cash (the month before plus
the month's flow, from the opening cash), the totals, the families' shares, the loan's
instalment and what is still owed. The summary holds the page's figures as values."""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tierslieux.economics import charts, engine, templates_model
from tierslieux.economics import scenario as sc
from tierslieux.economics.report import Report, month_date

BOLD = Font(bold=True)
EUROS = '#,##0 "€"'
PERCENT = "0.0%"


def _header(ws: Any, titles: list[str]) -> None:
    ws.append(titles)
    for cell in ws[1]:
        cell.font = BOLD
    for n, title in enumerate(titles, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(12, len(title) + 2)


def workbook(report: Report, title: str) -> bytes:
    """The XLSX bytes of the scenario's figures."""
    wb = Workbook()
    _summary(wb.active, report, title)
    _assumptions(wb.create_sheet(_("Assumptions")), report.scenario)
    _projection(wb.create_sheet(_("Monthly projection")), report)
    _families(wb.create_sheet(_("Revenue by family")), report)
    _loans(wb.create_sheet(_("Loan schedule")), report)
    _sensitivity(wb.create_sheet(_("Sensitivity")), report)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _summary(ws: Any, report: Report, title: str) -> None:
    ws.title = _("Summary")
    p = report.projection
    ws.append([title])
    ws["A1"].font = BOLD
    ws.append([_("Verdict"), report.verdict.label])
    ws.append([_("Operating break-even (month)"), p.break_even_month or _("not reached")])
    ws.append(
        [_("Break-even without grants (month)"), p.break_even_without_grants or _("not reached")]
    )
    ws.append(
        [
            _("Cumulative cash at month %(month)s") % {"month": min(36, p.months)},
            round(report.cash_36, 2),
        ]
    )
    ws.append([_("Cash low point"), round(p.low_point, 2)])
    ws.append([_("Probability of breaking even within 24 months"), report.monte_carlo.p_break_even])
    ws["B5"].number_format = ws["B6"].number_format = EUROS
    ws["B7"].number_format = PERCENT
    ws.append([])
    ws.append([_("Reasons")])
    for reason in report.verdict.reasons:
        ws.append([reason.severity, reason.text])
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 90


def _assumptions(ws: Any, scenario: sc.Scenario) -> None:
    _header(ws, [_("Field"), _("Value")])
    for key in ("name", "horizon", "start", "vat"):
        ws.append([key, getattr(scenario, key)])
    for kind in ("investments", "fundings", "loans", "fixed_costs", "staff", "variable_costs",
                 "revenue", "memberships", "grants", "in_kind", "side_activities"):  # fmt: skip
        for n, item in enumerate(getattr(scenario, kind)):
            for field, value in vars(item).items():
                if isinstance(value, sc.Ramp):
                    ws.append([f"{kind}[{n}].ramp.months", value.months])
                    ws.append([f"{kind}[{n}].ramp.shape", value.shape])
                elif value not in ("", None):
                    ws.append([f"{kind}[{n}].{field}", value])
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 24


PROJECTION = ("month", "date", "revenue", "grants", "fixed", "variable", "result",
              "interest", "principal", "flow", "cash")  # fmt: skip


def _projection(ws: Any, report: Report) -> None:
    """Columns A–K; row 2 the opening cash, rows 3… the months, then the totals."""
    p = report.projection
    _header(ws, [_("Month"), _("Date"), _("Operating revenue"), _("of which grants"),
                 _("Fixed costs"), _("Variable costs"), _("Operating result"),
                 _("Loan interest"), _("Loan principal"), _("Cash flow"),
                 _("Cumulative cash")])  # fmt: skip
    ws.append([0, _("Opening cash"), None, None, None, None, None, None, None, None,
               round(p.opening_cash, 2)])  # fmt: skip
    for m in range(p.months):
        r = m + 3
        ws.append([
            m + 1, month_date(report.scenario, m + 1), round(float(p.revenue[m]), 2),
            round(float(p.grants[m]), 2), round(float(p.fixed_costs[m]), 2),
            round(float(p.variable_costs[m]), 2), f"=C{r}-E{r}-F{r}",
            round(float(p.interest[m]), 2), round(float(p.principal[m]), 2),
            f"=G{r}-H{r}-I{r}", f"=K{r - 1}+J{r}",
        ])  # fmt: skip
        ws.cell(row=r, column=2).number_format = "mm/yyyy"
    last = p.months + 2
    total = [_("Total"), None] + [f"=SUM({c}3:{c}{last})" for c in "CDEFGHIJ"]
    ws.append(total)
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=11):
        for cell in row:
            cell.number_format = EUROS
    for cell in ws[last + 1]:
        cell.font = BOLD


def _families(ws: Any, report: Report) -> None:
    p = report.projection
    labels = [str(sc.FAMILY_LABELS[f]) for f in sc.FAMILIES]
    _header(ws, [_("Month"), *labels, _("Total")])
    for m in range(p.months):
        r = m + 2
        ws.append([m + 1, *(round(float(p.revenue_by_family[f][m]), 2) for f in sc.FAMILIES),
                   f"=SUM(B{r}:E{r})"])  # fmt: skip
    last = p.months + 1
    ws.append([_("Total"), *(f"=SUM({c}2:{c}{last})" for c in "BCDEF")])
    ws.append([_("Share"), *(f"={c}{last + 1}/$F${last + 1}" for c in "BCDE")])
    targets = [templates_model.MIX_TARGETS[f] for f in sc.FAMILIES]
    ws.append([_("Seed's target"), *(f"{low:g}–{high:g} %" for low, high in targets)])
    for row in ws.iter_rows(min_row=2, max_row=last + 1, min_col=2, max_col=6):
        for cell in row:
            cell.number_format = EUROS
    for cell in ws[last + 2][1:5]:
        cell.number_format = PERCENT


def _loans(ws: Any, report: Report) -> None:
    _header(ws, [_("Loan"), _("Month"), _("Interest"), _("Principal"), _("Instalment"),
                 _("Still owed")])  # fmt: skip
    for n, loan in enumerate(report.scenario.loans):
        interest, principal = engine.loan_schedule(loan, report.scenario.horizon)
        name = loan.lender or _("Loan %(n)s") % {"n": n + 1}
        ws.append([name, 0, None, None, None, loan.amount])
        for m in range(min(loan.months, report.scenario.horizon)):
            r = ws.max_row + 1
            ws.append([name, m + 1, round(float(interest[m]), 2), round(float(principal[m]), 2),
                       f"=C{r}+D{r}", f"=F{r - 1}-D{r}"])  # fmt: skip
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=6):
        for cell in row:
            cell.number_format = EUROS


def _sensitivity(ws: Any, report: Report) -> None:
    t = report.tornado
    _header(
        ws,
        [
            _("Driver"),
            _("Break-even at −20 %"),
            _("Break-even at +20 %"),
            _("Cash at month 36, −20 %"),
            _("Cash at month 36, +20 %"),
            _("Spread"),
        ],
    )
    ws.append([_("Scenario as written"), t.break_even, t.break_even, t.cash, t.cash, 0])
    for bar in t.bars:
        r = ws.max_row + 1
        ws.append(
            [
                charts.driver_label(bar.driver),
                bar.break_even_low,
                bar.break_even_high,
                round(bar.cash_low, 2),
                round(bar.cash_high, 2),
                f"=ABS(E{r}-D{r})",
            ]
        )
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = EUROS


class _NoFetch(URLFetcher):
    """The summary is self-contained (inline SVG): nothing is fetched."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"not fetched: {url[:80]}")


def pdf(report: Report, context: dict[str, Any]) -> bytes:
    """The summary as a PDF: verdict and reasons, key figures, the charts."""
    html = render_to_string("economics/summary_pdf.html", {"report": report, **context})
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "unclosed file", ResourceWarning)
        result: bytes = HTML(string=html, url_fetcher=_NoFetch()).write_pdf()
    return result
